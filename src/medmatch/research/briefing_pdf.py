"""The program briefing as a PDF (WeasyPrint), from the same template body as the page."""

from django.template.loader import render_to_string
from django.utils import timezone

from medmatch.research.briefing import Briefing

# Countries whose programs expect US Letter paper; everywhere else gets A4.
LETTER_COUNTRIES = {"", "US", "CA"}


def render_briefing_pdf(briefing: Briefing, *, base_url: str | None = None) -> bytes:
    """The briefing as PDF bytes. Reads only."""
    from weasyprint import HTML  # imported here: loading it costs ~0.3 s

    program = briefing.program
    country = program.country or program.institution.country
    context = {
        "briefing": briefing,
        "paper": "letter" if country in LETTER_COUNTRIES else "A4",
        "generated_on": timezone.localdate(),
    }
    html = render_to_string("research/briefing_pdf.html", context)
    return HTML(string=html, base_url=base_url).write_pdf()
