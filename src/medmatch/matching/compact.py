"""The compact, integer-indexed form of an instance and its fast JSON encoding.

The solver works on :class:`CompactInstance`: ids are listed once and every ranking is a run of
integers in one flat list, with a ``start`` list of offsets (CSR layout). The compact JSON encoding
(``medmatch-instance-compact/1``, docs/matching.md) stores those flat lists as base64 of
little-endian int32, so a 50,000-applicant instance loads in a few tens of milliseconds without
building one record per applicant.
"""

from __future__ import annotations

import base64
import functools
import gc
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np

from .instance import (
    TRACKS,
    Applicant,
    Couple,
    Instance,
    InstanceError,
    Program,
    Region,
)

COMPACT_FORMAT = "medmatch-instance-compact/1"
NONE = -1


F = TypeVar("F", bound=Callable)


def pausing_gc(function: F) -> F:
    """Run ``function`` with the cyclic garbage collector paused (restored afterwards).

    Decoding a large JSON document and a solver run allocate hundreds of thousands of lists,
    dicts and tuples that make no reference cycles, yet trigger collections, which then also
    traverse everything else alive in the process: at NRMP scale 10-30 ms of a 0.2 s solve and
    about a third of decoding a records document. Everything they allocate is freed by
    reference counting; the collector runs again as usual afterwards."""

    @functools.wraps(function)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return paused  # type: ignore[return-value]


@dataclass(frozen=True)
class CompactInstance:
    """An instance as flat integer lists (never mutated once built).

    Persons are the single applicants (``0 .. n_singles-1``) then each couple's two members.
    ``applicant_start``/``applicant_programs``: the singles' rankings; ``supplemental_*``: their
    supplemental lists; ``program_start``/``program_persons``: program rankings (person indices);
    ``couple_start``/``couple_first``/``couple_second``: couples' rows, -1 for "no match".
    ``track`` is an index into TRACKS; ``revert_to`` and ``region`` are indices or -1. The flat
    lists are read-only numpy int64 arrays.
    """

    person_ids: list[str]
    n_singles: int
    program_ids: list[str]
    capacity: list[int]
    program_start: np.ndarray
    program_persons: np.ndarray
    applicant_start: np.ndarray
    applicant_programs: np.ndarray
    supplemental_start: np.ndarray
    supplemental_programs: np.ndarray
    couple_ids: list[str]
    couple_start: np.ndarray
    couple_first: np.ndarray
    couple_second: np.ndarray
    track: list[int]
    revert_to: list[int]
    region: list[int]
    region_ids: list[str]
    region_cap: list[int]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CompactInstance):
            return NotImplemented
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, np.ndarray):
                if not np.array_equal(mine, theirs):
                    return False
            elif mine != theirs:
                return False
        return True

    __hash__ = None  # type: ignore[assignment]


def _array(values) -> np.ndarray:
    result = np.asarray(values, dtype=np.int64).reshape(-1)
    result.setflags(write=False)
    return result


def _csr(lists: list) -> tuple[np.ndarray, np.ndarray]:
    start = [0]
    flat: list[int] = []
    for items in lists:
        flat.extend(items)
        start.append(len(flat))
    return _array(start), _array(flat)


