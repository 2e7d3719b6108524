"""The interview reminder, sent by ``medmatch worker`` (django-tasks; one of the scans of the
schedule, ``medmatch.tasks``).

Schedule: one email to the student, the day before each upcoming interview — as soon as a scan
finds it starting within the next 24 hours (the worker scans hourly, so about a day ahead; an
interview added less than a day ahead is reminded at the next scan). Nothing for interviews that
have started, nor for inactive accounts or ones without an email (a deleted account's interviews
are gone with it). Each reminder is recorded in InterviewReminder under a unique constraint in
the transaction that sends it, so restarts, retries and two workers never send it twice; a
rescheduled interview is reminded again. Each interview's reminder is sent on its own
(``medmatch.lib.scans.send_each``): one that fails is logged and retried at the next scan, and the
others still go out.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from medmatch.interviews.models import Interview, InterviewReminder
from medmatch.lib.scans import send_each
from medmatch.lib.validators import single_line

REMIND_BEFORE = datetime.timedelta(hours=24)


@task()
def send_interview_reminders(now: str = "") -> dict:
    """Send the reminders due at ``now`` (ISO datetime or date; default now): returns
    ``{"interview_reminders": {"sent": n, "failed": m}}``."""
    moment = _parse_moment(now) if now else timezone.now()
    upcoming = (
        Interview.objects.with_program()
        .select_related("application__student")
        .filter(
            starts_at__gt=moment,
            starts_at__lte=moment + REMIND_BEFORE,
            application__student__is_active=True,
        )
        .exclude(application__student__email="")
    )
    counts = send_each(
        upcoming,
        lambda interview: _send_once(interview, InterviewReminder.Kind.DAY_BEFORE),
        kind="interview reminder",
        identify=lambda interview: (
            f"interview {interview.pk} (student {interview.application.student_id})"
        ),
    )
    return {"interview_reminders": counts}


def _parse_moment(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _send_once(interview: Interview, kind: str) -> bool:
    """Record the reminder, then send it; an error while sending undoes the record so the next
    scan tries again. False when it was already sent."""
    try:
        with transaction.atomic():
            InterviewReminder.objects.create(
                interview=interview, kind=kind, starts_at=interview.starts_at
            )
            reminder_email(interview).send()
    except IntegrityError:
        return False
    return True


def reminder_email(interview: Interview) -> EmailMessage:
    program = interview.application.program
    local = interview.local_start
    site_url = getattr(settings, "SITE_URL", "")
    context = {
        "interview": interview,
        "program": program,
        "student": interview.application.student,
        "url": f"{site_url}{interview.get_absolute_url()}" if site_url else "",
    }
    # Catalog names come from imported files: a stray line break must not break the subject.
    return EmailMessage(
        # The date, not "tomorrow": an interview added a few hours ahead is reminded at once.
        f"Reminder: your interview with {single_line(program.title)},"
        f" {single_line(program.institution.name)} on {local:%A} {local.day} {local:%B}",
        render_to_string("interviews/email/reminder.txt", context),
        to=[interview.application.student.email],
    )
