"""Explanations: for each applicant, why each program they ranked above their match did not
take them. Works from the instance records and the result only (like the checker)."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import chain

import numpy as np

from .compact import CompactInstance, pausing_gc, to_compact
from .instance import Instance
from .result import Result

FILLED = "filled_with_higher"
NOT_RANKED = "not_ranked"
PARTNER = "partner_not_placed"
REGIONAL_CAP = "regional_cap"
LOTTERY = "lottery"
NO_POSITIONS = "no_positions"
UNSTABLE = "would_take"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one choice above the match failed. ``choice`` is the program, or a couple's row.

    ``text`` is for the command line and may name another applicant; the other fields let a
    page word the reason without doing so: ``program`` the program that refused (for a couple's
    row, the member's or the partner's), ``capacity`` the positions it had in the run,
    ``last_rank`` the 1-based rank (or lottery draw) of the lowest one it took, ``your_rank``
    the applicant's (the partner's, for ``partner_not_placed``); None where they do not apply.
    """

    choice: tuple[str | None, ...]
    kind: str
    text: str
    program: str | None = None
    capacity: int | None = None
    last_rank: int | None = None
    your_rank: int | None = None


@dataclass(frozen=True, slots=True)
class Explanation:
    """An applicant's outcome and one :class:`Reason` per choice ranked above it."""

    applicant: str
    couple: str | None
    matched: str | None
    supplemental: str | None
    choice_number: int | None  # 1-based position of the match on the list (or couple row)
    reasons: tuple[Reason, ...]

    def lines(self) -> list[str]:
        """Plain-text lines, one per reason, for the command line."""
        where = self.matched or "unmatched"
        if self.matched and self.supplemental:
            where += f" (preliminary year at {self.supplemental})"
        head = f"{self.applicant}: {where}"
        if self.choice_number:
            head += f", choice {self.choice_number}"
        if self.couple:
            head += f" (couple {self.couple})"
        out = [head]
        for reason in self.reasons:
            choice = " + ".join(c or "no match" for c in reason.choice)
            out.append(f"  {choice}: {reason.text}")
        return out


