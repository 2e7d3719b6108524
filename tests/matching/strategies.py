"""Hypothesis strategies and a brute-force enumerator of stable matchings, for the tests."""

from __future__ import annotations

from itertools import product

from hypothesis import strategies as st

from medmatch.matching.checker import check
from medmatch.matching.instance import Applicant, Couple, Instance, Program, Region, validate
from medmatch.matching.result import STABLE, Result


@st.composite
def instances(
    draw,
    max_applicants: int = 5,
    max_programs: int = 4,
    max_capacity: int = 2,
    max_couples: int = 0,
    tracks: bool = False,
    regions: bool = False,
) -> Instance:
    """A small random valid instance. Program lists rank a random subset of everyone."""
    n = draw(st.integers(1, max_applicants))
    m = draw(st.integers(1, max_programs))
    c = draw(st.integers(0, max_couples))
    program_ids = [f"P{j}" for j in range(m)]
    single_ids = [f"A{i}" for i in range(n)]
    couple_members = [(f"C{k}a", f"C{k}b") for k in range(c)]
    people = single_ids + [member for pair in couple_members for member in pair]
    track = {
        p: (
            draw(st.sampled_from(["categorical", "advanced", "preliminary"]))
            if tracks
            else "categorical"
        )
        for p in program_ids
    }
    preliminary = [p for p in program_ids if track[p] == "preliminary"]

    def some(items: list):
        chosen = draw(st.permutations(items))
        return tuple(chosen[: draw(st.integers(0, len(items)))])

    applicants = []
    for a in single_ids:
        supplemental = some(preliminary) if tracks and preliminary else ()
        applicants.append(Applicant(a, some(program_ids), supplemental))
    region_ids = ["R0", "R1"] if regions else []
    programs = tuple(
        Program(
            p,
            draw(st.integers(0, max_capacity)),
            some(people),
            region=draw(st.sampled_from(region_ids)) if regions else None,
            track=track[p],
        )
        for p in program_ids
    )
    couples = []
    sides = [*program_ids, None]
    all_rows = [row for row in product(sides, sides) if row != (None, None)]
    for k, members in enumerate(couple_members):
        rows = draw(st.permutations(all_rows))
        couples.append(Couple(f"C{k}", members, tuple(rows[: draw(st.integers(0, 6))])))
    region_records = tuple(Region(r, draw(st.integers(0, 3 * max_capacity))) for r in region_ids)
    return validate(Instance(tuple(applicants), programs, tuple(couples), region_records))


def all_stable_matchings(instance: Instance, rules: str = "nrmp") -> list[dict[str, str | None]]:
    """Every stable matching of a small instance without couples, by enumeration + the checker."""
    capacities = {p.id: p.capacity for p in instance.programs}
    options = [[None, *a.ranking] for a in instance.applicants]
    found = []
    for choice in product(*options):
        counts: dict[str, int] = {}
        for program in choice:
            if program is not None:
                counts[program] = counts.get(program, 0) + 1
        if any(counts[p] > capacities[p] for p in counts):
            continue
        assignment = {a.id: p for a, p in zip(instance.applicants, choice, strict=True)}
        result = Result(rules, STABLE, assignment, capacities)
        if check(instance, result).ok:
            found.append(assignment)
    return found


def rank(applicant: Applicant, program: str | None) -> float:
    """Position of ``program`` on the applicant's true list; unmatched after all; unlisted worst."""
    if program is None:
        return len(applicant.ranking)
    if program not in applicant.ranking:
        return float("inf")
    return applicant.ranking.index(program)
