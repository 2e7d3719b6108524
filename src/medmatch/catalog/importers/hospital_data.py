"""Hospital-level open data (issue 11): CMS cost reports FY2017-2021, DOL H-1B LCA filings for
residents/fellows (FY2025 Q2) and Statistics Canada's hospitals (ODHF v1.0).

Each importer reads and validates its whole file first (``parse``), then writes only what changed
with ``sync_rows``; the joins onto catalog institutions (CCN, worksite ZIP, name + state, city)
are counted in the report's figures. See catalog/data/README.md for each file's traps.
"""

import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from functools import lru_cache, partial

from django.db.models import F

from medmatch.catalog.models import (
    CanadianHospital,
    CarmsStreamSite,
    CostReport,
    H1bFiling,
    Institution,
    Program,
)
from medmatch.catalog.models_hospital_data import RESIDENTS_PER_BED_LIMIT
from medmatch.lib import geo

from .base import (
    Importer,
    ImportReport,
    SourceInfo,
    Table,
    ccn,
    make_pattern,
    optional_float,
    optional_int,
    required_text,
    sync_rows,
    text,
    update_rows,
    write_transaction,
    zip5,
)
from .linking import HOSPITAL_NAME_WORDS, normalise_name, split_state_suffix

COST_REPORTS = SourceInfo(
    key="cms-cost-reports",
    name="CMS hospital cost reports FY2017-2021 (teaching hospitals)",
    publisher="CMS, Hospital Provider Cost Report (HCRIS extract, data.cms.gov), 2017-2021",
    url="https://github.com/Keerthidwaraka/A-Deep-Dive-into-America-s-Hospitals",
    license="US federal government work, public domain",
    retrieved_on=date(2026, 12, 2),
    file_name="teaching/cms_hcris_teaching_hospitals_fy2017_2021.csv",
    notes="Commit 9cf091e, CostReport_2017_Final.csv ... CostReport_2021_Final.csv; every report "
    "of every CCN with resident FTE > 0 or IME > 0 in any year. Two reports in one year: the "
    "longer period is kept. Residents per bed > 3 is flagged as a keying error, never shown.",
)
H1B_FILINGS = SourceInfo(
    key="dol-lca-trainees",
    name="DOL H-1B LCA filings for residents and fellows, FY2025 Q2",
    publisher="US Department of Labor, OFLC, LCA Disclosure Data FY2025 Q2",
    url="https://github.com/emmafan2025/health-h1b-search",
    license="US federal government work, public domain",
    retrieved_on=date(2026, 12, 2),
    file_name="visa/dol_lca_fy2025q2_physician_trainees.csv",
    notes="Commit 6883ba8, '2025 Q2.csv' (a third party's healthcare subset; no case status). "
    "One quarter only: absence from this file does not mean a program does not sponsor H-1B.",
)
ODHF_HOSPITALS = SourceInfo(
    key="odhf-hospitals",
    name="Statistics Canada Open Database of Healthcare Facilities v1.0: hospitals",
    publisher="Statistics Canada, ODHF v1.0 (2020)",
    url="https://github.com/CSBP-CPSE/MDS-Capstone-2020",
    license="Open Government Licence - Canada. Contains information licensed under the Open "
    "Government Licence - Canada.",
    retrieved_on=date(2026, 12, 2),
    file_name="canada/statcan_odhf_v1_hospitals.csv",
    notes="Commit 402b2bb, LTChomes_analysis/ODHF/odhf_v1.csv filtered to hospitals. Names "
    "re-cased from the source's lower case and mis-encoded accents repaired.",
)


# --- CMS cost reports ---------------------------------------------------------------------------


def report_year(value: str) -> int:
    year = optional_int(value)
    if year is None or not 1990 <= year <= 2100:
        raise ValueError(f"“{value}” is not a cost report year")
    return year


def iso_date(value: str) -> date | None:
    value = text(value)
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"“{value}” is not a date (YYYY-MM-DD)") from None


def non_negative(value: str) -> float | None:
    number = optional_float(value)
    if number is not None and number < 0:
        raise ValueError(f"“{value}” is negative")
    return number


