"""Deadlines as an iCalendar file: a download for the signed-in student, and a private feed URL
that calendar apps (Google Calendar, Outlook) subscribe to without a session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from medmatch.applications.calendar import build_calendar
from medmatch.applications.models import Application, CalendarFeed
from medmatch.applications.services import (
    calendar_feed_owner,
    calendar_feed_renew,
    calendar_feed_revoke,
)
from medmatch.lib.downloads import private_download


def _ics_response(request, student, *, filename: str) -> HttpResponse:
    applications = (
        Application.objects.for_student(student)
        .with_program()
        .prefetch_related("requirements")
        .order_by("pk")
    )
    body = build_calendar(
        applications,
        url_for=lambda a: request.build_absolute_uri(a.get_absolute_url()),
        now=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@private_download
@require_GET
def download_calendar(request):
    return _ics_response(request, request.user, filename="medmatch-deadlines.ics")


@private_download
@require_GET
def calendar_feed(request, token: str):
    student = calendar_feed_owner(token)
    if student is None:
        raise Http404("No such calendar.")
    return _ics_response(request, student, filename="medmatch-deadlines.ics")


@login_required
@require_http_methods(["GET", "POST"])
def manage_calendar(request):
    feed = CalendarFeed.objects.filter(student=request.user).first()
    context = {"feed": feed, "feed_url": None}
    if request.method == "POST" and request.POST.get("action") == "revoke":
        if calendar_feed_revoke(student=request.user):
            messages.success(request, "Revoked. The old feed address no longer works.")
        return redirect("applications:calendar_settings")
    if request.method == "POST":
        token = calendar_feed_renew(student=request.user)
        # Only the hash is stored: this response is the one time the address can be shown.
        context["feed_url"] = request.build_absolute_uri(
            reverse("applications:calendar_feed", args=[token])
        )
        context["feed"] = CalendarFeed.objects.get(student=request.user)
    return render(request, "applications/calendar.html", context)
