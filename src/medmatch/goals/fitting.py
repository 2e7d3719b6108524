"""The one place that turns the catalog into fit-engine rows, and a student's goals into a ranking.

Other apps call only the public functions here:

* ``catalog_features()`` — the catalog as ``medmatch.fit.ProgramFeatures``, built once per process
  and catalog version (a few aggregate queries decide whether the cached copy is still current).
* ``rank_for_user(user, overrides=None)`` — the student's ranking, or None without goals.
* ``explain_for_user(user, program_ids)`` — ``{program id: Explanation}`` for those programs.
* ``rank_goals(goals_dict)`` — the same engine for a goals file (``medmatch recommend``).
* ``student_facts(user)`` / ``apply_student_facts(features, facts)`` — the one place a student's
  own information enters the fit (from the providers other apps register with
  ``register_student_facts``; research gives the answered open questions): it fills
  facts the catalog leaves unknown, for that student only, on a copy of the few columns it
  touches; the cached catalog features are never rebuilt or changed. ``rank_for_user`` and
  ``explain_for_user`` apply it, and their sentences say "(your own information)".

How a program becomes a row (docs/fit.md, "the adapter should"):

* specialty: the *canonical* key — follow ``Specialty.equivalent`` so a CaRMS discipline and its
  ACGME specialty share one key (``specialty_key``);
* coordinates: the program's own, else its institution's, else the linked CMS hospital's;
  country and region the same way;
* setting facts (kind, teaching flag, resident FTE, trauma level): the institution's, else the
  linked hospital's;
* mentorship / research: True when described, else None (empty text is *unknown*, not "no");
* departments: the institution's (else the hospital's) Department rows, strength 1.0 with
  strength notes, 0.7 listed only; None when none are recorded;
* amounts: converted to US dollars (``USD_PER``); an amount in an unknown currency is unknown;
* place and hospital facts (issue 11), per institution: the RUCA code and the one-bedroom rent
  of its ZIP (else its linked hospital's), its CMS hospital's residents per bed and resident FTE
  trend, its H-1B filings (0 = looked, none found); each with the label its sentence names;
* a program with no position but a known US state carries its state's box (``region_box``), so
  that a program known to be far away is not scored as if its distance were unknown;
* length: the program's own, else the ACGME requirement for its specialty and track (marked
  ``length_rule``, so the sentence says it is a rule).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Max

from medmatch.catalog.hospital_data import h1b_for_institutions, teaching_for_institutions
from medmatch.catalog.models import (
    Department,
    Institution,
    Program,
    Source,
    Specialty,
    TrainingLengthRule,
)
from medmatch.catalog.places import institution_places, site_towns
from medmatch.fit import Explanation, Goals, ProgramFeatures, Ranking, build_features, rank
from medmatch.fit.features import EMPHASES, VISA_CODES
from medmatch.lib.geo import state_bounds

# Goals amounts are in US dollars. Rough yearly-average rates; only used to compare a stipend or
# a fee with the student's figure, never shown as a converted amount.
USD_PER = {"USD": 1.0, "CAD": 0.73, "EUR": 1.08, "GBP": 1.27, "AUD": 0.66}
LISTED_DEPARTMENT = 0.7
DESCRIBED_DEPARTMENT = 1.0
LANGUAGE_NAMES = {
    "english": "en",
    "french": "fr",
    "français": "fr",
    "spanish": "es",
    "german": "de",
    "portuguese": "pt",
    "italian": "it",
    "arabic": "ar",
    "chinese": "zh",
    "japanese": "ja",
}
_SPLIT = re.compile(r"[,;\n/]+")


@dataclass(frozen=True)
class CatalogFeatures:
    """The features with the version they were built for and how long building took."""

    version: tuple
    features: ProgramFeatures
    seconds: float


CHANGES_RECHECK_SECONDS = 30.0
_lock = threading.Lock()
_cached: list[CatalogFeatures] = []
_changes_seen: list = [None, None]  # [monotonic time of the check, last updated_at values]


def specialty_key(specialty_id: int, specialties: Mapping[int, dict]) -> str:
    """Canonical key of a specialty: follow ``equivalent`` to the end, then the ACGME code (as in
    the goals JSON, e.g. "040"), or "<system>-<code>" for one with no ACGME equivalent."""
    seen = set()
    row = specialties[specialty_id]
    while row["equivalent_id"] and row["equivalent_id"] in specialties and row["id"] not in seen:
        seen.add(row["id"])
        row = specialties[row["equivalent_id"]]
    if row["system"] == Specialty.System.ACGME:
        return row["code"]
    return f"{row['system']}-{row['code']}"


def specialty_key_choices() -> list[tuple[str, str]]:
    """(canonical key, name) of every specialty a program in the catalog has, by name: the keys the
    fit and the goals JSON use (catalog.search.specialty_slug_choices gives URL slugs)."""
    features = catalog_features()
    pairs = {
        key: name
        for key, name in zip(features.specialty_keys, features.specialty_names, strict=True)
        if name
    }
    return sorted(pairs.items(), key=lambda pair: pair[1].casefold())


def catalog_version() -> tuple:
    """What the cached features depend on: sizes and last changes of the catalog tables.

    Row counts and highest ids (index-only, well under a millisecond) are read on every call.
    The last ``updated_at`` needs a scan of every program and institution (~5-15 ms on the full
    catalog, too much for each page view), so it is re-read at most every
    ``CHANGES_RECHECK_SECONDS``, or at once when this process saved a catalog row (signals,
    see ``apps.py``); an edit made in another process shows within that many seconds.
    """
    now = time.monotonic()
    if _changes_seen[0] is None or now - _changes_seen[0] > CHANGES_RECHECK_SECONDS:
        last_program = Program.objects.aggregate(last=Max("updated_at"))["last"]
        last_institution = Institution.objects.aggregate(last=Max("updated_at"))["last"]
        # Place, cost-report, H-1B and rule tables change only by an import, which stamps its
        # Source row.
        last_import = Source.objects.aggregate(last=Max("imported_at"))["last"]
        _changes_seen[:] = [now, (last_program, last_institution, last_import)]
    return (_table_sizes(), _changes_seen[1])


def _table_sizes() -> tuple:
    # One round trip of COUNT(*) and MAX(id) per table: both are answered from an index or
    # the table's b-tree without reading rows (Count("id") through the ORM is 30x slower on
    # SQLite, as it is not recognised as COUNT(*)).
    parts = []
    for model in (Program, Institution, Specialty, Department):
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table}), (SELECT MAX(id) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return tuple(cursor.fetchone())


def catalog_changed(**kwargs) -> None:
    """Signal receiver: a catalog row was saved or deleted in this process; re-check now."""
    _changes_seen[0] = None


def catalog_features() -> ProgramFeatures:
    """The catalog's program features, rebuilt only when the catalog version changed."""
    return catalog_features_with_timing().features


