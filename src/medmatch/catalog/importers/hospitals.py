"""US hospitals: CMS general information, HIFLD coordinates, cost-report teaching status.

The CMS file creates the hospitals (keyed by CCN); the other two only add facts to them, each
fact pointing at the file it came from (``coordinates_source``, ``teaching_source``).
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial

from medmatch.catalog.models import Institution
from medmatch.catalog.search_text import institution_search_text
from medmatch.lib import geo

from .base import (
    Importer,
    ImportReport,
    InstitutionFields,
    SourceInfo,
    Table,
    ccn,
    cms_hospitals,
    optional_float,
    optional_int,
    required_text,
    save_derived_source,
    sync_rows,
    text,
    update_rows,
    zip5,
)

CMS_HOSPITALS = SourceInfo(
    key="cms-hospitals",
    name="CMS Hospital General Information (2025)",
    publisher="Centers for Medicare & Medicaid Services (CMS), Provider Data Catalog xubh-q36u",
    url="https://data.cms.gov/provider-data/dataset/xubh-q36u",
    license="US federal government work, public domain",
    retrieved_on=date(2026, 2, 6),
    file_name="hospitals/cms_hospital_general_information_2025.csv",
    notes="Copy from github seandunleavy/Healthcare-Market-Intelligence (commit d59fee4).",
)
HIFLD_HOSPITALS = SourceInfo(
    key="hifld-hospitals",
    name="HIFLD Open: Hospitals",
    publisher="DHS / CISA Homeland Infrastructure Foundation-Level Data (HIFLD Open)",
    url="https://github.com/yianzhang14/cybergis_hospitals",
    license="HIFLD Open, public domain / unrestricted",
    retrieved_on=date(2023, 4, 18),
    file_name="hospitals/hifld_hospitals.csv",
    notes="Source dates 2020-2022. Used only for coordinates, beds and websites of CMS hospitals.",
)
ZIP_CENTROIDS = SourceInfo(
    key="geonames-zip-centroids",
    name="US ZIP code centroids (zipcodes package, GeoNames)",
    publisher="GeoNames, via the zipcodes Python package",
    url="https://www.geonames.org/",
    license="CC BY 4.0 (GeoNames)",
    retrieved_on=date(2025, 1, 1),
    file_name="",
    notes="Fallback coordinates for CMS hospitals the HIFLD join did not find.",
)
TEACHING_FTE = SourceInfo(
    key="teaching-fte",
    name="Teaching hospitals: resident FTE, CMS cost reports FY2021",
    publisher="CMS Hospital Provider Cost Report (HCRIS), FY2021",
    url="https://github.com/Keerthidwaraka/A-Deep-Dive-into-America-s-Hospitals",
    license="US federal government work, public domain",
    retrieved_on=date(2026, 11, 1),
    file_name="teaching/teaching_hospitals_resident_fte_fy2021.csv",
    notes="Rows of all FY2021 cost reports with resident FTE > 0 (extract of CostReport_2021).",
)

# CMS "Hospital Type" -> our kind. Acute care (and the few long-term and rural emergency
# hospitals) start as community hospitals; the teaching importer refines them (see kind_for).
TYPE_KINDS = {
    "Acute Care Hospitals": Institution.Kind.COMMUNITY,
    "Critical Access Hospitals": Institution.Kind.CRITICAL_ACCESS,
    "Psychiatric": Institution.Kind.PSYCHIATRIC,
    "Acute Care - Veterans Administration": Institution.Kind.VA,
    "Childrens": Institution.Kind.CHILDRENS,
    "Acute Care - Department of Defense": Institution.Kind.MILITARY,
    "Rural Emergency Hospital": Institution.Kind.COMMUNITY,
    "Long-term": Institution.Kind.COMMUNITY,
}
# VA and DoD hospitals do not file Medicare cost reports, so their absence from the cost-report
# extract says nothing about teaching (many VA hospitals train residents): unknown, not False.
NO_COST_REPORT_KINDS = {Institution.Kind.VA, Institution.Kind.MILITARY}

# A "major teaching" hospital in MedPAC's sense has an intern-and-resident-to-bed ratio of at
# least 0.25; we call those academic medical centers when they also train a real department's
# worth of residents (25+ FTE), and any hospital with 200+ resident FTE academic whatever its bed
# count. Other hospitals that claim residents are "teaching"; the rest stay "community".
ACADEMIC_RESIDENTS_PER_BED = 0.25
ACADEMIC_MINIMUM_FTE = 25.0
ACADEMIC_ANY_BEDS_FTE = 200.0


def kind_for(hospital_type: str, resident_fte: float | None, beds: int | None) -> str:
    kind = TYPE_KINDS.get(hospital_type, "")
    if kind != Institution.Kind.COMMUNITY or not resident_fte:
        return kind
    if resident_fte >= ACADEMIC_ANY_BEDS_FTE or (
        resident_fte >= ACADEMIC_MINIMUM_FTE
        and beds
        and resident_fte / beds >= ACADEMIC_RESIDENTS_PER_BED
    ):
        return Institution.Kind.ACADEMIC
    return Institution.Kind.TEACHING


def yes_no(value: str) -> bool | None:
    value = text(value)
    if not value:
        return None
    if value in ("Yes", "Y"):
        return True
    if value in ("No", "N"):
        return False
    raise ValueError(f"“{value}” is not Yes or No")


def star_rating(value: str) -> int | None:
    rating = optional_int(value)
    if rating is not None and not 1 <= rating <= 5:
        raise ValueError(f"“{value}” is not a star rating from 1 to 5")
    return rating


def refresh_search_text(institutions) -> None:
    for inst in institutions:
        inst.search_text = institution_search_text(inst)


class CmsHospitalsImporter(Importer):
    info = CMS_HOSPITALS
    columns = (
        "Facility ID",
        "Facility Name",
        "Address",
        "City/Town",
        "State",
        "ZIP Code",
        "Telephone Number",
        "Hospital Type",
        "Hospital Ownership",
        "Emergency Services",
        "Hospital overall rating",
    )

    def parse(self, table: Table) -> dict[str, dict]:
        records = {}
        lines = table.parsed(
            [
                ("Facility ID", ccn),
                ("Hospital Type", required_text),
                ("Facility Name", required_text),
                ("Address", text),
                ("City/Town", text),
                ("State", required_text),
                ("ZIP Code", zip5),
                ("Telephone Number", text),
                ("Hospital Ownership", text),
                ("Emergency Services", yes_no),
                ("Hospital overall rating", star_rating),
            ]
        )
        for (number, values), parsed in lines:
            (
                code,
                hospital_type,
                name,
                address,
                city,
                region,
                postal_code,
                telephone,
                ownership,
                emergency_services,
                star,
            ) = parsed
            if hospital_type not in TYPE_KINDS:
                known = ", ".join(TYPE_KINDS)
                check = partial(_raise, known=known)
                table.value(number, table.row(values), "Hospital Type", check)
            if code in records:
                table.value(number, table.row(values), "Facility ID", _raise_duplicate)
            records[code] = {
                "name": name,
                "address": address,
                "city": city,
                "region": region,
                "postal_code": postal_code,
                "telephone": telephone,
                "hospital_type": hospital_type,
                "ownership": ownership,
                "emergency_services": emergency_services,
                "cms_star_rating": star,
                "source_row": number,
            }
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        existing = {inst.ccn: inst for inst in Institution.objects.exclude(ccn="")}
        for code, values in records.items():
            values.update(country="US", country_name="United States", source_id=source.pk)
            current = existing.get(code)
            # The kind also depends on the teaching facts, which this file does not carry: keep
            # whatever the teaching import found so that re-running this import changes nothing.
            fte = current.resident_fte if current else None
            beds = current.beds if current and current.teaching_source_id else None
            values["kind"] = kind_for(values["hospital_type"], fte, beds)
            snapshot = (
                InstitutionFields.of(current, **values)
                if current
                else InstitutionFields(ccn=code, **values)
            )
            values["search_text"] = institution_search_text(snapshot)
        sync_rows(Institution, "ccn", records, report, existing, progress)


def _raise(value: str, known: str):
    raise ValueError(f"unknown hospital type “{value}” (known: {known})")


def _raise_duplicate(value: str):
    raise ValueError(f"CCN {value} appears twice")


# --- HIFLD coordinates -------------------------------------------------------------------------

_STREET_WORDS = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "drive": "dr",
    "boulevard": "blvd",
    "highway": "hwy",
    "hiway": "hwy",
    "parkway": "pkwy",
    "lane": "ln",
    "place": "pl",
    "court": "ct",
    "circle": "cir",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "saint": "st",
    "mount": "mt",
    "suite": "",
    "ste": "",
    "us": "us",
}
_NON_WORD = re.compile(r"[^a-z0-9 ]+")


def street_key(address: str) -> str:
    """ "1108 ross clark cir" from "1108 ROSS CLARK CIRCLE, PO BOX 760": number + street words."""
    first = address.split(",")[0].lower().replace(".", "")
    words = [_STREET_WORDS.get(word, word) for word in _NON_WORD.sub(" ", first).split()]
    words = [word for word in words if word]
    if not words or not words[0][0].isdigit():
        return ""
    return " ".join(words)


def street_number(address: str) -> str:
    key = street_key(address)
    return key.split()[0] if key else ""


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The normalised name (linking.normalise_name, a pure function): the join below asks for
    each CMS and HIFLD name more than once."""
    from .linking import normalise_name

    return normalise_name(name)


