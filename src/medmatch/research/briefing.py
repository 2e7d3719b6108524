"""Everything a student should reread before an interview, for one application's program:
the "review the hospital's values, specialties, and recent initiatives" step.

One function gathers it; the page and the PDF render the same ``Briefing``. It reads only, except
that the program's open questions are brought up to date first (idempotent), so an unknown fact
is never missing from the list.

A briefing is written for one application, and the applications app sits above research, so
research never imports it: ``ApplicationsConfig.ready`` registers the rows a briefing is for
(``register_briefing_subjects``) and the view asks ``briefing_subjects()``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Prefetch, QuerySet

from medmatch.catalog.facts import FactSheet, program_facts
from medmatch.catalog.models import Accreditation, Department, Program
from medmatch.research.fit import ProgramFit, explain_program
from medmatch.research.models import Contact, Insight, OpenQuestion, ShortlistItem
from medmatch.research.own_information import own_fact_sheet
from medmatch.research.questions import FACTS
from medmatch.research.reviews import ReviewSummary, program_review_summary
from medmatch.research.services import open_questions_refresh


@dataclass(frozen=True)
class AnsweredQuestion:
    question: OpenQuestion
    value: str  # the typed answer in words, "" when answered in words only


@dataclass(frozen=True)
class Briefing:
    application: Any  # an applications.Application (see the module docstring)
    program: Program
    sheet: FactSheet
    departments: list[Department]
    accreditations: list[Accreditation]
    reviews: ReviewSummary
    insights: list[Insight]
    contacts: list[Contact]
    open_questions: list[OpenQuestion]
    answered: list[AnsweredQuestion]
    shortlist_item: ShortlistItem | None
    fit: ProgramFit | None

    @property
    def title(self) -> str:
        return f"{self.program.title} — {self.program.institution.name}"


def _program(pk: int) -> Program:
    related = ("source", "coordinates_source", "teaching_source")
    return (
        Program.objects.select_related(
            "source",
            "specialty__source",
            *(f"institution__{name}" for name in related),
            *(f"institution__hospital__{name}" for name in related),
        )
        .prefetch_related(
            Prefetch("accreditations", Accreditation.objects.select_related("source"))
        )
        .get(pk=pk)
    )


# Extension point: called with no arguments, returns the queryset of the rows a briefing can be
# built for. Each row has ``student``, ``program`` and the ``deadline``, ``get_status_display()``
# and ``notes`` the briefing shows. The applications app registers its Application rows.
BriefingSubjects = Callable[[], QuerySet]

_briefing_subjects: list[BriefingSubjects] = []


def register_briefing_subjects(subjects: BriefingSubjects) -> None:
    """Say which rows a briefing is for (called from an ``AppConfig.ready``; the last one wins)."""
    if subjects not in _briefing_subjects:
        _briefing_subjects.append(subjects)


def briefing_subjects() -> QuerySet:
    """Every row a briefing can be built for; the view narrows it to the student's own."""
    if not _briefing_subjects:
        raise ImproperlyConfigured("No app registered briefing subjects (applications does).")
    return _briefing_subjects[-1]()


def build_briefing(application) -> Briefing:
    """The briefing for one application (a row of ``briefing_subjects()``)."""
    student = application.student
    program = _program(application.program_id)
    open_questions_refresh(student=student, programs=[program])
    institution = program.institution
    places = [institution.pk] + ([institution.hospital_id] if institution.hospital_id else [])
    departments = list(
        Department.objects.filter(institution__in=places).select_related("specialty", "source")
    )
    accreditations = list(program.accreditations.all()) + list(
        Accreditation.objects.filter(institution__in=places, program__isnull=True).select_related(
            "source"
        )
    )
    questions = list(
        OpenQuestion.objects.for_student(student).filter(program=program).select_related("insight")
    )
    currency = program.currency or "USD"
    answered = [
        AnsweredQuestion(
            q, FACTS[q.fact_key].show(q.typed_value, currency) if q.fact_key in FACTS else ""
        )
        for q in questions
        if q.answered
    ]
    return Briefing(
        application=application,
        program=program,
        sheet=own_fact_sheet(student, program, program_facts(program)),
        departments=departments,
        accreditations=accreditations,
        reviews=program_review_summary(program),
        insights=list(Insight.objects.for_student(student).about(program)),
        contacts=list(Contact.objects.for_student(student).at_program(program)),
        open_questions=[q for q in questions if not q.answered],
        answered=answered,
        shortlist_item=ShortlistItem.objects.filter(student=student, program=program).first(),
        fit=explain_program(student, program),
    )