def catalog_features_with_timing() -> CatalogFeatures:
    version = catalog_version()
    if _cached and _cached[0].version == version:
        return _cached[0]
    with _lock:
        if _cached and _cached[0].version == version:
            return _cached[0]
        started = time.perf_counter()
        rows, names = catalog_rows()
        features = build_features(rows, names)
        built = CatalogFeatures(version, features, time.perf_counter() - started)
        _cached[:] = [built]
        return built


def clear_cache() -> None:
    _cached.clear()
    _changes_seen[:] = [None, None]


def catalog_rows() -> tuple[list[dict], dict[str, str]]:
    """Plain fit rows for every program, and {specialty key: name}. Four queries, no N+1."""
    specialties = {
        row["id"]: row
        for row in Specialty.objects.values("id", "system", "code", "name", "equivalent_id")
    }
    key_of = {pk: specialty_key(pk, specialties) for pk in specialties}
    names: dict[str, str] = {}
    for pk, key in key_of.items():
        # The canonical specialty's own name, so "Cardiology" reads the same in every system.
        if specialties[pk]["system"] == Specialty.System.ACGME or key not in names:
            names.setdefault(key, specialties[pk]["name"])
    name_lookup = _specialty_name_lookup(specialties, key_of)

    institutions = {
        row["id"]: row
        for row in Institution.objects.values(
            "id",
            "kind",
            "is_teaching",
            "resident_fte",
            "latitude",
            "longitude",
            "country",
            "region",
            "hospital_id",
            "trauma_level",
        )
    }
    departments: dict[int, dict[str, float]] = {}
    for row in Department.objects.values("institution_id", "specialty_id", "strength_notes"):
        strength = DESCRIBED_DEPARTMENT if row["strength_notes"].strip() else LISTED_DEPARTMENT
        found = departments.setdefault(row["institution_id"], {})
        if row["specialty_id"] in key_of:
            key = key_of[row["specialty_id"]]
            found[key] = max(found.get(key, 0.0), strength)

    place_and_hospital, sponsor_cities = _place_and_hospital_facts()
    lengths = _length_rules()
    rows, towns = [], []
    for program in Program.objects.order_by("id").values(
        "id",
        "specialty_id",
        "program_type",
        "track_type",
        "institution_id",
        "latitude",
        "longitude",
        "country",
        "region",
        "length_months",
        "weekly_hours",
        "stipend_amount",
        "cost_amount",
        "currency",
        "language",
        "visa_sponsorship",
        "emphasis",
        "mentorship",
        "research_opportunities",
        "residency_affiliations",
        "nrmp_code",
        "city",
    ):
        institution = institutions[program["institution_id"]]
        if program["nrmp_code"] and program["city"]:
            towns.append(
                (
                    program["id"],
                    program["city"],
                    program["region"] or institution["region"],
                    program["country"] or institution["country"],
                    sponsor_cities.get(institution["id"], set()),
                )
            )
        hospital = institutions.get(institution["hospital_id"]) or {}
        row = _row(program, institution, hospital, key_of, departments, name_lookup)
        row.update(place_and_hospital.get(institution["id"], ()))
        if row["latitude"] is None and row["country"] == "US" and row["region"]:
            # Position unknown, state known: the engine may bound the distance by the state.
            row["region_box"] = state_bounds().get(str(row["region"]).upper())
        if row["length_months"] is None and program["program_type"] == "residency":
            specialty = specialties.get(program["specialty_id"])
            if specialty and specialty["system"] in (
                Specialty.System.ACGME,
                Specialty.System.CARMS,
            ):
                # A CaRMS stream has no track: its discipline's rule has none either.
                track = program["track_type"] if specialty["system"] == "acgme" else ""
                rule = lengths.get((specialty["system"], specialty["code"], track))
                if rule:
                    row["length_months"] = rule[0]
                    row["length_rule"] = f"{rule[1]} requirement"
        rows.append(row)
    _use_site_towns(rows, towns)
    return rows, names


