"""An independent, brute-force validity and stability checker.

Written apart from the solver on purpose (as the ``matching`` library checks stability separately
from solving): it reads the instance records and the result's assignment directly, with plain
dicts and sorting, and shares no code with ``solver.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .instance import Instance
from .result import Result
from .rules import get_rules


@dataclass(frozen=True, slots=True)
class BlockingPair:
    """A unit (applicant or couple id) and a row it prefers that the programs would grant."""

    unit: str
    row: tuple[str | None, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class CheckReport:
    """``violations``: validity problems (capacity, lists, couples, regions); ``blocking``:
    blocking pairs."""

    violations: tuple[str, ...]
    blocking: tuple[BlockingPair, ...]

    @property
    def valid(self) -> bool:
        return not self.violations

    @property
    def stable(self) -> bool:
        return not self.blocking

    @property
    def ok(self) -> bool:
        return self.valid and self.stable


def _jrmp_capacities(instance: Instance) -> dict[str, int]:
    # Hamilton (largest remainder) apportionment of each over-capped region's cap, written
    # again here so that the checker does not trust the solver's arithmetic.
    capacity = {p.id: p.capacity for p in instance.programs}
    for region in instance.regions:
        programs = [p for p in instance.programs if p.region == region.id]
        total = sum(p.capacity for p in programs)
        if total <= region.cap:
            continue
        exact = [
            (Fraction(p.capacity * region.cap, total), -i, p.id) for i, p in enumerate(programs)
        ]
        for share, _, pid in exact:
            capacity[pid] = int(share)
        left = region.cap - sum(capacity[pid] for _, _, pid in exact)
        by_remainder = sorted(exact, key=lambda e: (e[0] - int(e[0]), e[1]), reverse=True)
        for _, _, pid in by_remainder[:left]:
            capacity[pid] += 1
    return capacity


def _rows_of_single(instance: Instance, applicant, use_supplemental: bool) -> list[tuple]:
    tracks = {p.id: p.track for p in instance.programs}
    if not (use_supplemental and applicant.supplemental):
        return [(p, None) for p in applicant.ranking]
    if not any(tracks[p] == "advanced" for p in applicant.ranking):
        return [(p, None) for p in applicant.ranking]
    rows = []
    for p in applicant.ranking:
        if tracks[p] == "advanced":
            rows.extend((p, s) for s in applicant.supplemental)
        rows.append((p, None))
    return rows


def check(instance: Instance, result: Result) -> CheckReport:
    """Check that ``result`` is a valid and stable matching of ``instance`` under its rules.

    Takes the instance and a result; returns a :class:`CheckReport`. Steps: (1) capacities: the
    instance's, JRMP target capacities recomputed, or for NRMP reversion the result's, checked to
    move only unfilled positions along ``revert_to``; (2) validity: every applicant appears once,
    is matched only to a program on their list that ranked them (UKFP: programmes do not rank),
    couples sit on one of their rows, supplemental places follow an advanced match, no program
    over capacity, no region over its cap; (3) stability, by brute force over every unit and
    every row it ranks above its current one: the row blocks when each program in it would take
    the unit's members, i.e. they are acceptable and among its best ``capacity`` of current holders
    (less the unit itself) plus the members. Priorities are program rankings, or the lottery order
    under UKFP (so stability there means: no one envies a place held by someone drawn later).
    Source: Roth & Peranson (1999) for stability with couples; Gale & Shapley (1962).
    """
    rules = get_rules(result.rules)
    violations: list[str] = []
    programs = {p.id: p for p in instance.programs}
    assignment = result.assignment
    people = instance.applicant_ids()

    # (1) capacities
    if rules.regions:
        capacity = _jrmp_capacities(instance)
    elif rules.reversion and any(p.revert_to for p in instance.programs):
        capacity = {pid: result.capacities.get(pid, -1) for pid in programs}
        if sum(capacity.values()) != sum(p.capacity for p in instance.programs):
            violations.append("reversion changed the total number of positions")
        for p in instance.programs:
            gained = capacity[p.id] - p.capacity
            sources = [q for q in instance.programs if q.revert_to == p.id]
            if gained > 0 and not sources:
                violations.append(f"program {p.id!r} gained positions without a reversion link")
            if gained < 0 and p.revert_to is None:
                violations.append(f"program {p.id!r} lost positions without a reversion link")
    else:
        capacity = {p.id: p.capacity for p in instance.programs}

    # (2) validity
    unknown = set(assignment) - set(people)
    if unknown:
        violations.append(f"result names unknown applicants: {sorted(unknown)[:5]}")
    holders: dict[str, list[str]] = {pid: [] for pid in programs}
    for person in people:
        if person not in assignment:
            violations.append(f"applicant {person!r} is missing from the result")
            continue
        pid = assignment[person]
        if pid is None:
            continue
        if pid not in programs:
            violations.append(f"applicant {person!r} matched to unknown program {pid!r}")
            continue
        holders[pid].append(person)
        if not rules.lottery and person not in programs[pid].ranking:
            violations.append(f"applicant {person!r} matched to {pid!r}, which did not rank them")
    supplemental = result.supplemental
    supplemental_holders: dict[str, list[str]] = {}
    singles = {a.id: a for a in instance.applicants}
    for person, pid in supplemental.items():
        applicant = singles.get(person)
        main = assignment.get(person)
        if applicant is None or pid not in applicant.supplemental:
            violations.append(f"applicant {person!r}: {pid!r} is not on their supplemental list")
            continue
        if main is None or programs[main].track != "advanced":
            violations.append(f"applicant {person!r} has a preliminary place without an advanced")
        if person not in programs[pid].ranking:
            violations.append(f"applicant {person!r} matched to {pid!r}, which did not rank them")
        holders[pid].append(person)
        supplemental_holders.setdefault(pid, []).append(person)
    for applicant in instance.applicants:
        pid = assignment.get(applicant.id)
        if pid is not None and pid not in applicant.ranking:
            violations.append(f"applicant {applicant.id!r} matched to {pid!r}, not on their list")
    for couple in instance.couples:
        row = (assignment.get(couple.members[0]), assignment.get(couple.members[1]))
        if row != (None, None) and row not in couple.ranking:
            violations.append(f"couple {couple.id!r} matched to {list(row)}, not one of their rows")
    for pid, members in holders.items():
        if len(members) > capacity[pid]:
            violations.append(
                f"program {pid!r} holds {len(members)} applicants, capacity {capacity[pid]}"
            )
    for region in instance.regions:
        total = sum(len(holders[p.id]) for p in instance.programs if p.region == region.id)
        if total > region.cap:
            violations.append(f"region {region.id!r} holds {total}, cap {region.cap}")

    # (3) stability
    if rules.lottery:
        position: dict[str, int] = {}
        for index, unit in enumerate(result.order):
            position[unit] = index
        for couple in instance.couples:
            if couple.id in position:
                position[couple.members[0]] = position[couple.members[1]] = position[couple.id]
        missing = [
            u
            for u in [a.id for a in instance.applicants] + [c.id for c in instance.couples]
            if u not in position
        ]
        if missing:
            violations.append(f"lottery order misses {missing[:5]}")
            return CheckReport(tuple(violations), ())

        def priority(pid: str, person: str, preliminary: bool) -> int | None:
            return position[person]
    else:
        rank_of = {p.id: {a: r for r, a in enumerate(p.ranking)} for p in instance.programs}

        def priority(pid: str, person: str, preliminary: bool) -> int | None:
            return rank_of[pid].get(person)

    def would_take(pid: str, newcomers: list[tuple[str, bool]], leaving: set[str]) -> bool:
        if any(priority(pid, person, pre) is None for person, pre in newcomers):
            return False
        staying = []
        for person in holders[pid]:
            pre = person in supplemental_holders.get(pid, ())
            if person not in leaving:
                # an invalid holder (one the program did not rank) counts as its worst
                held = priority(pid, person, pre)
                staying.append((len(people) if held is None else held, person))
        pool = staying + [(priority(pid, person, pre), person) for person, pre in newcomers]
        pool.sort()
        best = {person for _, person in pool[: capacity[pid]]}
        return all(person in best for person, _ in newcomers)

    def blocks(unit: str, row, members: tuple[str, ...], preliminary: tuple[bool, ...]) -> bool:
        wanted: dict[str, list[tuple[str, bool]]] = {}
        for pid, person, pre in zip(row, members, preliminary, strict=False):
            if pid is not None:
                wanted.setdefault(pid, []).append((person, pre))
        leaving = set(members)
        return all(would_take(pid, group, leaving) for pid, group in wanted.items())

    # For one newcomer at a program they do not hold, "would take" reduces to: a free
    # position, or a holder it ranks below the newcomer.
    worst: dict[str, float] = {}
    for pid, members in holders.items():
        ranks = [
            priority(pid, person, person in supplemental_holders.get(pid, ())) for person in members
        ]
        worst[pid] = max((len(people) if r is None else r for r in ranks), default=-1)

    def single_blocks(pid: str, person: str) -> bool:
        rank = priority(pid, person, False)
        if rank is None or capacity[pid] <= 0:
            return False
        return len(holders[pid]) < capacity[pid] or rank < worst[pid]

    blocking: list[BlockingPair] = []
    for applicant in instance.applicants:
        if not (rules.supplemental and applicant.supplemental):
            current = assignment.get(applicant.id)
            ranking = applicant.ranking
            index = ranking.index(current) if current in ranking else len(ranking)
            blocking.extend(
                BlockingPair(applicant.id, (pid,), "would be taken")
                for pid in ranking[:index]
                if single_blocks(pid, applicant.id)
            )
            continue
        rows = _rows_of_single(instance, applicant, rules.supplemental)
        current = (assignment.get(applicant.id), supplemental.get(applicant.id))
        index = rows.index(current) if current in rows else len(rows)
        for row in rows[:index]:
            if row[1] is None:
                if blocks(applicant.id, (row[0],), (applicant.id,), (False,)):
                    blocking.append(BlockingPair(applicant.id, (row[0],), "would be taken"))
            elif blocks(applicant.id, row, (applicant.id, applicant.id), (False, True)):
                blocking.append(
                    BlockingPair(applicant.id, row, "would be taken (with preliminary)")
                )
    for couple in instance.couples:
        current = (assignment.get(couple.members[0]), assignment.get(couple.members[1]))
        rows = list(couple.ranking)
        index = rows.index(current) if current in rows else len(rows)
        for row in rows[:index]:
            if blocks(couple.id, row, couple.members, (False, False)):
                blocking.append(BlockingPair(couple.id, tuple(row), "both members would be taken"))
    return CheckReport(tuple(violations), tuple(blocking))
