"""CaRMS 2025 R-1 program streams (Canada): one institution per faculty, one program per stream."""

import re
import unicodedata
from datetime import date

from medmatch.catalog.models import CarmsStreamSite, Institution, Program, Specialty
from medmatch.catalog.search_text import institution_search_text, program_search_text
from medmatch.lib import geo

from .base import (
    Importer,
    ImportReport,
    ProgramFields,
    SourceInfo,
    Table,
    make_pattern,
    required_text,
    sync_rows,
    text,
)
from .hospital_data import stream_coordinates

CARMS_PROGRAMS = SourceInfo(
    key="carms-programs",
    name="CaRMS 2025 R-1 Main Residency Match program streams",
    publisher="CaRMS (Canadian Resident Matching Service), match 1503",
    url="https://github.com/dnokes/Junior-Data-Scientist",
    license="No licence stated; public CaRMS facts, attribute CaRMS",
    retrieved_on=date(2025, 1, 1),
    file_name="international/carms_2025_r1_program_master.csv",
    notes="Program descriptions were not taken.",
)

# The 18 Canadian faculties of medicine in the file: our short key, province and main city.
# CaRMS's own school_id in this extract changes per discipline, so it cannot key a faculty.
FACULTIES = {
    "Memorial University of Newfoundland": ("MUN", "NL", "St. John's"),
    "Dalhousie University": ("DAL", "NS", "Halifax"),
    "McGill University": ("MCGILL", "QC", "Montreal"),
    "Université Laval": ("LAVAL", "QC", "Quebec City"),
    "Université de Sherbrooke": ("SHERBROOKE", "QC", "Sherbrooke"),
    "Université de Montréal": ("MONTREAL", "QC", "Montreal"),
    "University of Ottawa": ("OTTAWA", "ON", "Ottawa"),
    "Queen\u2019s University": ("QUEENS", "ON", "Kingston"),
    "University of Toronto": ("TORONTO", "ON", "Toronto"),
    "Toronto Metropolitan University": ("TMU", "ON", "Toronto"),
    "McMaster University": ("MCMASTER", "ON", "Hamilton"),
    "Western University": ("WESTERN", "ON", "London"),
    "NOSM University": ("NOSM", "ON", "Sudbury"),
    "University of Manitoba": ("MANITOBA", "MB", "Winnipeg"),
    "University of Saskatchewan": ("SASKATCHEWAN", "SK", "Saskatoon"),
    "University of Alberta": ("ALBERTA", "AB", "Edmonton"),
    "University of Calgary": ("CALGARY", "AB", "Calgary"),
    "University of British Columbia": ("UBC", "BC", "Vancouver"),
}

# The provinces where a faculty's distributed sites are (Dalhousie's Maritime sites, Sherbrooke's
# Moncton, Alberta's Yellowknife, Memorial's Nunavut): a city a site names is looked up only there.
SITE_PROVINCES = {
    "DAL": ("NS", "NB", "PE"),
    "SHERBROOKE": ("QC", "NB"),
    "ALBERTA": ("AB", "NT"),
    "MUN": ("NL", "NU"),
}
# Sites that name a region, whose one city the faculty's own campus settles (city, source).
SITE_REGION_CITIES = {
    ("TMU", "Peel & Surrounding Communities"): (
        "Brampton",
        "TMU School of Medicine's campus, 150 Central Park Dr, Brampton (Peel Region)",
    ),
}
# A place word followed by one of these is a region, not that city ("Vancouver Island").
_REGION_AFTER = frozenset(["island", "islands", "valley", "county", "region", "shore"])
_SITE_WORD = re.compile(r"[^\s\-\u2013()&/,]+")


def _fold(value: str) -> str:
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]+", " ", value.lower()).strip()


