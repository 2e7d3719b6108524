"""Explanations: for each applicant, why each program they ranked above their match did not
take them. Works from the instance records and the result only (like the checker)."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

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
        self.holder_cache: dict[str, list[tuple[int, str]]] = {}
        self.couple_of = {m: c for c in instance.couples for m in c.members}
        self.applicant = {a.id: a for a in instance.applicants}

    def priority(self, pid: str, person: str) -> int | None:
        if self.lottery:
            return self.position.get(person)
        if pid not in self.rank_cache:
            self.rank_cache[pid] = {a: r for r, a in enumerate(self.programs[pid].ranking)}
        return self.rank_cache[pid].get(person)

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


def explain_all(
    instance: Instance, result: Result, applicant_ids: list[str] | None = None
) -> dict[str, Explanation]:
    """:func:`explain` for many applicants at once (default: every one of the result), sharing
    the holders and program rankings it builds, so a whole market costs about as much as one
    pass over its lists. Returns ``{applicant id: Explanation}``; raises KeyError as ``explain``.
    """
    context = _Context(instance, result)
    ids = list(result.assignment) if applicant_ids is None else applicant_ids
    return {applicant_id: _explain(context, applicant_id) for applicant_id in ids}


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