def to_compact(instance: Instance) -> CompactInstance:
    """Convert a validated :class:`Instance` to its compact form (ids become indices)."""
    program_ids = [p.id for p in instance.programs]
    program_index = {pid: i for i, pid in enumerate(program_ids)}
    person_ids = instance.applicant_ids()
    person_index = {aid: i for i, aid in enumerate(person_ids)}
    region_ids = [r.id for r in instance.regions]
    region_index = {rid: i for i, rid in enumerate(region_ids)}
    applicant_start, applicant_programs = _csr(
        [[program_index[p] for p in a.ranking] for a in instance.applicants]
    )
    supplemental_start, supplemental_programs = _csr(
        [[program_index[p] for p in a.supplemental] for a in instance.applicants]
    )
    program_start, program_persons = _csr(
        [[person_index[a] for a in p.ranking] for p in instance.programs]
    )
    couple_start = [0]
    first: list[int] = []
    second: list[int] = []
    for couple in instance.couples:
        for a, b in couple.ranking:
            first.append(program_index[a] if a is not None else NONE)
            second.append(program_index[b] if b is not None else NONE)
        couple_start.append(len(first))
    return CompactInstance(
        person_ids=person_ids,
        n_singles=len(instance.applicants),
        program_ids=program_ids,
        capacity=[p.capacity for p in instance.programs],
        program_start=program_start,
        program_persons=program_persons,
        applicant_start=applicant_start,
        applicant_programs=applicant_programs,
        supplemental_start=supplemental_start,
        supplemental_programs=supplemental_programs,
        couple_ids=[c.id for c in instance.couples],
        couple_start=_array(couple_start),
        couple_first=_array(first),
        couple_second=_array(second),
        track=[TRACKS.index(p.track) for p in instance.programs],
        revert_to=[program_index[p.revert_to] if p.revert_to else NONE for p in instance.programs],
        region=[region_index[p.region] if p.region else NONE for p in instance.programs],
        region_ids=region_ids,
        region_cap=[r.cap for r in instance.regions],
    )


def expand(ci: CompactInstance) -> Instance:
    """Convert a compact instance back to records (for the checker and explanations)."""
    pids = ci.program_ids
    people = ci.person_ids

    def run(start: np.ndarray, flat: np.ndarray, i: int) -> list[int]:
        return flat[start[i] : start[i + 1]].tolist()

    applicants = tuple(
        Applicant(
            people[i],
            tuple(pids[p] for p in run(ci.applicant_start, ci.applicant_programs, i)),
            tuple(pids[p] for p in run(ci.supplemental_start, ci.supplemental_programs, i)),
        )
        for i in range(ci.n_singles)
    )
    programs = tuple(
        Program(
            pids[p],
            ci.capacity[p],
            tuple(people[a] for a in run(ci.program_start, ci.program_persons, p)),
            ci.region_ids[ci.region[p]] if ci.region[p] >= 0 else None,
            TRACKS[ci.track[p]],
            pids[ci.revert_to[p]] if ci.revert_to[p] >= 0 else None,
        )
        for p in range(len(pids))
    )
    couples = []
    first, second, cstart = (
        ci.couple_first.tolist(),
        ci.couple_second.tolist(),
        ci.couple_start.tolist(),
    )
    for c, cid in enumerate(ci.couple_ids):
        rows = tuple(
            (
                pids[first[r]] if first[r] >= 0 else None,
                pids[second[r]] if second[r] >= 0 else None,
            )
            for r in range(cstart[c], cstart[c + 1])
        )
        member = ci.n_singles + 2 * c
        couples.append(Couple(cid, (people[member], people[member + 1]), rows))
    regions = tuple(
        Region(rid, cap) for rid, cap in zip(ci.region_ids, ci.region_cap, strict=False)
    )
    return Instance(applicants, programs, tuple(couples), regions)


# ----------------------------------------------------------------------------- encoding


def _encode(values: np.ndarray) -> str:
    return base64.b64encode(np.asarray(values, dtype="<i4").tobytes()).decode("ascii")


def _decode(text: object, field: str) -> np.ndarray:
    if not isinstance(text, str):
        raise InstanceError("instance", field, "must be a base64 string of int32")
    try:
        raw = base64.b64decode(text)
    except ValueError:
        raise InstanceError("instance", field, "is not valid base64") from None
    # b64decode without validate=True (much faster) skips stray characters: then the decoded
    # length gives it away.
    if len(raw) != len(text) // 4 * 3 - text[-2:].count("="):
        raise InstanceError("instance", field, "is not valid base64")
    if len(raw) % 4:
        raise InstanceError("instance", field, "length is not a multiple of 4 bytes")
    return _array(np.frombuffer(raw, dtype="<i4"))