@dataclass(frozen=True)
class HifldHospital:
    row: int
    hifld_id: str
    name: str
    street: str
    postal_code: str
    latitude: float
    longitude: float
    beds: int | None
    website: str
    is_open: bool
    trauma_designation: str = ""
    trauma_level: int | None = None


_TRAUMA_LEVEL = re.compile(r"\bLEVEL\s+(IV|V|I{1,3})\b")
_ROMAN_LEVELS = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


def trauma(value: str) -> tuple[str, int | None]:
    """HIFLD's TRAUMA text and the best (lowest) trauma level it names, adult or paediatric
    ("LEVEL I ADULT, LEVEL II PEDIATRIC" -> 1); rehabilitation levels are not trauma care.
    State codes without a level (TRH, CTH...) keep their text and an unknown level; "NOT
    AVAILABLE" is unknown, never "not a trauma centre"."""
    designation = text(value).upper()
    levels = [
        _ROMAN_LEVELS[level]
        for item in re.split(r"[,/]", designation)
        if "REHAB" not in item
        for level in _TRAUMA_LEVEL.findall(item)
    ]
    return designation, min(levels) if levels else None


def latitude(value: str) -> float:
    number = optional_float(value)
    if number is None or not -90 <= number <= 90:
        raise ValueError(f"“{value}” is not a latitude")
    return number


