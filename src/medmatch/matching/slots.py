"""Interview slot assignment: a stable assignment of invited students to a program's slots.

A program publishes slots and invites students in an order (its priority); each invited student
ranks the slots they can attend. At the window's end :func:`assign` gives every student the best
slot a stable assignment allows, keeps per-slot waitlists in priority order, and :func:`cancel`
offers a freed slot down its waitlist, following the chain of moves. Plain data in and out: no
Django, nothing mutated. A slot is a program of the matching engine with its capacity, whose rank
list is the invitation order; the assignment is the engine's applicant-proposing deferred
acceptance (:func:`medmatch.matching.solver.applicant_proposing`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .instance import Applicant, Instance, Program
from .solver import applicant_proposing

UNRANKED = 1 << 30  # the rank of "no slot": below every slot on a list


class SlotError(ValueError):
    """A malformed slot round, naming the record and the reason."""


@dataclass(frozen=True, slots=True)
class Slot:
    """An interview slot: its id, how many students it takes (usually 1) and when it starts."""

    id: str
    capacity: int = 1
    starts_at: datetime | None = None


@dataclass(frozen=True)
class SlotRound:
    """What the window collected.

    ``priority`` lists the invited student ids in the program's invitation order, best first (a
    sequence of distinct ids, so priority has no ties). ``rankings`` maps a student id to the slot
    ids they can attend, most preferred first; a student absent from it, or with an empty list,
    ranked nothing and gets no slot.
    """

    slots: tuple[Slot, ...]
    priority: tuple[str, ...]
    rankings: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Move:
    """One step of a change: ``student`` left ``from_slot`` for ``to_slot`` (None: no slot)."""

    student: str
    from_slot: str | None
    to_slot: str | None


@dataclass(frozen=True)
class SlotAssignment:
    """The state of a round after :func:`assign` and any :func:`cancel` calls.

    ``assignment`` maps each student who holds a slot to it. ``waitlists`` maps every slot id to
    the students, in priority order, who ranked it above the slot they hold (or hold none) and
    have not cancelled. ``unassigned`` lists, in priority order, the invited students without a
    slot who have not cancelled (including those who ranked nothing). ``cancelled`` lists the
    students who cancelled, in the order they did.
    """

    round: SlotRound
    assignment: dict[str, str]
    waitlists: dict[str, tuple[str, ...]]
    unassigned: tuple[str, ...]
    cancelled: tuple[str, ...] = ()


def validate_round(round_: SlotRound) -> SlotRound:
    """Check a round and return it unchanged; raise :class:`SlotError` on the first fault.

    Steps: slot ids are distinct non-empty strings; capacities are non-negative integers; the
    priority lists distinct non-empty student ids; only invited students rank; a ranking names
    known slots, each once.
    """
    slot_ids: set[str] = set()
    for slot in round_.slots:
        if not isinstance(slot.id, str) or not slot.id:
            raise SlotError(f"slot {slot.id!r}: the id must be a non-empty string")
        if slot.id in slot_ids:
            raise SlotError(f"slot {slot.id!r}: duplicate slot id")
        slot_ids.add(slot.id)
        if not isinstance(slot.capacity, int) or isinstance(slot.capacity, bool):
            raise SlotError(f"slot {slot.id!r}: capacity must be an integer")
        if slot.capacity < 0:
            raise SlotError(f"slot {slot.id!r}: capacity must not be negative")
    invited: set[str] = set()
    for student in round_.priority:
        if not isinstance(student, str) or not student:
            raise SlotError(f"student {student!r}: the id must be a non-empty string")
        if student in invited:
            raise SlotError(f"student {student!r}: appears twice in the priority order")
        invited.add(student)
    for student, ranking in round_.rankings.items():
        if student not in invited:
            raise SlotError(f"student {student!r}: ranked slots but was not invited")
        if len(set(ranking)) != len(ranking):
            raise SlotError(f"student {student!r}: ranks a slot twice")
        for slot_id in ranking:
            if slot_id not in slot_ids:
                raise SlotError(f"student {student!r}: ranks unknown slot {slot_id!r}")
    return round_


def to_instance(round_: SlotRound, withdrawn: frozenset[str] | set[str] = frozenset()) -> Instance:
    """The matching-engine instance of a round: students are applicants, slots are programs.

    Takes a validated round and the students who withdrew (they rank nothing); returns an
    :class:`~medmatch.matching.instance.Instance` whose applicants are the students in priority
    order with their rankings, and whose programs are the slots with their capacities, each
    ranking the students who ranked it, in priority order (the invitation order is the priority).
    """
    ranked_by: dict[str, list[str]] = {slot.id: [] for slot in round_.slots}
    applicants = []
    for student in round_.priority:
        ranking = () if student in withdrawn else tuple(round_.rankings.get(student, ()))
        applicants.append(Applicant(student, ranking))
        for slot_id in ranking:
            ranked_by[slot_id].append(student)
    programs = tuple(
        Program(slot.id, slot.capacity, tuple(ranked_by[slot.id])) for slot in round_.slots
    )
    return Instance(tuple(applicants), programs)


def _state(
    round_: SlotRound, assignment: dict[str, str], cancelled: tuple[str, ...]
) -> SlotAssignment:
    gone = set(cancelled)
    waitlists: dict[str, list[str]] = {slot.id: [] for slot in round_.slots}
    unassigned = []
    for student in round_.priority:
        if student in gone:
            continue
        held = assignment.get(student)
        if held is None:
            unassigned.append(student)
        for slot_id in round_.rankings.get(student, ()):
            if slot_id == held:
                break
            waitlists[slot_id].append(student)
    return SlotAssignment(
        round_,
        assignment,
        {slot_id: tuple(students) for slot_id, students in waitlists.items()},
        tuple(unassigned),
        cancelled,
    )


def assign(round_: SlotRound) -> SlotAssignment:
    """Assign slots at the window's end: the student-optimal stable assignment.

    Takes a :class:`SlotRound`; returns a :class:`SlotAssignment`; raises :class:`SlotError` for
    a malformed round. Steps: validate; build the engine instance (:func:`to_instance`); run
    applicant-proposing deferred acceptance, where each student proposes down their list and a
    slot holds its ``capacity`` proposers earliest in the invitation order; then list each slot's
    waitlist. The result is stable: no student prefers a slot that has room or holds a student
    invited after them; and it is the best stable assignment for every student, so ranking
    truthfully is safe. Source: Gale & Shapley (1962); Roth (1982), "The economics of matching:
    stability and incentives" (strategy-proofness for the proposing side).
    """
    validate_round(round_)
    result = applicant_proposing(to_instance(round_))
    assignment = {student: slot for student, slot in result.assignment.items() if slot is not None}
    return _state(round_, assignment, ())


def cancel(state: SlotAssignment, student: str) -> tuple[SlotAssignment, tuple[Move, ...]]:
    """A student cancels: they leave the round, and the slot they held goes down its waitlist.

    Takes a state and the id of an invited student who has not cancelled; returns the new state
    and the moves, the cancellation itself first (``student``, their slot or None, None); raises
    :class:`SlotError` for an unknown or already cancelled student. Steps: drop the student
    (from their slot and every waitlist); while a slot has a free place, offer it to the first
    student in priority order who ranked it above the slot they hold (or holds none); they take
    it, and the slot they leave is offered the same way; stop when a freed slot has nobody
    waiting. Every step moves one student strictly up their list, so the chain ends; nobody
    loses a slot but the one who cancelled; and the assignment stays stable for the round without
    the cancelled student (a freed slot goes to the highest-priority student who wants it, and
    every other slot keeps its holders). From a state made by :func:`assign`, the result is the
    assignment a fresh :func:`assign` of the round without the cancelled students gives (the
    property tests check this). Source: Blum, Roth & Rothblum (1997), "Vacancy chains
    and equilibration in senior-level labor markets", Journal of Economic Theory 76(2).
    """
    round_ = state.round
    if student not in round_.priority:
        raise SlotError(f"student {student!r}: was not invited")
    if student in state.cancelled:
        raise SlotError(f"student {student!r}: has already cancelled")
    cancelled = (*state.cancelled, student)
    gone = set(cancelled)
    assignment = dict(state.assignment)
    vacant = assignment.pop(student, None)
    moves = [Move(student, vacant, None)]
    if vacant is not None:
        rank = {
            s: {slot_id: r for r, slot_id in enumerate(round_.rankings.get(s, ()))}
            for s in round_.priority
            if s not in gone
        }
        ranked_by: dict[str, list[str]] = {slot.id: [] for slot in round_.slots}
        for s, ranks in rank.items():
            for slot_id in ranks:
                ranked_by[slot_id].append(s)
        while vacant is not None:
            taker = None
            for s in ranked_by[vacant]:
                held = assignment.get(s)
                here = UNRANKED if held is None else rank[s][held]
                if rank[s][vacant] < here:
                    taker = s
                    break
            if taker is None:
                break
            left = assignment.get(taker)
            assignment[taker] = vacant
            moves.append(Move(taker, left, vacant))
            vacant = left
    return _state(round_, assignment, cancelled), tuple(moves)
