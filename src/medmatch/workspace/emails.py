"""The emails of interview slot rounds, to the invited student: the invitation (with the window's
end), a reminder 12 hours before the window closes to those who have not ranked, the outcome of
the assignment, a move when a slot they preferred frees up, and a cancellation (theirs, or the
program taking them out) when they had been told of the round. What is due is worked out from the
rows; each email goes out once, recorded in ``SlotEmail`` in the transaction that sends it (see
``workspace.tasks``). An email never names the student's priority, their place on a waitlist, or
another student."""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from medmatch.lib.validators import single_line
from medmatch.workspace.models import Invitation, SlotEmail
from medmatch.workspace.slot_selectors import is_waitlisted

REMIND_BEFORE = datetime.timedelta(hours=12)
# Rounds whose window closed longer ago than this get no more emails from the scan (a
# cancellation still sends its moves at once, through the worker's queue).
SCAN_RECENT = datetime.timedelta(days=120)
CANCELLED = "cancelled"


@dataclasses.dataclass(frozen=True)
class DueEmail:
    invitation: Invitation
    kind: str
    key: str
    first_outcome: bool = False


def outcome_key(invitation: Invitation) -> str:
    slot = invitation.assigned_slot_id
    return f"slot-{slot}" if slot else "none"


def due_emails(invitations, now: datetime.datetime) -> list[DueEmail]:
    """The emails due now to ``invitations`` (with their round, sent emails prefetched)."""
    due = []
    for invitation in invitations:
        round_ = invitation.round
        if round_.window_opens_at is None:
            continue
        sent = {(email.kind, email.key): email for email in invitation.emails.all()}
        if invitation.cancelled_at is not None:
            # Confirm it to a student who was told of the round (they cancelled, or the program
            # took them out): their interview left their schedule.
            if sent and (SlotEmail.Kind.OUTCOME, CANCELLED) not in sent:
                due.append(DueEmail(invitation, SlotEmail.Kind.OUTCOME, CANCELLED))
            continue
        if round_.assigned_at is None:
            if now >= round_.window_closes_at:
                continue
            invited = sent.get((SlotEmail.Kind.INVITED, ""))
            if invited is None:
                due.append(DueEmail(invitation, SlotEmail.Kind.INVITED, ""))
            elif (
                invitation.ranked_at is None
                and round_.window_closes_at - now <= REMIND_BEFORE
                # An invitation sent less than 12 hours before the end said it already.
                and round_.window_closes_at - invited.sent_at > REMIND_BEFORE
                and (SlotEmail.Kind.REMINDER, "") not in sent
            ):
                due.append(DueEmail(invitation, SlotEmail.Kind.REMINDER, ""))
            continue
        key = outcome_key(invitation)
        if (SlotEmail.Kind.OUTCOME, key) not in sent:
            first = not any(kind == SlotEmail.Kind.OUTCOME for kind, _ in sent)
            due.append(DueEmail(invitation, SlotEmail.Kind.OUTCOME, key, first))
    return due


def invitations_to_email(rounds):
    return (
        Invitation.objects.filter(round__in=rounds)
        .select_related(
            "round__program__institution", "submission__student", "assigned_slot", "interview"
        )
        .prefetch_related("emails")
        .order_by("round_id", "priority")
    )


def send_once(item: DueEmail) -> bool:
    """Record the email, then send it; an error while sending undoes the record so the next scan
    tries again. False when it was sent already, or the student has no address to send to."""
    student = item.invitation.submission.student
    if not student.is_active or not student.email:
        return False
    try:
        with transaction.atomic():
            SlotEmail.objects.create(invitation=item.invitation, kind=item.kind, key=item.key)
            build_email(item).send()
    except IntegrityError:
        return False
    return True


def build_email(item: DueEmail) -> EmailMessage:
    invitation = item.invitation
    round_ = invitation.round
    program = round_.program
    site_url = getattr(settings, "SITE_URL", "")
    path = reverse("workspace:invitation", args=[invitation.pk])
    zone = zoneinfo.ZoneInfo(round_.time_zone)
    slot = invitation.assigned_slot
    context = {
        "invitation": invitation,
        "round": round_,
        "program": program,
        "student": invitation.submission.student,
        "url": f"{site_url}{path}" if site_url else "",
        "closes": round_.window_closes_at.astimezone(zone),
        "slot_time": slot.starts_at.astimezone(zone) if slot else None,
        "waitlisted": is_waitlisted(invitation),
    }
    where = f"{single_line(program.title)}, {single_line(program.institution.name)}"
    if item.key == CANCELLED:
        subject, template = f"Interview cancelled: {where}", "cancelled"
    elif item.kind == SlotEmail.Kind.INVITED:
        subject, template = f"Interview invitation: {where}", "invited"
    elif item.kind == SlotEmail.Kind.REMINDER:
        subject, template = f"Rank your interview slots for {where}", "reminder"
    elif slot is not None and not item.first_outcome:
        subject, template = f"A slot you preferred is yours: {where}", "moved"
    else:
        subject, template = f"Your interview slot: {where}", "outcome"
    return EmailMessage(
        subject,
        render_to_string(f"workspace/slots/email/{template}.txt", context),
        to=[invitation.submission.student.email],
    )
