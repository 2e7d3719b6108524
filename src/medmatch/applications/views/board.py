"""The application board (a column per status), the same applications as a sortable table, and
the move between statuses that both the drag-and-drop script and the no-JavaScript status menu
post to."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from medmatch.applications.extensions import attach_application_links, withdrawals
from medmatch.applications.forms import MoveForm
from medmatch.applications.models import Application
from medmatch.applications.services import application_move
from medmatch.applications.views.common import (
    back,
    get_application,
    post_size_guard,
    safe_next,
    today,
)
from medmatch.research.models import ShortlistItem

Status = Application.Status
_STAGE = {status: position for position, status in enumerate(Status.values)}
TABLE_SORTS = {
    "program": lambda a: (a.program.title.lower(), a.program.institution.name.lower()),
    "status": lambda a: _STAGE[a.status],
    "deadline": lambda a: (a.deadline is None, a.deadline or datetime.date.max),
    "progress": lambda a: (a.requirements_done, a.requirements_total),
    "updated": lambda a: a.updated_at,
}


def _applications(user):
    return Application.objects.for_student(user).with_program().with_progress()


@login_required
@require_GET
def show_board(request):
    applications = list(_applications(request.user).order_by("status_changed_at", "pk"))
    attach_application_links(request.user, applications, today())
    columns = [
        {"status": value, "label": label, "cards": [a for a in applications if a.status == value]}
        for value, label in Status.choices
    ]
    context = {
        "columns": columns,
        "total": len(applications),
        "today": today(),
        "suggestions": _shortlisted_untracked(request.user, applications),
    }
    return render(request, "applications/board.html", context)


def _shortlisted_untracked(user, applications, limit: int = 12):
    # The journey goes shortlist → application: offer the next step for programs saved there.
    tracked = [application.program_id for application in applications]
    items = ShortlistItem.objects.for_student(user).with_program().exclude(program__in=tracked)
    return [item.program for item in items[:limit]]


@login_required
@require_GET
def show_table(request):
    sort = request.GET.get("sort", "deadline")
    sort = sort if sort in TABLE_SORTS else "deadline"
    descending = request.GET.get("direction") == "desc"
    applications = sorted(_applications(request.user), key=TABLE_SORTS[sort], reverse=descending)
    context = {
        "applications": applications,
        "sort": sort,
        "descending": descending,
        "columns": [(key, key.capitalize()) for key in TABLE_SORTS],
        "today": today(),
    }
    return render(request, "applications/table.html", context)


@require_POST
@post_size_guard
def move_application(request, pk: int):
    application = get_application(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.error_text(), status=400, content_type="text/plain")
    status = form.cleaned_data["status"]
    unfinished = application.unfinished_submission(status)
    if unfinished and not form.cleaned_data["confirm"]:
        return _confirm_move(request, application, status, unfinished)
    also = withdrawals(request.user, application, today()) if status == Status.WITHDRAWN else []
    refused = [withdrawal.refused for withdrawal in also if withdrawal.refused]
    if refused:
        if request.htmx:
            return HttpResponse(" ".join(refused), status=400, content_type="text/plain")
        for reason in refused:
            messages.error(request, reason)
        return back(request, reverse("applications:board"))
    if also and not form.cleaned_data["confirm"]:
        return _confirm_move(request, application, status, None, withdrawals=also)
    moved = _move(application, status, also)
    if request.htmx:
        card = _applications(request.user).get(pk=application.pk)
        attach_application_links(request.user, [card], today())
        return render(request, "applications/_card.html", {"application": card, "today": today()})
    if moved:
        label = application.get_status_display()
        messages.success(request, f"Moved “{application.program.title}” to {label}.")
    return back(request, reverse("applications:board"))


@transaction.atomic
def _move(application, status: str, also) -> bool:
    # What a higher app withdraws with the application goes with the move, or neither does.
    for withdrawal in also:
        withdrawal.perform()
    application.refresh_from_db(fields=["status", "status_changed_at"])
    return application_move(application=application, status=status) or bool(also)


def _confirm_move(request, application, status, unfinished, *, withdrawals=()):
    # Submitting with the checklist open is allowed (a student may have sent items outside
    # medmatch), but only after saying so: a page without JavaScript, a 409 with the same
    # warning for the drag-and-drop script, which shows it on the board. Withdrawing what was
    # sent to a program in medmatch is final, so it is asked the same way.
    done, total = unfinished or (None, None)
    context = {
        "application": application,
        "status": status,
        "status_label": Status(status).label,
        "done": done,
        "total": total,
        "withdrawals": withdrawals,
        "next_url": safe_next(request, reverse("applications:board")),
    }
    if request.htmx:
        return render(request, "applications/_move_confirm.html", context, status=409)
    return render(request, "applications/move_confirm.html", context)
