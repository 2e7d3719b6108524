"""A CV as a PDF (WeasyPrint): the student's whole CV, or the one tailored for an application.

``cv_context(student)`` is also what the recommender packet (letters) renders as its last pages.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from medmatch.applications import cv_tailoring
from medmatch.applications.models import CVEntry, TailoredCV

# Countries whose programs expect US Letter paper; everywhere else gets A4.
LETTER_COUNTRIES = {"", "US", "CA"}


def _paper(application) -> str:
    if application is None:
        return "letter"
    program = application.program
    country = program.country or program.institution.country
    return "letter" if country in LETTER_COUNTRIES else "A4"


def render_cv_pdf(*, student, application=None) -> bytes:
    """The CV of ``student`` as PDF bytes: every entry in the usual section order, or, with an
    ``application`` of theirs, the entries chosen and ordered for its program (the saved
    tailoring, else the relevance ranking's default). Reads only; writes nothing."""
    from weasyprint import HTML  # imported here: loading it costs ~0.3 s

    html = render_to_string("applications/cv_pdf/cv.html", cv_context(student, application))
    return HTML(string=html).write_pdf()


def cv_context(student, application=None) -> dict:
    """The template context of the CV (``applications/cv_pdf/_cv_body.html``), which the letter
    packet also renders inside its own document, so its pages are counted with the packet's."""
    entries = list(CVEntry.objects.for_student(student))
    if application is None:
        sections = cv_tailoring.group(cv_tailoring.default_order(entries))
    else:
        tailored = TailoredCV.objects.filter(application=application).first()
        view = cv_tailoring.tailored_view(application, entries, timezone.localdate(), tailored)
        sections = view.sections
    context = {
        "student": student,
        "name": student.display_name,
        "application": application,
        "sections": sections,
        "paper": _paper(application),
        "generated_on": timezone.localdate(),
    }
    return context
