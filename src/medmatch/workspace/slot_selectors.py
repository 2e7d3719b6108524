"""Reads of interview slot rounds: the coordinator's view of a round (slots and who holds them,
waitlists in order, who has ranked), the student's view of their invitation (the slots in two
time zones, the clashes with their other interviews, their outcome — never their priority, their
place on a waitlist or anyone else), and the staff calendar of a round.
"""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo

from icalendar import Calendar, Event

from medmatch.applications.calendar import UID_DOMAIN
from medmatch.interviews.conflicts import Slot as ClashSlot
from medmatch.interviews.conflicts import find_conflicts
from medmatch.interviews.models import Interview
from medmatch.workspace.models import InterviewSlot, Invitation, SlotRound
from medmatch.workspace.slot_rounds import load_state, round_location

PRODID = "-//medmatch//interview slots//EN"
# How far from a slot another interview can still clash with it (a travel clash is the next or
# previous day; "two days" leaves room for the time zones).
CLASH_SINCE = datetime.timedelta(days=2)


def submission_name(submission) -> str:
    """The name the student gave in the application the program read."""
    version = submission.current_version
    name = (version.profile.get("name") if version else "") or ""
    return name or submission.student.display_name


def student_name(invitation: Invitation) -> str:
    return submission_name(invitation.submission)


def slot_end(round_: SlotRound, slot: InterviewSlot) -> datetime.datetime:
    return slot.starts_at + datetime.timedelta(minutes=round_.duration_minutes)


# ---- the coordinator's view --------------------------------------------------------------------


@dataclasses.dataclass
class SlotRow:
    slot: InterviewSlot
    local_start: datetime.datetime
    holders: list[Invitation]
    waitlist: list[Invitation]

    @property
    def free(self) -> int:
        return max(self.slot.capacity - len(self.holders), 0)


def round_overview(round_: SlotRound) -> dict:
    """Everything the round page shows its staff."""
    zone = zoneinfo.ZoneInfo(round_.time_zone)
    invitations = list(
        round_.invitations.select_related("submission__student", "submission__current_version")
        .prefetch_related("preferences")
        .order_by("priority")
    )
    for invitation in invitations:
        invitation.name = student_name(invitation)
    by_id = {str(invitation.pk): invitation for invitation in invitations}
    waitlists = load_state(round_.state).waitlists if round_.state else {}
    rows = []
    for slot in round_.slots.all():
        holders = [i for i in invitations if i.assigned_slot_id == slot.pk and not i.cancelled_at]
        waitlist = [by_id[student] for student in waitlists.get(str(slot.pk), ())]
        rows.append(SlotRow(slot, slot.starts_at.astimezone(zone), holders, waitlist))
    standing = [i for i in invitations if i.cancelled_at is None]
    return {
        "rows": rows,
        "invitations": invitations,
        "ranked": [i for i in standing if i.ranked_at is not None],
        "not_ranked": [i for i in standing if i.ranked_at is None],
        "cancelled": [i for i in invitations if i.cancelled_at is not None],
        "without_slot": [i for i in standing if i.assigned_slot_id is None],
        "capacity": sum(row.slot.capacity for row in rows),
    }