def bed_count(value: str) -> int | None:
    number = optional_int(value)
    if number is not None and number < 0:
        raise ValueError(f"“{value}” is not a bed count")
    return number or None  # 0 beds is not a count anyone reported


def flag_for(resident_fte: float | None, beds: int | None) -> tuple[float | None, str]:
    """Residents per bed, and why the row is not to be shown ("" = fine)."""
    if resident_fte is None or not beds:
        return None, ""
    ratio = round(resident_fte / beds, 4)
    if ratio > RESIDENTS_PER_BED_LIMIT:
        return ratio, (
            f"{resident_fte:,.2f} resident FTE on {beds} beds ({ratio:.1f} per bed, above "
            f"{RESIDENTS_PER_BED_LIMIT:g}): a keying error in the cost report"
        )
    return ratio, ""


class CostReportsImporter(Importer):
    """Five years of teaching facts per CCN, for trends ("resident FTE 212 -> 251 over 2017-2021").

    90 CCN-years carry two reports (a fiscal-year change or a change of ownership). The *longer*
    period is kept, not the sum: HCRIS prorates FTEs to the report period (CCN 040055's 2-month
    2019 report has 4.26 FTE, its 12-month one 25.76), beds are a level, and the two periods
    often overlap or cover more than a year, so a sum would double count. The row notes that the
    year had two reports.
    """

    info = COST_REPORTS
    columns = (
        "cost_report_year",
        "ccn",
        "hospital_name",
        "state",
        "fy_begin",
        "fy_end",
        "resident_fte",
        "beds",
        "ime_payment",
    )
    requires = ("cms-hospitals",)

    def parse(self, table: Table) -> dict[str, dict]:
        records: dict[str, dict] = {}
        counts: Counter = Counter()
        lines = table.parsed(
            [
                ("ccn", ccn),
                ("cost_report_year", report_year),
                ("fy_begin", iso_date),
                ("fy_end", iso_date),
                ("resident_fte", non_negative),
                ("beds", bed_count),
                ("hospital_name", required_text),
                ("state", text),
                ("ime_payment", non_negative),
            ]
        )
        for (number, line), (code, year, begin, end, fte, beds, name, state, ime) in lines:
            if begin and end and end < begin:
                check = partial(_raise_period, begin=begin)
                table.value(number, table.row(line), "fy_end", check)
            ratio, flagged = flag_for(fte, beds)
            key = f"{code}-{year}"
            counts[key] += 1
            values = {
                "ccn": code,
                "year": year,
                "hospital_name": name,
                "state": state[:2],
                "fy_begin": begin,
                "fy_end": end,
                "resident_fte": fte,
                "beds": beds,
                "residents_per_bed": ratio,
                "ime_payment": ime,
                "flagged_reason": flagged,
                "source_row": number,
            }
            current = records.get(key)
            if current is None or _days(values) > _days(current):
                records[key] = values
        for key, values in records.items():
            values["reports_in_year"] = counts[key]
        self.two_reports = sum(1 for count in counts.values() if count > 1)
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        hospitals = dict(Institution.objects.exclude(ccn="").values_list("ccn", "pk"))
        for values in records.values():
            values["institution_id"] = hospitals.get(values["ccn"])
            values["source_id"] = source.pk
        ccns = {values["ccn"] for values in records.values()}
        matched = {values["ccn"] for values in records.values() if values["institution_id"]}
        report.figures["CCNs"] = len(ccns)
        report.figures["CCNs matched to a CMS hospital by CCN"] = f"{len(matched)} of {len(ccns)}"
        report.figures["CCN-years with two reports (longer period kept)"] = self.two_reports
        report.figures["flagged (residents per bed > 3, not shown)"] = sum(
            1 for values in records.values() if values["flagged_reason"]
        )
        report.skip("second report of a CCN-year (shorter period)", self.row_count - len(records))
        _sync_and_delete(CostReport, "key", records, report, progress)


def _days(values: dict) -> int:
    if values["fy_begin"] and values["fy_end"]:
        return (values["fy_end"] - values["fy_begin"]).days
    return -1


def _raise_period(value: str, begin: date):
    raise ValueError(f"“{value}” is before the period's start {begin}")


