"""The contact follow-up reminder, sent by ``medmatch worker`` (django-tasks; one of the scans of
the schedule, ``medmatch.tasks``).

Schedule: one email to the student on a conversation's follow-up date (the site's TIME_ZONE
date), while the follow-up is not marked done. Nothing for dates already past when the scan runs
(so setting a follow-up in the past, or deploying this, sends no backlog), nor for inactive
accounts or ones without an email. Each email is recorded in FollowUpReminder under a unique
constraint in the transaction that sends it, so restarts, retries and two workers never send it
twice; moving the follow-up to a new date earns a new email. Each conversation's email is sent on
its own (``medmatch.lib.scans.send_each``): one that fails is logged and retried at the next scan,
and the others still go out.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from medmatch.lib.scans import send_each
from medmatch.lib.validators import single_line
from medmatch.research.models import Conversation, FollowUpReminder


@task()
def send_follow_up_reminders(on: str = "") -> dict:
    """Send the follow-ups due on ``on`` (ISO date, a datetime's date part is used; default
    today): returns ``{"follow_up_reminders": {"sent": n, "failed": m}}``."""
    day = datetime.date.fromisoformat(on[:10]) if on else timezone.localdate()
    due = (
        Conversation.objects.follow_ups_due()
        .filter(follow_up_on=day, contact__student__is_active=True)
        .exclude(contact__student__email="")
        .select_related("contact__student", "contact__program__institution", "contact__institution")
    )
    counts = send_each(
        due,
        _send_once,
        kind="follow-up reminder",
        identify=lambda conversation: (
            f"conversation {conversation.pk} (contact {conversation.contact_id},"
            f" student {conversation.contact.student_id})"
        ),
    )
    return {"follow_up_reminders": counts}


def _send_once(conversation: Conversation) -> bool:
    """Record the reminder, then send it; an error while sending undoes the record so the next
    scan tries again. False when it was already sent."""
    try:
        with transaction.atomic():
            FollowUpReminder.objects.create(
                conversation=conversation, follow_up_on=conversation.follow_up_on
            )
            reminder_email(conversation).send()
    except IntegrityError:
        return False
    return True


def reminder_email(conversation: Conversation) -> EmailMessage:
    contact = conversation.contact
    site_url = getattr(settings, "SITE_URL", "")
    path = reverse("research:contact", args=[contact.pk])
    context = {
        "conversation": conversation,
        "contact": contact,
        "student": contact.student,
        "url": f"{site_url}{path}" if site_url else "",
    }
    # A name saved before the form refused line breaks ("Eve\r\nBcc: ...") must not break, or
    # add to, the headers.
    return EmailMessage(
        f"Follow up with {single_line(contact.name)} today",
        render_to_string("research/email/follow_up.txt", context),
        to=[contact.student.email],
    )
