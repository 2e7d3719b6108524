"""The recommender packet: one PDF with what a recommender needs to write a tailored letter —
the request (due date, waiver, how to upload), the programs with their deadlines and what each
emphasises, the points the student would like covered, a summary of the student's goals, and
the student's CV (the seed article: "give your recommenders ... your resume and a summary of
your goals")."""

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from medmatch.catalog.models import Specialty
from medmatch.fit.goals import Goals, GoalsError
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
    cv_pdf, cv_note = _cv(student)
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
        "cv_note": cv_note,
        "generated_on": timezone.localdate(),
    }
    html = render_to_string("letters/packet.html", context)
    packet = HTML(string=html).write_pdf()
    return _join(packet, cv_pdf) if cv_pdf else packet


def goals_summary(student) -> list[str]:
    """The goals questionnaire's answers as a few sentences a recommender can use."""
    from medmatch.goals.models import GoalProfile

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


def _cv(student) -> tuple[bytes | None, str]:
    """The CV as PDF bytes from the CV builder, or None with a note saying why not."""
    try:
        from medmatch.applications.cv_pdf import render_cv_pdf
    except ImportError:
        return None, "The CV is not available yet: ask the student for it."
    if shutil.which("pdfunite") is None:  # poppler-utils joins the two PDFs
        logger.warning("pdfunite not found: the packet goes out without the CV")
        return None, "The CV could not be included here: ask the student for it."
    try:
        return render_cv_pdf(student=student), "The CV follows on the next pages."
    except Exception:  # a broken CV must not stop the request from going out
        logger.exception("CV for the letter packet failed")
        return None, "The CV could not be included: ask the student for it."


def _join(first: bytes, second: bytes) -> bytes:
    """The two PDFs as one, with poppler's pdfunite (WeasyPrint cannot read a PDF)."""
    pdfunite = shutil.which("pdfunite")
    with tempfile.TemporaryDirectory() as folder:
        a, b, out = Path(folder, "a.pdf"), Path(folder, "b.pdf"), Path(folder, "out.pdf")
        a.write_bytes(first)
        b.write_bytes(second)
        subprocess.run([pdfunite, str(a), str(b), str(out)], check=True, timeout=60)
        return out.read_bytes()
