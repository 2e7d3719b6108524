"""Background work (django-tasks): sending a request with its packet, and the daily reminders.

Sending is idempotent — each reminder and digest is recorded in ReminderSent under a unique
constraint before its email goes out, in one transaction — so restarts, retries and two workers
never send one twice. Each request's reminder and each student's digest is sent on its own
(``medmatch.lib.scans.send_each``): one that fails is logged and retried at the next scan, and
the others still go out. ``send_reminders`` is one of the reminder scans that ``medmatch worker``
and ``medmatch letters remind`` run (the schedule, ``medmatch.tasks``).
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from medmatch.letters import conf
from medmatch.letters.models import LetterRequest, ReminderSent
from medmatch.letters.routes import instructions, medmatch_link_use, needs_medmatch_link
from medmatch.lib.scans import send_each
from medmatch.lib.validators import single_line


@task()
def send_letter_request(request_id: int, base_url: str) -> None:
    from medmatch.letters.services import request_send

    request = LetterRequest.objects.select_related("recommender", "student").get(pk=request_id)
    request_send(request=request, base_url=base_url)


@task()
def send_reminders(on: str = "") -> dict:
    """Send what is due on ``on`` (ISO date, a datetime's date part is used; default today):
    returns ``{kind: {"sent": n, "failed": m}}``."""
    day = datetime.date.fromisoformat(on[:10]) if on else timezone.localdate()
    return {
        "letter_reminders": send_recommender_reminders(day),
        "letter_digests": send_student_digests(day),
    }


def reminder_kind(request: LetterRequest, on: datetime.date) -> str | None:
    """The reminder due for ``request`` on ``on``: the closest threshold already reached
    ("before_7" from 7 days before the due date on), or None. After the due date there are no
    more reminders to the recommender; the student's digest says it is late."""
    if request.due_on is None or request.status not in LetterRequest.WAITING:
        return None
    days_left = (request.due_on - on).days
    if days_left < 0:
        return None
    if request.asked_on is not None and (on - request.asked_on).days < 2:
        return None  # they have just been asked; a reminder now would not be polite
    reached = [days for days in conf.get("LETTERS_REMINDER_DAYS") if days_left <= days]
    return f"before_{min(reached)}" if reached else None


def send_recommender_reminders(on: datetime.date) -> dict:
    from medmatch.letters.services import open_requests_for_reminders

    def send(request: LetterRequest) -> bool:
        kind = reminder_kind(request, on)
        if kind is None:
            return False
        return _send_once(
            request.student, request, kind, request.due_on, lambda: _reminder_email(request, on)
        )

    return send_each(
        open_requests_for_reminders(),
        send,
        kind="letter reminder",
        identify=lambda request: f"letter request {request.pk} (student {request.student_id})",
    )


def send_student_digests(on: datetime.date) -> dict:
    """Once a week (keyed by its Monday), each student with letters still to come gets one
    digest: what is late or at risk, then every open request with its status."""
    from medmatch.accounts.models import User
    from medmatch.letters.planning import flagged, requests_with_applications

    monday = on - datetime.timedelta(days=on.weekday())
    waiting = [LetterRequest.Status.TO_ASK, *LetterRequest.WAITING]
    students = (
        User.objects.filter(is_active=True, letter_requests__status__in=waiting)
        .exclude(email="")
        .distinct()
    )

    def send(student) -> bool:
        requests = [r for r in requests_with_applications(student) if r.status in waiting]
        flags = flagged(requests, on)
        return _send_once(
            student, None, "digest", monday, lambda: _digest_email(student, flags, requests, on)
        )

    return send_each(
        students, send, kind="letters digest", identify=lambda student: f"student {student.pk}"
    )


def _send_once(student, request, kind: str, key_date: datetime.date, make_email) -> bool:
    """Record the reminder, then send it; an error while sending undoes the record so the next
    run tries again. False when it was already sent."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                student=student, request=request, kind=kind, key_date=key_date
            )
            make_email().send()
    except IntegrityError:
        return False
    return True


def _reminder_email(request: LetterRequest, on: datetime.date) -> EmailMessage:
    from medmatch.letters.services import link_create, portal_url

    # A name stored before the forms refused line breaks must not break the subject line.
    student_name = single_line(request.student.display_name)
    applications = list(request.applications.with_program().order_by("deadline", "pk"))
    needs_link = needs_medmatch_link(applications, waived=request.waived)
    site_url = getattr(settings, "SITE_URL", "")
    url = ""
    if needs_link and site_url:  # a fresh link only where the site's own address is known
        token, _ = link_create(request=request, purpose="reminder")
        url = portal_url(site_url, request, token)
    context = {
        "request": request,
        "student_name": student_name,
        "days_left": (request.due_on - on).days,
        "url": url,
        "needs_link": needs_link,
        "link_use": medmatch_link_use(applications),
        "instructions": instructions(
            applications, student_name=student_name, letter_id=request.eras_letter_id
        ),
    }
    return EmailMessage(
        f"Reminder: letter of recommendation for {student_name}",
        render_to_string("letters/email/reminder.txt", context),
        to=[request.recommender.email],
        reply_to=[request.student.email] if request.student.email else None,
    )


def _digest_email(student, flags, requests, on: datetime.date) -> EmailMessage:
    context = {"student": student, "flags": flags, "requests": requests, "on": on}
    return EmailMessage(
        "Your letters of recommendation this week",
        render_to_string("letters/email/digest.txt", context),
        to=[student.email],
    )
