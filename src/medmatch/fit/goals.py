"""A student's goals: the answers of the goals questionnaire, as frozen plain data.

Each question is one small frozen dataclass that carries the answer *and* how much it matters:
``weight`` (0 to 5; 0 = ignore as a wish) and ``dealbreaker`` (a hard limit: a program known to fail
it is filtered out; a program where it is unknown is kept and flagged "check this"). A question
left unanswered is ``None`` on ``Goals`` and plays no part.

The JSON form (``Goals.to_dict`` / ``Goals.from_dict``) is the one the account export and
``medmatch recommend --goals GOALS.json`` use; it is documented in docs/fit.md. Bad input raises
``GoalsError`` (a ``ValueError``) whose message starts with the dotted path of the field, e.g.
``location.places[0].radius_km: must be a number > 0, got -5``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any

GOALS_FORMAT = "medmatch-goals/1"
MAX_WEIGHT = 5.0
OBJECTIVES = ("clinical", "research", "mentorship", "exploring")
SETTINGS = ("academic", "community")
OPENNESS = ("home", "open", "abroad")
PACES = ("demanding", "steady", "either")
VISAS = ("j1", "h1b", "j1_or_h1b")
# Where the student wants to live, against the place's RUCA class (USDA 2020 rural-urban codes).
AREAS = ("city", "town", "rural")
TEACHING = ("high", "low")
# NRMP track types (``Program.TrackType``); a transitional year is a specialty, not a track.
TRACKS = ("categorical", "preliminary", "advanced", "reserved", "physician")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_REGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


class GoalsError(ValueError):
    """Bad goals input. ``field`` is the dotted path of the offending value."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


# --- small validators -------------------------------------------------------------------------