def to_compact_dict(ci: CompactInstance) -> dict:
    """Return the compact JSON document of ``ci``."""
    n = ci.n_singles
    document = {
        "format": COMPACT_FORMAT,
        "applicant_ids": ci.person_ids[:n],
        "program_ids": ci.program_ids,
        "capacity": ci.capacity,
        "applicant_start": _encode(ci.applicant_start),
        "applicant_programs": _encode(ci.applicant_programs),
        "program_start": _encode(ci.program_start),
        "program_applicants": _encode(ci.program_persons),
        "couple_ids": ci.couple_ids,
        "couple_members": ci.person_ids[n:],
        "couple_start": _encode(ci.couple_start),
        "couple_first": _encode(ci.couple_first),
        "couple_second": _encode(ci.couple_second),
    }
    if len(ci.supplemental_programs):
        document["supplemental_start"] = _encode(ci.supplemental_start)
        document["supplemental_programs"] = _encode(ci.supplemental_programs)
    if any(ci.track):
        document["track"] = [TRACKS[t] for t in ci.track]
    if any(r >= 0 for r in ci.revert_to):
        document["revert_to"] = ci.revert_to
    if ci.region_ids:
        document["region"] = ci.region
        document["region_ids"] = ci.region_ids
        document["region_cap"] = ci.region_cap
    return document


def _check_start(start: np.ndarray, count: int, total: int, field: str) -> None:
    if len(start) != count + 1 or start[0] != 0 or start[-1] != total:
        raise InstanceError(
            "instance", field, f"needs {count + 1} offsets from 0 to {total}, got {len(start)}"
        )
    if (np.diff(start) < 0).any():
        raise InstanceError("instance", field, "offsets must not decrease")


def _check_range(values: np.ndarray, low: int, high: int, field: str) -> None:
    if len(values) and (values.min() < low or values.max() >= high):
        bad = values[(values < low) | (values >= high)][0]
        raise InstanceError("instance", field, f"index {bad} out of range [{low}, {high})")


def owners(start: np.ndarray) -> np.ndarray:
    """For a CSR offsets array, the owner index of every flat entry."""
    return np.repeat(np.arange(len(start) - 1, dtype=np.int64), np.diff(start))


def radix_order(values: np.ndarray, bound: int) -> np.ndarray:
    """A stable sorting permutation of non-negative ``values`` below ``bound`` (< 2**32): LSD
    radix sort on 16-bit digits (numpy sorts 8- and 16-bit integers stably in linear time, one
    pass per byte, so values below 256 take a single pass)."""
    if bound > 1 << 32:
        return np.argsort(values, kind="stable")
    if bound <= 0x100:
        return np.argsort(values.astype(np.uint8), kind="stable")
    low = values.astype(np.uint16) if bound <= 0x10000 else (values & 0xFFFF).astype(np.uint16)
    order = np.argsort(low, kind="stable")
    if bound > 0x10000:
        high = (values[order] >> 16).astype(np.uint16)
        order = order[np.argsort(high, kind="stable")]
    return order


def _check_unique_runs(
    start: np.ndarray, flat: np.ndarray, width: int, names: list[str], kind: str, field: str
) -> None:
    owner = owners(start)
    order = radix_order(flat, width)
    order = order[radix_order(owner[order], len(start))]
    codes = (owner * width + flat)[order]
    repeated = np.flatnonzero(codes[1:] == codes[:-1])
    if len(repeated):
        code = int(codes[repeated[0]])
        owner, value = divmod(code, width)
        raise InstanceError(f"{kind} {names[owner]!r}", field, f"entry {value} appears twice")