def _sync_and_delete(model, key_field, records, report, progress) -> None:
    """``sync_rows``, then delete the rows whose key the file no longer has (a changed file)."""
    existing = {getattr(obj, key_field): obj for obj in model.objects.all()}
    gone = [obj.pk for key, obj in existing.items() if key not in records]
    sync_rows(model, key_field, records, report, existing, progress)
    for start in range(0, len(gone), 250):
        with write_transaction():
            model.objects.filter(pk__in=gone[start : start + 250]).delete()
    report.deleted += len(gone)


# --- DOL H-1B LCA filings ----------------------------------------------------------------------

case_number = make_pattern(r"[A-Z]-\d{3}-\d{5}-\d{6}", "an LCA case number (I-200-25080-795380)")
quarter = make_pattern(r"FY\d{4}-Q[1-4]", "a fiscal quarter such as FY2025-Q2")
state_code = make_pattern(r"[A-Z]{2}", "a 2-letter state code")

# Words every hospital/employer name shares, and the legal forms, joining words and GME words of
# employer names on LCA filings; what is left says *which* employer.
_GENERIC = HOSPITAL_NAME_WORDS | frozenset(
    [
        "incorporated",
        "llc",
        "the",
        "of",
        "and",
        "at",
        "for",
        "graduate",
        "education",
        "gme",
        "consortium",
        "physicians",
        "group",
        "affiliated",
        "residency",
        "program",
        "programs",
    ]
)
# Words too common among university names to say which one ("Health Science Center at Tyler").
_NOT_A_NAME = frozenset(["science", "sciences", "north", "south", "east", "west", "central"])


def wage(value: str) -> float | None:
    number = optional_float(value)
    if number is not None and not 10_000 <= number <= 1_000_000:
        raise ValueError(f"“{value}” is not a yearly wage in US$ (10,000-1,000,000)")
    return number


def zero_one(value: str) -> bool:
    value = value.strip()
    if value not in ("0", "1", ""):
        raise ValueError(f"“{value}” is not 0 or 1")
    return value == "1"


def role_for(title: str) -> str:
    """Fellow when the title says FELLOW (so "Resident/Fellow" is a fellow), as the staged
    by-employer summary counts them; every other trainee title is a resident."""
    return H1bFiling.Role.FELLOW if "FELLOW" in title.upper() else H1bFiling.Role.RESIDENT


def distinctive_words(name: str) -> set[str]:
    return {word for word in normalise_name(name).split() if word not in _GENERIC}


@lru_cache(maxsize=20_000)
def name_words(name: str) -> frozenset[str]:
    """The words that say *which* employer or sponsor, places left out: "Mayo Clinic" and "Mayo
    Clinic School of Grad Med Educ" are both {"mayo"}; "University of Illinois Chicago" and
    "University Hospitals Cleveland Medical Center" name only places, so nothing."""
    return frozenset(
        word
        for word in distinctive_words(name)
        if len(word) >= 3 and word not in _NOT_A_NAME and not _is_us_place(word)
    )


@lru_cache(maxsize=5_000)
def _is_us_place(word: str) -> bool:
    if len(word) >= 4 and geo.region_code(word):
        return True
    try:
        return geo.city_to_place(word, country="US") is not None
    except geo.AmbiguousPlace:
        return True