def _use_site_towns(rows: list[dict], towns: list) -> None:
    """A track that trains in a town other than its sponsor's ("Family Medicine/Kalispell") takes
    that town's setting and rent, as its program page does (``catalog.places.site_towns``);
    where the town's are unknown, so are the program's."""
    by_id = {row["id"]: row for row in rows}
    for program_id, place in site_towns(towns).items():
        row = by_id[program_id]
        for key in ("ruca", "place_label", "rent", "rent_label"):
            row.pop(key, None)
        row.update(_place_keys(place))


def _place_keys(place) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    if place.setting is not None and 1 <= place.setting.ruca_primary <= 10:
        keys["ruca"] = place.setting.ruca_primary
        keys["place_label"] = f"ZIP {place.zip}" if place.zip else place.city
    if place.rent is not None and place.rent.one_bedroom is not None:
        keys["rent"] = place.rent.one_bedroom
        keys["rent_label"] = (
            f"{place.rent.area_label}, {place.rent.level} level; HUD {place.rent.fiscal_year}"
        )
    return keys


def _place_and_hospital_facts() -> tuple[dict[int, dict[str, Any]], dict[int, set[str]]]:
    """{institution id: fit keys} of the place and hospital facts (issue 11): RUCA class and rent
    near it (``catalog.places``), teaching intensity and H-1B filings (``catalog.hospital_data``),
    for every institution that has programs, in a fixed number of queries."""
    institutions = list(
        Institution.objects.filter(programs__isnull=False).distinct().select_related("hospital")
    )
    places = institution_places(institutions)
    teaching = teaching_for_institutions(institutions)
    h1b = h1b_for_institutions(institutions)
    out: dict[int, dict[str, Any]] = {}
    sponsor_cities: dict[int, set[str]] = {}
    for institution in institutions:
        place = places.get(institution.pk)
        keys: dict[str, Any] = _place_keys(place) if place is not None else {}
        sponsor_cities[institution.pk] = {
            name for name in (institution.city, place.city if place else "") if name
        }
        trend = teaching.get(institution.pk)
        if trend is not None and trend.residents_per_bed is not None:
            keys["residents_per_bed"] = trend.residents_per_bed
            keys["teaching_label"] = f"{trend.hospital_name}, {trend.first_year}-{trend.last_year}"
            if (
                trend.fte_first
                and trend.fte_last is not None
                and trend.last_year > trend.first_year
            ):
                keys["fte_first"], keys["fte_last"] = trend.fte_first, trend.fte_last
        evidence = h1b.get(institution.pk)
        if evidence is not None:
            keys["h1b_filings"] = evidence.filings
            who = ", ".join(evidence.employers[:2]) or evidence.checked
            keys["h1b_label"] = f"{who}, {evidence.quarter}"
        if keys:
            out[institution.pk] = keys
    return out, sponsor_cities


