"""Run a practice match and compute its lessons: plain data in, a JSON-ready summary out.

A single student's run: the match itself (``solve`` under the NRMP rules), why each program ranked
above the match did not take them (``explain``), then the reruns the lessons rest on: the list
with each program moved to the top (with applicant-proposing deferred acceptance the student's
outcome can never get worse: the mechanism is strategy-proof for applicants, Dubins & Freedman
1981, Roth 1982), and the list cut to its top third.

The reruns are real deferred-acceptance runs, made cheap without changing their outcome: the
order in which applicants propose does not change the applicant-optimal stable matching (McVitie
& Wilson 1971), so a rerun may start from the matching of everyone else (solved once) and let the
student propose into it. Adding an applicant only makes programs choosier (Gale & Sotomayor
1985), so from that start a rival never proposes above their match or to a program that already
holds a full list of people it ranks higher; those entries, and the rivals left unmatched, are
dropped. The run itself is solved the same way (and explained against the whole market).
``tests/cycles/test_practice.py`` checks runs and reruns against whole-market solves.

A couple's run (the hand-made market): the match, both explanations, and what the "no match"
rows changed (the list without them, or with "you alone" rows added when there were none).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from medmatch.cycles.markets import PARTNER, YOU, Market
from medmatch.matching import (
    Applicant,
    Instance,
    Program,
    Result,
    explain,
    solve,
    to_compact,
    validate,
)

RULES = "nrmp"


def _check_list(market: Market, ranking: Sequence[str]) -> None:
    # The student's list against the market's programs: known ids, none twice (InstanceError).
    programs = tuple(Program(p.id, p.seats, ()) for p in market.programs)
    validate(Instance((Applicant(YOU, tuple(ranking)),), programs))


def _reasons(market: Market, explanation) -> list[dict]:
    return [
        {
            "choice": [
                market.names.get(pid, "no match") if pid else "no match" for pid in r.choice
            ],
            "kind": r.kind,
            "text": market.humanize(r.text),
        }
        for r in explanation.reasons
    ]


def _verdict(ranking: Sequence[str], original: str | None, new: str | None) -> str:
    """Whether ``new`` is better, the same or worse than ``original`` on ``ranking``."""

    def place(pid: str | None) -> int:
        return ranking.index(pid) if pid in ranking else len(ranking)

    if place(new) < place(original):
        return "better"
    return "same" if place(new) == place(original) else "worse"


class Continuation:
    """The market after everyone but the student has proposed: rerun any list of the student's
    from there (see the module docstring for why the outcome is that of a whole rerun).

    The rivals who can still move keep only the entries they could still use, and each program
    keeps only the applicants who may still propose to it (and the student). The reduced market
    is converted to the engine's compact encoding once, with the student as its last single and
    an empty list; a rerun swaps the student's list into that encoding's documented CSR arrays
    (``applicant_start``, ``applicant_programs``: docs/matching.md, "Compact JSON").
    """

    def __init__(self, market: Market) -> None:
        self.market = market
        base = solve(market.instance_without_you(), RULES)
        rank_of = {
            pid: {person: r for r, person in enumerate(ranking)}
            for pid, ranking in market.rankings.items()
        }
        holders: dict[str, list[str]] = {p.id: [] for p in market.programs}
        for person, pid in base.assignment.items():
            if pid is not None:
                holders[pid].append(person)
        # A full program takes nobody it ranks below its lowest holder; -1: it takes nobody.
        worst: dict[str, int | None] = {}
        for program in market.programs:
            held = holders[program.id]
            if len(held) >= program.seats:
                worst[program.id] = max((rank_of[program.id][h] for h in held), default=-1)
            else:
                worst[program.id] = None
        applicants = []
        proposers: dict[str, set[str]] = {p.id: {YOU} for p in market.programs}
        for rival in market.rivals:
            matched = base.assignment.get(rival.id)
            if matched is None:
                continue
            entries = [matched]
            for pid in rival.ranking[rival.ranking.index(matched) + 1 :]:
                rank = rank_of[pid].get(rival.id)
                if rank is not None and (worst[pid] is None or rank < worst[pid]):
                    entries.append(pid)
            for pid in entries:
                proposers[pid].add(rival.id)
            applicants.append(Applicant(rival.id, tuple(entries)))
        programs = tuple(
            Program(p.id, p.seats, tuple(a for a in market.rankings[p.id] if a in proposers[p.id]))
            for p in market.programs
        )
        self.instance = Instance((*applicants, Applicant(YOU, ())), programs)
        self.compact = to_compact(self.instance)
        self.index = {pid: i for i, pid in enumerate(self.compact.program_ids)}
        singles = self.compact.n_singles
        start = self.compact.applicant_start
        # Swapping the list in needs the layout the docs describe; otherwise rerun from records.
        self.swappable = (
            self.compact.person_ids[singles - 1] == YOU
            and len(start) == singles + 1
            and start[-1] == start[-2]
        )

    def solve(self, ranking: Sequence[str]) -> Result:
        """The engine's result for the reduced market with the student's ``ranking``."""
        if not self.swappable:
            me = Applicant(YOU, tuple(ranking))
            instance = Instance((*self.instance.applicants[:-1], me), self.instance.programs)
            return solve(instance, RULES)
        ci = self.compact
        mine = np.array([self.index[pid] for pid in ranking], dtype=ci.applicant_programs.dtype)
        start = ci.applicant_start.copy()
        start[-1] = start[-2] + len(mine)
        flat = np.concatenate([ci.applicant_programs, mine])
        for array in (start, flat):
            array.setflags(write=False)
        return solve(replace(ci, applicant_start=start, applicant_programs=flat), RULES)

    def outcome(self, ranking: Sequence[str]) -> str | None:
        """Where the student matches with ``ranking`` (None: unmatched)."""
        return self.solve(ranking).assignment[YOU]

    def full_result(self, ranking: Sequence[str]) -> Result:
        """The whole market's result with ``ranking``: the rivals left out were unmatched without
        the student and stay unmatched with them."""
        result = self.solve(ranking)
        assignment = dict.fromkeys((rival.id for rival in self.market.rivals), None)
        assignment.update(result.assignment)
        return replace(result, assignment=assignment)


def short_list_length(length: int) -> int:
    """The top third of a list, at least one program."""
    return max(1, math.ceil(length / 3))


def run_single(market: Market, ranking: Sequence[str]) -> dict:
    """Match the student alone with ``ranking`` (program ids, best first) and compute the lessons.

    Returns a JSON-ready dict: the list, the match and its place on the list, the reasons for
    every program above it, the reruns with each program moved to the top (each with its verdict
    by the list of that rerun, and whether none was worse), the top-third rerun (its verdict by
    the student's list), the solver
    status and the seconds taken. Raises InstanceError for unknown or repeated program ids.
    """
    started = time.perf_counter()
    ranking = list(ranking)
    _check_list(market, ranking)
    continuation = Continuation(market)
    instance = market.instance(ranking)
    result = continuation.full_result(ranking)
    explanation = explain(instance, result, YOU)
    matched = result.assignment[YOU]
    moves = []
    for position, pid in enumerate(ranking[1:], start=2):
        moved = [pid, *(p for p in ranking if p != pid)]
        outcome = continuation.outcome(moved)
        # Judged by the list that was submitted in the rerun: the moved program is first there.
        moves.append(
            {
                "program": pid,
                "position": position,
                "above_match": matched is None or position < (explanation.choice_number or 0),
                "matched": outcome,
                "verdict": _verdict(moved, matched, outcome),
            }
        )
    short = ranking[: short_list_length(len(ranking))]
    short_outcome = continuation.outcome(short)
    return {
        "mode": "single",
        "list": ranking,
        "matched": matched,
        "choice": explanation.choice_number,
        "reasons": _reasons(market, explanation),
        "status": result.status,
        "message": result.message,
        "moves": moves,
        "never_worse": all(move["verdict"] != "worse" for move in moves),
        "short_list": {
            "list": short,
            "matched": short_outcome,
            "verdict": _verdict(ranking, matched, short_outcome),
        },
        "reruns": len(moves) + 1,
        "seconds": round(time.perf_counter() - started, 4),
    }


def _couple_outcome(market: Market, rows) -> dict:
    if not rows:
        return {"you": None, "partner": None}
    result = solve(market.couple_instance(rows), RULES)
    return {"you": result.assignment[YOU], "partner": result.assignment[PARTNER]}


def run_couple(market: Market, rows: Sequence[tuple[str | None, str | None]]) -> dict:
    """Match the student and the partner as a couple with joint ``rows`` (program id or None for
    "no match" on one side, best first) and compute what the "no match" rows changed.

    Returns a JSON-ready dict: the rows, both matches, the row matched, both explanations, the
    solver status, and the comparison: the same list without its "no match" rows (``removed``)
    or, when it had none, with a row (your program, no match) added for each of your programs
    (``added``). Raises InstanceError for a malformed list.
    """
    started = time.perf_counter()
    rows = [tuple(row) for row in rows]
    instance = validate(market.couple_instance(rows))
    result = solve(instance, RULES)
    mine, theirs = explain(instance, result, YOU), explain(instance, result, PARTNER)
    with_no_match = [row for row in rows if None in row]
    if with_no_match:
        other_rows = [row for row in rows if None not in row]
        change = "removed"
    else:
        own = list(dict.fromkeys(row[0] for row in rows))
        other_rows = rows + [(pid, None) for pid in own]
        change = "added"
    other = _couple_outcome(market, other_rows)
    return {
        "mode": "couple",
        "rows": [list(row) for row in rows],
        "matched": result.assignment[YOU],
        "partner_matched": result.assignment[PARTNER],
        "choice": mine.choice_number,
        "reasons": _reasons(market, mine),
        "partner_reasons": _reasons(market, theirs),
        "status": result.status,
        "message": result.message,
        "no_match": {
            "change": change,
            "rows": [list(row) for row in other_rows],
            "matched": other["you"],
            "partner_matched": other["partner"],
        },
        "reruns": 1,
        "seconds": round(time.perf_counter() - started, 4),
    }
