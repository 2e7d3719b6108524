"""Sandbox markets for the practice match: plain data, no Django, deterministic given a seed.

Two kinds:

* ``hand_made_market()``: six fictional programs ("Program A"...) and seven named fictional
  rivals whose lists (and the programs' lists) are shown, small enough to reason about by hand;
  with ``couple=True`` the student applies with a fictional partner, Sam.
* ``generated_market(programs, seed=..., strength=...)``: the given programs (the catalog's
  tracks of a specialty, or ``fictional_programs``) and a crowd of generated rivals: about
  1.1-1.3 applicants per position, lists of 3-20 programs (around 11) drawn with a popularity
  skew, and programs ranking 90% of the applicants who ranked them ("interviewed"), by strength
  plus noise. The student is ranked the same way by every program (whatever their list says), so
  changing the list never changes the market.

The student's id in every instance is ``YOU``; their partner's is ``PARTNER``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np

from medmatch.matching import Applicant, Couple, Instance, Program

YOU = "you"
PARTNER = "sam"
COUPLE_ID = "you+sam"

# How the programs of a generated market see the student: their strength on the same scale
# (standard normal) as the generated rivals'.
STRENGTHS = {"stronger": 1.0, "average": 0.0, "weaker": -1.0}

# Positions per track when the catalog does not know them: the NRMP 2025 Main Match offered
# 43,237 positions in 6,626 programs (about 6.5 each).
TYPICAL_SEATS = 6
APPLICANTS_PER_POSITION = (1.1, 1.3)
LIST_LENGTH = (3, 11, 20)  # shortest, typical, longest list of a generated rival
RANKED_SHARE = 0.9  # a program ranks this share of the applicants who ranked it


@dataclass(frozen=True)
class MarketProgram:
    """One program of a market: ``seats`` is the capacity used; ``seats_assumed`` says that it is
    a typical number, not the program's own."""

    id: str
    name: str
    seats: int
    seats_assumed: bool = False
    where: str = ""
    catalog_id: int | None = None


class Rival(NamedTuple):
    """A fictional competing applicant and their list, best first (a named tuple: a generated
    market makes thousands)."""

    id: str
    name: str
    ranking: tuple[str, ...]


@dataclass(frozen=True)
class MarketArrays:
    """A market without couples as integer arrays: people ``0 .. R-1`` are the rivals in order
    and ``R`` the student; programs are in the market's order. ``rival_start`` and
    ``rival_programs`` hold the rivals' lists, ``ranking_start`` and ``ranking_people`` the
    programs' lists (best first), each as offsets into one flat array."""

    rival_start: np.ndarray
    rival_programs: np.ndarray
    ranking_start: np.ndarray
    ranking_people: np.ndarray