class _Context:
    def __init__(self, instance: Instance, result: Result) -> None:
        self.instance = instance
        self.result = result
        self.programs = {p.id: p for p in instance.programs}
        self.lottery = result.rules == "ukfp"
        self.holders: dict[str, list[str]] = {pid: [] for pid in self.programs}
        for person, pid in result.assignment.items():
            if pid is not None and pid in self.holders:
                self.holders[pid].append(person)
        for person, pid in result.supplemental.items():
            if pid in self.holders:
                self.holders[pid].append(person)
        if self.lottery:
            position = {unit: i for i, unit in enumerate(result.order)}
            for couple in instance.couples:
                for member in couple.members:
                    position[member] = position.get(couple.id, len(position))
            self.position = position
        self.holder_sets = {pid: set(held) for pid, held in self.holders.items()}
        self.rank_cache: dict[str, dict[str, int]] = {}
        # Ranks worked out beforehand (explain_all, for the couples): program -> person -> rank.
        self.known_ranks: dict[str, dict[str, int | None]] = {}
        self.holder_cache: dict[str, list[tuple[int, str]]] = {}
        self.couple_of = {m: c for c in instance.couples for m in c.members}
        self.applicant = {a.id: a for a in instance.applicants}

    def priority(self, pid: str, person: str) -> int | None:
        if self.lottery:
            return self.position.get(person)
        ranks = self.rank_cache.get(pid)
        if ranks is None:
            known = self.known_ranks.get(pid)
            if known is not None and person in known:
                return known[person]
            ranks = self.rank_cache[pid] = {a: r for r, a in enumerate(self.programs[pid].ranking)}
        return ranks.get(person)

    def ranked_holders(self, pid: str) -> list[tuple[int, str]]:
        """(priority, person) of everyone ``pid`` holds, best first; worked out once per
        program (explaining a whole market asks for each program many times)."""
        held = self.holder_cache.get(pid)
        if held is None:
            held = sorted((self.priority(pid, a), a) for a in self.holders[pid])
            self.holder_cache[pid] = held
        return held

    def side(
        self, pid: str, newcomers: list[str], leaving: set[str], who: str = "you"
    ) -> Reason | None:
        """Why ``pid`` would not take all of ``newcomers`` (None: it would)."""
        program = self.programs[pid]
        capacity = self.result.capacities.get(pid, program.capacity)
        ranks = [self.priority(pid, person) for person in newcomers]
        for person, rank in zip(newcomers, ranks, strict=True):
            if rank is None:
                return Reason(
                    (pid,),
                    NOT_RANKED,
                    f"did not rank {who}" if len(newcomers) == 1 else f"did not rank {person}",
                    program=pid,
                )
        if capacity == 0:
            if program.capacity > 0 and program.region is not None:
                return Reason(
                    (pid,),
                    REGIONAL_CAP,
                    f"had no positions left under the cap of region {program.region}",
                    program=pid,
                    capacity=0,
                )
            return Reason((pid,), NO_POSITIONS, "had no positions", program=pid, capacity=0)
        staying = self.ranked_holders(pid)
        if not leaving.isdisjoint(self.holder_sets[pid]):
            staying = [held for held in staying if held[1] not in leaving]
        if len(newcomers) == 1:
            # Where it would sit among those staying (a newcomer is never one of them: it is
            # always among those leaving); the common case, without building the pool.
            newcomer = newcomers[0]
            if bisect_left(staying, (ranks[0], newcomer)) < capacity:
                return None
        else:
            pool = sorted(staying + list(zip(ranks, newcomers, strict=True)))
            taken = {a for _, a in pool[:capacity]}
            if all(a in taken for a in newcomers):
                return None
        if not staying or capacity < len(newcomers):
            return Reason(
                (pid,),
                NO_POSITIONS,
                f"has {capacity} position(s); the couple needed two",
                program=pid,
                capacity=capacity,
            )
        worst_priority, worst = staying[-1]
        mine = max(ranks)
        two = " (the couple needed two positions)" if len(newcomers) == 2 else ""
        figures = {
            "program": pid,
            "capacity": capacity,
            "last_rank": worst_priority + 1,
            "your_rank": mine + 1,
        }
        if self.lottery:
            return Reason(
                (pid,),
                LOTTERY,
                f"its {capacity} places went to applicants drawn earlier "
                f"in the lottery; the last drawn it took is {worst} (draw "
                f"{worst_priority + 1}; {who}: {mine + 1}){two}",
                **figures,
            )
        if (
            capacity < program.capacity
            and program.region is not None
            and (len(staying) + len(newcomers) <= program.capacity)
        ):
            return Reason(
                (pid,),
                REGIONAL_CAP,
                f"filled the {capacity} of its {program.capacity} "
                f"positions allowed under the cap of region {program.region} with "
                f"applicants it ranked higher; without the cap it had room{two}",
                **figures,
            )
        return Reason(
            (pid,),
            FILLED,
            f"filled its {capacity} positions with applicants it ranked "
            f"higher; the lowest-ranked it took is {worst} (rank {worst_priority + 1}; "
            f"{who}: rank {mine + 1}){two}",
            **figures,
        )


def _about(choice: tuple, reason: Reason, text: str, kind: str | None = None) -> Reason:
    """``reason`` for another choice (a couple's row) with new text, keeping its figures."""
    return Reason(
        choice,
        kind or reason.kind,
        text,
        program=reason.program,
        capacity=reason.capacity,
        last_rank=reason.last_rank,
        your_rank=reason.your_rank,
    )


def explain(instance: Instance, result: Result, applicant_id: str) -> Explanation:
    """Explain one applicant's outcome.

    Takes the instance records, the result and an applicant id (a single or a couple member);
    returns an :class:`Explanation` with, for each program (or couple row) ranked above the match,
    the reason it did not take them: it filled with applicants it ranked higher (naming the
    lowest-ranked one taken), it did not rank them, the partner could not be placed, a regional
    cap bound (JRMP), or the places went to applicants drawn earlier (UKFP); ``would_take`` flags a
    choice that would have taken them, i.e. a blocking pair in an unstable result. Raises KeyError
    for an unknown applicant. Steps: rebuild each program's holders from the result; for each
    earlier choice, test whether the program would take the applicant among its best ``capacity``.
    """
    return _explain(_Context(instance, result), applicant_id)