class H1bFilingsImporter(Importer):
    """Each filing matched to one catalog institution: by worksite ZIP first (the hospital where
    the resident works; the employer is often a university or GME consortium), then by employer
    name + state. A ZIP with several hospitals is decided by the employer's distinctive words,
    else by the only teaching hospital there; otherwise the filing stays unmatched."""

    info = H1B_FILINGS
    columns = (
        "fiscal_year_quarter",
        "case_number",
        "job_title",
        "employer_name",
        "trade_name_dba",
        "worksite_address1",
        "worksite_city",
        "worksite_state",
        "worksite_postal_code",
        "begin_date",
        "wage_from_annualized",
        "non_gme_title",
    )
    requires = ("cms-hospitals", "teaching-fte", "nrmp-institutions")

    def parse(self, table: Table) -> dict[str, dict]:
        records: dict[str, dict] = {}
        for number, row in table.rows:
            case = table.value(number, row, "case_number", case_number)
            if case in records:
                table.value(number, row, "case_number", lambda v: _raise_twice(v))
            title = table.value(number, row, "job_title", required_text)
            employer = table.value(number, row, "employer_name", required_text)
            records[case] = {
                "quarter": table.value(number, row, "fiscal_year_quarter", quarter),
                "employer_name": employer,
                "employer_key": normalise_name(employer),
                "trade_name": table.value(number, row, "trade_name_dba", text),
                "job_title": title,
                "role": role_for(title),
                "non_gme": table.value(number, row, "non_gme_title", zero_one),
                "worksite_address": table.value(number, row, "worksite_address1", text),
                "worksite_city": table.value(number, row, "worksite_city", text),
                "worksite_state": table.value(number, row, "worksite_state", state_code),
                "worksite_zip": table.value(number, row, "worksite_postal_code", zip5),
                "begin_date": table.value(number, row, "begin_date", iso_date),
                "wage_annual": table.value(number, row, "wage_from_annualized", wage),
                "source_row": number,
            }
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        # Plain named rows, not model objects: 7,900 deferred-field instances cost more than
        # the join itself (InstitutionMatcher reads these fields only).
        matcher = InstitutionMatcher(
            Institution.objects.filter(country="US").values_list(
                "pk", "name", "region", "postal_code", "is_teaching", "ccn", named=True
            )
        )
        by_key: Counter = Counter()
        matched_employers: dict[str, set] = defaultdict(set)
        for values in records.values():
            institution, key = matcher.match(
                values["employer_name"],
                values["trade_name"],
                values["worksite_state"],
                values["worksite_zip"],
            )
            values["institution_id"] = institution
            values["match_key"] = key
            values["source_id"] = source.pk
            by_key[key or "unmatched"] += 1
            employer = (values["employer_key"], values["worksite_state"])
            matched_employers[employer].add(bool(institution))
        total = len(records)
        report.figures["filings matched to a catalog institution"] = (
            f"{total - by_key['unmatched']} of {total}"
        )
        report.figures["matched by"] = (
            f"worksite ZIP: {by_key[H1bFiling.MatchKey.WORKSITE_ZIP]}, "
            f"name + state: {by_key[H1bFiling.MatchKey.NAME_STATE]}, "
            f"unmatched: {by_key['unmatched']}"
        )
        report.figures["employer-states with a match"] = (
            f"{sum(1 for found in matched_employers.values() if True in found)} "
            f"of {len(matched_employers)}"
        )
        _sync_and_delete(H1bFiling, "case_number", records, report, progress)


class InstitutionMatcher:
    """Catalog institutions indexed by ZIP and by normalised name + state, for the LCA join."""

    def __init__(self, institutions):
        self.by_zip: dict[str, list] = defaultdict(list)
        self.by_name: dict[tuple[str, str], list] = defaultdict(list)
        self.by_words: dict[tuple[frozenset, str], list] = defaultdict(list)
        for inst in institutions:
            if inst.postal_code:
                self.by_zip[inst.postal_code[:5]].append(inst)
            name, suffix = split_state_suffix(inst.name)
            state = inst.region or suffix
            self.by_name[(normalise_name(name), state)].append(inst)
            words = name_words(name)
            if words:
                self.by_words[(words, state)].append(inst)
        self._cache: dict[tuple, tuple[int | None, str]] = {}

    def match(self, employer: str, trade: str, state: str, zip_code: str) -> tuple[int | None, str]:
        key = (employer, trade, state, zip_code)
        if key not in self._cache:
            self._cache[key] = self._match(employer, trade, state, zip_code)
        return self._cache[key]

    def _match(self, employer, trade, state, zip_code):
        words = distinctive_words(employer) | (distinctive_words(trade) if trade else set())
        here = self.by_zip.get(zip_code, [])
        if here:
            scored = sorted(
                ((len(words & distinctive_words(inst.name)), inst) for inst in here),
                key=lambda pair: -pair[0],
            )
            best = scored[0][0]
            if best and (len(scored) == 1 or scored[1][0] < best):
                return scored[0][1].pk, H1bFiling.MatchKey.WORKSITE_ZIP
            # No name in common ("Dana-Farber" at BIDMC's ZIP): only a teaching hospital that is
            # the only one at the ZIP, and not a VA, psychiatric or state hospital, which an
            # employer of residents would name ("Vanderbilt" at a behavioural hospital's ZIP).
            plausible = [
                inst
                for inst in here
                if inst.is_teaching and not (distinctive_words(inst.name) & _OTHER_KIND)
            ]
            if not best and len(plausible) == 1:
                return plausible[0].pk, H1bFiling.MatchKey.WORKSITE_ZIP
        for name in (employer, trade):
            found = self.by_name.get((normalise_name(name), state), []) if name else []
            # A sponsor and its CMS hospital can share a name: the hospital is the place.
            if len(found) > 1:
                found = [inst for inst in found if inst.ccn]
            if len(found) == 1:
                return found[0].pk, H1bFiling.MatchKey.NAME_STATE
        # The same distinctive words in the same state ("MAYO CLINIC", MN -> "Mayo Clinic School
        # of Grad Med Educ-MN"); a sponsor and a hospital alike: the hospital.
        words = name_words(employer)
        if words:
            found = self.by_words.get((words, state), [])
            if len(found) > 1:
                found = [inst for inst in found if inst.ccn]
            if len(found) == 1:
                return found[0].pk, H1bFiling.MatchKey.NAME_STATE
        return None, ""


