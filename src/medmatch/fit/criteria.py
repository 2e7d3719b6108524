"""The criteria: one score column per answered question, in [0, 1] or NaN (unknown).

Each ``*_column(features, goals)`` function returns a ``Column`` (or None when the question was not
answered or gives nothing to score). A column holds the score of every program, which programs
are known to fail the answer as a deal-breaker, and a function that says in words what the
program's fact is (the engine adds the points). All work is vectorised over programs; only the
``describe`` functions run per program, and only for the programs being explained.

Scoring rules (also in docs/fit.md):

* specialty — the program's specialty weight / the highest interest weight; 0 if not listed.
* department (decided students) — max over interests of (interest weight / highest) x
  strength of the institution's department in it; 0 if departments are known and none match.
  Left out when no program in the features has departments recorded.
* exposure (exploring students) — (specialties trained at the institution - 1) / 9, capped at 1.
* residency — 1 when the program is itself a residency in the target specialty or lists an
  affiliated residency in it, 0 when affiliations are known and it does not.
* objective — clinical: by program type (residency / rotation 1, elective 0.75, public health 0.5,
  observership 0.25, research 0); research: research placement or research described 1,
  described absent 0; mentorship: mentorship described 1, else teaching / balanced / service
  emphasis 0.75 / 0.5 / 0.25; exploring: as exposure.
* setting — the academic degree of the institution (features.ACADEMIC_BY_KIND) or 1 minus it.
* location — 1 at the place falling to 0.7 at its radius (closer is better, so 1 km and 225 km
  inside a 250 km radius differ), then linear to 0 at 3x the radius (best place counts);
  great-circle distance (haversine).
* regions / countries / languages — 1 if in the list, else 0. international — home or abroad.
* length — 1 inside the range, minus 1/12 per month outside. hours — see goals.Hours.
* stipend — fraction of the minimum reached; cost — 1 within budget, 0 at twice the budget.
* visa — 1 if the program sponsors the needed visa, else 0.
* area — the place's RUCA class against the kind of place wished for (AREA_SCORES).
* rent — one-bedroom Fair Market Rent near the program: 1 - 0.2 x rent / budget up to the
  budget (1 free, 0.8 at the budget), then linear to 0 at twice the budget.
* teaching — high: 0.8 x min(1, residents per bed / 0.6) + 0.2 x growth (resident FTE first ->
  last year: -20 % 0, flat 0.5, +20 % 1); the intensity alone when the trend is unknown. low: 1
  minus the intensity.
* trauma — 1 at the wished level or higher, 0.3 less per level below.
* visa — H-1B LCAs filed for residents by the program's employer count as H-1B sponsorship
  (employer-level evidence) where the program's own answer is unknown; none found stays unknown.
* tracks — 1 if the residency's track (categorical, preliminary, ...) is one wished for, else 0
  (0 too for a program that is not a residency: it has no track).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from medmatch.fit.features import (
    AREA_CLASSES,
    AREA_LABELS,
    EMPHASES,
    KINDS,
    NO_TRACK,
    PROGRAM_TYPES,
    TRACKS,
    ProgramFeatures,
)
from medmatch.fit.goals import Goals

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius, as medmatch.lib.geo
NAN = np.float32(np.nan)
EXPOSURE_FULL_AT = 10  # specialties on site for a full exposure score
KIND_LABELS = {
    "academic": "Academic medical center",
    "teaching": "Teaching hospital",
    "community": "Community hospital",
    "critical_access": "Critical access hospital",
    "psychiatric": "Psychiatric hospital",
    "childrens": "Children's hospital",
    "va": "Veterans Affairs hospital",
    "military": "Military hospital",
    "sponsor": "GME sponsoring institution",
    "medical_school": "Medical school",
    "international": "Hospital outside the US",
}
TYPE_LABELS = {
    "residency": "Residency track",
    "clinical_rotation": "Clinical rotation",
    "research": "Research placement",
    "observership": "Observership",
    "public_health": "Public health / community program",
    "international_elective": "International elective",
}
VISA_LABELS = {"j1": "J-1", "h1b": "H-1B", "j1_or_h1b": "J-1 or H-1B"}
# Score of each RUCA class (AREA_CLASSES order) for each kind of place wished for.
AREA_SCORES = {
    "city": (1.0, 0.5, 0.2, 0.0),
    "town": (0.5, 1.0, 0.7, 0.4),
    "rural": (0.1, 0.6, 1.0, 1.0),
}
AREA_WISHES = {"city": "a city", "town": "a town", "rural": "a rural place"}
# Location: the score at the radius; 1 at the place itself, 0 at three radii.
AT_RADIUS = 0.7
# Teaching intensity: residents per bed for a full score (major teaching hospitals have 0.25+).
FULL_INTENSITY = 0.6
TRAUMA_STEP = 0.3
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}
# Visa codes: the program's own answer (0-3, a bit mask) or 4 = H-1B evidence (LCA filings).
H1B_EVIDENCE = 4
VISA_MASKS = {"j1": 1, "h1b": 2, "j1_or_h1b": 3}


@dataclass(frozen=True, eq=False)
class Column:
    """One criterion's scores over all programs.

    ``score`` is float32 in [0, 1] with NaN where unknown; ``fails`` is a bool array (known to
    fail the answer as a deal-breaker) or None when the answer is not a deal-breaker.
    ``describe(i)`` is the fact for program position i, in words (no points). ``unknown`` names
    the fact of ``ProgramFeatures.unknown_masks`` that is unknown exactly where ``score`` is NaN
    (the engine then sums unknown weights per pattern of unknowns), or None when it depends on
    the goals.

    A *lookup* column (a score per code of one code column) passes ``values=None`` with
    ``table`` and ``codes`` (``_lookup``): its score is ``table.take(codes, mode="clip")``, gathered
    only when ``score`` is read; as a deal-breaker it passes ``fails=None`` and ``fails_table``
    (known to fail, per code), read through ``failing`` / ``failing_at``. The engine adds
    ``weight x table`` to the total in one gather and reads the scores of the programs it
    explains with ``score_at``, so the full column is never made. ``fails`` of other columns
    is read through ``failing`` too.
    """

    key: str
    label: str
    weight: float
    dealbreaker: bool
    values: np.ndarray | None
    fails: np.ndarray | None
    describe: Callable[[int], str]
    unknown: str | None = None
    table: np.ndarray | None = None
    codes: np.ndarray | None = None
    fails_table: np.ndarray | None = None
    _cache: dict = field(default_factory=dict, init=False, repr=False)

    @property
    def failing(self) -> np.ndarray | None:
        """Which programs are known to fail the answer as a deal-breaker (bool), or None; a
        lookup column's is gathered from ``fails_table`` once, when read."""
        if self.fails is not None or self.fails_table is None:
            return self.fails
        if "fails" not in self._cache:
            self._cache["fails"] = self.fails_table.take(self.codes, mode="clip")
        return self._cache["fails"]

    def failing_at(self, positions: np.ndarray) -> np.ndarray | None:
        """``failing`` at a few program positions, without gathering the full column."""
        if self.fails is not None or self.fails_table is None:
            return None if self.fails is None else self.fails[positions]
        if "fails" in self._cache:
            return self._cache["fails"][positions]
        return self.fails_table.take(self.codes[positions], mode="clip")

    @property
    def score(self) -> np.ndarray:
        """Every program's score (float32, NaN unknown); a lookup column's is gathered once."""
        if self.values is not None:
            return self.values
        if "score" not in self._cache:
            self._cache["score"] = self.table.take(self.codes, mode="clip")
        return self._cache["score"]

    def score_at(self, positions: np.ndarray) -> np.ndarray:
        """The scores of a few program positions (the same values as ``score[positions]``)."""
        if self.values is not None:
            return self.values[positions]
        return self.table.take(self.codes[positions], mode="clip")