def _finite(value: int | float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer larger than any float
        return False


def _number(value: Any, path: str, *, low: float | None = None, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not _finite(value):
        raise GoalsError(path, f"must be a number, got {value!r}")
    if low is not None and (value <= low if low_open else value < low):
        sign = ">" if low_open else ">="
        raise GoalsError(path, f"must be a number {sign} {low:g}, got {value!r}")
    return float(value)


def _optional_number(value: Any, path: str, **limits: Any) -> float | None:
    return None if value is None else _number(value, path, **limits)


def _choice(value: Any, path: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise GoalsError(path, f"must be one of {', '.join(choices)}; got {value!r}")
    return value


def _key(value: Any, path: str) -> str | int:
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise GoalsError(path, f"must be a non-empty string or an integer id, got {value!r}")
    return value


def _codes(value: Any, path: str, pattern: re.Pattern, example: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise GoalsError(path, f"must be a list of codes like {example!r}, got {value!r}")
    out = []
    for i, code in enumerate(value):
        if not isinstance(code, str) or not pattern.match(code):
            raise GoalsError(f"{path}[{i}]", f"must be a code like {example!r}, got {code!r}")
        out.append(code)
    if not out:
        raise GoalsError(path, "must list at least one code")
    return tuple(out)


def _mapping(value: Any, path: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise GoalsError(path, f"must be an object, got {value!r}")
    return value


def _check_keys(data: Mapping, path: str, allowed: set[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise GoalsError(f"{path}.{unknown[0]}", f"is not a known field (known: {sorted(allowed)})")


# --- the questions ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Answer:
    """How much one answer matters: a weighted wish (``weight`` 0..5) and/or a ``dealbreaker``."""

    weight: float = 3.0
    dealbreaker: bool = False

    def __post_init__(self) -> None:
        self._validate("")

    def _validate(self, path: str) -> None:
        prefix = f"{path}." if path else ""
        w = _number(self.weight, f"{prefix}weight", low=0)
        if w > MAX_WEIGHT:
            raise GoalsError(f"{prefix}weight", f"must be between 0 and {MAX_WEIGHT:g}, got {w:g}")
        if not isinstance(self.dealbreaker, bool):
            raise GoalsError(
                f"{prefix}dealbreaker", f"must be true or false, got {self.dealbreaker!r}"
            )


@dataclass(frozen=True)
class Objective(Answer):
    """Main objective: hands-on ``clinical`` skills, ``research``, ``mentorship``, ``exploring``."""

    value: str = "clinical"

    def _validate(self, path: str) -> None:
        super()._validate(path)
        _choice(self.value, f"{path}.value" if path else "value", OBJECTIVES)


@dataclass(frozen=True)
class SpecialtyInterest:
    """One specialty of interest: its catalog key (the canonical, e.g. ACGME, one) and 1..5."""

    specialty: str | int
    weight: float = 5.0


@dataclass(frozen=True)
class Specialties(Answer):
    """Specialties of interest with weights, or ``exploring`` (still deciding).

    A *decided* student (interests given, not exploring) also gets the derived ``department``
    criterion (strength of the institution's department in those specialties) at this answer's
    weight; an exploring one gets the ``exposure`` criterion (breadth of specialties on site) and
    a diversified top of the list instead. As a deal-breaker it filters out programs in other
    specialties.
    """

    interests: tuple[SpecialtyInterest, ...] = ()
    exploring: bool = False

    def _validate(self, path: str) -> None:
        super()._validate(path)
        prefix = f"{path}." if path else ""
        if not isinstance(self.exploring, bool):
            raise GoalsError(f"{prefix}exploring", "must be true or false")
        seen = set()
        for i, interest in enumerate(self.interests):
            p = f"{prefix}interests[{i}]"
            if not isinstance(interest, SpecialtyInterest):
                raise GoalsError(p, "must be a SpecialtyInterest")
            _key(interest.specialty, f"{p}.specialty")
            w = _number(interest.weight, f"{p}.weight", low=0, low_open=True)
            if w > MAX_WEIGHT:
                raise GoalsError(f"{p}.weight", f"must be at most {MAX_WEIGHT:g}, got {w:g}")
            if interest.specialty in seen:
                raise GoalsError(f"{p}.specialty", f"{interest.specialty!r} is listed twice")
            seen.add(interest.specialty)
        if not self.interests and not self.exploring:
            raise GoalsError(f"{prefix}interests", "list at least one specialty or set exploring")

    @property
    def weights(self) -> dict[str | int, float]:
        """Interest weight per specialty key."""
        return {i.specialty: float(i.weight) for i in self.interests}


@dataclass(frozen=True)
class Setting(Answer):
    """``academic`` (university / teaching hospital) or ``community`` setting."""

    value: str = "academic"

    def _validate(self, path: str) -> None:
        super()._validate(path)
        _choice(self.value, f"{path}.value" if path else "value", SETTINGS)


@dataclass(frozen=True)
class Place:
    """A place the student wants to be near: coordinates in degrees, a radius, a label to show."""

    latitude: float
    longitude: float
    radius_km: float
    label: str = ""


@dataclass(frozen=True)
class Location(Answer):
    """Near any of ``places`` (great-circle distance). Full score within a place's radius,
    falling linearly to 0 at three times the radius; as a deal-breaker: within some radius."""

    places: tuple[Place, ...] = ()

    def _validate(self, path: str) -> None:
        super()._validate(path)
        prefix = f"{path}." if path else ""
        if not self.places:
            raise GoalsError(f"{prefix}places", "list at least one place")
        for i, place in enumerate(self.places):
            p = f"{prefix}places[{i}]"
            if not isinstance(place, Place):
                raise GoalsError(p, "must be a Place")
            lat = _number(place.latitude, f"{p}.latitude")
            lon = _number(place.longitude, f"{p}.longitude")
            if not -90 <= lat <= 90:
                raise GoalsError(f"{p}.latitude", f"must be between -90 and 90, got {lat:g}")
            if not -180 <= lon <= 180:
                raise GoalsError(f"{p}.longitude", f"must be between -180 and 180, got {lon:g}")
            _number(place.radius_km, f"{p}.radius_km", low=0, low_open=True)
            if not isinstance(place.label, str):
                raise GoalsError(f"{p}.label", "must be a string")


@dataclass(frozen=True)
class Regions(Answer):
    """In one of these regions: ISO 3166-2 codes such as ``US-MA`` or ``CA-ON``."""

    codes: tuple[str, ...] = ()

    def _validate(self, path: str) -> None:
        super()._validate(path)
        _codes(self.codes, f"{path}.codes" if path else "codes", _REGION, "US-MA")


@dataclass(frozen=True)
class Countries(Answer):
    """In one of these countries: ISO 3166-1 alpha-2 codes such as ``US``."""

    codes: tuple[str, ...] = ()

    def _validate(self, path: str) -> None:
        super()._validate(path)
        _codes(self.codes, f"{path}.codes" if path else "codes", _COUNTRY, "US")


@dataclass(frozen=True)
class International(Answer):
    """International openness relative to ``home_country``: stay ``home``, ``open`` to either
    (no criterion), or go ``abroad``."""

    home_country: str = "US"
    openness: str = "open"

    def _validate(self, path: str) -> None:
        super()._validate(path)
        prefix = f"{path}." if path else ""
        if not isinstance(self.home_country, str) or not _COUNTRY.match(self.home_country):
            raise GoalsError(
                f"{prefix}home_country", f"must be a code like 'US', got {self.home_country!r}"
            )
        _choice(self.openness, f"{prefix}openness", OPENNESS)


@dataclass(frozen=True)
class Length(Answer):
    """Program length in months, ``min_months``..``max_months`` (either may be open). Outside the
    range the score falls by 1/12 per month."""

    min_months: float | None = None
    max_months: float | None = None

    def _validate(self, path: str) -> None:
        super()._validate(path)
        prefix = f"{path}." if path else ""
        low = _optional_number(self.min_months, f"{prefix}min_months", low=0)
        high = _optional_number(self.max_months, f"{prefix}max_months", low=0, low_open=True)
        if low is None and high is None:
            raise GoalsError(f"{prefix}min_months", "give min_months, max_months or both")
        if low is not None and high is not None and low > high:
            raise GoalsError(
                f"{prefix}max_months", f"must be >= min_months ({low:g}), got {high:g}"
            )


@dataclass(frozen=True)
class Hours(Answer):
    """Pace and weekly hours: ``demanding`` (full score at 80 h/week and above, 0 at 40 h),
    ``steady`` (full at 40 h and below, 0 at 80 h) or ``either``; and/or ``max_weekly_hours``
    (full score up to it, 0 at 20 h above it). As a deal-breaker: hours above the maximum, or
    (with no maximum) a pace score of 0."""

    pace: str = "either"
    max_weekly_hours: float | None = None

    def _validate(self, path: str) -> None:
        super()._validate(path)
        prefix = f"{path}." if path else ""
        _choice(self.pace, f"{prefix}pace", PACES)
        _optional_number(self.max_weekly_hours, f"{prefix}max_weekly_hours", low=0, low_open=True)
        if self.pace == "either" and self.max_weekly_hours is None:
            raise GoalsError(
                f"{prefix}pace", "choose demanding or steady, or give max_weekly_hours"
            )


@dataclass(frozen=True)
class Stipend(Answer):
    """At least ``min_amount`` per year (in the catalog's currency, see docs/fit.md); below it
    the score is the fraction reached."""

    min_amount: float = 0.0

    def _validate(self, path: str) -> None:
        super()._validate(path)
        _number(
            self.min_amount, f"{path}.min_amount" if path else "min_amount", low=0, low_open=True
        )


@dataclass(frozen=True)
class Cost(Answer):
    """At most ``max_amount`` to pay (fees); the score falls to 0 at twice the budget."""

    max_amount: float = 0.0

    def _validate(self, path: str) -> None:
        super()._validate(path)
        _number(self.max_amount, f"{path}.max_amount" if path else "max_amount", low=0)


@dataclass(frozen=True)
class Languages(Answer):
    """Working language is one of ``codes`` (ISO 639-1, lower case, e.g. ``en``, ``fr``)."""

    codes: tuple[str, ...] = ()

    def _validate(self, path: str) -> None:
        super()._validate(path)
        _codes(self.codes, f"{path}.codes" if path else "codes", re.compile(r"^[a-z]{2,3}$"), "en")


@dataclass(frozen=True)
class Visa(Answer):
    """The visa the student needs the program to sponsor: ``j1``, ``h1b`` or ``j1_or_h1b``."""

    needed: str = "j1"

    def _validate(self, path: str) -> None:
        super()._validate(path)
        _choice(self.needed, f"{path}.needed" if path else "needed", VISAS)


@dataclass(frozen=True)
class Tracks(Answer):
    """Residency tracks wished for (``TRACKS``: categorical, preliminary, advanced, reserved,
    physician). A program that is not a residency has no track: it does not meet the wish."""

    codes: tuple[str, ...] = ()

    def _validate(self, path: str) -> None:
        super()._validate(path)
        where = f"{path}.codes" if path else "codes"
        if isinstance(self.codes, str) or not isinstance(self.codes, tuple) or not self.codes:
            raise GoalsError(where, f"must list at least one of {', '.join(TRACKS)}")
        for i, code in enumerate(self.codes):
            _choice(code, f"{where}[{i}]", TRACKS)


@dataclass(frozen=True)
class Area(Answer):
    """The kind of place to live in, read from the program's ZIP (USDA RUCA 2020): ``city``
    (metropolitan, RUCA 1-3), ``town`` (a large rural town, RUCA 4-6) or ``rural`` (small towns
    and isolated areas, RUCA 7-10). Neighbouring kinds score part-way (AREA_SCORES in
    criteria.py); as a deal-breaker: a place scoring 0."""

    value: str = "city"

    def _validate(self, path: str) -> None:
        super()._validate(path)
        _choice(self.value, f"{path}.value" if path else "value", AREAS)


@dataclass(frozen=True)
class Rent(Answer):
    """Monthly rent for one bedroom the student can pay (US$, HUD Fair Market Rent near the
    program). At or under it the score runs from 1 (free) to 0.8 (all of it), so a cheaper place
    still ranks higher; above it the score falls to 0 at twice the budget. As a deal-breaker:
    rent above the budget."""

    max_monthly: float = 0.0

    def _validate(self, path: str) -> None:
        super()._validate(path)
        _number(
            self.max_monthly, f"{path}.max_monthly" if path else "max_monthly", low=0, low_open=True
        )


@dataclass(frozen=True)
class Teaching(Answer):
    """Teaching intensity of the program's hospital (CMS cost reports): ``high`` wants many
    residents per bed and a growing program (big academic teaching), ``low`` the reverse (a
    smaller teaching presence, more hands-on). See teaching_column in criteria.py."""

    value: str = "high"

    def _validate(self, path: str) -> None:
        super()._validate(path)
        _choice(self.value, f"{path}.value" if path else "value", TEACHING)


@dataclass(frozen=True)
class Trauma(Answer):
    """A trauma centre of at least this level at the program's hospital (1 = Level I, the
    highest, ... 4 = Level IV; HIFLD). A lower level scores part-way; as a deal-breaker: known
    to be below the level or not a trauma centre."""

    level: int = 1

    def _validate(self, path: str) -> None:
        super()._validate(path)
        where = f"{path}.level" if path else "level"
        if isinstance(self.level, bool) or self.level not in (1, 2, 3, 4):
            raise GoalsError(where, f"must be 1, 2, 3 or 4, got {self.level!r}")


@dataclass(frozen=True)
class Residency(Answer):
    """Residency ambition: a ``specialty`` (default: the top specialty of interest) and whether
    an ``affiliation`` with a residency in it is wished for (no affiliation wish: no criterion)."""

    specialty: str | int | None = None
    affiliation: bool = True

    def _validate(self, path: str) -> None:
        super()._validate(path)
        prefix = f"{path}." if path else ""
        if self.specialty is not None:
            _key(self.specialty, f"{prefix}specialty")
        if not isinstance(self.affiliation, bool):
            raise GoalsError(f"{prefix}affiliation", "must be true or false")


_ANSWERS: dict[str, type[Answer]] = {
    "objective": Objective,
    "specialties": Specialties,
    "setting": Setting,
    "location": Location,
    "regions": Regions,
    "countries": Countries,
    "international": International,
    "length": Length,
    "hours": Hours,
    "stipend": Stipend,
    "cost": Cost,
    "languages": Languages,
    "visa": Visa,
    "residency": Residency,
    "tracks": Tracks,
    "area": Area,
    "rent": Rent,
    "teaching": Teaching,
    "trauma": Trauma,
}


@dataclass(frozen=True)
class Goals:
    """All answers of one student's goals questionnaire; ``None`` = not answered.

    Takes the answers as keyword arguments (each one of the Answer subclasses above).
    ``is_exploring`` and ``is_decided`` say which way the engine leans (breadth or depth).
    """

    objective: Objective | None = None
    specialties: Specialties | None = None
    setting: Setting | None = None
    location: Location | None = None
    regions: Regions | None = None
    countries: Countries | None = None
    international: International | None = None
    length: Length | None = None
    hours: Hours | None = None
    stipend: Stipend | None = None
    cost: Cost | None = None
    languages: Languages | None = None
    visa: Visa | None = None
    residency: Residency | None = None
    tracks: Tracks | None = None
    area: Area | None = None
    rent: Rent | None = None
    teaching: Teaching | None = None
    trauma: Trauma | None = None

    def __post_init__(self) -> None:
        for name, kind in _ANSWERS.items():
            value = getattr(self, name)
            if value is not None and not isinstance(value, kind):
                raise GoalsError(name, f"must be a {kind.__name__} or None, got {value!r}")
            if value is not None:
                value._validate(name)

    @property
    def is_exploring(self) -> bool:
        """True when the student is still exploring: said so, or chose exploring as objective."""
        if self.objective is not None and self.objective.value == "exploring":
            return True
        return self.specialties is not None and self.specialties.exploring

    @property
    def is_decided(self) -> bool:
        """True when the student named specialties and is not exploring."""
        return (
            self.specialties is not None
            and bool(self.specialties.interests)
            and not self.is_exploring
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form: ``{"format": "medmatch-goals/1", "<question>": {...}, ...}``.

        Takes nothing; returns a new dict of plain JSON types. Unanswered questions are omitted.
        """
        out: dict[str, Any] = {"format": GOALS_FORMAT}
        for name in _ANSWERS:
            answer = getattr(self, name)
            if answer is not None:
                out[name] = _answer_to_dict(answer)
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Goals:
        """Goals from the JSON form written by ``to_dict``.

        Takes a mapping; returns a Goals. Steps: check the format tag and the top-level keys,
        build each answer from its own keys (unknown keys are an error, missing ones take the
        defaults), then validate. Raises GoalsError naming the field on bad input.
        """
        data = _mapping(data, "goals")
        fmt = data.get("format", GOALS_FORMAT)
        if fmt != GOALS_FORMAT:
            raise GoalsError("format", f"must be {GOALS_FORMAT!r}, got {fmt!r}")
        allowed = {"format", *_ANSWERS}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise GoalsError(unknown[0], f"is not a known question (known: {sorted(_ANSWERS)})")
        answers = {}
        for name, kind in _ANSWERS.items():
            if data.get(name) is not None:
                answers[name] = _answer_from_dict(kind, data[name], name)
        return cls(**answers)


def _answer_to_dict(answer: Answer) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(answer):
        value = getattr(answer, f.name)
        if f.name == "interests":
            value = [{"specialty": i.specialty, "weight": i.weight} for i in value]
        elif f.name == "places":
            value = [
                {
                    "latitude": p.latitude,
                    "longitude": p.longitude,
                    "radius_km": p.radius_km,
                    "label": p.label,
                }
                for p in value
            ]
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def _answer_from_dict(kind: type[Answer], data: Any, path: str) -> Answer:
    data = _mapping(data, path)
    names = {f.name for f in fields(kind)}
    _check_keys(data, path, names)
    kwargs = dict(data)
    if "interests" in kwargs:
        kwargs["interests"] = tuple(
            _record(SpecialtyInterest, item, f"{path}.interests[{i}]")
            for i, item in enumerate(_list(kwargs["interests"], f"{path}.interests"))
        )
    if "places" in kwargs:
        kwargs["places"] = tuple(
            _record(Place, item, f"{path}.places[{i}]")
            for i, item in enumerate(_list(kwargs["places"], f"{path}.places"))
        )
    if "codes" in kwargs:
        kwargs["codes"] = _codes_tuple(kwargs["codes"], f"{path}.codes")
    answer = object.__new__(kind)
    for f in fields(kind):
        default = f.default
        object.__setattr__(answer, f.name, kwargs.get(f.name, default))
    answer._validate(path)
    return answer


def _list(value: Any, path: str) -> list:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise GoalsError(path, f"must be a list, got {value!r}")
    return list(value)


def _codes_tuple(value: Any, path: str) -> tuple:
    return tuple(_list(value, path))


def _record(kind: type, data: Any, path: str) -> Any:
    data = _mapping(data, path)
    names = {f.name for f in fields(kind)}
    _check_keys(data, path, names)
    required = [f.name for f in fields(kind) if f.default is MISSING]
    for name in required:
        if name not in data:
            raise GoalsError(f"{path}.{name}", "is required")
    return kind(**data)
