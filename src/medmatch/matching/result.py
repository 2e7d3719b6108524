"""The result of a match: who went where, filled and unfilled positions, statistics, JSON I/O."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

RESULT_FORMAT = "medmatch-result/1"
STABLE = "stable"
NO_STABLE_MATCHING = "no_stable_matching_found"


class ResultError(ValueError):
    """A result file that cannot be read, naming the field and reason."""


@dataclass(frozen=True)
class Result:
    """The outcome of one run.

    ``assignment`` maps every applicant id (singles and couple members) to a program id or None.
    ``supplemental`` maps applicants matched to an advanced program to their preliminary program
    (NRMP supplemental lists). ``capacities`` holds each program's capacity as used by the run
    (after JRMP target capacities or NRMP reversion). ``order`` is the UKFP lottery order of
    applicant and couple ids. ``status`` is ``stable`` or ``no_stable_matching_found``, with
    ``message`` saying why. ``statistics`` is filled by :func:`with_statistics`.
    """

    rules: str
    status: str
    assignment: dict[str, str | None]
    capacities: dict[str, int]
    supplemental: dict[str, str] = field(default_factory=dict)
    order: tuple[str, ...] = ()
    message: str = ""
    statistics: dict = field(default_factory=dict)

    @property
    def stable(self) -> bool:
        return self.status == STABLE


def compute_statistics(instance, result: Result) -> dict:
    """Return summary figures for a result of ``instance`` (records or compact form).

    Takes the instance and the result; returns a dict: applicants, matched, matched_percent,
    positions (sum of instance capacities), filled, filled_percent, first_choice and its percent
    and top_three_percent (of singles and couples: a couple counts once, by its row), couples,
    couples_placed (at least one member matched), couples_both_placed, supplemental_matched,
    unfilled_programs (by the capacities the run used).
    """
    from itertools import repeat

    import numpy as np

    from .compact import as_compact, owners

    ci = as_compact(instance)
    assignment = result.assignment
    persons = ci.person_ids
    applicants = len(persons)
    n_programs = len(ci.program_ids)
    index = dict(zip(ci.program_ids, range(n_programs), strict=True))
    # The solver lists the assignment in person order: then its values need no look-up by name.
    values = list(assignment.values())
    if len(values) != applicants or list(assignment) != persons:
        values = [assignment.get(person) for person in persons]
    at = np.fromiter(map(index.get, values, repeat(-1)), dtype=np.int64, count=applicants)
    matched = sum(1 for program in assignment.values() if program is not None)
    singles = at[: ci.n_singles]
    owner = owners(ci.applicant_start)
    place = np.arange(len(owner)) - ci.applicant_start[owner]
    hit = ci.applicant_programs == singles[owner]
    first = int(np.count_nonzero(hit & (place == 0)))
    top_three = int(np.count_nonzero(hit & (place < 3)))
    cstart = ci.couple_start.tolist()
    cfirst = ci.couple_first.tolist()
    csecond = ci.couple_second.tolist()
    couples_placed = couples_both = 0
    index[None] = -1
    for c in range(len(ci.couple_ids)):
        member = ci.n_singles + 2 * c
        row = (assignment.get(persons[member]), assignment.get(persons[member + 1]))
        if row == (None, None):
            continue
        couples_placed += 1
        couples_both += None not in row
        wanted = (index[row[0]], index[row[1]])
        rows = list(
            zip(cfirst[cstart[c] : cstart[c + 1]], csecond[cstart[c] : cstart[c + 1]], strict=False)
        )
        rank = rows.index(wanted) if wanted in rows else len(rows)
        first += rank == 0
        top_three += rank < 3
    # Positions filled: every matched applicant and supplemental place, by program.
    everyone = np.fromiter(
        map(index.get, assignment.values(), repeat(-1)), dtype=np.int64, count=len(assignment)
    )
    extra = np.fromiter(
        map(index.get, result.supplemental.values(), repeat(-1)),
        dtype=np.int64,
        count=len(result.supplemental),
    )
    held = np.concatenate([everyone[everyone >= 0], extra[extra >= 0]])
    filled_at = np.bincount(held, minlength=n_programs).tolist()
    outside = matched - int(np.count_nonzero(everyone >= 0))  # names no program of the instance
    positions = sum(ci.capacity)
    filled = len(held) + outside + int(np.count_nonzero(extra < 0))
    unfilled_programs = sum(
        1
        for pid, cap in result.capacities.items()
        if (filled_at[index[pid]] if pid in index else 0) < cap
    )
    units = ci.n_singles + len(ci.couple_ids)

    def percent(part: int, whole: int) -> float:
        return round(100.0 * part / whole, 2) if whole else 0.0

    return {
        "applicants": applicants,
        "matched": matched,
        "matched_percent": percent(matched, applicants),
        "positions": positions,
        "filled": filled,
        "filled_percent": percent(filled, positions),
        "first_choice": first,
        "first_choice_percent": percent(first, units),
        "top_three_percent": percent(top_three, units),
        "couples": len(ci.couple_ids),
        "couples_placed": couples_placed,
        "couples_both_placed": couples_both,
        "supplemental_matched": len(result.supplemental),
        "unfilled_programs": unfilled_programs,
    }


def with_statistics(instance, result: Result, **extra) -> Result:
    """Return a copy of ``result`` with statistics from ``instance``, its own, and ``extra``."""
    statistics = {**result.statistics, **compute_statistics(instance, result), **extra}
    return replace(result, statistics=statistics)


def to_dict(result: Result, instance_reference: dict | None = None) -> dict:
    """Return the JSON document of a result; ``instance_reference`` is stored under "instance"."""
    filled = Counter(result.assignment.values())
    filled.update(result.supplemental.values())
    programs = {
        program: {
            "capacity": capacity,
            "filled": filled[program],
            "unfilled": capacity - filled[program],
        }
        for program, capacity in result.capacities.items()
    }
    document = {
        "format": RESULT_FORMAT,
        "rules": result.rules,
        "status": result.status,
        "message": result.message,
        "statistics": result.statistics,
        "assignment": result.assignment,
        "supplemental": result.supplemental,
        "programs": programs,
    }
    if result.order:
        document["order"] = list(result.order)
    if instance_reference is not None:
        document["instance"] = instance_reference
    return document


def from_dict(data: object) -> Result:
    """Build a :class:`Result` from its JSON document; raise ResultError when malformed."""
    if not isinstance(data, dict) or data.get("format") != RESULT_FORMAT:
        raise ResultError(f"result: field 'format': expected {RESULT_FORMAT!r}")
    for key in ("rules", "status", "assignment", "programs"):
        if key not in data:
            raise ResultError(f"result: field {key!r}: missing")
    if not isinstance(data["assignment"], dict) or not isinstance(data["programs"], dict):
        raise ResultError("result: fields 'assignment' and 'programs' must be objects")
    try:
        capacities = {key: int(value["capacity"]) for key, value in data["programs"].items()}
    except (KeyError, TypeError, ValueError):
        raise ResultError("result: field 'programs': each needs an integer 'capacity'") from None
    return Result(
        rules=data["rules"],
        status=data["status"],
        assignment=data["assignment"],
        capacities=capacities,
        supplemental=data.get("supplemental") or {},
        order=tuple(data.get("order") or ()),
        message=data.get("message", ""),
        statistics=data.get("statistics") or {},
    )


def load_document(path: str | os.PathLike) -> dict:
    """Read a result file's JSON document; raise ResultError when unreadable."""
    try:
        return json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise ResultError(f"result: {path} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ResultError(f"result: {path} is not valid JSON: {error}") from None


def dump(document: dict, path: str | os.PathLike) -> None:
    """Write a result document as compact JSON."""
    Path(path).write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