def _table(values: list[float]) -> np.ndarray:
    """A lookup table indexed by code; the extra last slot (code -1) is NaN = unknown.

    Look up with ``table.take(codes, mode="wrap")``: -1 wraps to the last slot.
    """
    return np.array([*values, np.nan], dtype=np.float32)


def _fails(answer_dealbreaker: bool, score: np.ndarray, rule: np.ndarray | None = None):
    if not answer_dealbreaker:
        return None
    return rule if rule is not None else score == 0  # NaN == 0 is False: unknown never fails


def _lookup(f: ProgramFeatures, name: str, values: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """A lookup column's ``(table, codes)`` for the code column ``name`` of the features.

    ``codes`` is the column plus one (``ProgramFeatures.lookup_codes``) and ``table`` has NaN
    (unknown) in its first slot, then one value per code: ``table.take(codes, mode="clip")`` is
    the same as ``_table(values).take(f.<name>, mode="wrap")``, at the speed of non-negative
    indices.
    """
    return np.array([np.nan, *values], dtype=np.float32), f.lookup_codes(name)


def _lookup_fails(answer_dealbreaker: bool, table: np.ndarray) -> np.ndarray | None:
    """``score == 0`` of a lookup column, per code (NaN == 0 is False): its ``fails_table``."""
    if not answer_dealbreaker:
        return None
    return table == 0


def _value_lookup(
    f: ProgramFeatures, name: str, score: Callable[[np.ndarray], np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A lookup column over the distinct values of the float column ``name``:
    ``(table, codes, values)``.

    ``score`` is an element-wise function of the fact (float32 in, float32 out); it runs on the
    few distinct values (``ProgramFeatures.value_codes``) instead of every program, so the
    gathered scores are the same bits as ``score(f.<name>)``, and unknown (code 0) is NaN.
    """
    codes, values = f.value_codes(name)
    table = np.empty(values.size + 1, dtype=np.float32)
    table[0] = np.nan
    table[1:] = score(values)
    return table, codes, values


def _value_fails(answer_dealbreaker: bool, rule, values: np.ndarray) -> np.ndarray | None:
    """A deal-breaker rule of a value lookup (an element-wise bool function of the fact) per
    code, from its distinct values (its ``fails_table``); unknown (code 0) never fails."""
    if not answer_dealbreaker:
        return None
    table = np.zeros(values.size + 1, dtype=bool)
    table[1:] = rule(values)
    return table


# float(): a numpy float32 formats as its Python float does with a format spec, at a fraction
# of the cost (the sentences of an explanation are most of its time).
def _km(value: float) -> str:
    return f"{float(value):,.0f} km"


def _amount(value: float) -> str:
    return f"{float(value):,.0f}"


def haversine_km(lat_rad, lon_rad, cos_lat, lat: float, lon: float, halves=None) -> np.ndarray:
    """Great-circle distance in km from one point (degrees) to arrays of points (radians).

    Takes the programs' latitude and longitude in radians and their precomputed cos(latitude)
    (and optionally ``halves``: the latitude and longitude halved, computed once per features);
    returns km in the dtype of the inputs (float32: ~1 m), NaN where coordinates are unknown.
    Source: the haversine formula (Sinnott 1984), as ``medmatch.lib.geo.haversine_km`` for single
    points.
    """
    dtype = lat_rad.dtype.type
    phi, lmb = dtype(math.radians(lat)), dtype(math.radians(lon))
    # In place on two buffers: the same float32 operations as sin((lat_rad - phi) * 0.5) etc.
    # Halving is exact and rounding commutes with it, so lat_rad * 0.5 - phi * 0.5 is the same
    # float32 value as (lat_rad - phi) * 0.5: with the halves given, one pass instead of two.
    if halves is None:
        a = np.subtract(lat_rad, phi)
        a *= 0.5
        b = np.subtract(lon_rad, lmb)
        b *= 0.5
    else:
        a = np.subtract(halves[0], phi * dtype(0.5))
        b = np.subtract(halves[1], lmb * dtype(0.5))
    np.sin(a, out=a)
    a *= a
    np.sin(b, out=b)
    b *= b
    b *= cos_lat
    b *= dtype(math.cos(phi))
    a += b
    # min(a, 1) as a clip (a >= 0, NaN stays NaN: the same values): numpy's clip loop is SIMD,
    # minimum against a scalar is not.
    np.clip(a, dtype(-np.inf), dtype(1), out=a)
    np.sqrt(a, out=a)
    np.arcsin(a, out=a)
    a *= dtype(2 * EARTH_RADIUS_KM)
    return a


def _once_per_code(codes: np.ndarray, describe: Callable[[int], str]) -> Callable[[int], str]:
    """``describe`` of a fact that depends on the program's code in ``codes`` only, each code's
    sentence made once per column (the head of a list shares a few specialties, countries,
    regions, program types)."""
    made: dict = {}

    def once(i: int) -> str:
        code = codes.item(i)
        sentence = made.get(code)
        if sentence is None:
            sentence = made[code] = describe(i)
        return sentence

    return once


# --- the columns ------------------------------------------------------------------------------


def specialty_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.specialties
    if answer is None or not answer.interests:
        return None
    weights = answer.weights
    top = max(weights.values())
    table, codes = _lookup(f, "specialty", [weights.get(k, 0.0) / top for k in f.specialty_keys])

    def describe(i: int) -> str:
        code = f.specialty[i]
        name = f.specialty_name(code)
        s = table[code + 1]
        if s >= 1:
            return f"{name} is this program's specialty"
        if s > 0:
            w = weights[f.specialty_keys[code]]
            return f"{name} is one of your specialties (interest {w:g} of {top:g})"
        return f"{name} is not among your specialties"

    return Column(
        "specialty",
        "Specialty",
        answer.weight,
        answer.dealbreaker,
        None,
        None,
        _once_per_code(f.specialty, describe),
        unknown="specialty",
        table=table,
        fails_table=_lookup_fails(answer.dealbreaker, table),
        codes=codes,
    )


def _any_departments(f: ProgramFeatures) -> bool:
    """Whether any program has departments recorded (goal-independent, kept)."""
    return bool(f.departments_known.any())


def _interest_codes(f: ProgramFeatures, goals: Goals) -> dict[int, float]:
    weights = goals.specialties.weights
    top = max(weights.values())
    codes = {f.specialty_code(k): w / top for k, w in weights.items()}
    codes.pop(-1, None)
    return codes


def department_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    # When no program has departments recorded the criterion can be known nowhere: it would only
    # widen every range by the same amount (the largest widening on a catalog without them) and
    # never order anything, and no student can answer it per program. Leave it out.
    if not goals.is_decided or not f.derived("any_departments", _any_departments):
        return None
    answer = goals.specialties
    interest = _interest_codes(f, goals)
    table = np.zeros(len(f.specialty_keys) + 1, dtype=np.float32)
    for code, w in interest.items():
        table[code] = w
    score = f.departments_floor.copy()  # 0 where departments are known, NaN where not
    # Only entries in the student's specialties score above 0: each program's best value is the
    # maximum over those (a program has one entry per specialty; its floor is 0).
    programs, strengths, bounds = f.department_entries()
    for code in interest:
        rows = slice(bounds[code], bounds[code + 1])
        positions = programs[rows]
        score[positions] = np.maximum(score[positions], table[code] * strengths[rows])
    best_specialty = {}
    names = [i.specialty for i in goals.specialties.interests]

    def describe(i: int) -> str:
        if i not in best_specialty:
            # The bounds in the array's own dtype (int32): Python ints would make numpy cast
            # every entry to int64 first (~100 us a call).
            bounds = np.array((i, i + 1), dtype=f.department_program.dtype)
            start, stop = np.searchsorted(f.department_program, bounds)
            rows = np.arange(start, stop)
            value = table[f.department_specialty[rows]] * f.department_strength[rows]
            rows, value = rows[value > 0], value[value > 0]
            best_specialty[i] = rows[np.argmax(value)] if rows.size else None
        row = best_specialty[i]
        if row is None:
            listed = " or ".join(f.specialty_name(k) for k in names)
            return f"No department listed in {listed}"
        name = f.specialty_name(f.department_specialty[row])
        strength = f.department_strength[row]
        note = "" if strength >= 1 else f" (strength {float(strength):.1f})"
        return f"{name} department listed{note}"

    return Column(
        "department",
        "Departments",
        answer.weight,
        False,
        score,
        None,
        describe,
        unknown="departments",
    )


def _exposure(f: ProgramFeatures) -> np.ndarray:
    """Every program's exposure score (goal-independent: computed once per features, kept;
    read-only)."""
    return f.derived("exposure", _compute_exposure)


def _compute_exposure(f: ProgramFeatures) -> np.ndarray:
    return np.clip((f.specialty_count - 1) / (EXPOSURE_FULL_AT - 1), 0, 1).astype(np.float32)


def _describe_exposure(f: ProgramFeatures) -> Callable[[int], str]:
    def describe(i: int) -> str:
        return f"Institution trains in {f.specialty_count.item(i):.0f} specialties"

    return _once_per_code(f.specialty_count, describe)


def exposure_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.specialties
    if answer is None or not goals.is_exploring:
        return None
    if goals.objective is not None and goals.objective.value == "exploring":
        return None  # the objective column already scores breadth
    score = _exposure(f)
    return Column(
        "exposure",
        "Specialties on site",
        answer.weight,
        False,
        score,
        None,
        _describe_exposure(f),
        unknown="specialty_count",
    )


def _residencies(f: ProgramFeatures) -> tuple[np.ndarray, np.ndarray]:
    """The residency programs' positions grouped by specialty: ``(positions, specialties)``,
    both sorted by specialty (goal-independent, kept)."""
    positions = np.flatnonzero(f.program_type == PROGRAM_TYPES.index("residency"))
    order = np.argsort(f.specialty[positions], kind="stable")
    return positions[order], f.specialty[positions][order]


def _affiliations(f: ProgramFeatures) -> tuple[np.ndarray, np.ndarray]:
    """The programs of the residency affiliations grouped by the affiliation's specialty:
    ``(programs, specialties)``, both sorted by specialty (goal-independent, kept)."""
    order = np.argsort(f.affiliation_specialty, kind="stable")
    return f.affiliation_program[order], f.affiliation_specialty[order]


def _of_specialty(grouped: tuple[np.ndarray, np.ndarray], code: int) -> np.ndarray:
    """The positions of ``grouped`` (``_residencies``, ``_affiliations``) in specialty ``code``."""
    positions, specialties = grouped
    # The bounds in the array's own dtype: Python ints would make numpy cast every entry.
    first, stop = specialties.searchsorted(np.array((code, code + 1), dtype=specialties.dtype))
    return positions[first:stop]


def residency_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.residency
    if answer is None or not answer.affiliation:
        return None
    target = answer.specialty
    if target is None and goals.specialties is not None and goals.specialties.interests:
        target = max(goals.specialties.interests, key=lambda i: i.weight).specialty
    if target is None:
        return None
    code = f.specialty_code(target)
    name = f.specialty_name(target)
    # The residencies of the specialty and the programs affiliated with one, read from them
    # grouped by specialty instead of comparing every program's or affiliation's code.
    own_positions = _of_specialty(f.derived("residencies", _residencies), code)
    own = np.zeros(len(f), dtype=bool)
    own[own_positions] = True
    affiliated_positions = _of_specialty(f.derived("affiliations", _affiliations), code)
    affiliated = np.zeros(len(f), dtype=bool)
    affiliated[affiliated_positions] = True
    score = f.affiliations_floor.copy()  # 0 where affiliations are known, NaN where not
    score[own_positions] = 1  # index, not mask: masked writes are slow
    score[affiliated_positions] = 1

    def describe(i: int) -> str:
        if own[i]:
            return f"This program is a residency in {name}"
        if affiliated[i]:
            return f"Residency affiliation in {name}"
        return f"No residency affiliation in {name} listed"

    return Column(
        "residency",
        f"Residency affiliation in {name}",
        answer.weight,
        answer.dealbreaker,
        score,
        _fails(answer.dealbreaker, score),
        describe,
    )


def objective_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.objective
    if answer is None:
        return None
    value = answer.value
    table = codes = None
    if value == "clinical":
        table, codes = _lookup(f, "program_type", [1.0, 1.0, 0.0, 0.25, 0.5, 0.75])
        score = None
    elif value == "research":
        score = f.has_research.copy()
        score[np.flatnonzero(f.program_type == PROGRAM_TYPES.index("research"))] = 1
    elif value == "mentorship":
        score = _table([0.75, 0.5, 0.25]).take(f.emphasis, mode="wrap")
        score[np.flatnonzero((f.has_mentorship == 0) & np.isnan(score))] = 0
        score[np.flatnonzero(f.has_mentorship == 1)] = 1
    else:
        score = _exposure(f)

    def describe(i: int) -> str:
        if value == "exploring":
            return _describe_exposure(f)(i) + " (breadth for exploring)"
        kind = TYPE_LABELS[PROGRAM_TYPES[f.program_type.item(i)]]
        if value == "clinical":
            return f"{kind} (your objective: hands-on clinical skills)"
        if value == "research":
            if f.has_research.item(i) == 1:
                return "Research opportunities described (your objective: research)"
            if f.program_type.item(i) == PROGRAM_TYPES.index("research"):
                return f"{kind} (your objective: research)"
            return "No research opportunities (your objective: research)"
        if f.has_mentorship[i] == 1:
            return "Mentorship structure described (your objective: mentorship)"
        if f.emphasis[i] >= 0:
            emphasis = EMPHASES[f.emphasis[i]]
            return f"{emphasis.capitalize()}-focused program (your objective: mentorship)"
        return "No mentorship structure (your objective: mentorship)"

    labels = {
        "clinical": "Clinical exposure",
        "research": "Research opportunities",
        "mentorship": "Mentorship",
        "exploring": "Specialties on site",
    }
    unknown = {"clinical": "program_type", "exploring": "specialty_count"}.get(value, value)
    by_code = {"clinical": f.program_type, "exploring": f.specialty_count}.get(value)
    return Column(
        "objective",
        labels[value],
        answer.weight,
        answer.dealbreaker,
        score,
        _fails(answer.dealbreaker, score) if table is None else None,
        describe if by_code is None else _once_per_code(by_code, describe),
        unknown=unknown,
        table=table,
        codes=codes,
        fails_table=None if table is None else _lookup_fails(answer.dealbreaker, table),
    )


def setting_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.setting
    if answer is None:
        return None

    def score_of(academic: np.ndarray) -> np.ndarray:
        return academic if answer.value == "academic" else 1 - academic

    # Scored on the distinct degrees (a handful: one per kind of institution) and gathered.
    table, codes, values = _value_lookup(f, "academic", score_of)

    def describe(i: int) -> str:
        kind_code = f.kind.item(i)
        kind = KIND_LABELS[KINDS[kind_code]] if kind_code >= 0 else "Institution"
        if f.academic[i] >= 0.75:
            kind = kind if kind_code >= 0 else "Teaching institution"
        return f"{kind} (you want {answer.value})"

    return Column(
        "setting",
        "Setting",
        answer.weight,
        answer.dealbreaker,
        None,
        None,
        describe,
        unknown="academic",
        table=table,
        codes=codes,
        fails_table=_value_fails(answer.dealbreaker, lambda v: score_of(v) < 0.5, values),
    )


def location_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.location
    if answer is None:
        return None
    index = f.derived("location_index", _LocationIndex)
    score = index.base.copy()  # 0 where the coordinates are known (beyond reach), NaN where not
    inside = np.zeros(len(score), dtype=bool) if answer.dealbreaker else None
    reached = []  # per place: (runs of the index, distances) of the programs within its reach
    for place in answer.places:
        runs = index.reach(place.latitude, place.longitude, 3 * place.radius_km)
        positions, half_lat, half_lon, cos_lat = index.gather(runs)
        # With the halves given, haversine_km reads its first argument for the dtype only.
        d = haversine_km(
            half_lat, None, cos_lat, place.latitude, place.longitude, (half_lat, half_lon)
        )
        # Outside: AT_RADIUS x (1 - (d - r) / 2r); inside: 1 - (1 - AT_RADIUS) x d / r. The two
        # lines meet at d = r and the outside one is the higher below r and the lower above it,
        # so the score is their minimum (no mask), clipped to [0, 1]; computed in place. Beyond
        # reach (three radii) it is 0: fmax(score, 0) keeps the score of the other places.
        r = np.float32(place.radius_km)
        s = np.multiply(d, np.float32(-AT_RADIUS / (2 * place.radius_km)))
        s += np.float32(AT_RADIUS * 1.5)
        near = np.multiply(d, np.float32(-(1 - AT_RADIUS)) / r)
        near += np.float32(1)
        np.minimum(s, near, out=s)
        np.clip(s, 0, 1, out=s)
        if reached:  # the first place's are the only scores there so far (fmax(0, s) is s)
            np.fmax(score[positions], s, out=s)
        score[positions] = s
        if inside is not None:
            inside[positions[d <= place.radius_km]] = True
        reached.append((runs, index.offsets(runs), d))
    unknown = "coordinates"
    # A program whose position is unknown but whose state is known lies in the state's box: when
    # even the box's nearest point is beyond three radii of every place, its score is known to
    # be 0 (a bound, not a position: "in FL: at least 1,500 km from Boston").
    bounded: dict[int, tuple[int, float]] = {}
    boxed = f.derived("boxed", _boxed)
    if len(boxed):
        lower = np.full(len(boxed), np.inf)
        nearest = np.zeros(len(boxed), dtype=np.intp)
        for k, place in enumerate(answer.places):
            d = _box_lower_bound_km(f, boxed, place.latitude, place.longitude)
            far = d / (3 * place.radius_km)
            closer = far < lower
            nearest[closer] = k
            lower = np.where(closer, far, lower)
        out = lower >= 1
        if out.any():
            unknown = None
            score[boxed[out]] = 0
            for position, k, ratio in zip(boxed[out], nearest[out], lower[out], strict=True):
                bounded[int(position)] = (int(k), float(ratio) * 3 * answer.places[k].radius_km)
    fails = None
    if answer.dealbreaker:
        fails = ~inside & ~np.isnan(score)

    places = answer.places

    def distance(k: int, i: int, beyond: bool = True):
        """Program i's float32 distance to place k (the value of the full haversine pass), or
        None beyond its reach unless ``beyond``."""
        (starts, stops), offsets, d = reached[k]
        r = index.sorted_at.item(i)  # i's place in the index's order (-1: unknown)
        if r >= 0:
            run = bisect.bisect_right(starts, r) - 1
            if run >= 0 and r < stops[run]:
                return d[offsets[run] + r - starts[run]]
        if not beyond:
            return None
        # One program, the same float32 operations element by element (same bits).
        return haversine_km(
            f.lat_rad[i : i + 1], f.lon_rad[i : i + 1], f.cos_lat[i : i + 1],
            places[k].latitude, places[k].longitude,
            (index.half_lat_at(i), index.half_lon_at(i)),
        )[0]  # fmt: skip

    def describe(i: int) -> str:
        if i in bounded:
            k, d = bounded[i]
            place = places[k]
            label = place.label or f"({place.latitude:.2f}, {place.longitude:.2f})"
            state = f.region_keys[f.region[i]].split("-")[-1] if f.region[i] >= 0 else "its state"
            return (
                f"In {state}: at least {_km(d)} from {label} (wish: within "
                f"{_km(place.radius_km)}; its own position is unknown)"
            )
        # The best place: max over places of (nearness, -distance), the first on a tie (as
        # max() with that key), in float32 as the scores; one place needs no comparison. A
        # place beyond reach has a negative nearness: when a place within reach has a positive
        # one, the others are not needed (the same best); else every distance is.
        best, found = 0, {}
        if len(places) > 1:
            best_key = None
            for k, place in enumerate(places):
                d = found[k] = distance(k, i, beyond=False)
                if d is None:
                    continue
                key = (_nearness(d, place.radius_km), -d)
                if best_key is None or key > best_key:
                    best, best_key = k, key
            if best_key is None or not best_key[0] > 0:
                best, best_key = 0, None
                for k, place in enumerate(places):
                    d = found[k] = distance(k, i)
                    key = (_nearness(d, place.radius_km), -d)
                    if best_key is None or key > best_key:
                        best, best_key = k, key
        place, d = places[best], found.get(best)
        if d is None:
            d = distance(best, i)
        label = place.label or f"({place.latitude:.2f}, {place.longitude:.2f})"
        wish = "within" if d <= place.radius_km else "wish: within"
        return f"{_km(d)} from {label} ({wish} {_km(place.radius_km)})"

    return Column(
        "location",
        "Location",
        answer.weight,
        answer.dealbreaker,
        score,
        fails,
        describe,
        unknown=unknown,
    )


# The reach of a place is widened by this share and this many km, so that every program left
# out is far enough beyond three radii that its float32 distance (~1 m off) scores exactly 0.
REACH_MARGIN, REACH_MARGIN_KM = 0.01, 1.0
# Height of the latitude rows of _LocationIndex: each row in reach is one slice to join, so
# fewer, taller rows cost less than the wider windows they bring (location column on the
# benchmark, 301 interleaved runs: 1 degree 0.234 ms, 2 degrees 0.211, 3 degrees 0.211).
REACH_ROW_DEGREES = 2.0


class _LocationIndex:
    """The programs with known coordinates, sorted by latitude row, then longitude
    (goal-independent, kept per features as ``derived("location_index")``).

    A place's location score is 0 beyond three radii, and most programs of a catalog are that
    far from a student's places (two places of 300 and 200 km reach ~25,000 of the benchmark's
    100,000 programs): ``reach`` finds, per row, the longitude window that can hold a program
    within that distance, and the location column computes the haversine for those programs
    only. Measured on the benchmark: location column 0.76 -> 0.55 ms. ``cos_lat`` and the halved
    angles of the haversine are the features' float32 values in that order, so each
    distance is the same float32 operations on the same values as over all programs: numpy's
    float32 sin / arcsin give an element the same bits wherever it sits in an array (tested).
    ``base`` is 0 where the coordinates are known, NaN where not; ``sorted_at`` is each
    program's index in the sorted order (-1 where unknown).
    """

    def __init__(self, f: ProgramFeatures):
        known = np.flatnonzero(~np.isnan(f.lat_rad))
        lat = f.lat_rad[known].astype(np.float64)
        lon = f.lon_rad[known].astype(np.float64)
        row = np.floor(np.degrees(lat) / REACH_ROW_DEGREES).astype(np.int64)
        order = np.lexsort((lon, row))
        self.positions = known[order]
        lat, lon, row = lat[order], lon[order], row[order]
        self.cos_lat = f.cos_lat[self.positions]
        self.half_lat = f.lat_rad[self.positions] * np.float32(0.5)
        self.half_lon = f.lon_rad[self.positions] * np.float32(0.5)
        starts = np.flatnonzero(np.r_[True, row[1:] != row[:-1]]) if row.size else row[:0]
        self.south = np.minimum.reduceat(lat, starts) if row.size else lat[:0]
        self.north = np.maximum.reduceat(lat, starts) if row.size else lat[:0]
        # One sorted key over all rows: row ordinal x 8 + longitude + 4, in (0.8, 7.2) (float32
        # radians of -180 degrees are below -pi).
        ordinal = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, row.size]))
        self.key = ordinal * 8.0 + (lon + 4)
        self.row_key = np.arange(starts.size) * 8.0
        # Per row, the smallest cos(latitude) of its programs (at its edge farther from the
        # equator), for the longitude window of reach.
        self.cos_far = np.maximum(np.minimum(np.cos(self.south), np.cos(self.north)), 0)
        self.base = np.where(np.isnan(f.lat_rad), NAN, np.float32(0))
        self.sorted_at = np.full(len(f), -1, dtype=np.intp)
        self.sorted_at[self.positions] = np.arange(self.positions.size)
        self.arrays = (self.positions, self.half_lat, self.half_lon, self.cos_lat)
        self._f = f

    def half_lat_at(self, i: int) -> np.ndarray:
        return self._f.lat_rad[i : i + 1] * np.float32(0.5)

    def half_lon_at(self, i: int) -> np.ndarray:
        return self._f.lon_rad[i : i + 1] * np.float32(0.5)

    def reach(self, lat: float, lon: float, km: float) -> tuple[list[int], list[int]]:
        """The runs of the sorted arrays (``(starts, stops)``, ascending and disjoint) that
        hold every program that can be within ``km`` of (lat, lon) (with REACH_MARGIN): a
        longitude window per latitude row, or the whole index when that is most of it.

        Bounds: a great-circle distance is at least R x the latitude difference (rows too far
        south or north are left out), and haversine's a = sin^2(dphi/2) + cos phi1 cos phi2
        sin^2(dlambda/2) <= sin^2(delta/2) within angle delta needs |sin(dlambda/2)| <=
        sin(delta/2) / sqrt(cos phi1 x the row's smallest cos phi2). A window that crosses
        +-180 degrees takes the whole row.
        """
        size = self.positions.size
        everything = ([0], [size])
        delta = (km * (1 + REACH_MARGIN) + REACH_MARGIN_KM) / EARTH_RADIUS_KM
        if not delta < math.pi / 2 or size == 0:
            return everything
        phi, lam = math.radians(lat), math.radians(lon)
        # The rows ascend in latitude: those within delta of phi are a run of them.
        first = int(self.north.searchsorted(phi - delta))
        rows = slice(first, max(first, int(self.south.searchsorted(phi + delta, side="right"))))
        with np.errstate(divide="ignore"):
            ratio = math.sin(delta / 2) / np.sqrt(self.cos_far[rows] * max(math.cos(phi), 0))
        np.minimum(ratio, 1, out=ratio)
        width = np.arcsin(ratio, out=ratio)
        width *= 2
        width += 1e-6
        # Windows that reach +-180 degrees (or whole rows: ratio 1) take the whole row; the
        # others are clipped to it (no effect: lon + 4 is inside (0.8, 7.2)).
        width[(width >= math.pi) | (width > lam + math.pi) | (width > math.pi - lam)] = 8
        row_key = self.row_key[rows]
        low = row_key + 4 + lam
        high = low + width
        low -= width
        np.maximum(low, row_key, out=low)
        np.minimum(high, row_key + 8, out=high)
        starts = self.key.searchsorted(low).tolist()
        stops = self.key.searchsorted(high).tolist()
        if (sum(stops) - sum(starts)) * 2 > size:  # the slices would cost more than they save
            return everything
        return starts, stops

    def gather(self, runs: tuple[list[int], list[int]]) -> tuple[np.ndarray, ...]:
        """``(positions, half_lat, half_lon, cos_lat)`` of the programs in these runs, in
        order: slices joined, which for a dozen runs costs half a gather by index (measured
        on the benchmark: ~15 against ~35 us for 15,000 programs)."""
        starts, stops = runs
        if len(starts) <= 1:
            window = slice(starts[0], stops[0]) if starts else slice(0, 0)
            return tuple(a[window] for a in self.arrays)
        windows = [slice(a, b) for a, b in zip(starts, stops, strict=True)]
        return tuple(np.concatenate([a[w] for w in windows]) for a in self.arrays)

    @staticmethod
    def offsets(runs: tuple[list[int], list[int]]) -> list[int]:
        """Where each run starts in the arrays ``gather(runs)`` gives: the sorted index ``r``
        of run ``j`` is at ``offsets[j] + r - starts[j]`` there."""
        starts, stops = runs
        offsets, total = [], 0
        for start, stop in zip(starts, stops, strict=True):
            offsets.append(total)
            total += stop - start
        return offsets


def _boxed(f: ProgramFeatures) -> np.ndarray:
    """Positions of the programs whose state box is known (kept only where the program's own
    position is unknown, so their location score is NaN). Goal-independent, kept."""
    return np.flatnonzero(~np.isnan(f.box_south))


# A lat/lon box's nearest point is taken by clamping the place into the box, which on a sphere
# can overstate the true nearest distance a little (the box's edges are not great circles): the
# bound is shrunk by this factor to stay below it.
BOX_MARGIN = 0.85


def _box_lower_bound_km(f: ProgramFeatures, positions: np.ndarray, lat: float, lon: float):
    """A lower bound of the distance from (lat, lon) to any point of each program's state box."""
    south, north = f.box_south[positions], f.box_north[positions]
    west, east = f.box_west[positions], f.box_east[positions]
    near_lat = np.radians(np.clip(lat, south, north).astype(np.float64))
    near_lon = np.radians(np.clip(lon, west, east).astype(np.float64))
    lat0, lon0 = math.radians(lat), math.radians(lon)
    h = (
        np.sin((near_lat - lat0) / 2) ** 2
        + math.cos(lat0) * np.cos(near_lat) * np.sin((near_lon - lon0) / 2) ** 2
    )
    return BOX_MARGIN * 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _membership(
    f: ProgramFeatures,
    key: str,
    label: str,
    codes: np.ndarray,
    vocabulary: tuple,
    wanted: tuple,
    answer,
    noun: str,
    unknown: str,
) -> Column:
    wanted_set = set(wanted)
    table, lookup_codes = _lookup(f, unknown, [1.0 if k in wanted_set else 0.0 for k in vocabulary])

    def describe(i: int) -> str:
        code = codes.item(i)
        value = vocabulary[code]
        if table[code + 1] >= 1:
            return f"{noun} {value} (one of yours)"
        return f"{noun} {value}, not one of yours ({', '.join(wanted)})"

    return Column(
        key,
        label,
        answer.weight,
        answer.dealbreaker,
        None,
        None,
        _once_per_code(codes, describe),
        unknown=unknown,
        table=table,
        fails_table=_lookup_fails(answer.dealbreaker, table),
        codes=lookup_codes,
    )


def _nearness(d: float, radius: float) -> float:
    """One program's location score for one place, before the clip to [0, 1] (so that of two
    places both beyond three radii the relatively nearer one is named)."""
    if d <= radius:
        return 1 - (1 - AT_RADIUS) * d / radius
    return AT_RADIUS * (1 - (d - radius) / (2 * radius))


def regions_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    a = goals.regions
    if a is None:
        return None
    return _membership(f, "regions", "Region", f.region, f.region_keys, a.codes, a, "In", "region")


def countries_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    a = goals.countries
    if a is None:
        return None
    return _membership(
        f, "countries", "Country", f.country, f.country_keys, a.codes, a, "In", "country"
    )


def languages_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    a = goals.languages
    if a is None:
        return None
    return _membership(
        f,
        "languages",
        "Language",
        f.language,
        f.language_keys,
        a.codes,
        a,
        "Working language",
        "language",
    )


def international_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.international
    if answer is None or answer.openness == "open":
        return None
    home = answer.home_country
    at_home = 1.0 if answer.openness == "home" else 0.0
    table, codes = _lookup(
        f, "country", [at_home if k == home else 1 - at_home for k in f.country_keys]
    )

    def describe(i: int) -> str:
        country = f.country_keys[f.country.item(i)]
        where = f"In your home country ({home})" if country == home else f"Abroad ({country})"
        wish = "stay home" if answer.openness == "home" else "go abroad"
        return f"{where}; you want to {wish}"

    return Column(
        "international",
        "Country",
        answer.weight,
        answer.dealbreaker,
        None,
        None,
        _once_per_code(f.country, describe),
        unknown="country",
        table=table,
        fails_table=_lookup_fails(answer.dealbreaker, table),
        codes=codes,
    )


def length_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.length
    if answer is None:
        return None
    low = answer.min_months if answer.min_months is not None else 0.0
    high = answer.max_months if answer.max_months is not None else np.inf
    months = f.length_months

    def gap_of(months: np.ndarray) -> np.ndarray:
        # max(x, 0) as a clip to [0, inf] in place (NaN stays NaN: the same values, in the
        # dtype of x; numpy's maximum against a scalar is not vectorised).
        below, above = low - months, months - high
        return np.clip(below, 0, np.inf, out=below) + np.clip(above, 0, np.inf, out=above)

    def score_of(months: np.ndarray) -> np.ndarray:
        return np.clip(1 - gap_of(months) / 12, 0, 1).astype(np.float32, copy=False)

    # Scored on the distinct lengths (a few dozen) and gathered.
    table, codes, values = _value_lookup(f, "length_months", score_of)
    wish = (
        f"{low:g} to {high:g} months"
        if answer.min_months is not None and answer.max_months is not None
        else (
            f"at least {low:g} months" if answer.max_months is None else f"at most {high:g} months"
        )
    )

    def describe(i: int) -> str:
        rule = f", the {f.length_rule[i]}" if f.length_rule[i] else ""
        return f"{months.item(i):g} months{rule} (wish: {wish})"

    return Column(
        "length",
        "Program length",
        answer.weight,
        answer.dealbreaker,
        None,
        None,
        describe,
        unknown="length_months",
        table=table,
        codes=codes,
        fails_table=_value_fails(answer.dealbreaker, lambda v: gap_of(v) > 0, values),
    )


def hours_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.hours
    if answer is None:
        return None
    hours = f.weekly_hours
    cap = answer.max_weekly_hours

    def pace_of(hours: np.ndarray) -> np.ndarray:
        # NaN hours propagate: unknown hours give an unknown score.
        if answer.pace == "demanding":
            return np.clip((hours - 40) / 40, 0, 1)
        if answer.pace == "steady":
            return np.clip((80 - hours) / 40, 0, 1)
        return hours * 0 + 1

    def score_of(hours: np.ndarray) -> np.ndarray:
        pace_score = pace_of(hours)
        if cap is None:
            return pace_score
        return pace_score * np.clip(1 - (hours - cap) / 20, 0, 1)

    # Scored on the distinct weekly hours (a few dozen) and gathered.
    table, codes, values = _value_lookup(f, "weekly_hours", score_of)
    fails_table = None
    if answer.dealbreaker:
        fail = (lambda v: v > cap) if cap is not None else (lambda v: pace_of(v) == 0)
        fails_table = _value_fails(True, fail, values)
    wish = []
    if answer.pace != "either":
        wish.append(f"{answer.pace} pace")
    if cap is not None:
        wish.append(f"at most {cap:g}")

    def describe(i: int) -> str:
        return f"Weekly hours {hours.item(i):g} (wish: {', '.join(wish)})"

    return Column(
        "hours",
        "Weekly hours",
        answer.weight,
        answer.dealbreaker,
        None,
        None,
        describe,
        unknown="weekly_hours",
        table=table,
        codes=codes,
        fails_table=fails_table,
    )


def stipend_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.stipend
    if answer is None:
        return None
    minimum = answer.min_amount

    def score_of(stipend: np.ndarray) -> np.ndarray:
        return np.clip(stipend / np.float32(minimum), 0, 1)

    # Scored on the distinct stipends (published for a few percent of programs) and gathered.
    table, codes, values = _value_lookup(f, "stipend", score_of)

    def describe(i: int) -> str:
        return f"Stipend {_amount(f.stipend.item(i))} (wish: at least {_amount(minimum)})"

    return Column(
        "stipend",
        "Stipend",
        answer.weight,
        answer.dealbreaker,
        None,
        None,
        describe,
        unknown="stipend",
        table=table,
        codes=codes,
        fails_table=_value_fails(answer.dealbreaker, lambda v: v < minimum, values),
    )


def cost_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.cost
    if answer is None:
        return None
    budget = answer.max_amount
    # With a budget of 0: free 1, any cost 0, unknown NaN.
    # A budget too small for float32 (e.g. 1e-171) is 0 there: score it as 0, not as cost / 0.
    budget32 = np.float32(budget)
    score = np.clip(2 - f.cost / budget32, 0, 1) if budget32 > 0 else 1 - np.sign(f.cost)
    score = score.astype(np.float32)

    def describe(i: int) -> str:
        return f"Cost {_amount(f.cost[i])} (budget: at most {_amount(budget)})"

    return Column(
        "cost",
        "Cost",
        answer.weight,
        answer.dealbreaker,
        score,
        _fails(answer.dealbreaker, score, f.cost > budget),
        describe,
        unknown="cost",
    )


def visa_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.visa
    if answer is None:
        return None
    mask = VISA_MASKS[answer.needed]
    needed = VISA_LABELS[answer.needed]
    values = [1.0 if code & mask else 0.0 for code in range(4)]
    if mask & VISA_MASKS["h1b"]:
        # H-1B filings by the employer: evidence for an H-1B need; for J-1 they say nothing.
        table = np.array([np.nan, *values, 1.0], dtype=np.float32)
        codes = f.lookup_codes("visa_evidence")
        unknown = "visa_evidence"
    else:
        table, codes = _lookup(f, "visa", values)
        unknown = "visa"

    def describe(i: int) -> str:
        code = f.visa.item(i)
        if code < 0 and f.h1b_filings[i] > 0:
            filings = int(f.h1b_filings[i])
            return (
                f"Its employer filed {filings} H-1B application{'s' if filings != 1 else ''} "
                f"for residents or fellows ({f.h1b_label[i] or 'DOL LCA data'}; employer level, "
                f"not the program's own answer) (you need {needed})"
            )
        if code & mask:
            offered = [label for bit, label in ((1, "J-1"), (2, "H-1B")) if code & bit]
            return f"Sponsors {' and '.join(offered)} (you need {needed})"
        return f"No {needed} sponsorship"

    return Column(
        "visa",
        "Visa sponsorship",
        answer.weight,
        answer.dealbreaker,
        None,
        None,
        describe,
        unknown=unknown,
        table=table,
        fails_table=_lookup_fails(answer.dealbreaker, table),
        codes=codes,
    )


def tracks_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.tracks
    if answer is None:
        return None
    wished = set(answer.codes)
    values = [1.0 if track in wished else 0.0 for track in TRACKS] + [0.0]
    table, codes = _lookup(f, "track", values)
    wish = " or ".join(answer.codes)

    def describe(i: int) -> str:
        code = f.track.item(i)
        if code == NO_TRACK:
            return f"Not a residency track (wish: {wish})"
        return f"{TRACKS[code].capitalize()} track (wish: {wish})"

    return Column(
        "tracks",
        "Residency track type",
        answer.weight,
        answer.dealbreaker,
        None,
        None,
        _once_per_code(f.track, describe),
        unknown="track",
        table=table,
        fails_table=_lookup_fails(answer.dealbreaker, table),
        codes=codes,
    )


def area_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.area
    if answer is None:
        return None
    table, codes = _lookup(f, "area", list(AREA_SCORES[answer.value]))
    wish = AREA_WISHES[answer.value]

    def describe(i: int) -> str:
        label = AREA_LABELS[AREA_CLASSES[f.area.item(i)]]
        place = f.place_label[i]
        where = f", {place}" if place else ""
        return f"{label} (RUCA {f.ruca.item(i):.0f}{where}; USDA 2020) (you want {wish})"

    return Column(
        "area",
        "City, town or rural",
        answer.weight,
        answer.dealbreaker,
        None,
        None,
        describe,
        unknown="area",
        table=table,
        fails_table=_lookup_fails(answer.dealbreaker, table),
        codes=codes,
    )


def rent_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.rent
    if answer is None:
        return None
    budget = np.float32(answer.max_monthly)

    def score_of(rent: np.ndarray) -> np.ndarray:
        ratio = rent / budget
        score = np.where(ratio <= 1, 1 - 0.2 * ratio, 0.8 * np.clip(2 - ratio, 0, 1))
        return score.astype(np.float32, copy=False)

    # Scored on the distinct rents (Fair Market Rents are per county: a few thousand) and
    # gathered.
    table, codes, _ = _value_lookup(f, "rent", score_of)

    wish = f"(you can pay ${answer.max_monthly:,.0f})"

    def describe(i: int) -> str:
        label = f.rent_label[i]
        where = f" ({label})" if label else ""
        share = ""
        if f.stipend.item(i) > 0:
            share = f", {float(100 * 12 * f.rent[i] / f.stipend[i]):.0f}% of the stipend"
        return (
            f"Rent near the program ${f.rent.item(i):,.0f} a month for one bedroom{where}{share} "
            f"{wish}"
        )

    return Column(
        "rent",
        "Rent near the program",
        answer.weight,
        answer.dealbreaker,
        None,
        f.rent > budget if answer.dealbreaker else None,  # NaN > budget is False
        describe,
        unknown="rent",
        table=table,
        codes=codes,
    )


def teaching_intensity(f: ProgramFeatures) -> np.ndarray:
    """Every program's teaching score for a student who wants high intensity (NaN unknown).

    Goal-independent: computed once per features and kept (read-only)."""
    return f.derived("teaching_high", _teaching_high)


def _teaching_high(f: ProgramFeatures) -> np.ndarray:
    base = np.clip(f.residents_per_bed / np.float32(FULL_INTENSITY), 0, 1)
    growth = np.clip(0.5 + f.fte_growth / np.float32(0.4), 0, 1)
    blended = np.float32(0.8) * base + np.float32(0.2) * growth
    return np.where(np.isnan(growth), base, blended).astype(np.float32, copy=False)


def _teaching_low(f: ProgramFeatures) -> np.ndarray:
    """Every program's teaching score for a student who wants a small teaching presence."""
    intensity = np.clip(f.residents_per_bed / np.float32(FULL_INTENSITY), 0, 1)
    return (1 - intensity).astype(np.float32, copy=False)


def teaching_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.teaching
    if answer is None:
        return None
    score = (
        teaching_intensity(f)
        if answer.value == "high"
        else f.derived("teaching_low", _teaching_low)
    )
    wish = "a high teaching intensity" if answer.value == "high" else "a small teaching presence"

    def describe(i: int) -> str:
        # .item(): Python floats format as the float32 scalars do, at a fraction of the cost.
        parts = [f"{f.residents_per_bed.item(i):.2f} residents per bed"]
        if not math.isnan(f.fte_growth.item(i)):
            first, last = f.fte_first.item(i), f.fte_last.item(i)
            parts.append(f"resident FTE {first:,.0f} \u2192 {last:,.0f}")
        label = f.teaching_label[i]
        where = f" ({label}; CMS cost reports)" if label else ""
        return f"{'; '.join(parts)}{where} (you want {wish})"

    return Column(
        "teaching",
        "Teaching intensity",
        answer.weight,
        answer.dealbreaker,
        score,
        _fails(answer.dealbreaker, score),
        describe,
        unknown="teaching_intensity",
    )


def trauma_column(f: ProgramFeatures, goals: Goals) -> Column | None:
    answer = goals.trauma
    if answer is None:
        return None
    wanted = answer.level
    values = [max(0.0, 1 - TRAUMA_STEP * max(0, level - wanted)) for level in range(6)]
    table, codes = _lookup(f, "trauma", values)

    def describe(i: int) -> str:
        return (
            f"Level {ROMAN[f.trauma.item(i)]} trauma centre (HIFLD) "
            f"(you want Level {ROMAN[wanted]} or higher)"
        )

    return Column(
        "trauma",
        "Trauma centre",
        answer.weight,
        answer.dealbreaker,
        None,
        None,
        _once_per_code(f.trauma, describe),
        unknown="trauma",
        table=table,
        codes=codes,
        # Known to fail: a level below the wished one (codes are level + 1).
        fails_table=(np.arange(len(table)) > wanted + 1) if answer.dealbreaker else None,
    )


COLUMNS = (
    specialty_column,
    department_column,
    exposure_column,
    residency_column,
    objective_column,
    setting_column,
    location_column,
    regions_column,
    countries_column,
    international_column,
    length_column,
    hours_column,
    stipend_column,
    cost_column,
    languages_column,
    visa_column,
    tracks_column,
    area_column,
    rent_column,
    teaching_column,
    trauma_column,
)


def build_columns(f: ProgramFeatures, goals: Goals) -> tuple[Column, ...]:
    """Every active criterion's column for these goals, in a fixed order (COLUMNS).

    Takes the features and goals; returns new columns (inputs untouched). A column with weight 0
    that is not a deal-breaker is dropped: it can neither score nor filter.
    """
    out = []
    for make in COLUMNS:
        column = make(f, goals)
        if column is not None and (column.weight > 0 or column.dealbreaker):
            out.append(column)
    return tuple(out)
