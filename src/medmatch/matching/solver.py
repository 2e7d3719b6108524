"""The matching algorithms: deferred acceptance and its clearinghouse variants.

Every public function takes an :class:`~medmatch.matching.instance.Instance` or its
:class:`~medmatch.matching.compact.CompactInstance` (never mutated) and returns a new
:class:`~medmatch.matching.result.Result`. Internally a run uses integer lists: for each entry of an
applicant's list the program and its ``key``, the program's rank of the applicant times two (plus
one for the preliminary "second self" of an applicant with a supplemental list); for each program
a max-heap of the keys it holds and ``threshold``, the key a newcomer must beat (the worst held key
when full, else "anything").
"""

from __future__ import annotations

import functools
import random
from array import array
from dataclasses import dataclass
from heapq import heapify, heappush, heapreplace
from itertools import chain

import numpy as np

from .compact import NONE, CompactInstance, as_compact, owners, pausing_gc, radix_order
from .instance import TRACKS, Instance
from .result import NO_STABLE_MATCHING, STABLE, Result
from .rules import RuleSet, check_supported, check_supported_compact, get_rules

OPEN = 1 << 40  # threshold of a program with a free position: every acceptable key fits
UNACCEPTABLE = 1 << 41  # key of a program that did not rank the applicant: never fits
MAX_MOVES = 60  # moves of one unit with joint rows before it is taken to cycle (and frozen)
OPENING_ROUNDS_FROM = 2000  # singles: above this, open with simultaneous rounds in numpy
OPENING_ROUNDS_UNTIL = 1000  # ... until this few are free
ADVANCED = TRACKS.index("advanced")
TABLE_CELLS = 1 << 21  # most cells of the rank lookup's dense table (4 MB of int16)


@dataclass(frozen=True)
class _Prepared:
    """Keys and joint rows for one run (built by :func:`_prepare`). The Python lists the
    sequential algorithm reads are made on first use: a run of singles only never needs them."""

    bounds_array: np.ndarray  # per single: where its acceptable entries start
    programs_array: np.ndarray  # singles' list entries the program also ranked, in order
    keys_array: np.ndarray  # aligned with programs_array
    rows: list[list[tuple[int, int, int, int]] | None]  # per unit: (p1, k1, p2, k2) or None
    joint_agents: dict[int, tuple[int, int]]  # unit with joint rows -> its two agents
    unit_of: list[int]  # per agent
    phantom_of: dict[int, int]  # person -> agent of their preliminary self
    order: list[int]  # singles in the order they first propose

    @functools.cached_property
    def bounds(self) -> list[int]:
        return self.bounds_array.tolist()

    @functools.cached_property
    def programs(self) -> array:
        # int64 buffer copies: indexing them reads like a list, converting to lists costs more.
        return array("q", self.programs_array.astype(np.int64, copy=False).tobytes())

    @functools.cached_property
    def keys(self) -> array:
        return array("q", self.keys_array.astype(np.int64, copy=False).tobytes())

    @functools.cached_property
    def unit_agents(self) -> list[tuple[int, ...]]:
        """Per unit, its agents: ``(u,)`` for a plain single."""
        agents: list[tuple[int, ...]] = list(zip(range(len(self.rows))))
        for unit, pair in self.joint_agents.items():
            agents[unit] = pair
        return agents


