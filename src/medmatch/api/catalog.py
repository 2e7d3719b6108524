"""The catalog: program and hospital search with the search page's own form, selector and
distances, and each program's and hospital's facts with their source, scope and date (the
presenters of the detail pages)."""

from dataclasses import replace

from django.http import QueryDict
from ninja import Field, Query, Router, Schema

from medmatch.api.auth import public_auth
from medmatch.api.errors import ApiError, form_fields
from medmatch.api.pagination import PageParams, position
from medmatch.api.schemas import FactOut, facts_out, responses
from medmatch.catalog import search
from medmatch.catalog.facts import institution_facts, program_facts
from medmatch.catalog.forms import InstitutionSearchForm, ProgramSearchForm
from medmatch.catalog.views.details import get_institution, get_program

router = Router(tags=["catalog"], auth=public_auth("catalog"))

SORTS = "|".join(("", *search.SORTS))


class _SearchFilters(PageParams):
    # The bounds of the search page's form (catalog/forms.py); the form then cleans them.
    q: str = Field("", max_length=200, description="Words to search for.")
    country: str = Field("", max_length=2, description="ISO country code, e.g. US.")
    region: str = Field("", max_length=120, description="State or province, code or name.")
    kind: str = Field("", max_length=20, description="Kind of institution.")
    teaching: str = Field("", pattern="^(|yes|no|unknown)$")
    near: str = Field("", max_length=100, description="A ZIP code or a city.")
    radius: int | None = Field(None, ge=1, le=20000, description="Within this many km of near.")
    sort: str = Field("", pattern=f"^({SORTS})$")


class ProgramFilters(_SearchFilters):
    specialty: str = Field("", max_length=220, description="A specialty's slug.")
    program_type: str = Field("", max_length=20)
    track_type: str = Field("", max_length=20)


class InstitutionRef(Schema):
    id: int
    name: str
    city: str
    region: str
    country: str


class ProgramHit(Schema):
    id: int
    title: str
    specialty: str | None
    program_type: str
    track_type: str
    institution: InstitutionRef
    distance_km: float | None  # null: the place searched or the program has no coordinates


class InstitutionHit(Schema):
    id: int
    name: str
    kind: str
    city: str
    region: str
    country: str
    distance_km: float | None


class _SearchResults(Schema):
    total: int
    sort: str
    excluded_unknown_distance: int  # left out by a radius: their place is unknown
    notes: list[str]
    next_cursor: str | None


class ProgramResults(_SearchResults):
    items: list[ProgramHit]


class InstitutionResults(_SearchResults):
    items: list[InstitutionHit]


class ProgramDetail(Schema):
    id: int
    title: str
    institution: InstitutionRef
    facts: list[FactOut]
    questions: list[str]


class InstitutionDetail(Schema):
    id: int
    name: str
    facts: list[FactOut]
    questions: list[str]


def _run(form_class, filters: _SearchFilters, runner, name: str) -> dict:
    """The search page's form over the same parameters, then its selector; a page of hits."""
    start = position(filters, name=name)
    data = QueryDict(mutable=True)
    for key, value in filters.dict(exclude={"limit", "cursor"}).items():
        if value not in (None, ""):
            data[key] = str(value)
    data["page"] = str(start.start // start.limit + 1)
    form = form_class(data)
    if not form.is_valid():
        fields = form_fields(form)
        names = ", ".join(dict.fromkeys(f["field"] for f in fields if f["field"])) or "the search"
        raise ApiError(422, f"Invalid search: {names}.", fields)
    query = form.to_query()
    results = runner(replace(query, page_size=start.limit))
    return {
        "total": results.total,
        "sort": results.sort,
        "excluded_unknown_distance": results.excluded_unknown_distance,
        "notes": results.notes,
        "next_cursor": start.next_cursor(name, results.total),
        "hits": results.hits,
    }


def _institution_ref(institution) -> dict:
    return {
        "id": institution.pk,
        "name": institution.name,
        "city": institution.city,
        "region": institution.region,
        "country": institution.country,
    }


@router.get("/programs", response=responses(ProgramResults), url_name="programs")
def search_programs(request, filters: Query[ProgramFilters]):
    """Programs, with the filters, order and distances of the catalog's search page."""
    found = _run(ProgramSearchForm, filters, search.search_programs, "programs")
    found["items"] = [
        {
            "id": hit.obj.pk,
            "title": hit.obj.title,
            "specialty": hit.obj.specialty.name if hit.obj.specialty else None,
            "program_type": hit.obj.program_type,
            "track_type": hit.obj.track_type,
            "institution": _institution_ref(hit.obj.institution),
            "distance_km": hit.distance_km,
        }
        for hit in found.pop("hits")
    ]
    return found


@router.get("/hospitals", response=responses(InstitutionResults), url_name="institutions")
def search_institutions(request, filters: Query[_SearchFilters]):
    """Hospitals and sponsoring institutions, as the catalog's hospital search finds them."""
    found = _run(InstitutionSearchForm, filters, search.search_institutions, "hospitals")
    found["items"] = [
        {**_institution_ref(hit.obj), "kind": hit.obj.kind, "distance_km": hit.distance_km}
        for hit in found.pop("hits")
    ]
    return found


@router.get("/programs/{int:pk}", response=responses(ProgramDetail), url_name="program")
def show_program(request, pk: int):
    """A program's facts, each with its source, scope and date; unknown facts say so."""
    program = get_program(pk)
    sheet = program_facts(program)
    return {
        "id": program.pk,
        "title": program.title,
        "institution": _institution_ref(program.institution),
        "facts": facts_out(sheet),
        "questions": sheet.questions,
    }


@router.get("/hospitals/{int:pk}", response=responses(InstitutionDetail), url_name="institution")
def show_institution(request, pk: int):
    """A hospital's or sponsor's facts, each with its source, scope and date."""
    institution = get_institution(pk)
    sheet = institution_facts(institution)
    return {
        "id": institution.pk,
        "name": institution.name,
        "facts": facts_out(sheet),
        "questions": sheet.questions,
    }
