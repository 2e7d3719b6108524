from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from medmatch.catalog import import_cache
from medmatch.catalog.extensions import program_page_context
from medmatch.catalog.facts import institution_facts, program_facts
from medmatch.catalog.models import Accreditation, Institution, Program

_INSTITUTION_RELATED = ("source", "coordinates_source", "teaching_source")


def programs_with_facts():
    """Programs with every row their fact sheet reads joined in (one page, or all for stats),
    except the Source rows: ``with_sources`` puts those in from the per-process copy."""
    return Program.objects.select_related("specialty", "institution__hospital").prefetch_related(
        Prefetch("accreditations", Accreditation.objects.select_related("source"))
    )


def with_sources(program: Program) -> Program:
    """``program`` with the Source rows its fact sheet cites (its own, its specialty's, its
    institution's and the linked hospital's) taken from ``import_cache``: seven joins of the
    same few source rows cost more to compile and build than the rest of the page's query. A
    source newer than the copy is left to load on first use."""
    sources = import_cache.sources_by_id()
    institution = program.institution
    rows = [(program, ("source",)), (program.specialty, ("source",))]
    rows += [(institution, _INSTITUTION_RELATED), (institution.hospital, _INSTITUTION_RELATED)]
    for row, names in rows:
        if row is None:
            continue
        for name in names:
            field = row._meta.get_field(name)
            source = sources.get(getattr(row, field.attname))
            if source is not None and not field.is_cached(row):
                field.set_cached_value(row, source)
    return program


def get_program(pk: int) -> Program:
    return with_sources(get_object_or_404(programs_with_facts(), pk=pk))


def get_institution(pk: int) -> Institution:
    return get_object_or_404(
        Institution.objects.select_related(
            *_INSTITUTION_RELATED, *(f"hospital__{name}" for name in _INSTITUTION_RELATED)
        ),
        pk=pk,
    )


@require_GET
def show_program(request, pk: int):
    program = get_program(pk)
    context = {
        "program": program,
        "sheet": program_facts(program),
        # Only what the list shows: a program row's description and search text are long.
        "siblings": program.institution.programs.exclude(pk=program.pk)
        .only("pk", "title", "track_type", "institution_id")
        .order_by("title"),
        # What other apps add (research: reviews for everyone; the student's own insights,
        # contacts and review), registered in their AppConfig.ready().
        **program_page_context(request.user, program),
    }
    return render(request, "catalog/program_detail.html", context)


@require_GET
def show_institution(request, pk: int):
    institution = get_institution(pk)
    context = {
        "institution": institution,
        "sheet": institution_facts(institution),
        "programs": institution.programs.select_related("specialty").order_by("title"),
        # A CMS hospital's residencies are listed under the NRMP sponsors linked to it.
        "sponsor_programs": Program.objects.filter(institution__hospital=institution)
        .select_related("institution")
        .order_by("institution__name", "title"),
        "sponsors": institution.sponsors.order_by("name"),
        "departments": institution.departments.select_related("specialty", "source"),
        "accreditations": institution.accreditations.select_related("source"),
    }
    return render(request, "catalog/institution_detail.html", context)