@pausing_gc
def explain_all(
    instance: Instance,
    result: Result,
    applicant_ids: list[str] | None = None,
    *,
    compact: CompactInstance | None = None,
) -> dict[str, Explanation]:
    """:func:`explain` for many applicants at once (default: every one of the result), the same
    explanations. Returns ``{applicant id: Explanation}``; raises KeyError as ``explain``.

    ``compact``: the instance's compact form (``to_compact(instance)``) when the caller has it
    already; otherwise it is built. Steps: the singles without a supplemental match (nearly
    everyone in a large market) are explained together from the compact form in numpy — each
    earlier choice's rank, the program's capacity, and how many of its holders it ranked higher
    (one sorted array of (program, rank) of every holder) — and only their reasons are made one
    by one; couples, and everyone under a lottery, share the holders and program rankings of
    one ``_Context`` as :func:`explain` builds them.
    """
    context = _Context(instance, result)
    ids = list(result.assignment) if applicant_ids is None else applicant_ids
    fast = {} if context.lottery else _explain_singles(context, compact)
    return {
        applicant_id: fast.get(applicant_id) or _explain(context, applicant_id)
        for applicant_id in ids
    }


_WOULD_TAKE = "would have taken you: the matching is not stable here (see medmatch match check)"


def _explain_singles(context: _Context, ci: CompactInstance | None) -> dict[str, Explanation]:
    """What ``_explain`` gives each single applicant with no supplemental match, worked out for
    all of them at once (see :func:`explain_all`); {} when the result holds someone the
    instance does not know or a program did not rank (``_explain`` then says what it says)."""
    instance, result = context.instance, context.result
    if not instance.applicants:
        return {}
    if ci is None:
        ci = to_compact(instance)
    if ci.n_singles != len(instance.applicants) or len(ci.program_ids) != len(instance.programs):
        raise ValueError("compact is not the compact form of instance")
    n_programs, n_persons = len(ci.program_ids), len(ci.person_ids)
    program_index = {pid: i for i, pid in enumerate(ci.program_ids)}
    person_index = {pid: i for i, pid in enumerate(ci.person_ids)}
    # Each program-list entry as person * P + program, sorted, with its rank (0-based).
    lengths = np.diff(ci.program_start)
    owner = np.repeat(np.arange(n_programs, dtype=np.int64), lengths)
    codes = ci.program_persons * n_programs + owner
    order = np.argsort(codes, kind="stable")
    codes = codes[order]
    ranks = (np.arange(len(owner), dtype=np.int64) - ci.program_start[owner])[order]

    def rank_of(persons: np.ndarray, programs: np.ndarray) -> np.ndarray:
        if not len(codes):
            return np.full(len(persons), -1, dtype=np.int64)
        query = persons * n_programs + programs
        found = np.minimum(np.searchsorted(codes, query), len(codes) - 1)
        return np.where(codes[found] == query, ranks[found], -1)

    # Every holder as program * M + its rank there, sorted: a program's holders are one run.
    holder_persons, holder_programs = [], []
    for person, pid in chain(result.assignment.items(), result.supplemental.items()):
        if pid is not None and pid in program_index:
            index = person_index.get(person)
            if index is None:
                return {}
            holder_persons.append(index)
            holder_programs.append(program_index[pid])
    held_persons = np.array(holder_persons, dtype=np.int64)
    held_programs = np.array(holder_programs, dtype=np.int64)
    held_ranks = rank_of(held_persons, held_programs)
    if (held_ranks < 0).any():
        return {}
    width = n_persons + 1
    held = held_programs * width + held_ranks
    order = np.argsort(held, kind="stable")
    held, held_persons = held[order], held_persons[order]
    held_start = np.searchsorted(held, np.arange(n_programs + 1, dtype=np.int64) * width)
    _fill_for_couples(context, ci, rank_of, held % width, held_persons, held_start)

    # The singles' entries above their match.
    assignment = result.assignment
    singles = [a.id for a in instance.applicants]
    matched = np.array([program_index.get(assignment.get(a), -1) for a in singles], dtype=np.int64)
    start, programs = ci.applicant_start, ci.applicant_programs
    count = np.diff(start)
    single = np.repeat(np.arange(len(singles), dtype=np.int64), count)
    place = np.arange(len(single), dtype=np.int64) - start[single]
    index = count.copy()
    hit = programs == matched[single]
    np.minimum.at(index, single[hit], place[hit])
    above = place < index[single]
    single, programs = single[above], programs[above]
    rank = rank_of(single, programs)
    higher = np.searchsorted(held, programs * width + rank) - held_start[programs]
    holders = held_start[programs + 1] - held_start[programs]
    worst_rank = worst = np.full(len(programs), -1, dtype=np.int64)
    if len(held):
        last = np.maximum(held_start[programs + 1] - 1, 0)
        worst_rank = np.where(holders > 0, held[last] - programs * width, -1)
        worst = np.where(holders > 0, held_persons[last], -1)

    capacities = result.capacities
    records = instance.programs
    capacity = [capacities.get(p.id, p.capacity) for p in records]
    pids, person_ids = ci.program_ids, ci.person_ids
    constant: dict[tuple[int, str], Reason] = {}

    def fixed(p: int, kind: str) -> Reason:
        # The reasons that are the same for everyone a program refused so.
        reason = constant.get((p, kind))
        if reason is None:
            pid, region = pids[p], records[p].region
            if kind == NOT_RANKED:
                reason = Reason((pid,), NOT_RANKED, "did not rank you", program=pid)
            elif kind == UNSTABLE:
                reason = Reason((pid,), UNSTABLE, _WOULD_TAKE)
            elif kind == REGIONAL_CAP:
                text = f"had no positions left under the cap of region {region}"
                reason = Reason((pid,), REGIONAL_CAP, text, program=pid, capacity=0)
            else:
                reason = Reason((pid,), NO_POSITIONS, "had no positions", program=pid, capacity=0)
            constant[(p, kind)] = reason
        return reason

    reasons: list[Reason] = []
    for p, mine, above_me, n_held, last_rank, taken in zip(
        programs.tolist(),
        rank.tolist(),
        higher.tolist(),
        holders.tolist(),
        worst_rank.tolist(),
        worst.tolist(),
        strict=True,
    ):
        record = records[p]
        room = capacity[p]
        if mine < 0:
            reasons.append(fixed(p, NOT_RANKED))
        elif room == 0:
            regional = record.capacity > 0 and record.region is not None
            reasons.append(fixed(p, REGIONAL_CAP if regional else NO_POSITIONS))
        elif above_me < room:
            reasons.append(fixed(p, UNSTABLE))
        else:
            pid = pids[p]
            figures = {
                "program": pid,
                "capacity": room,
                "last_rank": last_rank + 1,
                "your_rank": mine + 1,
            }
            if room < record.capacity and record.region is not None and n_held < record.capacity:
                text = (
                    f"filled the {room} of its {record.capacity} positions allowed under the cap "
                    f"of region {record.region} with applicants it ranked higher; without the "
                    "cap it had room"
                )
                reasons.append(Reason((pid,), REGIONAL_CAP, text, **figures))
            else:
                text = (
                    f"filled its {room} positions with applicants it ranked higher; the "
                    f"lowest-ranked it took is {person_ids[taken]} (rank {last_rank + 1}; "
                    f"you: rank {mine + 1})"
                )
                reasons.append(Reason((pid,), FILLED, text, **figures))
    out: dict[str, Explanation] = {}
    supplemental = result.supplemental
    end = 0
    for applicant_id, n, choice in zip(
        singles, np.bincount(single, minlength=len(singles)).tolist(), index.tolist(), strict=True
    ):
        begin, end = end, end + n
        if applicant_id not in assignment or applicant_id in supplemental:
            continue
        matched_to = assignment[applicant_id]
        out[applicant_id] = Explanation(
            applicant_id,
            None,
            matched_to,
            None,
            choice + 1 if matched_to is not None else None,
            tuple(reasons[begin:end]),
        )
    return out