def from_compact_dict(data: dict) -> CompactInstance:
    """Decode and validate a compact JSON document; raise InstanceError naming record and field.

    Steps: decode the base64 int32 lists; check ids are unique strings, offsets run from 0 to the
    list length, every index is in range, no ranking repeats an entry, capacities and caps are
    non-negative, couple rows are not "no match" twice, supplemental lists name preliminary
    programs and no program reverts to itself.
    """
    if data.get("format") != COMPACT_FORMAT:
        raise InstanceError("instance", "format", f"expected {COMPACT_FORMAT!r}")

    def ids(field: str) -> list[str]:
        value = data.get(field, [])
        if not isinstance(value, list) or set(map(type, value)) - {str} or "" in value:
            raise InstanceError("instance", field, "must be a list of non-empty strings")
        return value

    singles = ids("applicant_ids")
    program_ids = ids("program_ids")
    couple_ids = ids("couple_ids")
    members = ids("couple_members")
    region_ids = ids("region_ids")
    if len(members) != 2 * len(couple_ids):
        raise InstanceError("instance", "couple_members", "must list two members per couple")
    persons = singles + members
    for _field, names, kind in (
        ("applicant_ids", persons, "applicant"),
        ("program_ids", program_ids, "program"),
        ("couple_ids", couple_ids, "couple"),
        ("region_ids", region_ids, "region"),
    ):
        if len(set(names)) != len(names):
            seen: set[str] = set()
            for name in names:
                if name in seen:
                    raise InstanceError(
                        f"{kind} {name!r}",
                        "id",
                        "duplicate id (a couple member may not also be listed alone)",
                    )
                seen.add(name)
    n_programs = len(program_ids)
    capacity = data.get("capacity")
    if not isinstance(capacity, list) or len(capacity) != n_programs:
        raise InstanceError("instance", "capacity", "needs one integer per program")
    for pid, cap in zip(program_ids, capacity, strict=False):
        if not isinstance(cap, int) or isinstance(cap, bool) or cap < 0:
            raise InstanceError(
                f"program {pid!r}", "capacity", f"must be a non-negative integer, got {cap!r}"
            )

    def csr(start_field: str, flat_field: str, count: int, optional: bool = False):
        if optional and start_field not in data:
            return _array([0] * (count + 1)), _array([])
        start = _decode(data.get(start_field), start_field)
        flat = _decode(data.get(flat_field), flat_field)
        _check_start(start, count, len(flat), start_field)
        return start, flat

    applicant_start, applicant_programs = csr("applicant_start", "applicant_programs", len(singles))
    _check_range(applicant_programs, 0, n_programs, "applicant_programs")
    _check_unique_runs(
        applicant_start, applicant_programs, n_programs, singles, "applicant", "ranking"
    )
    supplemental_start, supplemental_programs = csr(
        "supplemental_start", "supplemental_programs", len(singles), optional=True
    )
    _check_range(supplemental_programs, 0, n_programs, "supplemental_programs")
    program_start, program_persons = csr("program_start", "program_applicants", n_programs)
    _check_range(program_persons, 0, len(persons), "program_applicants")
    _check_unique_runs(
        program_start, program_persons, len(persons), program_ids, "program", "ranking"
    )
    couple_start, couple_first = csr("couple_start", "couple_first", len(couple_ids))
    couple_second = _decode(data.get("couple_second"), "couple_second")
    if len(couple_second) != len(couple_first):
        raise InstanceError("instance", "couple_second", "must be as long as couple_first")
    _check_range(couple_first, -1, n_programs, "couple_first")
    _check_range(couple_second, -1, n_programs, "couple_second")
    both_none = np.flatnonzero((couple_first < 0) & (couple_second < 0))
    if len(both_none):
        cid = couple_ids[int(np.searchsorted(couple_start, both_none[0], side="right")) - 1]
        raise InstanceError(f"couple {cid!r}", "ranking", "a row with no match for both members")
    _check_unique_runs(
        couple_start,
        (couple_first + 1) * (n_programs + 1) + couple_second + 1,
        (n_programs + 1) ** 2,
        couple_ids,
        "couple",
        "ranking",
    )
    tracks = data.get("track") or ["categorical"] * n_programs
    if len(tracks) != n_programs or any(t not in TRACKS for t in tracks):
        raise InstanceError("instance", "track", f"needs one of {', '.join(TRACKS)} per program")
    track = [TRACKS.index(t) for t in tracks]
    preliminary = TRACKS.index("preliminary")
    if len(supplemental_programs):
        wrong = np.flatnonzero(np.asarray(track)[supplemental_programs] != preliminary)
        if len(wrong):
            owner = int(owners(supplemental_start)[wrong[0]])
            p = int(supplemental_programs[wrong[0]])
            raise InstanceError(
                f"applicant {singles[owner]!r}",
                "supplemental",
                f"{program_ids[p]!r} is not a preliminary program",
            )
    revert_to = data.get("revert_to") or [NONE] * n_programs
    region = data.get("region") or [NONE] * n_programs
    region_cap = data.get("region_cap") or []
    for field, values, high in (
        ("revert_to", revert_to, n_programs),
        ("region", region, len(region_ids)),
    ):
        if len(values) != n_programs:
            raise InstanceError("instance", field, "needs one entry per program")
        if any(not isinstance(v, int) or not -1 <= v < high for v in values):
            raise InstanceError("instance", field, f"indices must be -1 or in [0, {high})")
    for p, target in enumerate(revert_to):
        if target == p:
            raise InstanceError(
                f"program {program_ids[p]!r}", "revert_to", "a program cannot revert to itself"
            )
    if len(region_cap) != len(region_ids) or any(
        not isinstance(c, int) or c < 0 for c in region_cap
    ):
        raise InstanceError("instance", "region_cap", "needs a non-negative integer per region")
    return CompactInstance(
        person_ids=persons,
        n_singles=len(singles),
        program_ids=program_ids,
        capacity=capacity,
        program_start=program_start,
        program_persons=program_persons,
        applicant_start=applicant_start,
        applicant_programs=applicant_programs,
        supplemental_start=supplemental_start,
        supplemental_programs=supplemental_programs,
        couple_ids=couple_ids,
        couple_start=couple_start,
        couple_first=couple_first,
        couple_second=couple_second,
        track=track,
        revert_to=revert_to,
        region=region,
        region_ids=region_ids,
        region_cap=region_cap,
    )


