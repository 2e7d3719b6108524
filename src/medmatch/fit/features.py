"""Program features in columns: what the fit engine knows about every program, unknowns kept.

``build_features(rows)`` turns plain rows (one mapping per program; a Django adapter makes them
from the catalog) into a ``ProgramFeatures``: one numpy array per fact, with NaN or -1 where the
fact is unknown. It is built once and reused for every student's ranking; nothing in it depends on
a student's goals.

Row keys (only ``id`` is required; a missing key, ``None`` or ``""`` means *unknown*):

==========================  ======================================================================
``id``                      the program's id (int or str), unique
``specialty``               canonical specialty key (e.g. the ACGME code, after following
                            ``Specialty.equivalent`` for CaRMS / general specialties)
``program_type``            ``Program.ProgramType`` value; default ``residency``
``track_type``              ``Program.TrackType`` value (``goals.TRACKS``); a residency without one
                            is unknown, any other program type has no track
``institution_id``          the institution's id; used to count the specialties it trains in
``institution_kind``        ``Institution.Kind`` value
``is_teaching``             bool: the institution claims residents (CMS cost report)
``resident_fte``            resident full-time equivalents claimed
``latitude`` ``longitude``  degrees (program site if known, else the institution's)
``country``                 ISO 3166-1 alpha-2, e.g. ``US``
``region``                  state / province code within the country, e.g. ``MA`` or ``ON``
``length_months``           number
``weekly_hours``            number
``stipend`` ``cost``        yearly amounts, all rows in one currency (the adapter converts)
``language``                ISO 639-1 code, e.g. ``en``
``visa_sponsorship``        ``Program.Visa`` value: ``none``, ``j1``, ``h1b``, ``j1_h1b``
``emphasis``                ``Program.Emphasis`` value: ``teaching``, ``balanced``, ``service``
``has_mentorship``          bool: a mentorship structure is described (empty text: pass None)
``has_research``            bool: research opportunities are described (empty text: pass None)
``residency_affiliations``  iterable of specialty keys with an affiliated residency; ``None`` =
                            unknown, ``[]`` = known to have none
``departments``             mapping specialty key -> strength in [0, 1] (or an iterable of keys,
                            strength 1); ``None`` = unknown, ``{}`` = known to have none listed
``specialty_count``         distinct specialties trained at the institution; when absent it is
                            counted from the rows that share ``institution_id``
``ruca``                    USDA RUCA 2020 primary code (1-10) of the program's ZIP
``place_label``             what the place facts describe, e.g. ``ZIP 02114`` (for sentences)
``rent``                    monthly Fair Market Rent for one bedroom near the program, US$
``rent_label``              the rent's scope and source, e.g. ``Suffolk County, MA; HUD FY2026``
``residents_per_bed``       resident FTE per bed at the program's hospital (latest sound year)
``fte_first``               resident FTE in the first and last year of the cost-report series
``fte_last``
``teaching_label``          the hospital and years, e.g. ``Rush University Medical Center,
                            2017-2021``
``h1b_filings``             H-1B LCAs for residents/fellows filed by the program's employer in
                            the data (0 = looked, none found; ``None`` = could not look)
``h1b_label``               the employer and period, e.g. ``Rush University Medical Center,
                            FY2025 Q2``
``trauma_level``            adult trauma centre level 1-5 of the hospital (1 = Level I)
``region_box``              (south, north, west, east) in degrees of the program's state, for a
                            program whose own position is unknown: only a lower bound on its
                            distance is drawn from it, never a position
``length_rule``             text: ``length_months`` comes from a rule for every program of its
                            kind, not the program (e.g. ``ACGME requirement``); "" = its own
==========================  ======================================================================

Bad values raise ``FeatureError`` (a ``ValueError``) naming the row number, program id and key.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

PROGRAM_TYPES = (
    "residency",
    "clinical_rotation",
    "research",
    "observership",
    "public_health",
    "international_elective",
)
KINDS = (
    "academic",
    "teaching",
    "community",
    "critical_access",
    "psychiatric",
    "childrens",
    "va",
    "military",
    "sponsor",
    "medical_school",
    "international",
)
EMPHASES = ("teaching", "balanced", "service")
# Track codes: goals.TRACKS in order, then "no track" (a program that is not a residency).
TRACKS = ("categorical", "preliminary", "advanced", "reserved", "physician")
# USDA's common four-way grouping of RUCA primary codes (1-3, 4-6, 7-9, 10).
AREA_CLASSES = ("metropolitan", "large_rural_town", "small_rural_town", "isolated_rural")
AREA_LABELS = {
    "metropolitan": "Metropolitan area",
    "large_rural_town": "Large rural town",
    "small_rural_town": "Small rural town",
    "isolated_rural": "Isolated rural area",
}
# Cost reports with more residents per bed than this are keying errors (CMS data notes).
MAX_RESIDENTS_PER_BED = 3.0
# (group, largest radix) of ProgramFeatures.grouped_codes: fours of codes up to 8 (a table of
# 4,096 combinations), pairs up to 128 (16,384); larger codes are gathered one at a time.
GROUPED_CODES = ((4, 8), (2, 128))
NO_TRACK = len(TRACKS)
# Visa codes are bit masks: 1 = J-1, 2 = H-1B.
VISA_CODES = {"none": 0, "j1": 1, "h1b": 2, "j1_h1b": 3}

# How academic a setting is (0 = community, 1 = academic), by institution kind. ``None``: the
# kind says nothing either way, so the teaching flag decides (True 0.75, False 0.25).
ACADEMIC_BY_KIND = {
    "academic": 1.0,
    "medical_school": 1.0,
    "teaching": 0.75,
    "sponsor": 0.75,  # an ACGME sponsoring institution trains residents by definition
    "community": 0.25,
    "critical_access": 0.0,
    "psychiatric": None,
    "childrens": None,
    "va": None,
    "military": None,
    "international": None,
}
# A hospital that claims this many resident FTEs or more counts as fully academic.
ACADEMIC_RESIDENT_FTE = 200.0


class FeatureError(ValueError):
    """A bad row: names the row number, the program id and the key."""

    def __init__(self, row: int, program_id: Any, key: str, reason: str) -> None:
        self.row = row
        self.program_id = program_id
        self.key = key
        self.reason = reason
        super().__init__(f"row {row} (program {program_id!r}): {key}: {reason}")


@dataclass(frozen=True, eq=False)
class ProgramFeatures:
    """Every program's facts as columns; position ``i`` is the program ``ids[i]``.

    Unknown is NaN in float columns and -1 in code columns. Code columns index the matching
    ``*_keys`` vocabulary. ``departments`` and ``affiliations`` are sparse (one entry per
    program and specialty, sorted by program). Treat every array as read-only.
    """

    ids: tuple
    index: Mapping[Any, int]
    specialty: np.ndarray  # intp code into specialty_keys (code columns are intp: fastest gather)
    institution: np.ndarray  # intp code per distinct institution_id, -1 unknown (for MMR)
    specialty_keys: tuple
    specialty_names: tuple[str, ...]
    program_type: np.ndarray  # intp code into PROGRAM_TYPES
    track_type: tuple[str, ...]
    # intp code into TRACKS, NO_TRACK for a program that is not a residency, -1 for a residency
    # whose track is unknown
    track: np.ndarray
    kind: np.ndarray  # intp code into KINDS
    academic: np.ndarray  # float32 0..1
    latitude: np.ndarray  # float64 degrees
    longitude: np.ndarray
    lat_rad: np.ndarray  # float32 radians (float32 trigonometry is vectorised and ~1 m exact)
    lon_rad: np.ndarray
    cos_lat: np.ndarray
    country: np.ndarray  # intp code into country_keys
    country_keys: tuple[str, ...]
    region: np.ndarray  # intp code into region_keys ("US-MA")
    region_keys: tuple[str, ...]
    length_months: np.ndarray  # float32
    weekly_hours: np.ndarray  # float32
    stipend: np.ndarray  # float32
    cost: np.ndarray  # float32
    language: np.ndarray  # intp code into language_keys
    language_keys: tuple[str, ...]
    visa: np.ndarray  # intp bit mask (1 J-1, 2 H-1B), -1 unknown
    emphasis: np.ndarray  # intp code into EMPHASES
    has_mentorship: np.ndarray  # float32 0/1
    has_research: np.ndarray  # float32 0/1
    specialty_count: np.ndarray  # float32
    departments_known: np.ndarray  # bool
    departments_floor: np.ndarray  # float32: 0 where known, NaN where unknown
    department_program: np.ndarray  # int32 program position, sorted
    department_specialty: np.ndarray  # int32 code into specialty_keys
    department_strength: np.ndarray  # float32 0..1
    affiliations_known: np.ndarray  # bool
    affiliations_floor: np.ndarray  # float32: 0 where known, NaN where unknown
    affiliation_program: np.ndarray  # int32
    affiliation_specialty: np.ndarray  # int32
    # Facts of the program's place and hospital (issue 11); NaN / -1 unknown.
    area: np.ndarray  # intp code into AREA_CLASSES (from the RUCA code)
    ruca: np.ndarray  # float32 RUCA primary code
    place_label: tuple[str, ...]
    rent: np.ndarray  # float32 US$ a month, one bedroom
    rent_label: tuple[str, ...]
    residents_per_bed: np.ndarray  # float32
    fte_growth: np.ndarray  # float32 relative change of resident FTE, first -> last year
    fte_first: np.ndarray  # float32
    fte_last: np.ndarray  # float32
    teaching_label: tuple[str, ...]
    h1b_filings: np.ndarray  # float32 count; 0 = none found where the data could be checked
    h1b_label: tuple[str, ...]
    trauma: np.ndarray  # intp adult trauma level 1..5, -1 unknown
    length_rule: tuple[str, ...]  # "" = the program's own length, else the rule it comes from
    # The box of the program's state where its position is unknown (NaN elsewhere), degrees.
    box_south: np.ndarray
    box_north: np.ndarray
    box_west: np.ndarray
    box_east: np.ndarray
    _matrix: list = field(default_factory=list, repr=False)
    # Goal-independent pieces derived on first use (``unknown_patterns``). Not an init field, so
    # ``dataclasses.replace`` (the adapter fills a student's own facts that way) starts afresh.
    _derived: dict = field(default_factory=dict, init=False, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def specialty_code(self, key: Any) -> int:
        """Code of a specialty key, or -1 when no program has it."""
        try:
            return self.specialty_keys.index(key)
        except ValueError:
            return -1

    def specialty_name(self, key_or_code: Any) -> str:
        """Human name of a specialty (by key, or by int code when it is a numpy integer)."""
        if isinstance(key_or_code, np.integer):
            code = int(key_or_code)
        else:
            code = self.specialty_code(key_or_code)
            if code < 0:
                return str(key_or_code)
        return self.specialty_names[code] if code >= 0 else "unknown specialty"

    @property
    def visa_evidence(self) -> np.ndarray:
        """The visa code column with employer evidence: the program's own answer where known,
        else 4 (H-1B filings found for its employer), else -1. Built on first use, kept."""
        if "visa_evidence" not in self._derived:
            evidence = np.where((self.visa < 0) & (self.h1b_filings > 0), 4, self.visa).astype(
                np.intp
            )
            self._derived["visa_evidence"] = evidence
        return self._derived["visa_evidence"]

    def unknown_masks(self) -> dict[str, np.ndarray]:
        """Which programs leave each fact unknown: ``{fact: bool array}`` (UNKNOWN_FACTS).

        A criterion that reads one fact is unknown exactly where that fact is (criteria.py
        names the fact on its Column); ``research`` and ``mentorship`` are the objective's
        combined facts, ``program_type`` is always known.
        """
        return {
            "program_type": np.zeros(len(self), dtype=bool),
            "specialty": self.specialty < 0,
            "departments": ~self.departments_known,
            "specialty_count": np.isnan(self.specialty_count),
            "research": np.isnan(self.has_research)
            & (self.program_type != PROGRAM_TYPES.index("research")),
            "mentorship": np.isnan(self.has_mentorship) & (self.emphasis < 0),
            "academic": np.isnan(self.academic),
            "coordinates": np.isnan(self.lat_rad),
            "region": self.region < 0,
            "country": self.country < 0,
            "language": self.language < 0,
            "visa": self.visa < 0,
            "visa_evidence": self.visa_evidence < 0,
            "track": self.track < 0,
            "length_months": np.isnan(self.length_months),
            "weekly_hours": np.isnan(self.weekly_hours),
            "stipend": np.isnan(self.stipend),
            "cost": np.isnan(self.cost),
            "area": self.area < 0,
            "rent": np.isnan(self.rent),
            "teaching_intensity": np.isnan(self.residents_per_bed),
            "trauma": self.trauma < 0,
        }

    def unknown_patterns(self) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Every program's pattern of unknown facts, as a code into a short table of patterns.

        Returns ``(pattern, table)``: ``pattern`` is an intp code per program and ``table`` maps
        each fact of ``unknown_masks`` to a bool array over the distinct patterns (a catalog has a
        few hundred), so ``table[fact][pattern]`` is that fact's unknown mask. The engine sums the
        weights of a student's unknown criteria over the patterns, then gathers once per program.
        Steps: pack the masks as bits, ``np.unique`` with the inverse. Built on first use, kept.
        """
        if "patterns" not in self._derived:
            masks = self.unknown_masks()
            bits = np.zeros(len(self), dtype=np.int64)
            for bit, mask in enumerate(masks.values()):
                bits |= mask.astype(np.int64) << bit
            distinct, pattern = np.unique(bits, return_inverse=True)
            table = {name: (distinct >> bit) & 1 == 1 for bit, name in enumerate(masks)}
            self._derived["patterns"] = (pattern.astype(np.intp).reshape(-1), table)
        return self._derived["patterns"]

    def lookup_codes(self, name: str) -> np.ndarray:
        """The code column ``name`` plus one, as intp: unknown (-1) becomes 0.

        Criteria look scores up with ``table.take(codes, mode="clip")`` on a table whose first
        slot is NaN; numpy's take is fastest with non-negative indices and clip mode. Built on
        first use per column, kept.
        """
        key = f"lookup_{name}"
        if key not in self._derived:
            self._derived[key] = self._register((getattr(self, name) + 1).astype(np.intp))
        return self._derived[key]

    def _register(self, codes: np.ndarray) -> np.ndarray:
        """Keep a uint8 copy of lookup codes below 256 for ``narrow_codes`` and mark them for
        ``code_groups``; returns codes."""
        if codes.size and codes.min() >= 0 and codes.max() < 256:
            self._derived.setdefault("narrow", {})[id(codes)] = (codes, codes.astype(np.uint8))
        self._derived.setdefault("groups", {})[id(codes)] = (codes, None)
        return codes

    def code_groups(self, codes: np.ndarray) -> tuple | None:
        """Programs grouped by lookup code, for codes made by ``lookup_codes`` /
        ``value_codes`` (the same array object), else None: ``(order, bounds, sizes,
        size_list)`` with ``order[bounds[c]:bounds[c + 1]]`` the positions of code ``c``
        (ascending), ``sizes[c]`` their number and ``size_list`` the same as Python ints (for
        up to 256 codes, else None). A lookup whose non-zero scores are few programs (hours
        and length are 97% unknown, a student's specialties a few percent of programs) adds
        them at those positions only (``engine.weigh_columns``). Built on first use per
        codes, kept.
        """
        groups = self._derived.get("groups", {})
        entry = groups.get(id(codes))
        if entry is None or entry[0] is not codes:
            return None
        if entry[1] is None:
            order = np.argsort(codes, kind="stable")
            bounds = np.searchsorted(codes[order], np.arange(int(codes.max(initial=0)) + 2))
            sizes = np.diff(bounds)
            size_list = sizes.tolist() if sizes.size <= 256 else None
            entry = groups[id(codes)] = (codes, (order, bounds, sizes, size_list))
        return entry[1]

    def narrow_codes(self, codes: np.ndarray) -> np.ndarray | None:
        """The uint8 copy of lookup codes made by ``lookup_codes`` / ``value_codes`` (the same
        array object), or None. Comparing 100,000 uint8 codes with a constant takes ~3 us, a
        gather ~130 us: the engine scores a lookup whose table has few distinct values by
        comparisons (``engine._gather_by_compare``)."""
        entry = self._derived.get("narrow", {}).get(id(codes))
        return entry[1] if entry is not None and entry[0] is codes else None

    def grouped_codes(self, codes: np.ndarray) -> tuple[int, int, np.ndarray] | None:
        """Lookup codes made by ``lookup_codes`` / ``value_codes`` (the same array object)
        packed ``group`` programs to a code: ``(group, radix, packed)`` with ``packed[k]`` the
        codes of programs ``group x k`` to ``group x k + group - 1`` as digits of base
        ``radix`` (the largest code + 1), first program first; None when the codes are not
        narrow or the radix is too large (GROUPED_CODES).

        A gather of a small table through them takes a table of every combination of
        ``group`` codes (``engine.grouped_take``) and reads ``group`` programs' float32
        scores at once: for 100,000 programs ~14 us in fours and ~24 us in pairs, against
        ~49 us one at a time (measured). Built on first use per codes, kept.
        """
        narrow = self.narrow_codes(codes)
        if narrow is None:
            return None
        cache = self._derived.setdefault("grouped", {})
        entry = cache.get(id(codes))
        if entry is None or entry[0] is not codes:
            radix = int(codes.max(initial=0)) + 1
            group = next((g for g, most in GROUPED_CODES if radix <= most), 1)
            packed = None
            if group > 1:
                whole = codes[: codes.size - codes.size % group].reshape(-1, group)
                packed = whole[:, 0].copy()
                for k in range(1, group):
                    packed *= radix
                    packed += whole[:, k]
            entry = cache[id(codes)] = (codes, None if packed is None else (group, radix, packed))
        return entry[1]

    def value_codes(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The float column ``name`` as codes into its distinct values: ``(codes, values)``.

        ``values`` are the distinct known values (float32, sorted) and ``codes`` (intp) is 0 where
        the fact is unknown (NaN), else 1 + the index of the program's value. A criterion whose
        score is an element-wise function of the one fact (rent, length, hours) computes it on
        the few distinct values (a catalog has a few thousand rents, a few dozen lengths) and
        gathers it with ``table.take(codes, mode="clip")`` (``table[0]`` NaN): the same float32
        operations per value, so the same bits as computing it for every program. Built on first
        use per column, kept.
        """
        key = f"values_{name}"
        if key not in self._derived:
            column = getattr(self, name)
            known = np.flatnonzero(~np.isnan(column))
            values = np.unique(column[known])
            codes = np.zeros(len(self), dtype=np.intp)
            codes[known] = np.searchsorted(values, column[known]) + 1
            self._derived[key] = (self._register(codes), values)
        return self._derived[key]

    def derived(self, key: str, make) -> Any:
        """``make(self)``, computed on first use under ``key`` and kept (goal-independent pieces
        of a criterion, such as the teaching intensity of every program)."""
        if key not in self._derived:
            self._derived[key] = make(self)
        return self._derived[key]

    def department_entries(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Department entries grouped by specialty: ``(programs, strengths, bounds)``.

        ``programs`` and ``strengths`` are the entries' program positions and strengths sorted
        by specialty code (stable, so by program within a code); those of code ``c`` are at
        ``bounds[c]:bounds[c + 1]``. A student's department score then reads slices of their
        few specialties, no gather. Built on first use, kept.
        """
        if "department_entries" not in self._derived:
            specialty = self.department_specialty
            entries = np.argsort(specialty, kind="stable").astype(np.intp)
            bounds = np.searchsorted(specialty[entries], np.arange(len(self.specialty_keys) + 1))
            self._derived["department_entries"] = (
                self.department_program[entries],
                self.department_strength[entries],
                bounds.astype(np.intp),
            )
        return self._derived["department_entries"]

    def matrix(self) -> np.ndarray:
        """All per-program columns stacked as one float32 (columns x programs) matrix.

        Used by the benchmark as the memory-bound floor (one matrix-vector product over the
        same facts the engine reads). Built on first use and kept.
        """
        if not self._matrix:
            columns = [
                self.specialty,
                self.program_type,
                self.kind,
                self.academic,
                self.lat_rad,
                self.lon_rad,
                self.cos_lat,
                self.country,
                self.region,
                self.length_months,
                self.weekly_hours,
                self.stipend,
                self.cost,
                self.language,
                self.visa,
                self.emphasis,
                self.has_mentorship,
                self.has_research,
                self.specialty_count,
                self.departments_known,
                self.affiliations_known,
                self.area,
                self.rent,
                self.residents_per_bed,
                self.fte_growth,
                self.h1b_filings,
                self.trauma,
            ]
            self._matrix.append(np.stack([np.asarray(c, dtype=np.float32) for c in columns]))
        return self._matrix[0]


def area_class(ruca: float) -> int:
    """The code in AREA_CLASSES of a RUCA primary code (1-3, 4-6, 7-9, 10)."""
    code = int(ruca)
    return 0 if code <= 3 else 1 if code <= 6 else 2 if code <= 9 else 3


class _Vocabulary:
    def __init__(self) -> None:
        self.codes: dict[Any, int] = {}

    def code(self, key: Any) -> int:
        code = self.codes.get(key)
        if code is None:
            code = self.codes[key] = len(self.codes)
        return code

    def keys(self) -> tuple:
        return tuple(self.codes)


def _floor(known: list[bool]) -> np.ndarray:
    return np.array([0.0 if k else math.nan for k in known], dtype=np.float32)


def _unknown(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def build_features(
    rows: Iterable[Mapping[str, Any]], specialty_names: Mapping[Any, str] | None = None
) -> ProgramFeatures:
    """Columns of program facts from plain rows (keys in the module docstring).

    Takes the rows and optionally a mapping of specialty key -> display name (for sentences such
    as "Cardiology is this program's specialty"). Returns a new ProgramFeatures; the rows are not
    changed. Steps: validate and encode each row (unknown -> NaN / -1), count specialties per
    institution where not given, derive the academic degree of the setting (ACADEMIC_BY_KIND,
    then the teaching flag and resident FTE), precompute radians and cos(latitude) for the
    haversine. Raises FeatureError naming row, id and key.
    """
    specialty_names = dict(specialty_names or {})
    specialties, countries, regions, languages = (_Vocabulary() for _ in range(4))
    ids: list = []
    index: dict = {}
    cols: dict[str, list] = {
        name: []
        for name in (
            "specialty",
            "program_type",
            "track_type",
            "track",
            "kind",
            "academic",
            "latitude",
            "longitude",
            "country",
            "region",
            "length_months",
            "weekly_hours",
            "stipend",
            "cost",
            "language",
            "visa",
            "emphasis",
            "has_mentorship",
            "has_research",
            "specialty_count",
            "departments_known",
            "affiliations_known",
            "area",
            "ruca",
            "place_label",
            "rent",
            "rent_label",
            "residents_per_bed",
            "fte_growth",
            "fte_first",
            "fte_last",
            "teaching_label",
            "h1b_filings",
            "h1b_label",
            "trauma",
            "length_rule",
            "box_south",
            "box_north",
            "box_west",
            "box_east",
        )
    }
    dept_entries: list[tuple[int, int, float]] = []
    aff_entries: list[tuple[int, int]] = []
    institution_of: list = []
    institution_specialties: dict[Any, set] = {}

    for row_number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raise FeatureError(
                row_number, None, "row", f"must be a mapping, got {type(row).__name__}"
            )
        pid = row.get("id")
        if _unknown(pid) or isinstance(pid, bool) or not isinstance(pid, str | int):
            raise FeatureError(row_number, pid, "id", "must be a non-empty string or an integer")
        if pid in index:
            raise FeatureError(row_number, pid, "id", "is a duplicate")
        position = len(ids)
        index[pid] = position
        ids.append(pid)

        def fail(key: str, reason: str, row_number: int = row_number, pid: Any = pid) -> None:
            raise FeatureError(row_number, pid, key, reason)

        def number(
            key: str, low: float | None = None, high: float | None = None, row: Mapping = row
        ) -> float:
            value = row.get(key)
            if _unknown(value):
                return math.nan
            try:
                if isinstance(value, bool):
                    raise TypeError
                value = float(value)
            except (TypeError, ValueError):
                fail(key, f"must be a number, got {value!r}")
            if not math.isfinite(value):
                fail(key, f"must be finite, got {value!r}")
            if (low is not None and value < low) or (high is not None and value > high):
                fail(key, f"must be between {low} and {high}, got {value:g}")
            return value

        def choice(key: str, choices: Iterable[str], row: Mapping = row) -> str | None:
            value = row.get(key)
            if _unknown(value):
                return None
            if value not in choices:
                fail(key, f"must be one of {', '.join(choices)}; got {value!r}")
            return value

        def flag(key: str, row: Mapping = row) -> float:
            value = row.get(key)
            if value is None:
                return math.nan
            if not isinstance(value, bool):
                fail(key, f"must be true, false or None, got {value!r}")
            return 1.0 if value else 0.0

        spec = row.get("specialty")
        if _unknown(spec):
            cols["specialty"].append(-1)
        else:
            cols["specialty"].append(specialties.code(spec))
        ptype = choice("program_type", PROGRAM_TYPES) or "residency"
        cols["program_type"].append(PROGRAM_TYPES.index(ptype))
        track = str(row.get("track_type") or "")
        cols["track_type"].append(track)
        if track in TRACKS:
            cols["track"].append(TRACKS.index(track))
        else:
            cols["track"].append(-1 if ptype == "residency" else NO_TRACK)

        kind = choice("institution_kind", KINDS)
        cols["kind"].append(KINDS.index(kind) if kind else -1)
        teaching = flag("is_teaching")
        fte = number("resident_fte", low=0)
        academic = ACADEMIC_BY_KIND.get(kind) if kind else None
        if academic is None and not math.isnan(teaching):
            academic = 0.75 if teaching else 0.25
        if kind == "community" and teaching == 1.0:
            academic = 0.5
        if not math.isnan(fte) and fte >= ACADEMIC_RESIDENT_FTE:
            academic = 1.0
        cols["academic"].append(math.nan if academic is None else academic)

        lat, lon = number("latitude", -90, 90), number("longitude", -180, 180)
        if math.isnan(lat) != math.isnan(lon):
            fail("latitude" if math.isnan(lat) else "longitude", "give both coordinates or neither")
        box = row.get("region_box") if math.isnan(lat) else None
        if box is not None:
            try:
                south, north, west, east = (float(value) for value in box)
            except (TypeError, ValueError):
                fail("region_box", f"must be (south, north, west, east) in degrees, got {box!r}")
            if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
                fail("region_box", f"must be (south, north, west, east) in degrees, got {box!r}")
        else:
            south = north = west = east = math.nan
        cols["box_south"].append(south)
        cols["box_north"].append(north)
        cols["box_west"].append(west)
        cols["box_east"].append(east)
        cols["latitude"].append(lat)
        cols["longitude"].append(lon)

        country = row.get("country")
        if _unknown(country):
            cols["country"].append(-1)
            country = None
        else:
            if not isinstance(country, str) or len(country) != 2 or not country.isupper():
                fail("country", f"must be an ISO 3166-1 alpha-2 code like 'US', got {country!r}")
            cols["country"].append(countries.code(country))
        region = row.get("region")
        if _unknown(region) or country is None:
            cols["region"].append(-1)
        else:
            cols["region"].append(regions.code(f"{country}-{str(region).upper()}"))

        cols["length_months"].append(number("length_months", 0))
        cols["weekly_hours"].append(number("weekly_hours", 0, 168))
        cols["stipend"].append(number("stipend", 0))
        cols["cost"].append(number("cost", 0))
        language = row.get("language")
        if _unknown(language):
            cols["language"].append(-1)
        else:
            if not isinstance(language, str):
                fail("language", f"must be an ISO 639-1 code like 'en', got {language!r}")
            cols["language"].append(languages.code(language.strip().lower()))
        visa = choice("visa_sponsorship", tuple(VISA_CODES))
        cols["visa"].append(-1 if visa is None else VISA_CODES[visa])
        emphasis = choice("emphasis", EMPHASES)
        cols["emphasis"].append(-1 if emphasis is None else EMPHASES.index(emphasis))
        cols["has_mentorship"].append(flag("has_mentorship"))
        cols["has_research"].append(flag("has_research"))

        institution = row.get("institution_id")
        institution_of.append(None if _unknown(institution) else institution)
        if not _unknown(institution) and not _unknown(spec):
            institution_specialties.setdefault(institution, set()).add(spec)
        cols["specialty_count"].append(number("specialty_count", 0))

        ruca = number("ruca", 1, 10)
        cols["ruca"].append(ruca)
        cols["area"].append(-1 if math.isnan(ruca) else area_class(ruca))
        cols["rent"].append(number("rent", 0))
        per_bed = number("residents_per_bed", 0)
        # More than MAX_RESIDENTS_PER_BED is a keying error of the cost report: unknown.
        cols["residents_per_bed"].append(per_bed if per_bed <= MAX_RESIDENTS_PER_BED else math.nan)
        first, last = number("fte_first", 0), number("fte_last", 0)
        cols["fte_first"].append(first)
        cols["fte_last"].append(last)
        cols["fte_growth"].append((last - first) / first if first > 0 else math.nan)
        cols["h1b_filings"].append(number("h1b_filings", 0))
        trauma = number("trauma_level", 1, 5)
        cols["trauma"].append(-1 if math.isnan(trauma) else int(trauma))
        for key in ("place_label", "rent_label", "teaching_label", "h1b_label", "length_rule"):
            label = row.get(key)
            cols[key].append("" if _unknown(label) else str(label))

        departments = row.get("departments")
        cols["departments_known"].append(departments is not None)
        if departments is not None:
            if isinstance(departments, str) or not isinstance(departments, Iterable):
                fail("departments", "must be a mapping of specialty -> strength, a list, or None")
            pairs = (
                departments.items()
                if isinstance(departments, Mapping)
                else ((key, 1.0) for key in departments)
            )
            for key, strength in pairs:
                if isinstance(strength, bool) or not isinstance(strength, int | float):
                    fail("departments", f"strength of {key!r} must be a number in [0, 1]")
                if not 0.0 <= strength <= 1.0:
                    fail("departments", f"strength of {key!r} must be in [0, 1], got {strength}")
                dept_entries.append((position, specialties.code(key), float(strength)))
        affiliations = row.get("residency_affiliations")
        cols["affiliations_known"].append(affiliations is not None)
        if affiliations is not None:
            if isinstance(affiliations, str) or not isinstance(affiliations, Iterable):
                fail("residency_affiliations", "must be a list of specialty keys or None")
            for key in dict.fromkeys(affiliations):
                aff_entries.append((position, specialties.code(key)))

    counts = cols["specialty_count"]
    for i, institution in enumerate(institution_of):
        # An institution none of whose programs has a known specialty: the count stays unknown.
        if math.isnan(counts[i]) and institution in institution_specialties:
            counts[i] = float(len(institution_specialties[institution]))

    specialty_keys = specialties.keys()
    lat = np.array(cols["latitude"], dtype=np.float64)
    lon = np.array(cols["longitude"], dtype=np.float64)
    lat_rad, lon_rad = np.radians(lat).astype(np.float32), np.radians(lon).astype(np.float32)
    dept = np.array(dept_entries, dtype=np.float64).reshape(-1, 3)
    aff = np.array(aff_entries, dtype=np.int64).reshape(-1, 2)

    def f32(name: str) -> np.ndarray:
        return np.array(cols[name], dtype=np.float32)

    institution_codes: dict[Any, int] = {}
    institution = np.array(
        [
            -1 if inst is None else institution_codes.setdefault(inst, len(institution_codes))
            for inst in institution_of
        ],
        dtype=np.intp,
    )
    return ProgramFeatures(
        ids=tuple(ids),
        index=index,
        specialty=np.array(cols["specialty"], dtype=np.intp),
        institution=institution,
        specialty_keys=specialty_keys,
        specialty_names=tuple(str(specialty_names.get(k, k)) for k in specialty_keys),
        program_type=np.array(cols["program_type"], dtype=np.intp),
        track_type=tuple(cols["track_type"]),
        track=np.array(cols["track"], dtype=np.intp),
        kind=np.array(cols["kind"], dtype=np.intp),
        academic=f32("academic"),
        latitude=lat,
        longitude=lon,
        lat_rad=lat_rad,
        lon_rad=lon_rad,
        cos_lat=np.cos(lat_rad),
        country=np.array(cols["country"], dtype=np.intp),
        country_keys=countries.keys(),
        region=np.array(cols["region"], dtype=np.intp),
        region_keys=regions.keys(),
        length_months=f32("length_months"),
        weekly_hours=f32("weekly_hours"),
        stipend=f32("stipend"),
        cost=f32("cost"),
        language=np.array(cols["language"], dtype=np.intp),
        language_keys=languages.keys(),
        visa=np.array(cols["visa"], dtype=np.intp),
        emphasis=np.array(cols["emphasis"], dtype=np.intp),
        has_mentorship=f32("has_mentorship"),
        has_research=f32("has_research"),
        specialty_count=f32("specialty_count"),
        departments_known=np.array(cols["departments_known"], dtype=bool),
        departments_floor=_floor(cols["departments_known"]),
        department_program=dept[:, 0].astype(np.int32),
        department_specialty=dept[:, 1].astype(np.int32),
        department_strength=dept[:, 2].astype(np.float32),
        affiliations_known=np.array(cols["affiliations_known"], dtype=bool),
        affiliations_floor=_floor(cols["affiliations_known"]),
        affiliation_program=aff[:, 0].astype(np.int32),
        affiliation_specialty=aff[:, 1].astype(np.int32),
        area=np.array(cols["area"], dtype=np.intp),
        ruca=f32("ruca"),
        place_label=tuple(cols["place_label"]),
        rent=f32("rent"),
        rent_label=tuple(cols["rent_label"]),
        residents_per_bed=f32("residents_per_bed"),
        fte_growth=f32("fte_growth"),
        fte_first=f32("fte_first"),
        fte_last=f32("fte_last"),
        teaching_label=tuple(cols["teaching_label"]),
        h1b_filings=f32("h1b_filings"),
        h1b_label=tuple(cols["h1b_label"]),
        trauma=np.array(cols["trauma"], dtype=np.intp),
        length_rule=tuple(cols["length_rule"]),
        box_south=f32("box_south"),
        box_north=f32("box_north"),
        box_west=f32("box_west"),
        box_east=f32("box_east"),
    )