def _length_rules() -> dict[tuple[str, str, str], tuple[int, str]]:
    """{(system, specialty code, track type): (months, body)} of the training-length rules (the
    ACGME's by specialty and track; the Royal College's and the CFPC's by CaRMS discipline)."""
    return {
        (rule.system, rule.specialty_code, rule.track_type): (rule.months, rule.body)
        for rule in TrainingLengthRule.objects.all()
    }


def _first(*values: Any) -> Any:
    for value in values:
        if value is not None and value != "":
            return value
    return None


def _row(program, institution, hospital, key_of, departments, name_lookup) -> dict:
    if program["latitude"] is not None and program["longitude"] is not None:
        latitude, longitude = program["latitude"], program["longitude"]
    elif institution["latitude"] is not None and institution["longitude"] is not None:
        latitude, longitude = institution["latitude"], institution["longitude"]
    else:
        latitude, longitude = hospital.get("latitude"), hospital.get("longitude")
    country = _first(program["country"], institution["country"], hospital.get("country"))
    region = _first(program["region"], institution["region"], hospital.get("region"))
    if country and region and not re.fullmatch(r"[A-Za-z0-9]{1,3}", str(region)):
        region = None  # a full province name from a world source is not an ISO 3166-2 code
    institution_departments = departments.get(institution["id"])
    if institution_departments is None and hospital:
        institution_departments = departments.get(hospital["id"])
    return {
        "id": program["id"],
        "specialty": key_of.get(program["specialty_id"]),
        "program_type": program["program_type"] or None,
        "track_type": program["track_type"],
        "institution_id": institution["id"],
        "institution_kind": _first(institution["kind"], hospital.get("kind")),
        "is_teaching": _first(institution["is_teaching"], hospital.get("is_teaching")),
        "resident_fte": _first(institution["resident_fte"], hospital.get("resident_fte")),
        "latitude": latitude,
        "longitude": longitude,
        "country": country.upper() if isinstance(country, str) else None,
        "region": region,
        "length_months": program["length_months"],
        "weekly_hours": program["weekly_hours"],
        "stipend": usd(program["stipend_amount"], program["currency"]),
        "cost": usd(program["cost_amount"], program["currency"]),
        "language": _language(program["language"]),
        "visa_sponsorship": program["visa_sponsorship"] or None,
        "emphasis": program["emphasis"] or None,
        "has_mentorship": True if program["mentorship"].strip() else None,
        "has_research": True if program["research_opportunities"].strip() else None,
        "residency_affiliations": _affiliations(program["residency_affiliations"], name_lookup),
        "departments": institution_departments,
        "trauma_level": _first(institution["trauma_level"], hospital.get("trauma_level")),
    }


def usd(amount, currency: str) -> float | None:
    """The amount in US dollars (``USD_PER``); None when unknown or in an unknown currency."""
    if amount is None:
        return None
    rate = USD_PER.get((currency or "USD").upper())
    return None if rate is None else float(amount) * rate


