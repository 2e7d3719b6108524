"""An application's checklist. htmx requests get the checklist section back (or the row's form
with its errors); the same URLs work as plain forms without JavaScript."""

from django.db.models import Max
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from medmatch.applications.forms import RequirementForm
from medmatch.applications.views.applications import detail_context
from medmatch.applications.views.common import (
    get_application,
    get_requirement,
    post_size_guard,
)


def _checklist(request, application, **extra):
    context = detail_context(application, **extra)
    if request.htmx:
        return render(request, "applications/_checklist.html", context)
    return redirect(f"{application.get_absolute_url()}#checklist")


@require_http_methods(["GET", "POST"])
@post_size_guard
def add_requirement(request, pk: int):
    application = get_application(request, pk)
    data = request.POST if request.method == "POST" else None
    form = RequirementForm(data, prefix="new")
    if form.is_valid():
        last = application.requirements.aggregate(last=Max("position"))["last"]
        form.instance.application = application
        form.instance.position = 0 if last is None else last + 1
        form.save()
        return _checklist(request, application, added=form.instance.pk)
    context = detail_context(application, add_form=form)
    template = (
        "applications/_checklist.html" if request.htmx else "applications/requirement_add.html"
    )
    return render(request, template, context)


@require_GET
def show_requirement(request, pk: int):
    requirement = get_requirement(request, pk)
    return _checklist(request, requirement.application)


@require_http_methods(["GET", "POST"])
@post_size_guard
def edit_requirement(request, pk: int):
    requirement = get_requirement(request, pk)
    data = request.POST if request.method == "POST" else None
    form = RequirementForm(data, instance=requirement, prefix=f"requirement-{requirement.pk}")
    if form.is_valid():
        form.save()
        return _checklist(request, requirement.application, saved=requirement.pk)
    context = {"requirement": requirement, "application": requirement.application, "form": form}
    if not request.htmx:
        return render(request, "applications/requirement_edit.html", context)
    response = render(request, "applications/_requirement_form.html", context)
    # The form posts to the whole checklist; with errors only its own row is swapped back.
    return reswap(retarget(response, f"#requirement-{requirement.pk}"), "outerHTML")


@require_POST
def toggle_requirement(request, pk: int):
    requirement = get_requirement(request, pk)
    requirement.set_done(request.POST.get("done") == "1")
    requirement.save(update_fields=["done", "done_at"])
    return _checklist(request, requirement.application, saved=requirement.pk)


@require_POST
def delete_requirement(request, pk: int):
    requirement = get_requirement(request, pk)
    application = requirement.application
    requirement.delete()
    return _checklist(request, application)