def round_calendar(round_: SlotRound, *, now: datetime.datetime, url: str) -> bytes:
    """Every assigned slot of the round as an iCalendar event: who, when (UTC, with the local
    time and zone in the description). UIDs from the invitation ids, so a re-import updates."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"medmatch interviews: {round_.title}")
    zone = zoneinfo.ZoneInfo(round_.time_zone)
    held = (
        round_.invitations.filter(cancelled_at__isnull=True, assigned_slot__isnull=False)
        .select_related("assigned_slot", "submission__student", "submission__current_version")
        .order_by("assigned_slot__starts_at", "priority")
    )
    where = ", ".join(part for part in (round_.place, round_.city) if part) or round_.link
    for invitation in held:
        slot = invitation.assigned_slot
        local = slot.starts_at.astimezone(zone)
        name = student_name(invitation)
        event = Event()
        event.add("uid", f"slot-invitation-{invitation.pk}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        event.add("dtstart", slot.starts_at.astimezone(datetime.UTC))
        event.add("dtend", slot_end(round_, slot).astimezone(datetime.UTC))
        event.add("summary", f"Interview: {name}")
        event.add(
            "description",
            f"{round_.title}: {name}, {local:%d %b %Y %H:%M} ({round_.time_zone}), "
            f"{round_.duration_minutes} minutes, {round_.get_format_display().lower()}.",
        )
        if where:
            event.add("location", where)
        event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical()


# ---- the student's view ------------------------------------------------------------------------


@dataclasses.dataclass
class StudentSlot:
    slot: InterviewSlot
    program_time: datetime.datetime  # in the round's zone
    own_time: datetime.datetime | None  # in the zone the student chose (None: the same)
    clashes: list[tuple[str, str]]  # (kind, message) as interviews.conflicts says them
    rank: int | None


def _other_commitments(
    invitation: Invitation, since: datetime.datetime, until: datetime.datetime
) -> list[ClashSlot]:
    """The student's other interviews (their own schedule) and the slots they hold in other
    rounds that are not in their schedule (they removed the interview, say) — never this
    round's own interview — starting between ``since`` and ``until``."""
    student = invitation.submission.student
    interviews = (
        Interview.objects.for_student(student)
        .with_program()
        .filter(starts_at__gte=since, starts_at__lte=until)
        .exclude(invitation=invitation)
    )
    others = [interview.to_slot() for interview in interviews]
    held = (
        Invitation.objects.for_student(student)
        .filter(
            cancelled_at__isnull=True,
            assigned_slot__isnull=False,
            interview__isnull=True,
            assigned_slot__starts_at__gte=since,
            assigned_slot__starts_at__lte=until,
        )
        .exclude(round_id=invitation.round_id)
        .select_related("assigned_slot", "round__program__institution")
    )
    for other in held:
        program = other.round.program
        others.append(
            ClashSlot(
                # Interview ids are positive and this round's slots negative: no id meets another.
                id=-(10**15) - other.pk,
                label=f"{program.title}, {program.institution.name}",
                starts_at=other.assigned_slot.starts_at,
                ends_at=slot_end(other.round, other.assigned_slot),
                time_zone=other.round.time_zone,
                in_person=other.round.format == SlotRound.Format.IN_PERSON,
                city=other.round.city.strip(),
            )
        )
    return others


def student_slots(
    invitation: Invitation, *, own_zone: str | None, now: datetime.datetime
) -> list[StudentSlot]:
    """The round's slots as the invited student sees them: the time in the program's zone and
    in ``own_zone``, what each clashes with in their own schedule, and the rank they gave."""
    round_ = invitation.round
    program = round_.program
    zone = zoneinfo.ZoneInfo(round_.time_zone)
    own = zoneinfo.ZoneInfo(own_zone) if own_zone and own_zone != round_.time_zone else None
    latitude, longitude = round_location(round_)
    slots = list(round_.slots.all())
    candidates = [
        ClashSlot(
            id=-slot.pk,
            label=f"{program.title}, {program.institution.name}",
            starts_at=slot.starts_at,
            ends_at=slot_end(round_, slot),
            time_zone=round_.time_zone,
            in_person=round_.format == SlotRound.Format.IN_PERSON,
            city=round_.city.strip(),
            latitude=latitude,
            longitude=longitude,
        )
        for slot in slots
    ]
    # Only what starts within two days of the round's slots can clash with one (overlap, same
    # day, travel the next day); nothing further off is read, a row at 9999-12-31 included.
    others = (
        _other_commitments(
            invitation,
            max(now, min(slot.starts_at for slot in slots)) - CLASH_SINCE,
            max(slot.starts_at for slot in slots) + CLASH_SINCE,
        )
        if slots
        else []
    )
    clashes: dict[int, list[tuple[str, str]]] = {slot.pk: [] for slot in slots}
    for candidate in candidates:
        for conflict in find_conflicts([candidate, *others]):
            if conflict.involves(candidate.id):
                clashes[-candidate.id].append((conflict.kind, conflict.message))
    ranks = dict(invitation.preferences.values_list("slot_id", "rank"))
    return [
        StudentSlot(
            slot,
            slot.starts_at.astimezone(zone),
            slot.starts_at.astimezone(own) if own else None,
            clashes[slot.pk],
            ranks.get(slot.pk),
        )
        for slot in slots
    ]


def is_waitlisted(invitation: Invitation) -> bool:
    """Whether the student waits for a slot they preferred (never where on the list)."""
    round_ = invitation.round
    if not round_.state or invitation.cancelled_at is not None:
        return False
    student = str(invitation.pk)
    return any(student in waiting for waiting in load_state(round_.state).waitlists.values())
