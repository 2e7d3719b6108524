"""Pinned outputs, bit for bit: every number and sentence of a ranking does not change.

A larger, benchmark-shaped catalog than ``test_regression``'s (40,000 programs: the sampled cut
of ``_best_of``, the sparse and compare paths of ``weigh_columns`` and the exploring student's
pool of 2,000 all run) and 48 random goals plus the benchmark's two profiles. Each snapshot pins
the kept and flagged counts, the first 50 ids, the top 50's totals and ranges as exact floats,
and digests of every program's total, range, known weight, exclusion and flag, of the whole
list order and of every field of the top 50's explanations and of a few others.

The expected values (``equivalence_expected.json``) were written *before* the speed work of
issue 11 with ``uv run python -m tests.fit.test_equivalence``; a speed change must leave every
bit as it was. Regenerate only for an intended change of the scoring rules, and say so in the
commit. (float32 trigonometry can differ in the last bit between CPUs; the values are those of
the x86-64 machines the project runs on.)

The last bit of float32 trigonometry and of the BLAS mat-vec depends on the SIMD code NumPy
dispatches to: the pinned ``arrays`` digests (every program's total, range, known weight,
exclusion and flag) were written on an AVX-512 machine. A machine whose NumPy dispatches no
further than X86_V3 (AVX2; the AMD EPYC of 2026-12-03) gives the same ids, totals, explanations
and order but other last bits in some programs' arrays: its digests, written there with the
fit code of 05bc9d9 (unchanged since), are in ``equivalence_expected_x86_v3.json``
(``python -m tests.fit.test_equivalence --x86-v3``). Every other pinned value is the same on both.
"""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from medmatch.fit import (
    Area,
    Countries,
    Goals,
    Hours,
    Languages,
    Length,
    Location,
    Objective,
    Place,
    Regions,
    Rent,
    Residency,
    Setting,
    Specialties,
    SpecialtyInterest,
    Stipend,
    Teaching,
    Trauma,
    Visa,
    build_features,
    rank,
)
from medmatch.fit.features import KINDS, PROGRAM_TYPES
from tests.fit.test_regression import random_goals

EXPECTED = Path(__file__).with_name("equivalence_expected.json")
EXPECTED_X86_V3 = Path(__file__).with_name("equivalence_expected_x86_v3.json")
PROGRAMS = 40_000
SPECIALTIES = [f"s{code}" for code in range(46)]  # test_regression's s0..s11 among them
STATES = ["MA", "NY", "CA", "TX", "PA", "IL", "OH", "MI", "FL", "NC", "GA", "WA", "MN", "MO"]


