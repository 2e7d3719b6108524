"""The CV builder: the student's entries by section, their order, the PDF, and the CV tailored for
one application (picked and ordered by ``cv_relevance``, then the student's to change). Every
entry is fetched through ``get_cv_entry``; another student's entry is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.applications import cv_tailoring
from medmatch.applications.cv_pdf import render_cv_pdf
from medmatch.applications.forms import CVEntryForm, TailoredChangeForm
from medmatch.applications.models import (
    CV_DESCRIPTION_GUIDANCE,
    CV_MOST_MEANINGFUL_MAX,
    Application,
    CVEntry,
    TailoredCV,
)
from medmatch.applications.services import (
    cv_entry_move,
    cv_entry_next_position,
    tailored_cv_change,
    tailored_cv_create,
)
from medmatch.applications.views.common import get_application, today
from medmatch.applications.views.statements import text_size_guard
from medmatch.lib.access import get_owned_or_404
from medmatch.lib.downloads import private_download

cv_size_guard = text_size_guard("description", 2_000, "applications:cv")


def get_cv_entry(request, pk: int) -> CVEntry:
    return get_owned_or_404(CVEntry, request.user, pk=pk)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _filename(user, suffix: str = "") -> str:
    name = slugify(user.get_full_name() or user.username) or "cv"
    return f"{name}-cv{'-' + suffix if suffix else ''}.pdf"


@login_required
@require_GET
def show_cv(request):
    entries = list(CVEntry.objects.for_student(request.user))
    by_section = {s.value: s for s in cv_tailoring.group(cv_tailoring.default_order(entries))}
    sections = [
        by_section.get(value) or cv_tailoring.Section(value, label)
        for value, label in CVEntry.Section.choices
    ]
    context = {
        "sections": sections,
        "total": len(entries),
        "meaningful": sum(1 for entry in entries if entry.most_meaningful),
        "meaningful_max": CV_MOST_MEANINGFUL_MAX,
        "guidance": CV_DESCRIPTION_GUIDANCE,
        "applications": Application.objects.for_student(request.user).with_program(),
    }
    return render(request, "applications/cv/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@cv_size_guard
def add_cv_entry(request):
    section = request.GET.get("section", "")
    initial = {"section": section} if section in CVEntry.Section.values else {}
    data = request.POST if request.method == "POST" else None
    form = CVEntryForm(data, student=request.user, initial=initial)
    if form.is_valid():
        form.instance.position = cv_entry_next_position(request.user)
        entry = form.save()
        messages.success(request, f"Added “{entry.title}” to your CV.")
        return redirect(f"{reverse('applications:cv')}#entry-{entry.pk}")
    return render(request, "applications/cv/entry_form.html", {"form": form, "entry": None})


@require_http_methods(["GET", "POST"])
@cv_size_guard
def edit_cv_entry(request, pk: int):
    entry = get_cv_entry(request, pk)
    data = request.POST if request.method == "POST" else None
    form = CVEntryForm(data, instance=entry, student=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, f"Saved “{entry.title}”.")
        return redirect(f"{reverse('applications:cv')}#entry-{entry.pk}")
    return render(request, "applications/cv/entry_form.html", {"form": form, "entry": entry})


@require_http_methods(["GET", "POST"])
def delete_cv_entry(request, pk: int):
    entry = get_cv_entry(request, pk)
    if request.method == "GET":
        return render(request, "applications/cv/entry_delete.html", {"entry": entry})
    entry.delete()
    messages.success(request, f"Removed “{entry.title}” from your CV.")
    return redirect("applications:cv")


@require_POST
def move_cv_entry(request, pk: int):
    entry = get_cv_entry(request, pk)
    cv_entry_move(entry=entry, step=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(f"{reverse('applications:cv')}#entry-{entry.pk}")


@login_required
@private_download
@require_GET
def download_cv(request):
    return _pdf_response(render_cv_pdf(student=request.user), _filename(request.user))


def _tailored_context(application) -> dict:
    tailored = TailoredCV.objects.filter(application=application).first()
    entries = CVEntry.objects.for_student(application.student)
    view = cv_tailoring.tailored_view(application, entries, today(), tailored)
    return {"application": application, "cv": view, "tailored": tailored}


@require_GET
def show_tailored_cv(request, pk: int):
    application = get_application(request, pk)
    return render(request, "applications/cv/tailored.html", _tailored_context(application))


@require_POST
def change_tailored_cv(request, pk: int):
    application = get_application(request, pk)
    form = TailoredChangeForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.error_text(), status=400, content_type="text/plain")
    action, entry = form.cleaned_data["action"], form.cleaned_data["entry"]
    tailored = tailored_cv_create(application=application, today=today())
    try:
        tailored_cv_change(
            tailored=tailored,
            action=action,
            today=today(),
            entry_id=entry,
            section=form.cleaned_data["section"],
        )
    except ValueError:  # someone else's entry id, or one deleted since the page loaded
        return HttpResponse("entry: not one of your CV entries.", status=400)
    if request.htmx:
        return render(request, "applications/cv/_tailored.html", _tailored_context(application))
    anchor = f"#tailored-{entry}" if entry else ""
    return redirect(f"{application.get_absolute_url()}cv/{anchor}")


@private_download
@require_GET
def download_tailored_cv(request, pk: int):
    application = get_application(request, pk)
    pdf = render_cv_pdf(student=request.user, application=application)
    return _pdf_response(pdf, _filename(request.user, slugify(application.program.title)[:40]))
