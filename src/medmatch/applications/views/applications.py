"""One application: track a program (create), its page, its dates and notes, and removal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.applications.extensions import attach_application_links
from medmatch.applications.forms import ApplicationForm, MoveForm, RequirementForm
from medmatch.applications.services import application_create
from medmatch.applications.views.common import back, get_application, post_size_guard, today
from medmatch.catalog.models import Program


@login_required
@require_POST
def track_application(request, program_pk: int):
    program = get_object_or_404(Program.objects.select_related("institution"), pk=program_pk)
    application, created = application_create(student=request.user, program=program)
    if request.htmx:
        return render(request, "applications/_track_button_form.html", {"program": program})
    if created:
        messages.success(request, f"Tracking your application to “{program.title}”.")
    return redirect("applications:detail", application.pk)


def detail_context(application, **extra) -> dict:
    requirements = list(application.requirements.all())
    attach_application_links(application.student, [application], today())
    return {
        "application": application,
        "requirements": requirements,
        "done_count": sum(1 for r in requirements if r.done),
        "history": application.status_changes.all(),
        "move_form": MoveForm(initial={"status": application.status}),
        "add_form": RequirementForm(prefix="new"),
        "today": today(),
        **extra,
    }


@require_GET
def show_application(request, pk: int):
    application = get_application(request, pk)
    return render(request, "applications/detail.html", detail_context(application))


@require_http_methods(["GET", "POST"])
@post_size_guard
def edit_application(request, pk: int):
    application = get_application(request, pk)
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, instance=application)
    if form.is_valid():
        form.save()
        messages.success(request, "Saved the dates and notes.")
        return redirect("applications:detail", application.pk)
    return render(request, "applications/edit.html", {"application": application, "form": form})


@require_http_methods(["GET", "POST"])
def delete_application(request, pk: int):
    application = get_application(request, pk)
    if request.method == "GET":
        return render(request, "applications/delete.html", {"application": application})
    title = application.program.title
    application.delete()  # its history and checklist go with it
    messages.success(request, f"Stopped tracking “{title}”.")
    return back(request, reverse("applications:board"))
