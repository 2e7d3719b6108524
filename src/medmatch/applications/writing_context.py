"""The one place where catalog rows become the statement analyzer's plain ``ProgramContext``.

``medmatch.writing`` is pure (no Django); the statements editor and ``medmatch writing analyze
--program ID`` call ``program_context(program)`` here and hand the result to ``analyze()``; the
editor also hands it ``other_program_contexts(application)``, the student's other applications'
programs, for the copy-paste check. ``statement_analysis`` is that whole call for a saved
statement, shared by the editor and the API so that the two always report the same.
"""

import re

from django.db import DatabaseError

from medmatch.applications.models import Application
from medmatch.catalog.models import Institution, Program
from medmatch.writing import Analysis, ProgramContext, analyze, short_forms

# Institution kinds that read as an academic setting in a statement, and those that read as a
# community one; other kinds (VA, psychiatric, international...) say nothing about it.
ACADEMIC_KINDS = {
    Institution.Kind.ACADEMIC,
    Institution.Kind.TEACHING,
    Institution.Kind.MEDICAL_SCHOOL,
}
COMMUNITY_KINDS = {Institution.Kind.COMMUNITY, Institution.Kind.CRITICAL_ACCESS}
# Capitalised runs of 2-4 words inside the description ("Global Health Track") are the things a
# program chose to name; common openers are not.
_NAMED_PHRASE = re.compile(
    r"(?<![.!?]\s)(?<!^)\b([A-Z][\w'\u2019-]+(?:\s+(?:of\s+)?[A-Z][\w'\u2019-]+){1,3})"
)
MAX_KEYWORDS = 6


def _setting(program: Program) -> str:
    kinds = {program.institution.kind}
    if program.institution.hospital_id:
        kinds.add(program.institution.hospital.kind)
    if kinds & ACADEMIC_KINDS:
        return "academic"
    if kinds & COMMUNITY_KINDS:
        return "community"
    return ""


def description_keywords(description: str, exclude: set[str]) -> tuple[str, ...]:
    """Named phrases of the description, in order, without the names the context already has."""
    found: list[str] = []
    for match in _NAMED_PHRASE.finditer(description or ""):
        phrase = match.group(1)
        if phrase.lower() not in exclude and phrase not in found:
            found.append(phrase)
        if len(found) == MAX_KEYWORDS:
            break
    return tuple(found)


def program_context(program: Program) -> ProgramContext:
    """Plain facts of ``program`` for ``medmatch.writing.analyze``.

    Expects ``institution`` (and its linked ``hospital``), ``specialty`` (and its ``equivalent``)
    selected and ``institution.departments`` prefetched, as ``program_context_by_id`` does; works
    without, at the cost of queries. Empty mentorship or research text is *unknown* (None), not
    "no", so the analyzer suggests checking rather than staying silent.
    """
    institution = program.institution
    specialty_names = []
    if program.specialty_id:
        specialty_names.append(program.specialty.name)
        if program.specialty.equivalent_id:
            specialty_names.append(program.specialty.equivalent.name)
    forms = list(short_forms(institution.name))
    if institution.hospital_id and institution.hospital.name != institution.name:
        forms.append(institution.hospital.name)
    departments = tuple(department.name for department in institution.departments.all())
    exclude = {name.lower() for name in (institution.name, *forms, *departments, *specialty_names)}
    return ProgramContext(
        program_id=program.pk,
        program_title=program.title,
        institution_name=institution.name,
        institution_short_forms=tuple(forms),
        specialty_names=tuple(dict.fromkeys(specialty_names)),
        city=program.city or institution.city,
        region=program.region or institution.region,
        departments=departments,
        setting=_setting(program),
        has_mentorship=True if program.mentorship.strip() else None,
        has_research=True if program.research_opportunities.strip() else None,
        description_keywords=description_keywords(program.description, exclude),
    )


def _with_context(programs):
    return programs.select_related(
        "institution", "institution__hospital", "specialty", "specialty__equivalent"
    ).prefetch_related("institution__departments")


def other_program_contexts(application) -> tuple[ProgramContext, ...]:
    """``program_context`` of each program the same student applies to besides ``application``'s,
    fetched through that student's own applications only (never another student's), in the order
    of their titles."""
    mine = Application.objects.for_student(application.student).exclude(pk=application.pk)
    programs = _with_context(
        Program.objects.filter(pk__in=mine.values("program_id")).exclude(pk=application.program_id)
    )
    return tuple(program_context(program) for program in programs.order_by("title", "pk"))


def program_context_by_id(program_id: int) -> ProgramContext:
    """``program_context`` of the program with this primary key; ``LookupError`` when none."""
    try:
        program = _with_context(Program.objects).get(pk=program_id)
    except Program.DoesNotExist:
        raise LookupError(f"no program with id {program_id}") from None
    except DatabaseError as error:
        # Most often a database never migrated; say so instead of a traceback.
        raise LookupError(
            f"the catalog database cannot be read ({error}); run `medmatch serve` or "
            "`medmatch manage migrate` first"
        ) from None
    return program_context(program)


def statement_analysis(statement, body: str) -> Analysis:
    """The analyzer's result for ``body`` as the text of ``statement``: checked against its
    application's program (and, for the copy-paste check, the student's other programs) and its
    word limit; a base statement (no application) against no program."""
    application = statement.application
    program = program_context_by_id(application.program_id) if application else None
    others = other_program_contexts(application) if application else ()
    return analyze(body, program=program, others=others, limit_words=statement.word_limit)