def catalog(seed: int = 5):
    """A catalog with the benchmark's mix of sources and unknowns (benchmarks/fit_rank.py),
    drawn column by column (deterministic)."""
    rng = np.random.default_rng(seed)
    n = PROGRAMS
    source = rng.choice(3, size=n, p=[0.85, 0.10, 0.05])  # NRMP, CaRMS, international
    institutions = n // 8
    inst = rng.integers(0, institutions, size=n)
    published = np.where(source < 2, 0.03, 0.5)

    def known(p):
        return rng.random(n) < p

    def draw(choices):
        return rng.choice(choices, size=n)

    inst_lat = rng.uniform(25, 49, size=institutions)
    inst_lon = rng.uniform(-124, -67, size=institutions)
    inst_kind = rng.choice(len(KINDS), size=institutions)
    inst_departments = rng.random(institutions) < 0.2
    inst_ruca = rng.choice([1, 1, 1, 1, 2, 3, 4, 5, 7, 10], size=institutions)
    inst_rent = rng.integers(700, 3200, size=institutions)
    inst_per_bed = rng.uniform(0, 1.2, size=institutions)
    inst_fte = rng.gamma(2, 60, size=institutions)
    inst_teaching = rng.random(institutions)
    inst_h1b = rng.random(institutions)
    inst_trauma = rng.integers(1, 6, size=institutions)
    columns = {
        "specialty": (draw(SPECIALTIES), (source < 2) | known(0.95)),
        "program_type": (
            np.where(source < 2, "residency", draw(PROGRAM_TYPES[1:])),
            np.ones(n, dtype=bool),
        ),
        "institution_kind": (np.array(KINDS)[inst_kind[inst]], (source == 0) | known(0.7)),
        "is_teaching": (rng.random(n) < 0.7, known(0.6)),
        "resident_fte": (rng.gamma(2, 60, size=n), known(0.5)),
        "country": (np.where(source == 0, "US", np.where(source == 1, "CA", "FR")), known(1)),
        "region": (draw(STATES), known(0.97)),
        "weekly_hours": (rng.integers(40, 81, size=n).astype(float), known(published)),
        "stipend": (rng.integers(0, 80_000, size=n).astype(float), known(published)),
        "length_months": (draw([1.0, 2, 3, 12, 36, 48, 60]), known(published)),
        "cost": (rng.integers(0, 9_000, size=n).astype(float), known(published)),
        "language": (draw(["en", "fr", "de"]), known(np.where(source < 2, 0.05, 0.7))),
        "visa_sponsorship": (draw(["none", "j1", "h1b", "j1_h1b"]), known(0.15)),
        "emphasis": (draw(["teaching", "balanced", "service"]), known(0.1)),
        "has_mentorship": (rng.random(n) < 0.8, known(0.1)),
        "has_research": (rng.random(n) < 0.6, known(0.1)),
        "ruca": (inst_ruca[inst].astype(float), (source == 0) & known(0.88)),
        "rent": (inst_rent[inst].astype(float), (source == 0) & known(0.88)),
        "residents_per_bed": (inst_per_bed[inst], (source == 0) & (inst_teaching[inst] < 0.55)),
        "fte_first": (inst_fte[inst], (source == 0) & (inst_teaching[inst] < 0.45)),
        "fte_last": (inst_fte[inst] * (0.8 + 0.4 * inst_teaching[inst]), known(1)),
        "h1b_filings": (np.where(inst_h1b[inst] < 0.08, inst % 40, 0.0), inst_h1b[inst] < 0.6),
        "trauma_level": (inst_trauma[inst].astype(float), known(0.2)),
    }
    affiliations = rng.choice(SPECIALTIES, size=(n, 2))
    has_affiliations = known(0.05)
    departments = rng.choice(SPECIALTIES, size=(n, 4))
    strengths = rng.choice([0.5, 0.7, 1.0], size=(n, 4))
    coordinates = known(0.9)
    latitude = np.clip(inst_lat[inst] + rng.normal(0, 0.05, size=n), -90, 90)
    longitude = inst_lon[inst] + rng.normal(0, 0.05, size=n)
    rows = []
    for i in range(n):
        row = {"id": i, "institution_id": int(inst[i])}
        for key, (values, present) in columns.items():
            if present[i]:
                value = values[i]
                row[key] = value.item() if isinstance(value, np.generic) else value
        if "fte_first" not in row:
            row.pop("fte_last")
        if has_affiliations[i]:
            row["residency_affiliations"] = [str(k) for k in affiliations[i]]
        if inst_departments[inst[i]]:
            row["departments"] = dict(
                zip(departments[i].tolist(), strengths[i].tolist(), strict=True)
            )
        if "ruca" in row:
            row.update(place_label=f"ZIP {10000 + int(inst[i]):05d}", rent_label="Some County")
        if "residents_per_bed" in row:
            row["teaching_label"] = "Some Hospital, 2017-2021"
        if "h1b_filings" in row:
            row["h1b_label"] = "Some Employer, FY2025 Q2"
        if coordinates[i]:
            row.update(latitude=float(latitude[i]), longitude=float(longitude[i]))
        rows.append(row)
    return build_features(rows, {k: f"Specialty {k}" for k in SPECIALTIES})