def site_city(site: str, province: str, key: str = "") -> geo.Place | None:
    """The one city of the faculty's province(s) that a stream's site names among other words:
    "Rural - Lethbridge", "Saskatoon - Urban", "Saint-Joseph (Trois-Rivières)", "Greater Toronto
    Area", "Northern Thompson". Two cities ("Barrie or Newmarket", "Kitchener-Waterloo") or a
    region named after a city ("Vancouver Island") say nothing. A city only by its own name,
    not by one of GeoNames' other names for it."""
    words = list(_SITE_WORD.finditer(site))
    found: dict[str, tuple[int, int, geo.Place]] = {}
    for start in range(len(words)):
        for end in range(start, min(start + 4, len(words))):
            gram = site[words[start].start() : words[end].end()]
            after = words[end + 1].group().lower() if end + 1 < len(words) else ""
            if len(gram) < 4 or after in _REGION_AFTER:
                continue
            spelled = re.sub(r"^St(e?)-", lambda m: "Sainte-" if m.group(1) else "Saint-", gram)
            for region in SITE_PROVINCES.get(key, (province,)):
                place = geo.city_to_place(spelled, country="CA", region=region)
                if place:
                    # By another of its names ("Sudbury" for Greater Sudbury) a city still
                    # counts against another one, but is never the answer.
                    own = _fold(place.label.split(",")[0]) == _fold(spelled)
                    found.setdefault(place.label, (start, end, place, own))
                    break
    # "Sault Ste. Marie" may contain a shorter name ("Marie"): only the longest span counts.
    spans = list(found.values())
    cities = [
        (place, own)
        for start, end, place, own in spans
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _, _ in spans)
    ]
    if len({place.label for place, _ in cities}) != 1 or not cities[0][1]:
        return None
    return cities[0][0]


stream_id = make_pattern(r"\d{1,10}", "a numeric CaRMS program stream id")
discipline_id = make_pattern(r"\d{1,6}", "a numeric CaRMS discipline id")


def faculty(value: str) -> str:
    value = value.strip()
    if value not in FACULTIES:
        raise ValueError(f"“{value}” is not one of the 18 Canadian faculties of medicine")
    return value


def url(value: str) -> str:
    value = text(value)
    if value and not value.startswith(("http://", "https://")):
        raise ValueError(f"“{value}” is not a web address")
    return value


def carms_title(discipline: str, site: str, stream: str) -> str:
    """ "Anesthesiology — Ottawa (IMG Stream for IMG)": a faculty often offers one discipline at
    one site in several streams (CMG, IMG, regular), which would otherwise read as the same row."""
    title = f"{discipline} — {site}" if site else discipline
    return f"{title} ({stream})" if stream else title


