"""Pinned rankings: the top 50 of fixed synthetic catalogs for fixed goals do not change.

The expected values (``regression_expected.json``) were written by this module *before* the
engine's speed work, with ``uv run python -m tests.fit.test_regression``; a speed change must
leave every id, total, range and sentence as it was. Regenerate only for an intended change of the
scoring rules, and say so in the commit.
"""

import dataclasses
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from medmatch.fit import (
    Area,
    Cost,
    Countries,
    Goals,
    Hours,
    International,
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
from medmatch.fit.criteria import build_columns
from medmatch.fit.engine import score_columns
from medmatch.fit.features import KINDS, PROGRAM_TYPES

EXPECTED = Path(__file__).with_name("regression_expected.json")
SPECIALTIES = [f"s{code}" for code in range(12)]
PROGRAMS = 3000


def catalog(seed: int = 11):
    """A synthetic catalog with many unknowns, ties and duplicates (deterministic)."""
    rng = np.random.default_rng(seed)
    institutions = PROGRAMS // 6
    inst_lat = rng.uniform(25, 49, size=institutions)
    inst_lon = rng.uniform(-124, -67, size=institutions)
    inst_kind = rng.choice(len(KINDS), size=institutions)
    rows = []
    for i in range(PROGRAMS):
        inst = int(rng.integers(0, institutions))

        def maybe(p, value):
            return value if rng.random() < p else None

        row = {
            "id": f"p{i}",
            "specialty": maybe(0.9, str(rng.choice(SPECIALTIES))),
            "program_type": str(rng.choice(PROGRAM_TYPES)),
            "institution_id": maybe(0.95, inst),
            "institution_kind": maybe(0.7, KINDS[inst_kind[inst]]),
            "is_teaching": maybe(0.5, bool(rng.random() < 0.6)),
            "resident_fte": maybe(0.3, float(rng.gamma(2, 60))),
            "country": maybe(0.95, str(rng.choice(["US", "US", "US", "CA", "FR"]))),
            "region": maybe(0.8, str(rng.choice(["MA", "NY", "IL", "ON", "CA"]))),
            "weekly_hours": maybe(0.4, float(rng.integers(30, 90))),
            "stipend": maybe(0.4, float(rng.integers(0, 80_000))),
            "length_months": maybe(0.4, float(rng.choice([1, 3, 12, 36, 60]))),
            "cost": maybe(0.3, float(rng.choice([0, 500, 3000, 9000]))),
            "language": maybe(0.4, str(rng.choice(["en", "fr", "de"]))),
            "visa_sponsorship": maybe(0.4, str(rng.choice(["none", "j1", "h1b", "j1_h1b"]))),
            "emphasis": maybe(0.3, str(rng.choice(["teaching", "balanced", "service"]))),
            "has_mentorship": maybe(0.3, bool(rng.random() < 0.7)),
            "has_research": maybe(0.3, bool(rng.random() < 0.6)),
            "residency_affiliations": maybe(0.3, list(rng.choice(SPECIALTIES, size=2))),
            "departments": maybe(
                0.3, {str(k): float(rng.choice([0.7, 1.0])) for k in rng.choice(SPECIALTIES, 3)}
            ),
        }
        # The place and hospital facts of issue 11 (appended: the draws above are unchanged).
        first = maybe(0.3, float(rng.gamma(2, 60)))
        row.update(
            ruca=maybe(0.8, float(rng.choice([1, 1, 2, 4, 7, 10]))),
            place_label=f"ZIP {10000 + inst:05d}",
            rent=maybe(0.8, float(rng.integers(600, 3200))),
            rent_label="Some County; HUD FY2026",
            residents_per_bed=maybe(0.3, float(rng.uniform(0, 1.2))),
            fte_first=first,
            fte_last=None if first is None else first * float(rng.uniform(0.7, 1.4)),
            teaching_label="Some Hospital, 2017-2021",
            h1b_filings=maybe(0.2, float(rng.integers(0, 40))),
            h1b_label="Some Employer, FY2025 Q2",
            trauma_level=maybe(0.2, float(rng.integers(1, 6))),
        )
        if rng.random() < 0.85:
            row["latitude"] = float(inst_lat[inst] + rng.normal(0, 0.05))
            row["longitude"] = float(inst_lon[inst] + rng.normal(0, 0.05))
        rows.append(row)
    return build_features(rows, {k: k.upper() for k in SPECIALTIES})


def random_goals(seed: int) -> Goals:
    """Goals with a random subset of questions answered, weights and deal-breakers."""
    rng = np.random.default_rng(seed)

    def weight():
        return float(rng.integers(0, 6))

    def dealbreaker():
        return bool(rng.random() < 0.2)

    def answered():
        return rng.random() < 0.7

    answers = {}
    exploring = rng.random() < 0.35
    if exploring:
        answers["specialties"] = Specialties(exploring=True, weight=weight())
    elif answered():
        picks = rng.choice(SPECIALTIES, size=int(rng.integers(1, 4)), replace=False)
        answers["specialties"] = Specialties(
            interests=tuple(SpecialtyInterest(str(k), float(rng.integers(1, 6))) for k in picks),
            weight=weight(),
            dealbreaker=dealbreaker(),
        )
    if answered():
        value = str(rng.choice(["clinical", "research", "mentorship", "exploring"]))
        answers["objective"] = Objective(value, weight=weight(), dealbreaker=dealbreaker())
    if answered():
        value = str(rng.choice(["academic", "community"]))
        answers["setting"] = Setting(value, weight=weight(), dealbreaker=dealbreaker())
    if answered():
        places = (Place(42.36, -71.06, 300, "Boston"), Place(41.88, -87.63, 150, "Chicago"))
        answers["location"] = Location(
            places=places[: int(rng.integers(1, 3))], weight=weight(), dealbreaker=dealbreaker()
        )
    if answered():
        answers["regions"] = Regions(("US-MA", "US-NY"), weight=weight(), dealbreaker=dealbreaker())
    if answered():
        answers["countries"] = Countries(("US",), weight=weight(), dealbreaker=dealbreaker())
    if answered():
        openness = str(rng.choice(["home", "open", "abroad"]))
        answers["international"] = International(
            home_country="US", openness=openness, weight=weight()
        )
    if answered():
        answers["length"] = Length(
            min_months=6, max_months=36, weight=weight(), dealbreaker=dealbreaker()
        )
    if answered():
        pace = str(rng.choice(["demanding", "steady", "either"]))
        cap = None if pace != "either" and rng.random() < 0.5 else 60.0
        answers["hours"] = Hours(
            pace=pace, max_weekly_hours=cap, weight=weight(), dealbreaker=dealbreaker()
        )
    if answered():
        answers["stipend"] = Stipend(min_amount=40_000, weight=weight(), dealbreaker=dealbreaker())
    if answered():
        budget = float(rng.choice([0, 2000]))
        answers["cost"] = Cost(max_amount=budget, weight=weight(), dealbreaker=dealbreaker())
    if answered():
        answers["languages"] = Languages(("en",), weight=weight(), dealbreaker=dealbreaker())
    if answered():
        answers["visa"] = Visa(
            str(rng.choice(["j1", "h1b", "j1_or_h1b"])), weight=weight(), dealbreaker=dealbreaker()
        )
    if answered():
        target = None if rng.random() < 0.5 else str(rng.choice(SPECIALTIES))
        answers["residency"] = Residency(
            specialty=target, weight=weight(), dealbreaker=dealbreaker()
        )
    if answered():
        value = str(rng.choice(["city", "town", "rural"]))
        answers["area"] = Area(value, weight=weight(), dealbreaker=dealbreaker())
    if answered():
        answers["rent"] = Rent(max_monthly=1500, weight=weight(), dealbreaker=dealbreaker())
    if answered():
        value = str(rng.choice(["high", "low"]))
        answers["teaching"] = Teaching(value, weight=weight(), dealbreaker=dealbreaker())
    if answered():
        level = int(rng.integers(1, 5))
        answers["trauma"] = Trauma(level=level, weight=weight(), dealbreaker=dealbreaker())
    return Goals(**answers)


SEEDS = tuple(range(24))


def snapshot(goals: Goals, features) -> dict:
    """The top 50 (ids, total, range) plus a digest of every sentence shown and one explained."""
    ranking = rank(goals, features)
    top = ranking.top(50)
    text = [[e.program_id, e.rank, *e.checks, *(c.sentence for c in e.contributions)] for e in top]
    excluded = [pid for pid in features.ids[:400] if ranking.explain(pid).excluded]
    for pid in (excluded[:1] or []) + ["p7", "p1234"]:
        e = ranking.explain(pid)
        text.append(
            [pid, e.rank, round(e.total, 3), *e.excluded_by, *(c.sentence for c in e.contributions)]
        )
    return {
        "kept": ranking.kept,
        "ids": [e.program_id for e in top],
        "totals": [round(e.total, 3) for e in top],
        "lows": [round(e.low, 3) for e in top],
        "highs": [round(e.high, 3) for e in top],
        "page": ranking.ids(50, 100),
        "sentences": hashlib.sha256(json.dumps(text, default=str).encode()).hexdigest(),
    }


@pytest.fixture(scope="module")
def features():
    return catalog()


@pytest.mark.parametrize("seed", SEEDS)
def test_it_ranks_and_explains_as_before(features, seed):
    expected = json.loads(EXPECTED.read_text())[str(seed)]
    got = snapshot(random_goals(seed), features)
    assert got["kept"] == expected["kept"]
    assert got["ids"] == expected["ids"]
    assert got["totals"] == pytest.approx(expected["totals"], abs=2e-3)
    assert got["lows"] == pytest.approx(expected["lows"], abs=2e-3)
    assert got["highs"] == pytest.approx(expected["highs"], abs=2e-3)
    assert got["page"] == expected["page"]
    assert got["sentences"] == expected["sentences"]


@pytest.mark.parametrize("seed", SEEDS)
def test_it_names_the_fact_that_is_unknown_exactly_where_a_score_is(features, seed):
    # The engine sums unknown weights per pattern of the named facts; that is only right if
    # each column's NaNs are exactly its fact's unknown mask.
    masks = features.unknown_masks()
    for column in build_columns(features, random_goals(seed)):
        if column.unknown is not None:
            assert np.array_equal(np.isnan(column.score), masks[column.unknown]), column.key


@pytest.mark.parametrize("seed", SEEDS)
def test_it_scores_lookup_columns_as_their_gathered_scores(features, seed):
    # Lookup columns add a pre-weighted table in one gather and never build their score; the
    # totals must be bit for bit those of the same columns with the scores built.
    columns = build_columns(features, random_goals(seed))
    built = tuple(dataclasses.replace(c, values=c.score, table=None, codes=None) for c in columns)
    patterns = features.unknown_patterns()
    n = len(features)
    for lookup, plain in zip(
        score_columns(columns, n, patterns), score_columns(built, n, None), strict=True
    ):
        assert np.array_equal(lookup, plain)


if __name__ == "__main__":
    f = catalog()
    EXPECTED.write_text(
        json.dumps({str(seed): snapshot(random_goals(seed), f) for seed in SEEDS}, indent=1) + "\n"
    )
