"""A match cycle's writes, each atomic and each written to the cycle's audit (who, when, the
state before and after, what changed). A transition the cycle's state does not allow is refused
with ``TransitionRefused`` and changes nothing."""

from django.db import transaction
from django.utils import timezone

from medmatch.catalog.models import Program
from medmatch.cycles.models import CycleAuditEntry, CycleProgram, MatchCycle


class TransitionRefused(Exception):
    """The cycle cannot make this change now; the message says why, for the administrator."""


def _audit(cycle: MatchCycle, who, note: str, from_state: str = "") -> None:
    CycleAuditEntry.objects.create(
        cycle=cycle, who=who, from_state=from_state, to_state=cycle.state, note=note[:500]
    )


def _locked_cycle(cycle: MatchCycle) -> MatchCycle:
    # Read the state again under a row lock: two administrators may act at once.
    return MatchCycle.objects.select_for_update().get(pk=cycle.pk)


def _require_draft(cycle: MatchCycle, what: str) -> None:
    if not cycle.is_draft:
        raise TransitionRefused(f"Only a draft cycle can {what}; this one is {cycle.state}.")


@transaction.atomic
def cycle_create(*, who, **fields) -> MatchCycle:
    cycle = MatchCycle.objects.create(created_by=who, **fields)
    _audit(cycle, who, "Created the cycle as a draft.")
    return cycle


@transaction.atomic
def cycle_update(*, cycle: MatchCycle, who, changed: list[str]) -> MatchCycle:
    stored = _locked_cycle(cycle)
    _require_draft(stored, "be edited")
    cycle.state = stored.state
    cycle.save()
    _audit(cycle, who, "Edited " + (", ".join(changed) if changed else "nothing") + ".")
    return cycle


@transaction.atomic
def cycle_program_add(
    *, cycle: MatchCycle, who, program: Program, quota: int, revert_to=None
) -> CycleProgram:
    _require_draft(_locked_cycle(cycle), "take programs")
    entry = CycleProgram.objects.create(
        cycle=cycle, program=program, quota=quota, track=program.track_type, revert_to=revert_to
    )
    _audit(cycle, who, f"Added {program.title} ({program.institution}) with {quota} positions.")
    return entry


@transaction.atomic
def cycle_programs_add_by_specialty(
    *, cycle: MatchCycle, who, specialty, country: str, quota: int
) -> int:
    """Add every catalog program of ``specialty`` (in ``country`` when given) not yet in the
    cycle, each with ``quota`` positions; returns how many were added."""
    _require_draft(_locked_cycle(cycle), "take programs")
    programs = Program.objects.filter(specialty=specialty).exclude(cycle_entries__cycle=cycle)
    if country:
        programs = programs.filter(country=country)
    entries = [
        CycleProgram(cycle=cycle, program=program, quota=quota, track=program.track_type)
        for program in programs.order_by("pk")
    ]
    CycleProgram.objects.bulk_create(entries)
    where = f" in {country}" if country else ""
    _audit(
        cycle,
        who,
        f"Added {len(entries)} {specialty.name} programs{where} with {quota} positions each.",
    )
    return len(entries)


@transaction.atomic
def cycle_program_remove(*, cycle: MatchCycle, who, entry: CycleProgram) -> None:
    _require_draft(_locked_cycle(cycle), "lose programs")
    name = str(entry.program.title)
    entry.delete()
    _audit(cycle, who, f"Removed {name}.")


@transaction.atomic
def cycle_open(*, cycle: MatchCycle, who) -> MatchCycle:
    stored = _locked_cycle(cycle)
    if not stored.can_move_to(MatchCycle.State.OPEN):
        raise TransitionRefused(f"A cycle that is {stored.get_state_display()} cannot be opened.")
    if not stored.programs.exists():
        raise TransitionRefused("Add at least one program before opening the cycle.")
    if timezone.now() >= stored.certification_deadline:
        raise TransitionRefused("The certification deadline has passed: change the dates first.")
    stored.state = MatchCycle.State.OPEN
    stored.save(update_fields=["state"])
    _audit(stored, who, "Opened the cycle for rank lists.", from_state=MatchCycle.State.DRAFT)
    return stored


@transaction.atomic
def cycle_lock(*, cycle: MatchCycle, who, confirm_early: bool) -> MatchCycle:
    stored = _locked_cycle(cycle)
    if not stored.can_move_to(MatchCycle.State.LOCKED):
        raise TransitionRefused(f"A cycle that is {stored.get_state_display()} cannot be locked.")
    early = timezone.now() < stored.certification_deadline
    if early and not confirm_early:
        raise TransitionRefused(
            "The certification deadline has not passed: confirm to lock the cycle early."
        )
    stored.state = MatchCycle.State.LOCKED
    stored.save(update_fields=["state"])
    note = "Locked the cycle" + (" before the certification deadline." if early else ".")
    _audit(stored, who, note, from_state=MatchCycle.State.OPEN)
    return stored