_OTHER_KIND = frozenset(
    [
        "va",
        "veterans",
        "affairs",
        "behavioral",
        "psychiatric",
        "psychiatry",
        "state",
        "rehabilitation",
    ]
)


def _raise_twice(value: str):
    raise ValueError(f"case number {value} appears twice")


# --- Statistics Canada ODHF hospitals ----------------------------------------------------------

odhf_index = make_pattern(r"\d{1,10}", "an ODHF index (a number)")
province = make_pattern(r"[A-Z]{2}", "a 2-letter province code")

# The source's French text was decoded as Mac Roman: "hÙpital" is "hôpital", "QuÈbec" is
# "Québec", "í" a right quote and "ó" an em dash. In a lower-cased name an upper-case accented
# letter can only be such a mistake.
_MOJIBAKE = re.compile("[ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜíó]")
_SMALL_WORDS = frozenset(
    [
        "of",
        "and",
        "the",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "et",
        "en",
        "for",
        "at",
        "in",
        "on",
        "d",
        "l",
        "aux",
        "au",
        "sur",
    ]
)


def repair_accents(value: str) -> str:
    if not _MOJIBAKE.search(value):
        return value
    try:
        return value.encode("mac_roman").decode("cp1252")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def recase(value: str) -> str:
    """ "Hôpital Régional de Sudbury Regional Hospital" from the source's lower case."""
    words = re.split(r"(\s+|-|/)", value)
    out = []
    for i, word in enumerate(words):
        if not word.strip() or word in ("-", "/") or (i and word in _SMALL_WORDS):
            out.append(word)
        elif re.fullmatch(r"[a-z]\.?[a-z]?\.", word) or word in ("ii", "iii", "iv"):
            out.append(word.upper())
        else:
            out.append(word[:1].upper() + word[1:])
    return "".join(out)


@lru_cache(maxsize=20_000)
def fold(value: str) -> str:
    """Accent-free lower-case words, for comparing city and site names."""
    value = unicodedata.normalize("NFKD", value)
    value = "".join(c for c in value if not unicodedata.combining(c)).lower()
    value = value.replace("saint ", "st ").replace("ste.", "ste").replace("st.", "st")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value).split())


def coordinate(low: float, high: float):
    def parse(value: str) -> float | None:
        number = optional_float(value)
        if number is not None and not low <= number <= high:
            raise ValueError(f"“{value}” is outside {low}..{high}")
        return number

    return parse


def canadian_longitude(value: str) -> float | None:
    """-142..-52, or the same without its minus sign (repaired by the caller and counted)."""
    number = optional_float(value)
    if number is not None and not 52.0 <= abs(number) <= 142.0:
        raise ValueError(f"“{value}” is not a longitude in Canada (-142 to -52)")
    return number