@pausing_gc
def load_any(path: str | os.PathLike) -> Instance | CompactInstance:
    """Load an instance file in either JSON encoding, or a CSV directory.

    Returns a :class:`CompactInstance` for every encoding, read without building records
    (``loading.py``), or an :class:`Instance` for one that uses CaRMS streams, which only the
    records form holds; raises InstanceError when malformed, naming the record and field.
    """
    from .loading import compact_from_csv_directory, compact_from_records

    target = Path(path)
    if target.is_dir():
        return compact_from_csv_directory(target)
    try:
        data = json.loads(target.read_bytes())
    except FileNotFoundError:
        raise InstanceError("instance", "(file)", f"{target} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InstanceError("instance", "(file)", f"{target} is not valid JSON: {error}") from None
    if isinstance(data, dict) and data.get("format") == COMPACT_FORMAT:
        return from_compact_dict(data)
    return compact_from_records(data)


def as_instance(value: Instance | CompactInstance) -> Instance:
    """Records for either form."""
    return value if isinstance(value, Instance) else expand(value)


def as_compact(value: Instance | CompactInstance) -> CompactInstance:
    """The compact form for either form."""
    return value if isinstance(value, CompactInstance) else to_compact(value)


def dump_compact(ci: CompactInstance, path: str | os.PathLike) -> None:
    """Write the compact JSON encoding."""
    Path(path).write_text(json.dumps(to_compact_dict(ci), separators=(",", ":")), encoding="utf-8")