def longitude(value: str) -> float:
    number = optional_float(value)
    if number is None or not -180 <= number <= 180:
        raise ValueError(f"“{value}” is not a longitude")
    return number


def website(value: str) -> str:
    value = text(value)
    return value if value.lower().startswith(("http://", "https://")) else ""


class HifldHospitalsImporter(Importer):
    """Coordinates for CMS hospitals, joined by street (number + name) + ZIP, then name + ZIP.

    CMS hospitals that neither join finds get their ZIP code's centroid, marked as such.
    """

    info = HIFLD_HOSPITALS
    columns = (
        "ID",
        "NAME",
        "ADDRESS",
        "ZIP",
        "STATUS",
        "LATITUDE",
        "LONGITUDE",
        "BEDS",
        "WEBSITE",
        "TRAUMA",
    )
    requires = ("cms-hospitals",)
    keeps_cms_hospitals = True

    def parse(self, table: Table) -> list[HifldHospital]:
        hospitals = []
        lines = table.parsed(
            [
                ("BEDS", optional_int),
                ("TRAUMA", trauma),
                ("ID", required_text),
                ("NAME", required_text),
                ("ADDRESS", street_key),
                ("ZIP", zip5),
                ("LATITUDE", latitude),
                ("LONGITUDE", longitude),
                ("WEBSITE", website),
                ("STATUS", str),
            ]
        )
        for (number, _), parsed in lines:
            (
                beds,
                (designation, level),
                hifld_id,
                name,
                street,
                postal_code,
                lat,
                lon,
                site,
                status,
            ) = parsed
            hospitals.append(
                HifldHospital(
                    row=number,
                    hifld_id=hifld_id,
                    name=name,
                    street=street,
                    postal_code=postal_code,
                    latitude=lat,
                    longitude=lon,
                    beds=beds if beds and beds > 0 else None,
                    website=site,
                    is_open=status.strip().upper() != "CLOSED",
                    trauma_designation=designation,
                    trauma_level=level,
                )
            )
        return hospitals

    def write(self, records, source, report: ImportReport, progress) -> None:
        zip_source = save_derived_source(ZIP_CENTROIDS)
        # Open facilities win over closed ones at the same address (a closed row is often the
        # building's previous hospital).
        by_street, by_name, by_number = {}, {}, {}
        for hospital in sorted(records, key=lambda h: not h.is_open):
            if hospital.street:
                by_street.setdefault((hospital.street, hospital.postal_code), hospital)
                number = hospital.street.split()[0]
                by_number.setdefault((number, hospital.postal_code), []).append(hospital)
            by_name.setdefault((name_key(hospital.name), hospital.postal_code), hospital)
        hospitals = cms_hospitals()
        updates, unjoined, by_method = {}, [], {"street": 0, "name": 0, "street number": 0}
        for inst in hospitals:
            match, method = None, ""
            street = street_key(inst.address)
            if street and (street, inst.postal_code) in by_street:
                match, method = by_street[(street, inst.postal_code)], "street"
            elif (name_key(inst.name), inst.postal_code) in by_name:
                match, method = by_name[(name_key(inst.name), inst.postal_code)], "name"
            elif street:
                # Same street number and ZIP, and only one open hospital there: the street name is
                # spelled differently ("US HWY 431 N" / "U S HIGHWAY 431 NORTH").
                same = [
                    h for h in by_number.get((street.split()[0], inst.postal_code), []) if h.is_open
                ]
                if len(same) == 1:
                    match, method = same[0], "street number"
            if not match:
                unjoined.append(inst)
                continue
            by_method[method] += 1
            values = {
                "latitude": match.latitude,
                "longitude": match.longitude,
                "coordinates_precision": Institution.CoordinatePrecision.ADDRESS,
                "coordinates_source_id": source.pk,
                "hifld_id": match.hifld_id,
                "website": match.website or inst.website,
                "trauma_designation": match.trauma_designation,
                "trauma_level": match.trauma_level,
            }
            # Beds from the cost report (teaching import) are Medicare's own count; HIFLD's
            # state-licence count only fills the gap for the other hospitals.
            if inst.resident_fte is None:
                values["beds"] = match.beds
            updates[inst.pk] = values
        fallback = self._zip_centroids(unjoined, zip_source, updates)
        joined = len(hospitals) - len(unjoined)
        total = len(hospitals)
        report.figures["CMS hospitals joined to HIFLD"] = (
            f"{joined} of {total} ({100 * joined / total:.1f}%)" if total else "0"
        )
        report.figures["joined by"] = ", ".join(f"{k}: {v}" for k, v in by_method.items())
        report.figures["ZIP centroid fallback"] = fallback
        report.figures["no coordinates"] = len(unjoined) - fallback
        report.skip("HIFLD facility not among CMS hospitals", max(0, len(records) - joined))
        update_rows(Institution, hospitals, updates, report, progress)

    @staticmethod
    def _zip_centroids(hospitals, zip_source, updates) -> int:
        """Put the centroid of its ZIP code in ``updates`` for each of ``hospitals`` (those no
        join found), or no coordinates when the code is unknown; returns how many got one.

        Their ~400 codes from one pass over the zipcodes package's rows, which the NRMP import
        reads too (``geo.zip_rows``, once per run), and only theirs converted, not the 5,400
        codes of every CMS hospital."""
        zips = geo.zip_table(inst.postal_code for inst in hospitals) if hospitals else {}
        fallback = 0
        for inst in hospitals:
            place = geo.zip_to_place(inst.postal_code, zips)
            fallback += place is not None
            updates[inst.pk] = {
                "latitude": place.latitude if place else None,
                "longitude": place.longitude if place else None,
                "coordinates_precision": (
                    Institution.CoordinatePrecision.POSTAL_CODE if place else ""
                ),
                "coordinates_source_id": zip_source.pk if place else None,
                "hifld_id": "",
                "trauma_designation": "",
                "trauma_level": None,
            }
        return fallback