def _fill_for_couples(
    context: _Context,
    ci: CompactInstance,
    rank_of,
    held_ranks: np.ndarray,
    held_persons: np.ndarray,
    held_start: np.ndarray,
) -> None:
    """Give ``context`` what ``_explain`` asks of it for the couples, from the compact form:
    each program's ranked holders, and each couple member's rank at every program of the
    couple's rows (building each program's whole rank table in Python cost more than
    explaining all the singles)."""
    person_ids = ci.person_ids
    ranks, names = held_ranks.tolist(), [person_ids[i] for i in held_persons.tolist()]
    bounds = held_start.tolist()
    for p, pid in enumerate(ci.program_ids):
        begin, end = bounds[p], bounds[p + 1]
        context.holder_cache[pid] = list(zip(ranks[begin:end], names[begin:end], strict=True))
    if not ci.couple_ids:
        return
    couple = np.repeat(np.arange(len(ci.couple_ids), dtype=np.int64), np.diff(ci.couple_start))
    first = ci.n_singles + 2 * couple
    persons = np.concatenate([first, first + 1])
    programs = np.concatenate([ci.couple_first, ci.couple_second])
    named = programs >= 0
    persons, programs = persons[named], programs[named]
    known = context.known_ranks
    for p, person, rank in zip(
        programs.tolist(),
        persons.tolist(),
        rank_of(persons, programs).tolist(),
        strict=True,
    ):
        known.setdefault(ci.program_ids[p], {})[person_ids[person]] = rank if rank >= 0 else None


