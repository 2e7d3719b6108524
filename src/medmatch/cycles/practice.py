"""Run a practice match and compute its lessons: plain data in, a JSON-ready summary out.

A single student's run: the match itself (``solve`` under the NRMP rules), why each program ranked
above the match did not take them (``explain``), then the reruns the lessons rest on: the list
with each program moved to the top, and the list cut to its top third. With applicant-proposing
deferred acceptance moving a program up can never make the outcome worse by the list submitted:
either that program takes the student or the match stays what it was (the mechanism is
strategy-proof for applicants: Dubins & Freedman 1981, Roth 1982). Each rerun is judged by its own
list, so a worse verdict would be shown if it ever happened.

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
import re
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


_PARTNER_BLOCKED = f"your partner {YOU} could not be placed"
_YOU_WORD = re.compile(r"\byou\b(?! both)")


def _to_the_student(text: str) -> str:
    """The partner's explanation is written to the partner ("you" is Sam): say it to the
    student ("you" is the student, Sam is Sam)."""
    if text.startswith(_PARTNER_BLOCKED):
        # The engine calls the blocked partner (the student here) "them" after the colon.
        rest = re.sub(r"\bthem\b", "you", text[len(_PARTNER_BLOCKED) :])
        return "you could not be placed" + rest
    return _YOU_WORD.sub(PARTNER, text)


def _reasons(market: Market, explanation, *, partner: bool = False) -> list[dict]:
    return [
        {
            "choice": [
                market.names.get(pid, "no match") if pid else "no match" for pid in r.choice
            ],
            "kind": r.kind,
            "text": market.humanize(_to_the_student(r.text) if partner else r.text),
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
        arrays = market.numeric
        n_rivals, n_programs = len(market.rivals), len(market.programs)
        program_ids = [p.id for p in market.programs]
        # Everyone else's matching: the whole market with the student's list empty.
        base = solve(market.instance(()), RULES).assignment
        index = {pid: j for j, pid in enumerate(program_ids)}
        match = np.array(
            [index[base[r.id]] if base[r.id] is not None else -1 for r in market.rivals],
            dtype=np.int64,
        )
        rank = _RankLookup(arrays, n_rivals + 1)
        matched = match >= 0
        holders = np.nonzero(matched)[0]
        count = np.bincount(match[holders], minlength=n_programs)
        worst = np.full(n_programs, -1, dtype=np.int64)
        np.maximum.at(worst, match[holders], rank(match[holders], holders))
        seats = np.array([p.seats for p in market.programs], dtype=np.int64)
        # A full program takes nobody it ranks below its lowest holder (with no seats, nobody).
        threshold = np.where(count >= seats, worst, np.iinfo(np.int64).max)
        start, listed = arrays.rival_start, arrays.rival_programs
        owner = np.repeat(np.arange(n_rivals), np.diff(start))
        position = np.arange(len(listed)) - start[owner]
        is_match = listed == match[owner]
        match_position = np.full(n_rivals, -1, dtype=np.int64)
        match_position[owner[is_match]] = position[is_match]
        their_rank = rank(listed, owner)
        below = (position > match_position[owner]) & (their_rank >= 0)
        keep = matched[owner] & (is_match | (below & (their_rank < threshold[listed])))
        kept_owner, kept_program = owner[keep], listed[keep]
        applicants = _lists(
            [market.rivals[i].id for i in holders],
            np.bincount(kept_owner, minlength=n_rivals)[holders],
            [program_ids[j] for j in kept_program.tolist()],
        )
        # Each program keeps the applicants who may still propose to it, and the student.
        proposer_keys = kept_program * (n_rivals + 1) + kept_owner
        people = arrays.ranking_people
        kept_ranking = np.isin(rank.keys, proposer_keys) | (people == n_rivals)
        ids = [r.id for r in market.rivals] + [YOU]
        names = [ids[i] for i in people[kept_ranking].tolist()]
        lengths = np.bincount(rank.program[kept_ranking], minlength=n_programs)
        programs = _programs(market, names, lengths)
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


class _RankLookup:
    """Where program ``j`` ranks person ``i`` (0 = first), or -1 when it does not rank them,
    for whole arrays of (j, i) at once."""

    def __init__(self, arrays, n_people: int) -> None:
        start = arrays.ranking_start
        program = np.repeat(np.arange(len(start) - 1), np.diff(start))
        self.n_people = n_people
        self.program = program  # of each entry of ``ranking_people``
        self.keys = program * n_people + arrays.ranking_people
        self.order = np.argsort(self.keys, kind="stable")
        self.sorted = self.keys[self.order]
        self.position = (np.arange(len(program)) - start[program])[self.order]

    def __call__(self, programs: np.ndarray, people: np.ndarray) -> np.ndarray:
        if not len(self.sorted):
            return np.full(len(programs), -1, dtype=np.int64)
        keys = programs * self.n_people + people
        at = np.minimum(np.searchsorted(self.sorted, keys), len(self.sorted) - 1)
        return np.where(self.sorted[at] == keys, self.position[at], -1)


def _lists(ids: list[str], lengths: np.ndarray, flat: list[str]) -> list[Applicant]:
    applicants, end = [], 0
    for applicant_id, length in zip(ids, lengths.tolist(), strict=True):
        applicants.append(Applicant(applicant_id, tuple(flat[end : end + length])))
        end += length
    return applicants


def _programs(market: Market, flat: list[str], lengths: np.ndarray) -> tuple[Program, ...]:
    programs, end = [], 0
    for program, length in zip(market.programs, lengths.tolist(), strict=True):
        programs.append(Program(program.id, program.seats, tuple(flat[end : end + length])))
        end += length
    return tuple(programs)


def short_list_length(length: int) -> int:
    """The top third of a list, at least one program."""
    return max(1, math.ceil(length / 3))


def run_single(market: Market, ranking: Sequence[str]) -> dict:
    """Match the student alone with ``ranking`` (program ids, best first) and compute the lessons.

    Returns a JSON-ready dict: the list, the match and its place on the list, the reasons for
    every program above it, the reruns with each program moved to the top (each with its verdict
    by the list of that rerun, and whether none was worse), the top-third rerun (its verdict by
    the student's list), the solver status and the seconds taken. Raises InstanceError for
    unknown or repeated program ids.
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
        "partner_reasons": _reasons(market, theirs, partner=True),
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