def benchmark_goals(exploring: bool) -> Goals:
    """benchmarks/fit_rank.py's profile: every question answered."""
    if exploring:
        specialties = Specialties(exploring=True, weight=3)
        objective = Objective("exploring", weight=3)
    else:
        interests = (SpecialtyInterest("s4", 5), SpecialtyInterest("s20", 3))
        specialties = Specialties(interests=interests, weight=5)
        objective = Objective("clinical", weight=3)
    boston = Place(42.3601, -71.0589, 300, "Boston, MA")
    chicago = Place(41.8781, -87.6298, 200, "Chicago, IL")
    return Goals(
        objective=objective,
        specialties=specialties,
        setting=Setting("academic", weight=2),
        location=Location(places=(boston, chicago), weight=4),
        regions=Regions(("US-MA", "US-NY", "US-IL"), weight=2),
        countries=Countries(("US", "CA"), dealbreaker=True, weight=1),
        length=Length(min_months=12, max_months=48, weight=1),
        hours=Hours(pace="steady", max_weekly_hours=70, weight=3, dealbreaker=True),
        stipend=Stipend(min_amount=50_000, weight=2),
        languages=Languages(("en",), weight=2),
        visa=Visa("j1_or_h1b", weight=4, dealbreaker=True),
        residency=Residency(affiliation=True, weight=3),
        area=Area("city", weight=1),
        rent=Rent(max_monthly=2000, weight=2),
        teaching=Teaching("high", weight=2),
        trauma=Trauma(level=2, weight=1),
    )


CASES = ("decided", "exploring", *(str(seed) for seed in range(100, 148)))


def goals_of(case: str) -> Goals:
    if case in ("decided", "exploring"):
        return benchmark_goals(case == "exploring")
    return random_goals(int(case))


def _digest(*values) -> str:
    digest = hashlib.sha256()
    for value in values:
        digest.update(value.tobytes() if isinstance(value, np.ndarray) else repr(value).encode())
    return digest.hexdigest()


def snapshot(goals: Goals, features) -> dict:
    ranking = rank(goals, features)
    top = ranking.top(50)  # first, as the site and the benchmark call it
    others = [features.ids[i] for i in (0, 1, 7, 123, 4567, 31_000)]
    excluded = np.flatnonzero(ranking.excluded)[:3]
    others += [features.ids[i] for i in excluded]
    explained = [ranking.explain(pid) for pid in others]
    return {
        "kept": ranking.kept,
        "flagged": int(ranking.check.sum()),
        "ids": ranking.ids(0, 50),
        "totals": [e.total for e in top],
        "lows": [e.low for e in top],
        "highs": [e.high for e in top],
        "explanations": _digest(top),
        "others": _digest(explained),
        "arrays": _digest(
            ranking.total,
            ranking.low,
            ranking.high,
            ranking.known_weight,
            ranking.excluded,
            ranking.check,
        ),
        "order": _digest(np.asarray(ranking.order(), dtype=np.int64)),
    }


@pytest.fixture(scope="module")
def features():
    return catalog()


def simd_level() -> str:
    """The highest x86 SIMD level NumPy dispatches to here ("X86_V4" with AVX-512, "X86_V3" with
    AVX2 only), or "" elsewhere."""
    from numpy._core._multiarray_umath import __cpu_features__ as features

    for level in ("X86_V4", "X86_V3"):
        if features.get(level):
            return level
    return ""


@pytest.fixture(scope="module")
def expected():
    expected = json.loads(EXPECTED.read_text())
    if simd_level() == "X86_V3":
        for case, arrays in json.loads(EXPECTED_X86_V3.read_text()).items():
            expected[case]["arrays"] = arrays
    return expected


@pytest.mark.parametrize("case", CASES)
def test_it_ranks_explains_and_scores_every_program_as_before(features, expected, case):
    got = snapshot(goals_of(case), features)
    want = expected[case]
    # The readable parts first, so a failure says where it starts.
    assert (got["kept"], got["flagged"]) == (want["kept"], want["flagged"])
    assert got["ids"] == want["ids"]
    assert (got["totals"], got["lows"], got["highs"]) == (
        want["totals"],
        want["lows"],
        want["highs"],
    )
    assert got["explanations"] == want["explanations"]
    assert got["others"] == want["others"]
    assert got["arrays"] == want["arrays"]
    assert got["order"] == want["order"]


if __name__ == "__main__":
    import sys

    f = catalog()
    if sys.argv[1:] == ["--x86-v3"]:
        assert simd_level() == "X86_V3", "write these digests on an AVX2-only machine"
        arrays = {case: snapshot(goals_of(case), f)["arrays"] for case in CASES}
        EXPECTED_X86_V3.write_text(json.dumps(arrays, indent=1) + "\n")
        sys.exit()
    lines = [f"{json.dumps(case)}: {json.dumps(snapshot(goals_of(case), f))}" for case in CASES]
    EXPECTED.write_text("{\n" + ",\n".join(lines) + "\n}\n")