def _language(text: str) -> str | None:
    text = (text or "").strip().casefold()
    if not text:
        return None
    if re.fullmatch(r"[a-z]{2,3}", text):
        return text
    return LANGUAGE_NAMES.get(_SPLIT.split(text)[0].strip())


def _specialty_name_lookup(specialties, key_of) -> dict[str, str]:
    lookup = {}
    for pk, row in specialties.items():
        lookup[row["name"].casefold()] = key_of[pk]
        lookup[row["code"].casefold()] = key_of[pk]
    return lookup


def _affiliations(text: str, name_lookup: Mapping[str, str]) -> list[str] | None:
    """Specialty keys named in the free text (one per comma, semicolon or line); None if empty."""
    text = (text or "").strip()
    if not text:
        return None
    keys = []
    for part in _SPLIT.split(text):
        key = name_lookup.get(part.strip().casefold())
        if key is not None and key not in keys:
            keys.append(key)
    return keys


# --- goals to rankings ---------------------------------------------------------------------------


def merge_overrides(data: Mapping, overrides: Mapping | None) -> dict:
    """The goals JSON with ``overrides`` applied: ``{question: {field: value}}`` replaces those
    fields of that question (e.g. ``{"location": {"weight": 5}}``); ``{question: None}`` drops
    the question. Returns a new dict; neither input is changed."""
    merged = {
        key: (dict(value) if isinstance(value, Mapping) else value) for key, value in data.items()
    }
    for question, change in (overrides or {}).items():
        if change is None:
            merged.pop(question, None)
        elif isinstance(merged.get(question), dict):
            merged[question] = {**merged[question], **change}
    return merged


def rank_goals(
    data: Mapping, overrides: Mapping | None = None, facts: Mapping | None = None
) -> Ranking:
    """Rank the whole catalog against a goals JSON (raises GoalsError on bad goals).

    ``facts`` (see ``student_facts``) fill unknown catalog facts with the student's own.
    """
    goals = Goals.from_dict(merge_overrides(data, overrides))
    features = catalog_features()
    if not facts:
        return rank(goals, features)
    features, own = apply_student_facts(features, facts)
    ranking = rank(goals, features)
    kept = {f.name: getattr(ranking, f.name) for f in fields(Ranking) if f.name != "_cache"}
    return StudentRanking(**kept, own_criteria=own)


def rank_for_user(user, overrides: Mapping | None = None) -> Ranking | None:
    """The student's ranking of the whole catalog, or None when they have no saved goals.

    ``overrides`` (see ``merge_overrides``) re-weight without saving: the page's "what if".
    """
    from medmatch.goals.models import GoalProfile

    if user is None or not user.is_authenticated:
        return None
    profile = GoalProfile.objects.filter(student=user).first()
    if profile is None or not profile.has_answers:
        return None
    return rank_goals(profile.data, overrides, student_facts(user))


def explain_for_user(user, program_ids: Iterable) -> dict[Any, Explanation]:
    """``{program id: Explanation}`` for the given programs against the student's goals.

    Programs not in the catalog are left out; without goals the dict is empty.
    """
    ranking = rank_for_user(user)
    if ranking is None:
        return {}
    return ranking.explain_many(program_ids)


# --- the student's own information -------------------------------------------------------------

OWN_INFORMATION = "your own information"
# Open-question fact key -> (fit row key, the criteria whose sentence reads that fact).
STUDENT_FACT_ROWS = {
    "weekly_hours": ("weekly_hours", ("hours",)),
    "length_months": ("length_months", ("length",)),
    "stipend": ("stipend", ("stipend",)),
    "cost": ("cost", ("cost",)),
    "visa": ("visa_sponsorship", ("visa",)),
    "mentorship": ("has_mentorship", ("objective",)),
    "research": ("has_research", ("objective",)),
    "emphasis": ("emphasis", ("objective",)),
}


# Extension point: apps that hold facts a student found out themselves (research: answered open
# questions) register a provider in their AppConfig.ready(); goals never imports them. A provider
# is called as ``provider(user)`` for a logged-in user and returns ``{program id: {fit row key:
# value}}`` with the row keys of ``STUDENT_FACT_ROWS`` and amounts in US dollars (``usd``).
StudentFactsProvider = Callable[[Any], Mapping[int, Mapping[str, Any]]]