# Not where residents of a stream train: clinics, long-term, mental-health and cancer-only sites.
_NOT_A_TEACHING_SITE = re.compile(
    r"community health|clinic|cancer|continuing care|extended care|long term|mental health|"
    r"psychiatr|rehabilitat|autism|kidney|addiction|centracare|treatment centre|ongwanada|"
    r"providence care|nursing|lodge|manor|hospice|community care"
)
# Sites are "Rural - Medicine Hat", "Moose Jaw - Regional", "Montfort - Bilingual",
# "Kelowna Rural".
_SITE_PREFIX = re.compile(r"^(rural|regional|northern)\b\s*-?\s*", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"(\s+-\s+.*|\s+(rural|regional))$", re.IGNORECASE)
SAME_SITE_KM = 1.0


class OdhfHospitalsImporter(Importer):
    """Canada's hospitals, and CaRMS streams placed at one where the evidence is strong.

    A stream is placed when its site names a city (after "Rural -", "- Regional" are dropped)
    where the ODHF lists exactly one acute hospital with coordinates (the same building listed by
    two providers counts once), in the faculty's province or, failing that, in one province
    only; or when a distinctive word of the site names one hospital of the faculty's province
    ("Montfort"). Big cities with several hospitals (Toronto, Ottawa, Kingston) stay at the city.
    """

    info = ODHF_HOSPITALS
    columns = (
        "odhf_index",
        "facility_name",
        "source_facility_type",
        "provider",
        "street_no",
        "street_name",
        "postal_code",
        "city",
        "province",
        "csd_uid",
        "latitude",
        "longitude",
    )
    requires = ("carms-programs",)

    def parse(self, table: Table) -> dict[str, dict]:
        records: dict[str, dict] = {}
        self.repaired = self.signs = 0
        for number, row in table.rows:
            index = table.value(number, row, "odhf_index", odhf_index)
            if index in records:
                table.value(number, row, "odhf_index", lambda v: _raise_index(v))
            raw = table.value(number, row, "facility_name", required_text)
            name = repair_accents(raw)
            self.repaired += name != raw
            lat = table.value(number, row, "latitude", coordinate(41.0, 84.0))
            lon = table.value(number, row, "longitude", canadian_longitude)
            if lon is not None and lon > 0:
                # 8 rows lost the minus sign (Hardisty AB at 111.3): all of Canada is west.
                lon, self.signs = -lon, self.signs + 1
            if (lat is None) != (lon is None):
                table.value(number, row, "longitude", _raise_half)
            street = " ".join(
                part
                for part in (
                    table.value(number, row, "street_no", text),
                    repair_accents(table.value(number, row, "street_name", text)),
                )
                if part
            )
            if lat is None:
                precision = ""
            elif row["street_no"].strip():
                # A street without a number ("dr o k hjertaas dr") is not an address point.
                precision = Institution.CoordinatePrecision.ADDRESS
            else:
                precision = Institution.CoordinatePrecision.SOURCE
            records[index] = {
                "name": recase(name),
                "facility_type": repair_accents(
                    table.value(number, row, "source_facility_type", text)
                ),
                "provider": repair_accents(table.value(number, row, "provider", text)),
                "address": recase(street),
                "postal_code": table.value(number, row, "postal_code", text)[:7],
                "city": recase(repair_accents(table.value(number, row, "city", text))),
                "province": table.value(number, row, "province", province),
                "csd_uid": table.value(number, row, "csd_uid", text),
                "latitude": lat,
                "longitude": lon,
                "coordinates_precision": precision,
                "source_row": number,
            }
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        for values in records.values():
            values["source_id"] = source.pk
        # Before a deleted hospital takes its streams' placements with it (cascade).
        placed_before = set(CarmsStreamSite.objects.values_list("carms_stream_id", flat=True))
        _sync_and_delete(CanadianHospital, "odhf_index", records, report, progress)
        report.figures["hospitals with coordinates"] = (
            f"{sum(1 for v in records.values() if v['latitude'] is not None)} of {len(records)}"
        )
        report.figures["names with repaired accents"] = self.repaired
        report.figures["longitudes missing their minus sign (repaired)"] = self.signs
        self._place_streams(placement_rows(), source, report, placed_before)

    def _place_streams(self, hospitals, source, report: ImportReport, placed_before) -> None:
        placer = StreamPlacer(hospitals)
        # The faculty's region beside each stream, not the faculty (815 institution objects).
        programs = list(
            Program.objects.exclude(carms_stream_id="").annotate(
                faculty_region=F("institution__region")
            )
        )
        sites, coordinates, by_evidence = {}, {}, Counter()
        for program in programs:
            found = placer.place(program.site, program.region or program.faculty_region)
            if found is None:
                if program.carms_stream_id not in placed_before:
                    continue  # as the CaRMS import left it
                place = geo.city_to_place(program.site, country="CA") if program.site else None
                # Back to what the CaRMS import gives an unplaced stream (its city, if any).
                coordinates[program.pk] = {
                    "latitude": place.latitude if place else None,
                    "longitude": place.longitude if place else None,
                    "coordinates_precision": Institution.CoordinatePrecision.CITY if place else "",
                }
                continue
            hospital, evidence, how = found
            by_evidence[how] += 1
            sites[program.carms_stream_id] = {
                "program_id": program.pk,
                "hospital_id": hospital.pk,
                "evidence": evidence,
                "source_id": source.pk,
            }
            coordinates[program.pk] = stream_coordinates(hospital)
        report.figures["CaRMS streams placed at an ODHF hospital"] = (
            f"{len(sites)} of {len(programs)} ("
            + ", ".join(f"{how}: {count}" for how, count in sorted(by_evidence.items()))
            + ")"
        )
        _sync_and_delete(CarmsStreamSite, "carms_stream_id", sites, report, None)
        update_rows(Program, programs, coordinates, report)