# --- Teaching status ---------------------------------------------------------------------------


class TeachingImporter(Importer):
    """Teaching status and resident FTE from the FY2021 cost-report extract.

    The extract lists every FY2021 Medicare cost report that claimed residents (FTE > 0). Every
    acute, critical-access, psychiatric and children's hospital files such a report, so a CMS
    hospital absent from it did not claim residents that year: ``is_teaching = False`` (stated as
    "not listed as teaching in FY2021 cost reports"). VA and DoD hospitals file no Medicare cost
    report, so for them absence proves nothing and ``is_teaching`` stays unknown (None).
    """

    info = TEACHING_FTE
    columns = ("ccn", "hospital_name", "beds", "resident_fte")
    requires = ("cms-hospitals",)
    keeps_cms_hospitals = True

    def parse(self, table: Table) -> dict[str, tuple[int, float, int | None]]:
        records = {}
        for number, row in table.rows:
            code = table.value(number, row, "ccn", ccn)
            fte = table.value(number, row, "resident_fte", optional_float)
            if fte is None or fte < 0:
                table.value(number, row, "resident_fte", _raise_fte)
            beds = table.value(number, row, "beds", optional_int)
            records[code] = (number, fte, beds if beds and beds > 0 else None)
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        hospitals = cms_hospitals()
        known = {inst.ccn for inst in hospitals}
        report.skip(
            "CCN not among the 2025 CMS hospitals (closed or merged since FY2021)",
            sum(1 for code in records if code not in known),
        )
        updates, teaching, not_listed, unknown = {}, 0, 0, 0
        for inst in hospitals:
            found = records.get(inst.ccn)
            if found:
                _, fte, beds = found
                teaching += 1
                values = {
                    "is_teaching": fte > 0,
                    "resident_fte": fte,
                    "beds": beds if beds is not None else inst.beds,
                    "teaching_source_id": source.pk,
                }
            elif inst.kind in NO_COST_REPORT_KINDS:
                unknown += 1
                values = {"is_teaching": None, "resident_fte": None, "teaching_source_id": None}
            else:
                not_listed += 1
                values = {
                    "is_teaching": False,
                    "resident_fte": None,
                    "teaching_source_id": source.pk,
                }
            values["kind"] = kind_for(
                inst.hospital_type, values["resident_fte"], values.get("beds", inst.beds)
            )
            snapshot = InstitutionFields.of(inst, **values)
            values["search_text"] = institution_search_text(snapshot)
            updates[inst.pk] = values
        report.figures["teaching (resident FTE > 0)"] = teaching
        report.figures["not listed as teaching in FY2021 cost reports"] = not_listed
        report.figures["unknown (VA/DoD: no Medicare cost report)"] = unknown
        report.figures["academic medical centers (rule in kind_for)"] = sum(
            1 for values in updates.values() if values["kind"] == Institution.Kind.ACADEMIC
        )
        update_rows(Institution, hospitals, updates, report, progress)


def _raise_fte(value: str):
    raise ValueError(f"“{value}” is not a resident FTE count (a number, 0 or more)")