def _explain(context: _Context, applicant_id: str) -> Explanation:
    result = context.result
    assignment = result.assignment
    if applicant_id not in assignment:
        raise KeyError(f"applicant {applicant_id!r} is not in the result")
    matched = assignment[applicant_id]
    supplemental = result.supplemental.get(applicant_id)
    reasons: list[Reason] = []
    couple = context.couple_of.get(applicant_id)
    if couple is not None:
        me = couple.members.index(applicant_id)
        partner = couple.members[1 - me]
        row = (assignment.get(couple.members[0]), assignment.get(couple.members[1]))
        index = couple.ranking.index(row) if row in couple.ranking else len(couple.ranking)
        leaving = set(couple.members)
        for choice in couple.ranking[:index]:
            mine, theirs = choice[me], choice[1 - me]
            if mine is not None and mine == theirs:
                reason = context.side(mine, list(couple.members), leaving, who="you both")
                reasons.append(
                    _about(choice, reason, reason.text)
                    if reason
                    else Reason(choice, UNSTABLE, "would have taken you both: not stable here")
                )
                continue
            own = context.side(mine, [applicant_id], leaving) if mine is not None else None
            other = (
                context.side(theirs, [partner], leaving, who=partner)
                if theirs is not None
                else None
            )
            if own is not None:
                reasons.append(_about(choice, own, f"{mine} {own.text}"))
            elif other is not None:
                reasons.append(
                    _about(
                        choice,
                        other,
                        f"your partner {partner} could not be "
                        f"placed: {theirs} {other.text.replace('you', 'them')}",
                        kind=PARTNER,
                    )
                )
            else:
                reasons.append(
                    Reason(
                        choice,
                        UNSTABLE,
                        "both programs would have taken you: the matching is not stable here",
                    )
                )
        number = index + 1 if row != (None, None) else None
        return Explanation(applicant_id, couple.id, matched, None, number, tuple(reasons))
    applicant = context.applicant[applicant_id]
    ranking = applicant.ranking
    index = ranking.index(matched) if matched in ranking else len(ranking)
    for pid in ranking[:index]:
        reason = context.side(pid, [applicant_id], {applicant_id})
        reasons.append(
            reason
            or Reason(
                (pid,),
                UNSTABLE,
                "would have taken you: the matching is not stable here (see medmatch match check)",
            )
        )
    if supplemental is not None and supplemental in applicant.supplemental:
        for pid in applicant.supplemental[: applicant.supplemental.index(supplemental)]:
            reason = context.side(pid, [applicant_id], {applicant_id})
            if reason is not None:
                reasons.append(_about((pid,), reason, f"(supplemental) {reason.text}"))
    number = index + 1 if matched is not None else None
    return Explanation(applicant_id, None, matched, supplemental, number, tuple(reasons))
