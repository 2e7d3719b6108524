"""The recommender packet: one PDF with what a recommender needs to write a tailored letter —
the request (due date, waiver, how to upload), the programs with their deadlines and what each
emphasises, the points the student would like covered, a summary of the student's goals, and
the student's CV (the seed article: "give your recommenders ... your resume and a summary of
your goals")."""

import logging

from django.template.loader import render_to_string
from django.utils import timezone

from medmatch.applications.cv_pdf import cv_context
from medmatch.catalog.models import Specialty
from medmatch.fit.goals import Goals, GoalsError
from medmatch.goals.models import GoalProfile
from medmatch.letters.routes import instructions, medmatch_link_use, needs_medmatch_link

logger = logging.getLogger(__name__)

OBJECTIVES = {
    "clinical": "hands-on clinical skills",
    "research": "research",
    "mentorship": "mentorship from experienced physicians",
    "exploring": "exploring specialties before deciding",
}
SETTINGS = {"academic": "an academic hospital", "community": "a community setting"}
PACES = {"demanding": "a demanding schedule", "steady": "a steadier pace", "either": "either pace"}


def build_packet(request) -> bytes:
    from weasyprint import HTML  # loading WeasyPrint costs ~0.3 s: only when a packet is made

    student = request.student
    cv, cv_note = _cv(student)
    applications = list(
        request.applications.select_related(
            "program__institution", "program__specialty", "program__source"
        ).order_by("deadline", "pk")
    )
    context = {
        "request": request,
        "recommender": request.recommender,
        "student": student,
        "student_name": student.display_name,
        "applications": applications,
        "instructions": instructions(
            applications, student_name=student.display_name, letter_id=request.eras_letter_id
        ),
        "medmatch_link": needs_medmatch_link(applications, waived=request.waived),
        "link_use": medmatch_link_use(applications),
        "goals": goals_summary(student),
        "cv": cv,
        "cv_note": cv_note,
        "generated_on": timezone.localdate(),
    }
    # One document, so "page 2 of 3" counts the CV's pages too (two PDFs joined each counted
    # only their own).
    html = render_to_string("letters/packet.html", context)
    return HTML(string=html).write_pdf()


def goals_summary(student) -> list[str]:
    """The goals questionnaire's answers as a few sentences a recommender can use."""
    profile = GoalProfile.objects.filter(student=student).first()
    if profile is None or not profile.has_answers:
        return []
    try:
        goals = profile.goals()
    except GoalsError:
        return []
    return _sentences(goals)


def _sentences(goals: Goals) -> list[str]:
    lines = []
    if goals.objective:
        lines.append(f"Main objective: {OBJECTIVES[goals.objective.value]}.")
    if goals.specialties:
        names = [_specialty_name(i.specialty) for i in goals.specialties.interests]
        if names:
            lines.append("Specialties of interest: " + ", ".join(names) + ".")
        if goals.specialties.exploring:
            lines.append("Still exploring specialties.")
    if goals.residency and goals.residency.specialty is not None:
        lines.append(f"Aiming for residency in {_specialty_name(goals.residency.specialty)}.")
    if goals.setting:
        lines.append(f"Prefers {SETTINGS[goals.setting.value]}.")
    if goals.hours and goals.hours.pace in PACES:
        lines.append(f"Pace: {PACES[goals.hours.pace]}.")
    if goals.location and goals.location.places:
        places = [place.label for place in goals.location.places if place.label]
        if places:
            lines.append("Would like to train near " + ", ".join(places) + ".")
    if goals.international and goals.international.openness == "abroad":
        lines.append("Looking for training abroad.")
    return lines


def _specialty_name(key) -> str:
    key = str(key)
    system, _, code = key.partition("-") if "-" in key else ("acgme", "", key)
    specialty = Specialty.objects.filter(system=system, code=code).first()
    return specialty.name if specialty else key


def _cv(student) -> tuple[dict | None, str]:
    """The CV's template context from the CV builder, or None with a note saying why not."""
    try:
        return cv_context(student), "The CV follows on the next pages."
    except Exception:  # a broken CV must not stop the request from going out
        logger.exception("CV for the letter packet failed")
        return None, "The CV could not be included: ask the student for it."