PLACEMENT_FIELDS = ("name", "city", "province", "latitude", "longitude", "coordinates_precision")


def placement_rows() -> list:
    """Every ODHF hospital (the file's, once synced) with what the placement reads of it, as
    named tuples, not model objects: building 2,000 of those cost ~0.04 s of the import's 0.15 s.
    Their order is the primary key's: a placement does not depend on it (``_distinct_buildings``
    sorts the located rows, and whether one building is left does not depend on the order of
    the others)."""
    return list(
        CanadianHospital.objects.order_by("pk").values_list("pk", *PLACEMENT_FIELDS, named=True)
    )


def stream_coordinates(hospital) -> dict:
    """A placed stream's coordinates: the hospital's, as precise as the ODHF row is."""
    return {
        "latitude": hospital.latitude,
        "longitude": hospital.longitude,
        "coordinates_precision": hospital.coordinates_precision,
    }


class StreamPlacer:
    """Which ODHF hospital a CaRMS site names, if the evidence is strong (see the importer).

    Hospitals without coordinates (most CIHI rows) still count when deciding whether a city has
    one hospital: Kingston's only row with coordinates is Hotel Dieu, but the ODHF also lists
    Kingston General without them, so a Kingston stream stays at the city.
    """

    def __init__(self, hospitals):
        self.by_city: dict[tuple[str, str], list] = defaultdict(list)
        # Each hospital with the words of its folded name, read by every site that is no city
        # (815 streams; folding each name again per stream was most of the placement's time).
        self.by_province: dict[str, list[tuple[tuple, set[str]]]] = defaultdict(list)
        for hospital in hospitals:
            if _NOT_A_TEACHING_SITE.search(hospital.name.lower()):
                continue
            self.by_city[(fold(hospital.city), hospital.province)].append(hospital)
            self.by_province[hospital.province].append((hospital, set(fold(hospital.name).split())))
        self.cities = {city for city, _ in self.by_city}
        self._city_buildings: dict[tuple[str, str], list] = {}
        self.provinces_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key in self.by_city:
            self.provinces_of[key[0]].append(key)

    def _buildings(self, key: tuple[str, str]) -> list:
        """``_distinct_buildings`` of a city's hospitals, once per city: many streams name the
        same city, and Toronto's hospitals compared pairwise cost 70,000 distances."""
        found = self._city_buildings.get(key)
        if found is None:
            found = self._city_buildings[key] = _distinct_buildings(self.by_city[key])
        return found

    def place(self, site: str, region: str):
        if not site:
            return None
        city = fold(_SITE_SUFFIX.sub("", _SITE_PREFIX.sub("", site.strip())))
        key = (city, region)
        if key not in self.by_city:
            provinces = self.provinces_of.get(city, [])
            key = provinces[0] if len(provinces) == 1 else None
        if key is not None:
            buildings = self._buildings(key)
            if len(buildings) == 1 and buildings[0].latitude is not None:
                hospital = buildings[0]
                return (
                    hospital,
                    f"the only acute hospital the ODHF lists in {hospital.city}, "
                    f"{hospital.province}",
                    "only hospital in the site's city",
                )
            return None
        # The site is not a city the ODHF knows: "Montfort - Bilingual", "Maisonneuve-Rosemont".
        # Every distinctive word of the site (no city, region or generic word) must be in the
        # hospital's name, and one word alone must be long enough to be a name (8+ letters).
        words = {
            word
            for word in fold(site).split()
            if len(word) >= 3
            and word not in _SITE_WORDS
            and word not in self.cities
            and not _is_canadian_city(word)
        }
        if not words or (len(words) == 1 and len(next(iter(words))) < 8):
            return None
        named = [h for h, name in self.by_province.get(region, []) if words <= name]
        buildings = _distinct_buildings(named)
        if len(buildings) == 1 and buildings[0].latitude is not None:
            return (
                buildings[0],
                f"the site “{site}” names {buildings[0].name}",
                "site names the hospital",
            )
        return None