class CarmsProgramsImporter(Importer):
    info = CARMS_PROGRAMS
    columns = (
        "discipline_id",
        "discipline_name",
        "school_name",
        "program_stream_id",
        "program_site",
        "program_stream",
        "program_name",
        "program_url",
    )
    requires = ("carms-disciplines",)

    def parse(self, table: Table) -> list[dict]:
        records, seen = [], set()
        for number, row in table.rows:
            stream = table.value(number, row, "program_stream_id", stream_id)
            if stream in seen:
                table.value(number, row, "program_stream_id", _raise_duplicate)
            seen.add(stream)
            records.append(
                {
                    "row": number,
                    "stream_id": stream,
                    "discipline_id": table.value(number, row, "discipline_id", discipline_id),
                    "discipline": table.value(number, row, "discipline_name", required_text),
                    "school": table.value(number, row, "school_name", faculty),
                    "site": table.value(number, row, "program_site", text),
                    "stream": table.value(number, row, "program_stream", text),
                    "name": table.value(number, row, "program_name", required_text),
                    "url": table.value(number, row, "program_url", url),
                }
            )
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        schools = {}
        for record in records:
            name = record["school"]
            if name in schools:
                continue
            key, province, city = FACULTIES[name]
            place = geo.city_to_place(city, country="CA")
            values = {
                "name": name,
                "kind": Institution.Kind.MEDICAL_SCHOOL,
                "city": city,
                "region": province,
                "country": "CA",
                "country_name": "Canada",
                "latitude": place.latitude if place else None,
                "longitude": place.longitude if place else None,
                "coordinates_precision": Institution.CoordinatePrecision.CITY if place else "",
                "source_id": source.pk,
                "source_row": record["row"],
            }
            values["search_text"] = institution_search_text(
                Institution(carms_school_id=key, **values)
            )
            schools[key] = values
        institutions = sync_rows(Institution, "carms_school_id", schools, report)
        specialties = {
            s.code: s
            for s in Specialty.objects.filter(system=Specialty.System.CARMS).select_related(
                "equivalent"
            )
        }
        # Streams the ODHF import placed at a hospital keep that hospital's coordinates, so that
        # re-importing this file does not undo the placement (and changes nothing).
        placed = {
            site.carms_stream_id: site.hospital
            for site in CarmsStreamSite.objects.select_related("hospital")
        }
        rows, located, named_in_site, in_campus_city, out_of_province = {}, 0, 0, 0, 0
        for record in records:
            key, province, _ = FACULTIES[record["school"]]
            institution = institutions[key]
            specialty = specialties.get(record["discipline_id"])
            # Sites are cities for most streams and regions for some ("Interior", "Fraser"):
            # only a site that names a known Canadian city gets coordinates.
            place = geo.city_to_place(record["site"], country="CA") if record["site"] else None
            city = record["site"] if place else ""
            if place is None and record["site"]:
                # "Rural - Lethbridge": the one city of the faculty's province(s) the site names.
                if (key, record["site"]) in SITE_REGION_CITIES:
                    region_city = SITE_REGION_CITIES[key, record["site"]][0]
                    place = geo.city_to_place(region_city, country="CA", region=province)
                    in_campus_city += place is not None
                else:
                    place = site_city(record["site"], province, key)
                    named_in_site += place is not None
                city = place.label.split(",")[0] if place else ""
            located += place is not None
            # A distributed site in another province (Sherbrooke's Moncton, Dalhousie's Saint
            # John, Alberta's Yellowknife) is in that province: its residents come under that
            # province's rules (catalog/rule_facts.py), not the faculty's.
            site_province = _province(place) if place else ""
            if site_province != province and site_province in SITE_PROVINCES.get(key, ()):
                out_of_province += 1
            else:
                site_province = province
            coordinates = {
                "latitude": place.latitude if place else None,
                "longitude": place.longitude if place else None,
                "coordinates_precision": Institution.CoordinatePrecision.CITY if place else "",
            }
            if record["stream_id"] in placed:
                coordinates = stream_coordinates(placed[record["stream_id"]])
            values = {
                "institution_id": institution.pk,
                "title": carms_title(record["discipline"], record["site"], record["stream"]),
                "specialty_id": specialty.pk if specialty else None,
                "program_type": Program.ProgramType.RESIDENCY,
                "stream": record["stream"],
                "site": record["site"],
                "city": city,
                "region": site_province,
                "country": "CA",
                **coordinates,
                "currency": "CAD",
                "url": record["url"],
                "description": record["name"],
                "source_id": source.pk,
                "source_row": record["row"],
            }
            values["search_text"] = program_search_text(
                ProgramFields(institution, specialty, carms_stream_id=record["stream_id"], **values)
            )
            rows[record["stream_id"]] = values
        missing = sum(1 for values in rows.values() if values["specialty_id"] is None)
        if missing:
            report.figures["streams whose discipline is not in the disciplines file"] = missing
        report.figures["faculties"] = len(schools)
        report.figures["streams at a site in another province than their faculty"] = out_of_province
        report.figures["streams with city coordinates"] = f"{located} of {len(rows)}"
        report.figures["of which at the one city a longer site name names"] = named_in_site
        report.figures["of which at the faculty's campus city of the region a site names"] = (
            in_campus_city
        )
        sync_rows(Program, "carms_stream_id", rows, report, progress=progress)


def _province(place: geo.Place) -> str:
    """The province of a resolved Canadian city ("Moncton, NB" -> "NB")."""
    if place.region:
        return place.region
    tail = place.label.rsplit(", ", 1)
    return tail[1] if len(tail) == 2 and len(tail[1]) == 2 else ""


def _raise_duplicate(value: str):
    raise ValueError(f"stream id “{value}” appears twice")
