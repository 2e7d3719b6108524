"""Interview slot rounds in the background (django-tasks): the assignment at each window's end
and the round's emails, as one of the reminder scans of the schedule (``medmatch.tasks``), plus
the emails of one round, queued after a write that makes some due (invitations sent, the window
closed early, a cancellation).

Each round is assigned on its own (``medmatch.lib.scans.send_each``): a round that fails rolls
back, is logged with its ids and tried again at the next scan, and the other rounds are still
assigned. Assigning is idempotent (a round assigned already is skipped under its row lock), and
so is every email (``SlotEmail``).
"""

import datetime

from django.utils import timezone
from django_tasks import task

from medmatch.lib.scans import send_each
from medmatch.workspace.emails import (
    SCAN_RECENT,
    due_emails,
    invitations_to_email,
    send_once,
)
from medmatch.workspace.models import SlotRound
from medmatch.workspace.slot_rounds import due_rounds, round_assign


@task()
def assign_interview_slots(when: str = "") -> dict:
    """Assign every round whose window closed by ``when`` (ISO datetime or date; default now),
    then send the slot emails due: returns ``{"slot_assignments": {...}, "slot_emails": {...}}``
    with ``{"sent": n, "failed": m}`` each ("sent" counting assigned rounds)."""
    moment = _parse_moment(when) if when else timezone.now()
    assigned = send_each(
        list(due_rounds(moment)),
        lambda round_: round_assign(round_pk=round_.pk, now=moment),
        kind="interview slot assignment",
        identify=lambda round_: f"slot round {round_.pk} (program {round_.program_id})",
    )
    rounds = SlotRound.objects.filter(
        window_opens_at__isnull=False, window_closes_at__gte=moment - SCAN_RECENT
    )
    return {"slot_assignments": assigned, "slot_emails": _send(rounds, moment)}


@task()
def send_slot_emails(round_pk: int) -> dict:
    """Send the emails due now for one round."""
    rounds = SlotRound.objects.filter(pk=round_pk)
    return {"slot_emails": _send(rounds, timezone.now())}


def _send(rounds, moment: datetime.datetime) -> dict:
    return send_each(
        due_emails(invitations_to_email(rounds), moment),
        send_once,
        kind="interview slot email",
        identify=lambda item: (
            f"{item.kind} for invitation {item.invitation.pk} (round {item.invitation.round_id})"
        ),
    )


def _parse_moment(value: str) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(value)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