def _csr(lists: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    start = np.zeros(len(lists) + 1, dtype=np.int64)
    start[1:] = np.cumsum([len(items) for items in lists])
    flat = np.fromiter((i for items in lists for i in items), dtype=np.int64, count=int(start[-1]))
    return start, flat


@dataclass(frozen=True)
class Market:
    """A whole sandbox market. ``rankings`` holds each program's list of applicants (rivals, the
    student and, in couple mode, the partner), best first. ``shown`` is true when the rivals' and
    programs' lists are small enough to show."""

    kind: str
    seed: int
    programs: tuple[MarketProgram, ...]
    rivals: tuple[Rival, ...]
    rankings: dict[str, tuple[str, ...]]
    notes: tuple[str, ...] = ()
    strength: str = "average"
    couple: bool = False
    shown: bool = False
    people: dict[str, str] = field(default_factory=dict)  # id -> name for people beyond rivals
    arrays: MarketArrays | None = None  # the generator's own; else built from the records

    @cached_property
    def numeric(self) -> MarketArrays:
        """The market (the student alone, no partner) as :class:`MarketArrays`."""
        if self.arrays is not None:
            return self.arrays
        program_index = {program.id: j for j, program in enumerate(self.programs)}
        person_index = {rival.id: i for i, rival in enumerate(self.rivals)}
        person_index[YOU] = len(self.rivals)
        rival_start, rival_programs = _csr(
            [[program_index[pid] for pid in rival.ranking] for rival in self.rivals]
        )
        ranking_start, ranking_people = _csr(
            [
                [person_index[person] for person in self.rankings[p.id] if person in person_index]
                for p in self.programs
            ]
        )
        return MarketArrays(rival_start, rival_programs, ranking_start, ranking_people)

    @cached_property
    def program_by_id(self) -> dict[str, MarketProgram]:
        return {program.id: program for program in self.programs}

    @cached_property
    def names(self) -> dict[str, str]:
        """Display name of every program and person id except the student's."""
        names = {program.id: program.name for program in self.programs}
        names.update((rival.id, rival.name) for rival in self.rivals)
        names.update(self.people)
        return names

    @property
    def positions(self) -> int:
        return sum(program.seats for program in self.programs)

    @cached_property
    def rival_applicants(self) -> tuple[Applicant, ...]:
        return tuple(Applicant(rival.id, rival.ranking) for rival in self.rivals)

    def program_records(self, *, without: frozenset[str] = frozenset()) -> tuple[Program, ...]:
        """The engine's programs; ``without`` names people left out of their rankings."""
        return tuple(
            Program(
                program.id,
                program.seats,
                tuple(a for a in self.rankings[program.id] if a not in without)
                if without
                else self.rankings[program.id],
            )
            for program in self.programs
        )

    @cached_property
    def _programs_with_everyone(self) -> tuple[Program, ...]:
        return self.program_records(without=frozenset() if self.couple else frozenset({PARTNER}))

    def instance(self, ranking: Sequence[str]) -> Instance:
        """The market with the student applying alone with ``ranking`` (program ids)."""
        me = Applicant(YOU, tuple(ranking))
        return Instance((*self.rival_applicants, me), self._programs_with_everyone)

    def couple_instance(self, rows: Sequence[tuple[str | None, str | None]]) -> Instance:
        """The market with the student and the partner applying as a couple with ``rows``."""
        couple = Couple(COUPLE_ID, (YOU, PARTNER), tuple(tuple(row) for row in rows))
        return Instance(self.rival_applicants, self.program_records(), (couple,))

    def instance_without_you(self) -> Instance:
        """The market without the student (and partner): everyone else's match."""
        return Instance(
            self.rival_applicants, self.program_records(without=frozenset({YOU, PARTNER}))
        )

    def humanize(self, text: str) -> str:
        """Replace program and people ids in an explanation's text by their names."""
        names = self.names
        text = _ID_TOKEN.sub(lambda m: names.get(m.group(0), m.group(0)), text)
        return _ONE_POSITION.sub("1 position", text)


_ID_TOKEN = re.compile(r"(?<![\w-])[\w+-]+(?![\w-])")
_ONE_POSITION = re.compile(r"\b1 positions\b")


# --- the hand-made market ------------------------------------------------------------------------

_HAND_MADE_PROGRAMS = (
    ("prog-a", "Program A", 1, "a famous teaching hospital everybody wants"),
    ("prog-b", "Program B", 2, "a large university program"),
    ("prog-c", "Program C", 1, "a small community program that liked you at the interview"),
    ("prog-d", "Program D", 2, "a busy city hospital"),
    ("prog-e", "Program E", 1, "a rural program"),
    ("prog-f", "Program F", 2, "a mid-sized regional program"),
)
_HAND_MADE_RIVALS = (
    ("maya", "Maya", ("prog-a", "prog-b")),
    ("noah", "Noah", ("prog-a", "prog-b", "prog-f")),
    ("lena", "Lena", ("prog-c", "prog-a", "prog-e")),
    ("omar", "Omar", ("prog-b", "prog-d", "prog-f")),
    ("priya", "Priya", ("prog-b", "prog-f", "prog-d")),
    ("tom", "Tom", ("prog-d", "prog-f", "prog-e")),
    ("zoe", "Zoe", ("prog-c", "prog-e", "prog-f")),
)
_HAND_MADE_RANKINGS = {
    "prog-a": ("maya", YOU, "noah", PARTNER, "lena"),
    "prog-b": ("noah", "priya", YOU, "omar", PARTNER, "maya"),
    "prog-c": (YOU, "lena", "zoe", PARTNER),
    "prog-d": ("omar", PARTNER, "tom", YOU, "priya"),
    "prog-e": ("lena", "zoe", PARTNER, YOU, "tom"),
    "prog-f": ("tom", "zoe", YOU, PARTNER, "priya", "omar", "noah"),
}


def hand_made_market(*, couple: bool = False) -> Market:
    """The small fictional market: 6 programs with 9 positions, 7 rivals (plus Sam, your partner,
    in couple mode). Every list is shown, so the outcome can be worked out by hand."""
    programs = tuple(
        MarketProgram(pid, name, seats, where=description)
        for pid, name, seats, description in _HAND_MADE_PROGRAMS
    )
    rivals = tuple(Rival(rid, name, ranking) for rid, name, ranking in _HAND_MADE_RIVALS)
    notes = ["Every program and every rival here is made up; their lists are shown below."]
    if couple:
        notes.append("Sam, your partner, is made up too: you apply together with one joint list.")
    return Market(
        kind="hand_made",
        seed=0,
        programs=programs,
        rivals=rivals,
        rankings=dict(_HAND_MADE_RANKINGS),
        notes=tuple(notes),
        couple=couple,
        shown=True,
        people={PARTNER: "Sam"},
    )


# --- generated markets ---------------------------------------------------------------------------


def fictional_programs(count: int = 40, *, seed: int) -> tuple[MarketProgram, ...]:
    """``count`` made-up programs with 2 to 12 positions (seeded), for a market with no catalog."""
    rng = np.random.default_rng(seed)
    seats = rng.integers(2, 13, size=count)
    return tuple(
        MarketProgram(f"p{i + 1}", f"Fictional program {i + 1}", int(seats[i]))
        for i in range(count)
    )


def generated_market(
    programs: Sequence[MarketProgram],
    *,
    seed: int,
    strength: str = "average",
    notes: Sequence[str] = (),
) -> Market:
    """A market of ``programs`` (ids unique, seats >= 0) and generated rivals; the same seed and
    programs give the same market.

    Steps: (1) programs get a log-normal popularity; (2) the number of rivals is the total of
    positions times a ratio drawn in 1.1-1.3; (3) each rival's list length is normal around 11,
    clipped to 3-20 (and to the programs there are), and the list is a popularity-weighted draw
    without replacement, in the order drawn (Plackett-Luce); (4) each rival and the student get a
    strength (the student's from ``strength``); each program ranks 90% of those who ranked it,
    and the student with the same chance whatever the student's list, by strength plus noise.
    """
    if strength not in STRENGTHS:
        raise ValueError(f"unknown strength {strength!r}; expected one of {', '.join(STRENGTHS)}")
    rng = np.random.default_rng(seed)
    n = len(programs)
    seats = np.array([program.seats for program in programs], dtype=np.int64)
    ratio = rng.uniform(*APPLICANTS_PER_POSITION)
    n_rivals = max(1, round(int(seats.sum()) * ratio))
    popularity = np.exp(rng.normal(0.0, 0.8, n))
    shortest, typical, longest = LIST_LENGTH
    lengths = np.clip(np.rint(rng.normal(typical, 4, n_rivals)), shortest, longest).astype(np.int64)
    # Draw programs by popularity with replacement; the order of first appearance is a
    # popularity-weighted ranking without replacement (Plackett-Luce). Three draws per place
    # leave a list short only when a few programs draw nearly everyone.
    draws = rng.choice(n, size=(n_rivals, 3 * longest), p=popularity / popularity.sum())
    order = np.argsort(draws, axis=1, kind="stable")
    ordered = np.take_along_axis(draws, order, axis=1)
    new = np.ones_like(ordered, dtype=bool)
    new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    first = np.zeros_like(new)
    np.put_along_axis(first, order, new, axis=1)
    first &= np.cumsum(first, axis=1) <= lengths[:, None]
    lengths = first.sum(axis=1)
    applicant = np.nonzero(first)[0]
    program = draws[first]
    rival_strength = rng.normal(0.0, 1.0, n_rivals)
    # The rivals' entries (applicant, program), then the student's (index n_rivals) for every
    # program: whether each program ranks them and their score there.
    rival_entries = program
    applicant = np.concatenate([applicant, np.full(n, n_rivals)])
    program = np.concatenate([program, np.arange(n)])
    strength_all = np.append(rival_strength, STRENGTHS[strength])
    score = strength_all[applicant] + rng.normal(0.0, 0.7, len(applicant))
    ranked = rng.random(len(applicant)) < RANKED_SHARE
    applicant, program, score = applicant[ranked], program[ranked], score[ranked]
    order = np.lexsort((-score, program))
    applicant, program = applicant[order], program[order]
    bounds = np.searchsorted(program, np.arange(n + 1)).tolist()
    person_ids = np.array([f"r{i + 1}" for i in range(n_rivals)] + [YOU], dtype=object)
    ranked_people = person_ids[applicant].tolist()
    rankings = {programs[p].id: tuple(ranked_people[bounds[p] : bounds[p + 1]]) for p in range(n)}
    program_ids = np.array([p.id for p in programs], dtype=object)
    listed = program_ids[rival_entries].tolist()
    ends = np.cumsum(lengths).tolist()
    rivals = tuple(
        Rival(f"r{i + 1}", f"Applicant {i + 1}", tuple(listed[end - length : end]))
        for i, (end, length) in enumerate(zip(ends, lengths.tolist(), strict=True))
    )
    rival_start = np.zeros(n_rivals + 1, dtype=np.int64)
    rival_start[1:] = np.cumsum(lengths)
    arrays = MarketArrays(rival_start, rival_entries, np.asarray(bounds), applicant)
    return Market(
        kind="generated",
        seed=seed,
        programs=tuple(programs),
        rivals=rivals,
        rankings=rankings,
        notes=tuple(notes),
        strength=strength,
        arrays=arrays,
    )


def snapshot(market: Market, program_ids: Sequence[str] = ()) -> dict:
    """What a run keeps of its market, JSON-ready: the sizes, notes and the programs named in
    ``program_ids`` (every program, the rivals and the programs' lists when the market is shown
    in full), so that a saved run reads the same after the catalog changes."""
    wanted = set(program_ids) if not market.shown else set(market.program_by_id)
    data = {
        "kind": market.kind,
        "seed": market.seed,
        "strength": market.strength,
        "couple": market.couple,
        "notes": list(market.notes),
        "program_count": len(market.programs),
        "positions": market.positions,
        "assumed_seats": sum(p.seats_assumed for p in market.programs),
        "rival_count": len(market.rivals),
        "programs": {
            p.id: {"name": p.name, "where": p.where, "seats": p.seats, "assumed": p.seats_assumed}
            for p in market.programs
            if p.id in wanted
        },
    }
    if market.shown:
        data["rivals"] = [
            {"name": rival.name, "ranking": [market.names[pid] for pid in rival.ranking]}
            for rival in market.rivals
        ]
        who = dict(market.names, **{YOU: "You"})
        data["rankings"] = {
            pid: [who[person] for person in ranking if market.couple or person != PARTNER]
            for pid, ranking in market.rankings.items()
        }
    return data