@lru_cache(maxsize=5_000)
def _is_canadian_city(word: str) -> bool:
    """ "waterloo", "kitchener": a place name says where, not which hospital."""
    try:
        return geo.city_to_place(word, country="CA") is not None
    except geo.AmbiguousPlace:
        return True


_SITE_WORDS = frozenset(
    [
        "rural",
        "regional",
        "bilingual",
        "unit",
        "based",
        "stream",
        "integrated",
        "communities",
        "surrounding",
        "greater",
        "area",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "remote",
        "and",
        "the",
        "des",
        "les",
        "health",
        "hospital",
        "hospitals",
        "centre",
        "center",
        "general",
        "medical",
        "university",
        "memorial",
        "hub",
        "community",
        "saint",
        "island",
        "valley",
        "network",
        "immersion",
        "indigenous",
        "mainland",
        "urban",
        "grand",
        "fraser",
        "vancouver",
        "okanagan",
        "interior",
        "kootenay",
        "kawartha",
        "nova",
        "scotia",
        "saskatchewan",
        "manitoba",
        "alberta",
        "ontario",
        "quebec",
        "british",
        "columbia",
        "cape",
        "breton",
        "peel",
        "halton",
        "niagara",
        "simcoe",
        "muskoka",
        "estrie",
        "mauricie",
        "outaouais",
        "abitibi",
        "gaspesie",
        "laurentides",
        "lanaudiere",
        "monteregie",
        "newfoundland",
        "labrador",
        "prince",
        "edward",
    ]
)


def _distinct_buildings(hospitals):
    """One row per building. Providers list the same hospital twice: rows with coordinates within
    SAME_SITE_KM are one building (the row with a street address wins); a row without
    coordinates is the same building as one that shares a distinctive name word, else another."""
    located = sorted(
        (h for h in hospitals if h.latitude is not None),
        key=lambda h: (h.coordinates_precision != Institution.CoordinatePrecision.ADDRESS, h.pk),
    )
    kept = []
    for hospital in located:
        if all(
            geo.haversine_km(hospital.latitude, hospital.longitude, k.latitude, k.longitude)
            > SAME_SITE_KM
            for k in kept
        ):
            kept.append(hospital)
    for hospital in hospitals:
        if hospital.latitude is not None:
            continue
        words = _name_words(hospital)
        if not any(words & _name_words(k) for k in kept):
            kept.append(hospital)
    return kept


def _name_words(hospital) -> frozenset[str]:
    return _words_of(hospital.name, hospital.city)


@lru_cache(maxsize=20_000)
def _words_of(name: str, city_name: str) -> frozenset[str]:
    city = set(fold(city_name).split())
    return frozenset(
        word
        for word in fold(name).split()
        if len(word) >= 4 and word not in _SITE_WORDS and word not in city
    )


def _raise_index(value: str):
    raise ValueError(f"ODHF index {value} appears twice")


def _raise_half(value: str):
    raise ValueError("a latitude without a longitude (or the reverse)")