_student_fact_providers: list[StudentFactsProvider] = []


def register_student_facts(provider: StudentFactsProvider) -> None:
    """Add a provider of a student's own facts (called from an ``AppConfig.ready``)."""
    if provider not in _student_fact_providers:
        _student_fact_providers.append(provider)


def student_facts(user) -> dict[int, dict[str, Any]]:
    """``{program id: {fit row key: value}}``: the student's own facts from every provider.

    Empty for an anonymous user or none. Later providers win for the same program and key.
    """
    if user is None or not user.is_authenticated:
        return {}
    facts: dict[int, dict[str, Any]] = {}
    for provider in _student_fact_providers:
        for program_id, values in provider(user).items():
            facts.setdefault(program_id, {}).update(values)
    return facts


def apply_student_facts(
    features: ProgramFeatures, facts: Mapping[Any, Mapping[str, Any]]
) -> tuple[ProgramFeatures, dict[int, frozenset[str]]]:
    """The features with a student's own facts filled in, and which criteria they fed.

    Takes the cached catalog features and ``{program id: {row key: value}}`` (``student_facts``).
    Returns a new ProgramFeatures sharing every column it does not touch, and ``{position:
    criteria}`` for the sentences. Only an *unknown* catalog value is filled: a published fact
    (with its source) wins over what the student heard. Programs not in the catalog are skipped.
    """
    columns: dict[str, np.ndarray] = {}
    own: dict[int, set[str]] = {}

    def column(name: str) -> np.ndarray:
        if name not in columns:
            columns[name] = getattr(features, name).copy()
        return columns[name]

    encode = {
        "weekly_hours": ("weekly_hours", float, np.isnan),
        "length_months": ("length_months", float, np.isnan),
        "stipend": ("stipend", float, np.isnan),
        "cost": ("cost", float, np.isnan),
        "has_mentorship": ("has_mentorship", lambda v: 1.0 if v else 0.0, np.isnan),
        "has_research": ("has_research", lambda v: 1.0 if v else 0.0, np.isnan),
        "visa_sponsorship": ("visa", VISA_CODES.get, lambda v: v < 0),
        "emphasis": (
            "emphasis",
            lambda v: EMPHASES.index(v) if v in EMPHASES else None,
            lambda v: v < 0,
        ),
    }
    criteria_of = {row: criteria for row, criteria in STUDENT_FACT_ROWS.values()}
    for program_id, values in facts.items():
        position = features.index.get(program_id)
        if position is None:
            continue
        for key, value in values.items():
            name, convert, is_unknown = encode[key]
            code = convert(value)
            if code is None or not is_unknown(getattr(features, name)[position]):
                continue
            column(name)[position] = code
            own.setdefault(position, set()).update(criteria_of[key])
    if not columns:
        return features, {}
    return replace(features, **columns, _matrix=[]), {k: frozenset(v) for k, v in own.items()}


def mark_own_information(explanation: Explanation, criteria: frozenset[str]) -> Explanation:
    """The explanation with "(your own information)" on the sentences of these criteria."""

    def mark(contribution):
        if contribution.criterion not in criteria or contribution.status == "unknown":
            return contribution
        fact, colon, points = contribution.sentence.rpartition(": ")
        if not colon or contribution.status == "fails":
            sentence = f"{contribution.sentence} ({OWN_INFORMATION})"
        else:
            sentence = f"{fact} ({OWN_INFORMATION}): {points}"
        own_fact = f"{contribution.fact} ({OWN_INFORMATION})"
        return replace(contribution, sentence=sentence, fact=own_fact)

    contributions = tuple(mark(c) for c in explanation.contributions)
    return replace(
        explanation,
        contributions=contributions,
        excluded_by=tuple(c.sentence for c in contributions if c.status == "fails"),
    )


@dataclass(frozen=True, eq=False)
class StudentRanking(Ranking):
    """A Ranking over features with the student's own facts: explanations say which ones."""

    own_criteria: Mapping[int, frozenset[str]] = field(default_factory=dict)

    def _explain(self, i: int, rank: int | None) -> Explanation:
        explanation = super()._explain(i, rank)
        criteria = self.own_criteria.get(i)
        return mark_own_information(explanation, criteria) if criteria else explanation
