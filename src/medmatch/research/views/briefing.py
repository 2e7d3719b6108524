"""The program briefing per application: a printable page and its PDF."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from medmatch.lib.access import get_owned_or_404
from medmatch.lib.downloads import private_download
from medmatch.research.briefing import briefing_subjects, build_briefing
from medmatch.research.briefing_pdf import render_briefing_pdf


def get_application(request, pk: int):
    # The applications app's rows, registered in its AppConfig.ready() (research is below it).
    return get_owned_or_404(
        briefing_subjects().select_related("program__institution"),
        request.user,
        pk=pk,
    )


@require_GET
def show_briefing(request, pk: int):
    application = get_application(request, pk)
    briefing = build_briefing(application)
    return render(request, "research/briefing.html", {"briefing": briefing})


@private_download
@require_GET
def download_briefing_pdf(request, pk: int):
    application = get_application(request, pk)
    pdf = render_briefing_pdf(build_briefing(application), base_url=request.build_absolute_uri("/"))
    name = slugify(f"briefing {application.program.title} {application.program.institution.name}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name[:80]}.pdf"'
    return response