class _KeyTable:
    """Each program's rank of each person it ranked, looked up by (person, program).

    A dense persons x programs table would answer a lookup with one array read, but at NRMP
    scale it has 300 million cells. So the persons are cut into blocks of ``block`` consecutive
    indices (a power of two; the block x programs table has at most TABLE_CELLS cells), and the
    program-list entries are grouped by block once (a radix sort). A lookup fills the table
    with one block's ranks, reads the queries of that block's persons from it and clears it
    again, block after block: plain array reads and writes, no search. (A binary search of the
    sorted codes person * P + program took about three times as long: its reads jump across the
    whole code array.) Also gives the proposal order."""

    def __init__(self, ci: CompactInstance) -> None:
        self.n_programs = len(ci.program_ids)
        n_persons = len(ci.person_ids)
        self.lengths = np.diff(ci.program_start)
        # The largest power of two that covers every person and keeps the table small enough
        # to stay in the processor's caches (at NRMP scale 256 persons, 196 blocks). A person's
        # block is person >> shift and their place in it person & (block - 1).
        self.block = 1
        while self.block < n_persons and 2 * self.block * self.n_programs <= TABLE_CELLS:
            self.block *= 2
        self.shift = self.block.bit_length() - 1
        self.n_blocks = -(-n_persons // self.block)
        # Per program-list entry, grouped by block: its cell (person within the block, program)
        # and its rank; entry_start[b] is where block b's entries begin. Cells and ranks fit in
        # int32 (a cell is below the table's size); the arithmetic is done in place, as every
        # full-size temporary costs page faults as well as its pass.
        persons = ci.program_persons.astype(np.int32)
        block_of = persons >> self.shift
        order = radix_order(block_of, self.n_blocks)
        cells = persons
        cells &= self.block - 1
        cells *= self.n_programs
        cells += np.repeat(np.arange(self.n_programs, dtype=np.int32), self.lengths)
        self.cells = cells[order]
        rank = np.arange(len(persons), dtype=np.int32)
        rank -= np.repeat(ci.program_start[:-1].astype(np.int32), self.lengths)
        # Ranks in int16 when every list is shorter than 32,768 (any real one): half the table
        # then stays in the processor's caches, which makes lookups about a third faster.
        short = not len(self.lengths) or self.lengths.max() < 1 << 15
        self.dtype = np.int16 if short else np.int32
        self.ranks = rank[order].astype(self.dtype)
        self.entry_start = np.searchsorted(block_of[order], np.arange(self.n_blocks + 1)).tolist()
        self.table = np.full(self.block * self.n_programs, -1, dtype=self.dtype)

    def rank_of(self, persons: np.ndarray, programs: np.ndarray) -> np.ndarray:
        """Each program's rank of each person (int16 or int32), -1 where it did not rank
        them. Takes ``persons`` in non-decreasing order (the owners of a CSR list, as every
        caller has) and program indices (no -1)."""
        found = np.empty(len(persons), dtype=self.dtype)
        cells = persons & (self.block - 1)
        cells *= self.n_programs
        cells += programs
        # Where each block's persons start among the queries.
        query_start = np.searchsorted(persons, np.arange(self.n_blocks + 1) * self.block)
        query_start = query_start.tolist()
        table, entry_start = self.table, self.entry_start
        for b in range(self.n_blocks):
            q0, q1 = query_start[b], query_start[b + 1]
            if q0 == q1:
                continue
            mine = self.cells[entry_start[b] : entry_start[b + 1]]
            table[mine] = self.ranks[entry_start[b] : entry_start[b + 1]]
            np.take(table, cells[q0:q1], out=found[q0:q1])
            table[mine] = -1
        return found

    def lookup(self, persons: np.ndarray, programs: np.ndarray) -> np.ndarray:
        """Keys (twice the rank) of the pairs, UNACCEPTABLE where the program did not rank the
        person or there is no program (-1). ``persons`` as for :meth:`rank_of`."""
        named = programs >= 0
        found = self.rank_of(persons, np.where(named, programs, 0))
        return np.where(named & (found >= 0), 2 * found.astype(np.int64), UNACCEPTABLE)

    def proposal_order(self, ci: CompactInstance) -> list[int]:
        """Singles ordered by how well programs rank them, best first. The outcome of deferred
        acceptance does not depend on the order (Dubins & Freedman 1981); this one makes
        displacements, which is what costs time, rare."""
        program_of = owners(ci.program_start)
        if not len(program_of):
            return list(range(ci.n_singles))
        rank = np.arange(len(program_of)) - ci.program_start[program_of]
        share = (rank + 0.5) / np.maximum(self.lengths[program_of], 1)
        n = len(ci.person_ids)
        total = np.bincount(ci.program_persons, weights=share, minlength=n)
        count = np.bincount(ci.program_persons, minlength=n)
        mean = np.where(count > 0, total / np.maximum(count, 1), 2.0)[: ci.n_singles]
        return np.argsort(mean, kind="stable").tolist()


def _prepare(ci: CompactInstance, use_supplemental: bool) -> _Prepared:
    n_singles = ci.n_singles
    start = ci.applicant_start
    table = _KeyTable(ci)
    rank = table.rank_of(owners(start), ci.applicant_programs)
    acceptable = rank >= 0
    accepted_programs = ci.applicant_programs[acceptable]
    accepted_keys = 2 * rank[acceptable].astype(np.int64)
    # A single's acceptable entries start at their list's start less the unacceptable entries
    # before it (there are few of those: a search among them beats a running count).
    accepted_start = start - np.searchsorted(np.flatnonzero(~acceptable), start)
    keys = []
    if len(ci.supplemental_programs):
        keys = np.where(acceptable, 2 * rank.astype(np.int64), UNACCEPTABLE).tolist()
    rows: list = [None] * n_singles
    joint_agents: dict[int, tuple[int, int]] = {}
    unit_of = list(range(len(ci.person_ids)))
    phantom_of: dict[int, int] = {}
    if use_supplemental and len(ci.supplemental_programs):
        sstart = ci.supplemental_start.tolist()
        supplemental_keys = (
            table.lookup(owners(ci.supplemental_start), ci.supplemental_programs) | 1
        ).tolist()
        supplemental_programs = ci.supplemental_programs.tolist()
        applicant_programs = ci.applicant_programs
        bounds = start.tolist()
        for u in range(n_singles):
            if sstart[u + 1] == sstart[u]:
                continue
            programs = applicant_programs[bounds[u] : bounds[u + 1]].tolist()
            if not any(ci.track[p] == ADVANCED for p in programs):
                continue
            phantom = len(unit_of)
            unit_of.append(u)
            phantom_of[u] = phantom
            preliminary = list(
                zip(
                    supplemental_programs[sstart[u] : sstart[u + 1]],
                    supplemental_keys[sstart[u] : sstart[u + 1]],
                    strict=False,
                )
            )
            expanded = []
            for p, key in zip(programs, keys[bounds[u] : bounds[u + 1]], strict=False):
                if ci.track[p] == ADVANCED:
                    expanded.extend((p, key, s, skey) for s, skey in preliminary)
                expanded.append((p, key, NONE, 0))
            rows[u] = expanded
            joint_agents[u] = (u, phantom)
    if ci.couple_ids:
        row_owner = owners(ci.couple_start)
        first_person = n_singles + 2 * row_owner
        k1 = np.where(ci.couple_first >= 0, table.lookup(first_person, ci.couple_first), 0).tolist()
        k2 = np.where(
            ci.couple_second >= 0, table.lookup(first_person + 1, ci.couple_second), 0
        ).tolist()
        p1 = ci.couple_first.tolist()
        p2 = ci.couple_second.tolist()
        cstart = ci.couple_start.tolist()
        for c in range(len(ci.couple_ids)):
            first = n_singles + 2 * c
            unit = len(rows)
            unit_of[first] = unit_of[first + 1] = unit
            r0, r1 = cstart[c], cstart[c + 1]
            rows.append(list(zip(p1[r0:r1], k1[r0:r1], p2[r0:r1], k2[r0:r1], strict=False)))
            joint_agents[unit] = (first, first + 1)
    return _Prepared(
        accepted_start,
        accepted_programs,
        accepted_keys,
        rows,
        joint_agents,
        unit_of,
        phantom_of,
        # Opening rounds make the order of single proposals irrelevant to speed.
        table.proposal_order(ci) if n_singles <= OPENING_ROUNDS_FROM else list(range(n_singles)),
    )


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices ``starts[i] .. starts[i] + lengths[i] - 1`` for every i, concatenated."""
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    return np.arange(total) + np.repeat(starts - (ends - lengths), lengths)


def _opening_rounds(
    ci: CompactInstance,
    prepared: _Prepared,
    capacity: np.ndarray,
    singles: np.ndarray,
    min_free: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Simultaneous rounds of deferred acceptance for plain singles, in numpy, while many
    applicants are free (Gale & Shapley's original round form; the outcome does not depend on
    the order of proposals). Returns the held (program, key, applicant) triples sorted by
    program then key, each single's current entry index, and the singles still free.

    A held or proposed entry is the code ``program * span + key``: sorting codes sorts by
    program then key, and the applicant is the one the program ranked at key / 2 (a single's
    key is twice the rank). Program p holds the codes in its slots ``slot_start[p]`` onwards,
    ``count[p]`` of them, best first. Steps of a round: (1) every free applicant skips, in a few
    vectorised passes, the entries whose program is full of better keys (it would reject them
    anyway); (2) the remaining proposals and the held codes of the programs they reach are
    sorted, each of those programs keeps its best ``capacity`` and they are written back to its
    slots; (3) the rejected propose on next round. Only the programs proposed to are read and
    written, so late rounds with few proposals cost little."""
    programs = prepared.programs_array
    keys = prepared.keys_array
    start = prepared.bounds_array
    ptr = start[:-1].copy()
    end = start[1:]
    n_programs = len(capacity)
    threshold = np.where(capacity > 0, OPEN, -1)
    span = int(keys.max()) + 2 if len(keys) else 2
    # A program never holds more than it ranked.
    slot_start = np.zeros(n_programs + 1, dtype=np.int64)
    np.cumsum(np.minimum(capacity, np.diff(ci.program_start)), out=slot_start[1:])
    slot_code = np.empty(slot_start[-1], dtype=np.int64)
    count = np.zeros(n_programs, dtype=np.int64)
    reached = np.zeros(n_programs, dtype=bool)

    def applicants(p: np.ndarray, k: np.ndarray) -> np.ndarray:
        return ci.program_persons[ci.program_start[p] + (k >> 1)]

    free = singles[ptr[singles] < end[singles]]
    while len(free) > min_free:
        entry = ptr[free]
        rejected = np.flatnonzero(keys[entry] >= threshold[programs[entry]])
        exhausted = False
        while len(rejected):
            moved = entry[rejected] + 1
            entry[rejected] = moved
            left = moved < end[free[rejected]]
            if not left.all():
                exhausted = True
                rejected, moved = rejected[left], moved[left]
            rejected = rejected[keys[moved] >= threshold[programs[moved]]]
        ptr[free] = entry
        if exhausted:
            free = free[entry < end[free]]
            entry = ptr[free]
        if len(free) <= min_free:
            break
        # The programs proposed to (ascending), their held codes and the new ones, sorted.
        proposed = programs[entry]
        reached[proposed] = True
        targets = np.flatnonzero(reached)
        reached[targets] = False
        proposed *= span
        proposed += keys[entry]
        code = np.concatenate([slot_code[_ranges(slot_start[targets], count[targets])], proposed])
        code.sort()
        p = code // span
        # One run of codes per target, in the order of targets; a code's place is its position
        # in its run, and the first ``capacity`` places are kept.
        first = np.empty(len(p), dtype=bool)
        first[0] = True
        np.not_equal(p[1:], p[:-1], out=first[1:])
        run_start = np.flatnonzero(first)
        run_length = np.diff(run_start, append=len(p))
        place = np.arange(len(p)) - np.repeat(run_start, run_length)
        keep = place < capacity[p]
        slot_code[slot_start[p[keep]] + place[keep]] = code[keep]
        count[targets] = np.minimum(run_length, capacity[targets])
        full = np.flatnonzero(run_length >= capacity[targets])
        last_kept = code[run_start[full] + capacity[targets[full]] - 1]
        threshold[targets[full]] = last_kept - targets[full] * span
        out_p = p[~keep]
        out = applicants(out_p, code[~keep] - out_p * span)
        ptr[out] += 1
        free = out[ptr[out] < end[out]]
    held_p = np.repeat(np.arange(n_programs), count)
    held_k = slot_code[_ranges(slot_start[:-1], count)] - held_p * span
    return held_p, held_k, applicants(held_p, held_k), ptr, free


@dataclass(frozen=True)
class _Outcome:
    agent_program: list[int]
    stable: bool
    steps: int
    cycling: list[int]  # units frozen because they cycled, most moves first


def _rounds_to_the_end(ci: CompactInstance, prepared: _Prepared, capacity: list[int]) -> _Outcome:
    """Singles only (no couples, no supplemental lists): the opening rounds run until every
    single is held or has proposed to every program on their list; nothing is left for the
    sequential algorithm. ``steps`` counts the list entries proposed to."""
    singles = np.arange(len(prepared.rows), dtype=np.int64)  # rounds: the order is immaterial
    held_p, _, held_a, current, _ = _opening_rounds(
        ci, prepared, np.asarray(capacity, dtype=np.int64), singles, 0
    )
    at = np.full(len(prepared.unit_of), -1, dtype=np.int64)
    at[held_a] = held_p
    consumed = np.minimum(current, prepared.bounds_array[1:])
    consumed[held_a] = current[held_a] + 1
    steps = int((consumed - prepared.bounds_array[:-1]).sum())
    return _Outcome(at.tolist(), True, steps, [])


def _deferred_acceptance(
    ci: CompactInstance,
    prepared: _Prepared,
    capacity: list[int],
    max_steps: int,
    shuffle: int | None = None,
    max_moves: int = MAX_MOVES,
) -> _Outcome:
    """Applicant-proposing deferred acceptance with couples (Roth & Peranson 1999).

    Steps: (1) singles propose down their lists one at a time (McVitie & Wilson 1970); a full
    program keeps its best ``capacity`` keys and rejects the worst, who proposes on. (2) Units with
    joint rows (couples, supplemental lists) propose row by row, after all singles; a row is
    accepted when every program in it would take its member (both, when it names one program
    twice). A displaced member's partner withdraws, leaving a vacancy, and the unit re-enters at
    its next row. (3) When no one is left to propose, each vacated program walks its rank list
    from the top while a key still fits and lets an applicant who had passed it over (or was
    rejected) and prefers it leave their place and re-propose from it (Roth & Peranson's
    re-entry). (4) Stop when nothing moves (stable), or after ``max_steps`` proposals. With
    couples a stable matching may not exist (Roth 1984): a unit that has moved ``max_moves``
    times is taken to cycle and frozen — it still moves down when displaced, but no longer up
    (no re-entry, no move to an earlier row of its own) — so the others finish their proposals
    and only the frozen units' rows can block; the outcome is then reported unstable, naming
    them. (Stopping everyone at the first cycle left hundreds of singles mid-list: blocking
    pairs that had nothing to do with the cycle.)
    """
    n_units = len(prepared.rows)
    if n_units == ci.n_singles and not prepared.phantom_of and n_units > OPENING_ROUNDS_FROM:
        return _rounds_to_the_end(ci, prepared, capacity)
    n_agents = len(prepared.unit_of)
    held: list[list[int]] = [[] for _ in capacity]
    threshold = [OPEN if c > 0 else -1 for c in capacity]
    at = [-1] * n_agents
    agent_key = [0] * n_agents
    pos = [-1] * n_units  # singles: absolute entry index; multi units: row index
    bounds = prepared.bounds
    ptr = bounds[: ci.n_singles] + [0] * (n_units - ci.n_singles)
    for u in prepared.phantom_of:  # singles with supplemental lists walk their joint rows
        ptr[u] = 0
    end = bounds[1:]
    programs = prepared.programs
    keys = prepared.keys
    rows_of = prepared.rows
    unit_agents = prepared.unit_agents
    unit_of = prepared.unit_of
    phantom_of = prepared.phantom_of
    persons = ci.program_persons  # numpy: read only on displacement and re-entry
    pstart = ci.program_start.tolist()
    vacated: list[int] = []
    moves = [0] * n_units
    frozen: set[int] = set()
    joint_units = list(range(n_units - 1, ci.n_singles - 1, -1))
    if shuffle is not None:
        random.Random(shuffle).shuffle(joint_units)
    steps = 0
    plain = np.asarray(prepared.order, dtype=np.int64)
    if prepared.phantom_of:
        plain = plain[[u not in prepared.phantom_of for u in prepared.order]]
    if len(plain) > OPENING_ROUNDS_FROM:
        # Opening rounds in numpy, then the sequential algorithm from that state.
        held_p, held_k, held_a, current, free = _opening_rounds(
            ci, prepared, np.asarray(capacity, dtype=np.int64), plain, OPENING_ROUNDS_UNTIL
        )
        counts = np.bincount(held_p, minlength=len(capacity)).tolist()
        negative = (-held_k).tolist()
        first = 0
        for p, count in enumerate(counts):
            if count:
                h = negative[first : first + count]
                h.reverse()  # ascending negated keys: already a heap
                held[p] = h
                first += count
                if count >= capacity[p]:
                    threshold[p] = -h[0]
        singles_ptr = np.minimum(current, prepared.bounds_array[1:])
        singles_ptr[held_a] = current[held_a] + 1
        singles_pos = np.full(n_units, -1, dtype=np.int64)
        singles_pos[held_a] = current[held_a]
        agents_at = np.full(n_agents, -1, dtype=np.int64)
        agents_at[held_a] = held_p
        agents_key = np.zeros(n_agents, dtype=np.int64)
        agents_key[held_a] = held_k
        if prepared.phantom_of:
            singles_ptr[list(prepared.phantom_of)] = 0
        ptr = singles_ptr.tolist() + [0] * (n_units - ci.n_singles)
        pos = singles_pos.tolist()
        at = agents_at.tolist()
        agent_key = agents_key.tolist()
        stack = list(joint_units)
        if prepared.phantom_of:
            stack += [u for u in prepared.order[::-1] if u in prepared.phantom_of]
        stack += free.tolist()[::-1]
    else:
        stack = joint_units + prepared.order[::-1]

    def agent_of(p: int, key: int) -> int:
        person = int(persons[pstart[p] + (key >> 1)])
        return phantom_of[person] if key & 1 else person

    def withdraw(unit: int) -> list[tuple[int, int, int]]:
        removed = []
        for agent in unit_agents[unit]:
            p = at[agent]
            if p >= 0:
                h = held[p]
                h.remove(-agent_key[agent])
                heapify(h)
                threshold[p] = OPEN
                removed.append((agent, p, agent_key[agent]))
                at[agent] = -1
        pos[unit] = -1
        return removed

    def restore(removed: list[tuple[int, int, int]]) -> None:
        for agent, p, key in removed:
            h = held[p]
            heappush(h, -key)
            at[agent] = p
            agent_key[agent] = key
            if len(h) >= capacity[p]:
                threshold[p] = -h[0]

    def moved(unit: int) -> None:
        moves[unit] += 1
        if moves[unit] > max_moves:
            frozen.add(unit)  # a cycle: from now on it moves only down

    def displace(agent: int) -> None:
        unit = unit_of[agent]
        at[agent] = -1
        if rows_of[unit] is not None:
            moved(unit)
            vacated.extend(p for _, p, _ in withdraw(unit))
        pos[unit] = -1
        stack.append(unit)

    def place(agent: int, p: int, key: int) -> None:
        h = held[p]
        at[agent] = p
        agent_key[agent] = key
        if len(h) < capacity[p]:
            heappush(h, -key)
            if len(h) == capacity[p]:
                threshold[p] = -h[0]
        else:
            worst = -heapreplace(h, -key)
            threshold[p] = -h[0]
            displace(agent_of(p, worst))

    def row_fits(p1: int, k1: int, p2: int, k2: int) -> bool:
        if p1 == p2:
            if k1 >= UNACCEPTABLE or k2 >= UNACCEPTABLE:
                return False
            h = held[p1]
            if capacity[p1] - len(h) >= 2:
                return True
            worst = max(k1, k2)
            return sum(1 for x in h if -x < worst) + 2 <= capacity[p1]
        return (p1 < 0 or k1 < threshold[p1]) and (p2 < 0 or k2 < threshold[p2])

    def self_block(u: int, index: int) -> int:
        # A unit's own new positions can make one of its earlier rows feasible (a member's
        # seat freed for the partner): then it blocks its own match and moves up.
        if u in frozen:
            return -1
        rows = rows_of[u]
        here = {rows[index][0], rows[index][2]}
        candidates = [j for j in range(index) if rows[j][0] in here or rows[j][2] in here]
        if not candidates:
            return -1
        removed = withdraw(u)
        better = next((j for j in candidates if row_fits(*rows[j])), -1)
        restore(removed)
        pos[u] = index
        return better

    def run() -> None:
        nonlocal steps
        while stack:
            steps += 1
            if steps > max_steps:
                return
            u = stack.pop()
            rows = rows_of[u]
            if rows is None:
                i = ptr[u]
                e = end[u]
                while i < e:
                    p = programs[i]
                    if keys[i] < threshold[p]:
                        break
                    i += 1
                else:
                    ptr[u] = e
                    continue
                k = keys[i]
                h = held[p]
                at[u] = p
                agent_key[u] = k
                pos[u] = i
                ptr[u] = i + 1
                if len(h) < capacity[p]:
                    heappush(h, -k)
                    if len(h) == capacity[p]:
                        threshold[p] = -h[0]
                else:
                    worst = -heapreplace(h, -k)
                    threshold[p] = -h[0]
                    person = int(persons[pstart[p] + (worst >> 1)])
                    displace(phantom_of[person] if worst & 1 else person)
                continue
            first, second = unit_agents[u]
            i = ptr[u]
            n = len(rows)
            while i < n:
                p1, k1, p2, k2 = rows[i]
                i += 1
                if row_fits(p1, k1, p2, k2):
                    pos[u] = i - 1
                    ptr[u] = i
                    if p1 >= 0:
                        place(first, p1, k1)
                    if p2 >= 0:
                        place(second, p2, k2)
                    better = self_block(u, i - 1)
                    if better >= 0:
                        moved(u)
                        vacated.extend(p for _, p, _ in withdraw(u))
                        ptr[u] = better
                        stack.append(u)
                    break
            else:
                ptr[u] = n

    def reenter(q: int) -> None:
        base = pstart[q]
        for rank in range(pstart[q + 1] - base):
            if 2 * rank >= threshold[q]:
                return
            person = int(persons[base + rank])
            unit = unit_of[person]
            rows = rows_of[unit]
            if rows is None:
                s = bounds[unit]
                limit = pos[unit] if pos[unit] >= 0 else ptr[unit]
                try:
                    index = programs.index(q, s, limit)
                except ValueError:
                    continue
                if keys[index] >= threshold[q]:
                    continue
                if at[unit] >= 0:
                    vacated.extend(p for _, p, _ in withdraw(unit))
            else:
                if unit in frozen:
                    continue
                limit = pos[unit] if pos[unit] >= 0 else ptr[unit]
                first, second = unit_agents[unit]
                candidates = [
                    index
                    for index in range(limit)
                    if (rows[index][0] == q and first == person)
                    or (rows[index][2] == q and (second == person or unit < ci.n_singles))
                ]
                if not candidates:
                    continue
                current = pos[unit]
                removed = withdraw(unit)
                index = next((i for i in candidates if row_fits(*rows[i])), -1)
                if index < 0:
                    restore(removed)
                    pos[unit] = current
                    continue
                vacated.extend(p for _, p, _ in removed)
                moved(unit)
            ptr[unit] = index
            stack.append(unit)
            run()
            if steps > max_steps:
                return

    run()
    while vacated and steps <= max_steps:
        reenter(vacated.pop())
    stable = steps <= max_steps and not stack and not frozen
    return _Outcome(at, stable, steps, sorted(frozen, key=lambda u: (-moves[u], u)))


def _result(
    ci: CompactInstance,
    prepared: _Prepared,
    outcome: _Outcome,
    capacity: list[int],
    rules: str,
    message: str = "",
) -> Result:
    pids = ci.program_ids
    n = len(ci.person_ids)
    names = [*pids, None]  # index -1 is "unmatched"
    assignment = dict(
        zip(ci.person_ids, map(names.__getitem__, outcome.agent_program[:n]), strict=True)
    )
    supplemental = {
        ci.person_ids[person]: pids[outcome.agent_program[agent]]
        for person, agent in prepared.phantom_of.items()
        if outcome.agent_program[agent] >= 0
    }
    return Result(
        rules=rules,
        status=STABLE if outcome.stable else NO_STABLE_MATCHING,
        assignment=assignment,
        capacities=dict(zip(pids, capacity, strict=False)),
        supplemental=supplemental,
        message=message,
        statistics={"proposals": outcome.steps},
    )


def prepared_names(ci: CompactInstance, units: list[int]) -> list[str]:
    """Ids of units: applicants for singles, couple ids for couples."""
    return [
        ci.person_ids[u] if u < ci.n_singles else ci.couple_ids[u - ci.n_singles] for u in units
    ]


def _default_steps(ci: CompactInstance, prepared: _Prepared) -> int:
    joint = sum(len(rows) for rows in prepared.rows[ci.n_singles :]) + sum(
        len(prepared.rows[u]) for u in prepared.phantom_of
    )
    return 4 * (len(ci.applicant_programs) + joint + len(prepared.rows)) + 10_000


def _capacity_list(ci: CompactInstance, capacity: dict[str, int] | None) -> list[int]:
    if capacity is None:
        return list(ci.capacity)
    return [capacity[pid] for pid in ci.program_ids]


@pausing_gc
def applicant_proposing(instance: Instance | CompactInstance, *, rules: str = "nrmp") -> Result:
    """Applicant-proposing deferred acceptance with capacities (hospitals/residents problem).

    Takes an instance without couples (supplemental lists are ignored); returns the
    applicant-optimal stable matching. Steps: each applicant proposes to their best program not
    yet tried; a program holds its best ``capacity`` proposers among those it ranked and rejects
    the rest; rejected applicants propose on until held or out of list. Source: Gale & Shapley
    (1962), "College admissions and the stability of marriage"; Roth (1984) for residents.
    """
    ci = as_compact(instance)
    if ci.couple_ids:
        raise ValueError("applicant_proposing takes no couples; use roth_peranson")
    prepared = _prepare(ci, use_supplemental=False)
    outcome = _deferred_acceptance(ci, prepared, list(ci.capacity), _default_steps(ci, prepared))
    return _result(ci, prepared, outcome, list(ci.capacity), rules)


@pausing_gc
def program_proposing(
    instance: Instance | CompactInstance,
    *,
    rules: str = "nrmp",
    capacity: dict[str, int] | None = None,
) -> Result:
    """Program-proposing deferred acceptance with capacities.

    Takes an instance without couples (supplemental lists are ignored) and optional capacities;
    returns the program-optimal stable matching. Steps: every program with free positions offers
    to the next applicant on its list who also ranked it; an applicant keeps the best offer so far
    and releases the previous one, whose program offers on. Source: Gale & Shapley (1962); Roth &
    Sotomayor (1990), "Two-sided matching", ch. 5.
    """
    ci = as_compact(instance)
    if ci.couple_ids:
        raise ValueError("program_proposing takes no couples")
    n_programs = len(ci.program_ids)
    caps = _capacity_list(ci, capacity)
    start = ci.applicant_start.tolist()
    applicant_programs = ci.applicant_programs.tolist()
    applicant_rank: dict[int, int] = {}
    for u in range(ci.n_singles):
        for r, p in enumerate(applicant_programs[start[u] : start[u + 1]]):
            applicant_rank[u * n_programs + p] = r
    holder = [-1] * len(ci.person_ids)
    holder_rank = [OPEN] * len(ci.person_ids)
    count = [0] * n_programs
    ptr = ci.program_start[:-1].tolist()
    pend = ci.program_start[1:].tolist()
    persons = ci.program_persons.tolist()
    stack = list(range(n_programs - 1, -1, -1))
    while stack:
        p = stack.pop()
        i = ptr[p]
        while count[p] < caps[p] and i < pend[p]:
            a = persons[i]
            i += 1
            rank = applicant_rank.get(a * n_programs + p)
            if rank is not None and rank < holder_rank[a]:
                old = holder[a]
                holder[a] = p
                holder_rank[a] = rank
                count[p] += 1
                if old >= 0:
                    count[old] -= 1
                    stack.append(old)
        ptr[p] = i
    pids = ci.program_ids
    assignment = dict(
        zip(ci.person_ids, [pids[p] if p >= 0 else None for p in holder], strict=False)
    )
    return Result(rules, STABLE, assignment, dict(zip(pids, caps, strict=False)))


@pausing_gc
def roth_peranson(
    instance: Instance | CompactInstance,
    *,
    rules: str = "nrmp",
    capacity: dict[str, int] | None = None,
    max_steps: int | None = None,
    supplemental: bool = True,
    attempts: int = 5,
) -> Result:
    """Applicant-proposing deferred acceptance with couples and supplemental lists.

    Takes an instance (``None``/-1 on a side of a couple's row is "no match"), optional capacities
    overriding the instance's, a proposal bound (default four times the list entries), whether
    supplemental lists are used and how many couple orders to try. Returns the matching with
    status ``stable``; or, when no order ends stable, ``no_stable_matching_found`` with a message
    naming the units that cycled and the matching of the order with the fewest of them: it
    respects capacities and couples' rows, but those units' rows may block (``medmatch match
    check`` lists them). Orders are tried until one ends stable, ``attempts`` are used, or the
    same units cycle again. Steps: see ``_deferred_acceptance``; an applicant with a supplemental
    list proposes the rows (advanced, preliminary) for each preliminary program, then (advanced,
    none), at each advanced program of their list, as the NRMP does. Source: Roth & Peranson
    (1999), "The redesign of the matching market for American physicians", American Economic
    Review 89(4).
    """
    ci = as_compact(instance)
    caps = _capacity_list(ci, capacity)
    prepared = _prepare(ci, use_supplemental=supplemental)
    bound = _default_steps(ci, prepared) if max_steps is None else max_steps
    outcome = _deferred_acceptance(ci, prepared, caps, bound)
    tries = 1
    frozen_before = set()
    while not outcome.stable and tries < attempts:
        # Another order of the couples, unless the same units cycled again: the cycle is then
        # in the lists, not in the order (a stable matching most likely does not exist).
        frozen_before.add(tuple(sorted(outcome.cycling)))
        retry = _deferred_acceptance(ci, prepared, caps, bound, shuffle=tries)
        tries += 1
        if retry.stable or len(retry.cycling) < len(outcome.cycling):
            outcome = retry
        if outcome.cycling and tuple(sorted(retry.cycling)) in frozen_before:
            break
    message = ""
    if not outcome.stable:
        why = []
        if outcome.cycling:
            names = ", ".join(prepared_names(ci, outcome.cycling))
            why.append(
                f"{names} kept cycling (more than {MAX_MOVES} moves) and stayed where the run "
                "left them, moving only down"
            )
        if outcome.steps > bound:
            why.append(f"the run stopped after {bound} proposals")
        message = (
            f"no stable matching found in {tries} orders of the couples ({'; '.join(why)}). "
            "With couples a stable matching may not exist (Roth 1984). The matching shown "
            "respects capacities and couples' lists; its blocking pairs are those of the units "
            "named: run 'medmatch match check'."
        )
    return _result(ci, prepared, outcome, caps, rules, message)


@pausing_gc
def nrmp(
    instance: Instance | CompactInstance, *, max_steps: int | None = None, max_reversions: int = 10
) -> Result:
    """The NRMP Main Match: Roth-Peranson with couples, supplemental lists and reversion.

    Takes an instance; returns the result. Steps: run :func:`roth_peranson`; if a program with
    ``revert_to`` has unfilled positions, move them to the target program and run again from the
    start; repeat until no positions move (at most ``max_reversions`` rounds). Source: NRMP, "How
    the Matching Algorithm Works"; Roth & Peranson (1999) section on reversions.
    """
    ci = as_compact(instance)
    capacity = dict(zip(ci.program_ids, ci.capacity, strict=False))
    links = []
    if max(ci.revert_to, default=-1) >= 0:
        links = [
            (ci.program_ids[p], ci.program_ids[t]) for p, t in enumerate(ci.revert_to) if t >= 0
        ]
    result = roth_peranson(ci, rules="nrmp", max_steps=max_steps)
    for _ in range(max_reversions if links else 0):
        filled: dict[str, int] = {}
        for program in chain(result.assignment.values(), result.supplemental.values()):
            if program is not None:
                filled[program] = filled.get(program, 0) + 1
        capacity = dict(capacity)
        moved = False
        for source, target in links:
            spare = capacity[source] - filled.get(source, 0)
            if spare > 0:
                capacity[source] -= spare
                capacity[target] += spare
                moved = True
        if not moved:
            break
        result = roth_peranson(ci, rules="nrmp", capacity=capacity, max_steps=max_steps)
    return result


def target_capacities(instance: Instance | CompactInstance) -> dict[str, int]:
    """JRMP target capacities: program capacities scaled down so each region meets its cap.

    Takes an instance with regions; returns each program's capacity. Steps: for a region whose
    programs' capacities sum to more than its cap, give each program floor(capacity * cap / sum)
    and hand the positions left one by one to the largest remainders (ties: instance order).
    Source: Kamada & Kojima (2015), "Efficient matching under distributional constraints: theory
    and applications", American Economic Review 105(1), section I (the JRMP cap since 2008).
    """
    ci = as_compact(instance)
    capacity = list(ci.capacity)
    for r, cap in enumerate(ci.region_cap):
        members = [p for p, region in enumerate(ci.region) if region == r]
        total = sum(ci.capacity[p] for p in members)
        if total <= cap:
            continue
        shares = []
        for p in members:
            whole, remainder = divmod(ci.capacity[p] * cap, total)
            capacity[p] = whole
            shares.append((-remainder, p))
        left = cap - sum(capacity[p] for p in members)
        for _, p in sorted(shares)[:left]:
            capacity[p] += 1
    return dict(zip(ci.program_ids, capacity, strict=False))


@pausing_gc
def jrmp(instance: Instance | CompactInstance, *, proposing: str = "applicants") -> Result:
    """Japan Residency Matching Program: deferred acceptance under regional caps.

    Takes an instance without couples; returns the stable matching for the target capacities
    (applicant-optimal, or program-optimal with ``proposing="programs"``). Steps: compute
    :func:`target_capacities`, then run deferred acceptance with them. Source: Kamada & Kojima
    (2015), section I; JRMP, "Matching algorithm" (regional caps on hospital quotas).
    """
    capacity = target_capacities(instance)
    if proposing == "programs":
        return program_proposing(instance, rules="jrmp", capacity=capacity)
    return roth_peranson(instance, rules="jrmp", capacity=capacity, supplemental=False)


def lottery_order(instance: Instance | CompactInstance, seed: int) -> tuple[str, ...]:
    """The UKFP random order of applicant ids and couple ids (a linked pair is one entry):
    instance order shuffled by ``random.Random(seed)``."""
    ci = as_compact(instance)
    order = ci.person_ids[: ci.n_singles] + list(ci.couple_ids)
    random.Random(seed).shuffle(order)
    return tuple(order)


@pausing_gc
def serial_dictatorship(instance: Instance | CompactInstance, *, seed: int = 0) -> Result:
    """UK Foundation Programme allocation: serial dictatorship on a seeded random order.

    Takes an instance (program rankings are ignored: programmes do not rank) and a seed; returns
    the allocation with its order. Steps: draw the order (:func:`lottery_order`); in that order
    each applicant takes the first programme on their list with a free place; a linked pair
    (couple) takes its first row with places for both (two places when the row names one
    programme twice; no match leaves that member unplaced). Source: UKFPO, "Preference Informed
    Allocation" (2023 onward); Abdulkadiroglu & Sonmez (1998) on random serial dictatorship.
    """
    ci = as_compact(instance)
    order = lottery_order(ci, seed)
    free = list(ci.capacity)
    unit = {name: i for i, name in enumerate(ci.person_ids[: ci.n_singles])}
    unit.update({name: ci.n_singles + c for c, name in enumerate(ci.couple_ids)})
    at = [-1] * len(ci.person_ids)
    start = ci.applicant_start.tolist()
    applicant_programs = ci.applicant_programs.tolist()
    couple_start = ci.couple_start.tolist()
    couple_first = ci.couple_first.tolist()
    couple_second = ci.couple_second.tolist()
    for name in order:
        u = unit[name]
        if u < ci.n_singles:
            for p in applicant_programs[start[u] : start[u + 1]]:
                if free[p] > 0:
                    free[p] -= 1
                    at[u] = p
                    break
            continue
        c = u - ci.n_singles
        first = ci.n_singles + 2 * c
        for r in range(couple_start[c], couple_start[c + 1]):
            p1, p2 = couple_first[r], couple_second[r]
            if p1 == p2:
                ok = free[p1] >= 2
            else:
                ok = (p1 < 0 or free[p1] > 0) and (p2 < 0 or free[p2] > 0)
            if ok:
                for agent, p in ((first, p1), (first + 1, p2)):
                    if p >= 0:
                        free[p] -= 1
                        at[agent] = p
                break
    pids = ci.program_ids
    assignment = dict(zip(ci.person_ids, [pids[p] if p >= 0 else None for p in at], strict=False))
    return Result(
        "ukfp", STABLE, assignment, dict(zip(pids, ci.capacity, strict=False)), order=order
    )


@pausing_gc
def solve(
    instance: Instance | CompactInstance,
    rules: str | RuleSet = "nrmp",
    *,
    seed: int = 0,
    proposing: str = "applicants",
    max_steps: int | None = None,
) -> Result:
    """Run the match under a clearinghouse's rules and return the result (no statistics).

    Takes an instance, ``rules`` in {nrmp, carms, jrmp, ukfp}, a seed (UKFP lottery), who proposes
    (``applicants`` or ``programs``; programs only without couples or supplemental lists) and an
    optional proposal bound. Raises ValueError for unknown rules or proposing and InstanceError
    for features the rules lack. Steps: check the features; nrmp -> :func:`nrmp`; carms ->
    :func:`roth_peranson` (streams are programs with their own quota; eligibility is checked);
    jrmp -> :func:`jrmp`; ukfp -> :func:`serial_dictatorship`.
    """
    rule_set = rules if isinstance(rules, RuleSet) else get_rules(rules)
    if proposing not in ("applicants", "programs"):
        raise ValueError(f"unknown proposing {proposing!r}; expected applicants or programs")
    if isinstance(instance, Instance):
        check_supported(instance, rule_set)
    else:
        check_supported_compact(instance, rule_set)
    ci = as_compact(instance)
    if proposing == "programs":
        if rule_set.lottery:
            raise ValueError("ukfp has no program-proposing variant")
        if ci.couple_ids or len(ci.supplemental_programs):
            raise ValueError("program-proposing takes no couples or supplemental lists")
        if rule_set.regions:
            return jrmp(ci, proposing="programs")
        return program_proposing(ci, rules=rule_set.name)
    if rule_set.name == "nrmp":
        return nrmp(ci, max_steps=max_steps)
    if rule_set.name == "carms":
        return roth_peranson(ci, rules="carms", max_steps=max_steps, supplemental=False)
    if rule_set.name == "jrmp":
        return jrmp(ci)
    return serial_dictatorship(ci, seed=seed)
