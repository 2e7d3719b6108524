"""A program's interview slot rounds, read-only, for its verified staff (token scope area
``program``): the rounds of a program, and one round with its slots (who holds each, the
waitlist in the program's order) and its invitations with their states — what the rounds pages
show (``workspace/slots/rounds.html``, ``round.html``), built by the page's own
``slot_selectors.round_overview``.

Every row comes through ``workspace.access`` (``get_staff_program_or_404``, ``staff_rounds``,
``get_staff_round_or_404``): another program's round is a 404, as on the pages, for students and
other programs' staff alike."""

import datetime
from typing import Literal

from django.db.models import Count
from ninja import Query, Router, Schema

from medmatch.api.auth import student_auth
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import responses
from medmatch.workspace.access import get_staff_program_or_404, get_staff_round_or_404, staff_rounds
from medmatch.workspace.models import SlotRound
from medmatch.workspace.slot_selectors import round_overview

router = Router(tags=["program"], auth=student_auth("program"))


class RoundOut(Schema):
    id: int
    program_id: int
    title: str
    format: str  # virtual, in_person
    duration_minutes: int
    time_zone: str  # the zone the round's times are shown in on its page
    place: str
    city: str
    link: str  # the video link; "" for none
    state: Literal["preparing", "ranking", "assigned"]  # as the rounds page's marker
    window_opens_at: datetime.datetime | None  # null: no invitations sent yet
    window_closes_at: datetime.datetime
    assigned_at: datetime.datetime | None
    slot_count: int
    invited_count: int


class RoundList(Schema):
    items: list[RoundOut]
    next_cursor: str | None


class HolderOut(Schema):
    invitation_id: int
    name: str  # the name the student gave in the application the program read


class SlotOut(Schema):
    id: int
    starts_at: datetime.datetime  # in UTC
    local_start: str  # in the round's zone, as the page shows it ("2026-11-03T09:00")
    capacity: int
    free: int
    holders: list[HolderOut]
    waitlist: list[HolderOut]  # in the program's order; only after the assignment


class InvitationOut(Schema):
    id: int
    submission_id: int
    priority: int  # the program's order, 1 = first
    name: str
    state: Literal["not_ranked", "ranked", "assigned", "without_slot", "cancelled"]
    invited_at: datetime.datetime
    ranked_at: datetime.datetime | None
    slots_ranked: int  # how many slots the student ranked (those they can attend)
    assigned_slot_id: int | None
    cancelled_at: datetime.datetime | None


class CountsOut(Schema):
    ranked: int
    not_ranked: int
    cancelled: int
    without_slot: int  # standing invitations with no slot (after the assignment, none given)


class RoundDetail(RoundOut):
    capacity: int  # places over all slots
    counts: CountsOut
    slots: list[SlotOut]  # by start
    invitations: list[InvitationOut]  # by priority


def _state(round_: SlotRound) -> str:
    if round_.assigned_at:
        return "assigned"
    return "ranking" if round_.window_opens_at else "preparing"


def _round(round_: SlotRound, slot_count: int, invited_count: int) -> dict:
    return {
        "id": round_.pk,
        "program_id": round_.program_id,
        "title": round_.title,
        "format": round_.format,
        "duration_minutes": round_.duration_minutes,
        "time_zone": round_.time_zone,
        "place": round_.place,
        "city": round_.city,
        "link": round_.link,
        "state": _state(round_),
        "window_opens_at": round_.window_opens_at,
        "window_closes_at": round_.window_closes_at,
        "assigned_at": round_.assigned_at,
        "slot_count": slot_count,
        "invited_count": invited_count,
    }


def _invitation_state(round_: SlotRound, invitation) -> str:
    if invitation.cancelled_at:
        return "cancelled"
    if invitation.assigned_slot_id:
        return "assigned"
    if round_.assigned_at:
        return "without_slot"
    return "ranked" if invitation.ranked_at else "not_ranked"


def _holder(invitation) -> dict:
    return {"invitation_id": invitation.pk, "name": invitation.name}


@router.get("/programs/{int:pk}/rounds", response=responses(RoundList), url_name="staff_rounds")
def list_rounds(request, pk: int, filters: Query[PageParams]):
    """The interview slot rounds of a program you are verified staff of, oldest first, each
    with its state as the rounds page marks it (being prepared, students ranking, assigned)."""
    program = get_staff_program_or_404(request.user, pk)
    rounds = (
        staff_rounds(request.user)
        .filter(program=program)
        .annotate(
            slot_count=Count("slots", distinct=True),
            invited_count=Count("invitations", distinct=True),
        )
    )
    page = keyset_page(rounds, filters, name="staff-rounds", key="pk")
    return {
        "items": [_round(r, r.slot_count, r.invited_count) for r in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/rounds/{int:pk}", response=responses(RoundDetail), url_name="staff_round")
def show_round(request, pk: int):
    """One round as its page shows it to the program's staff: the slots by start with who holds
    each and (after the assignment) the waitlist in your order; the invitations by priority with
    their states; and the counts the page gives."""
    round_ = get_staff_round_or_404(request.user, pk)
    overview = round_overview(round_)
    invitations = overview["invitations"]
    slots = [
        {
            "id": row.slot.pk,
            "starts_at": row.slot.starts_at,
            "local_start": row.local_start.replace(tzinfo=None).isoformat(timespec="minutes"),
            "capacity": row.slot.capacity,
            "free": row.free,
            "holders": [_holder(i) for i in row.holders],
            "waitlist": [_holder(i) for i in row.waitlist],
        }
        for row in overview["rows"]
    ]
    return {
        **_round(round_, len(slots), len(invitations)),
        "capacity": overview["capacity"],
        "counts": {
            key: len(overview[key]) for key in ("ranked", "not_ranked", "cancelled", "without_slot")
        },
        "slots": slots,
        "invitations": [
            {
                "id": invitation.pk,
                "submission_id": invitation.submission_id,
                "priority": invitation.priority,
                "name": invitation.name,
                "state": _invitation_state(round_, invitation),
                "invited_at": invitation.invited_at,
                "ranked_at": invitation.ranked_at,
                "slots_ranked": len(invitation.preferences.all()),
                "assigned_slot_id": invitation.assigned_slot_id,
                "cancelled_at": invitation.cancelled_at,
            }
            for invitation in invitations
        ],
    }
