"""The total and its range: properties checked against an independent brute-force scorer."""

import math

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from medmatch.fit import Hours, Languages, Length, Stipend, Visa, build_features, rank
from medmatch.fit.criteria import Column
from medmatch.fit.engine import score_columns
from tests.fit.factories import make_goals, make_row

EPS = 1e-5
score_values = st.one_of(st.none(), st.floats(0, 1), st.sampled_from([0.0, 1.0]))


def columns_from(weights, table):
    """Columns from a weight list and a criteria x programs table of scores (None = unknown)."""
    return tuple(
        Column(
            f"c{c}", f"C{c}", w, False,
            np.array([math.nan if s is None else s for s in row], dtype=np.float32),
            None, lambda i: "",
        )
        for c, (w, row) in enumerate(zip(weights, table, strict=True))
    )  # fmt: skip


def brute_force(weights, scores):
    """Weighted mean over every criterion of one program, every score known."""
    total_weight = sum(w for w in weights if w > 0)
    if total_weight == 0:
        return 0.5
    return sum(w * s for w, s in zip(weights, scores, strict=True) if w > 0) / total_weight


@st.composite
def tables(draw, max_programs=6):
    criteria = draw(st.integers(1, 6))
    programs = draw(st.integers(1, max_programs))
    weights = draw(st.lists(st.integers(0, 5).map(float), min_size=criteria, max_size=criteria))
    table = [
        draw(st.lists(score_values, min_size=programs, max_size=programs)) for _ in range(criteria)
    ]
    return weights, table


@given(tables(), st.data())
def test_it_keeps_every_completion_inside_the_range(weights_table, data):
    weights, table = weights_table
    total, low, high, _, _ = score_columns(columns_from(weights, table), len(table[0]))
    for i in range(len(table[0])):
        scores = [row[i] for row in table]
        unknown = [c for c, s in enumerate(scores) if s is None]
        assert low[i] - EPS <= total[i] <= high[i] + EPS
        # The two extreme completions are the ends of the range ...
        lowest = brute_force(weights, [0.0 if s is None else s for s in scores])
        highest = brute_force(weights, [1.0 if s is None else s for s in scores])
        if any(w > 0 for w in weights):
            assert abs(lowest - low[i]) < EPS and abs(highest - high[i]) < EPS
        # ... and any other completion lies between them.
        fill = data.draw(st.lists(st.floats(0, 1), min_size=len(unknown), max_size=len(unknown)))
        completed = list(scores)
        for c, value in zip(unknown, fill, strict=True):
            completed[c] = value
        assert low[i] - EPS <= brute_force(weights, completed) <= high[i] + EPS
        if not unknown:
            assert abs(total[i] - brute_force(weights, scores)) < EPS


@given(tables(max_programs=2), st.integers(0, 5), st.floats(0.1, 5))
def test_it_is_monotone_in_weights(weights_table, criterion, raise_by):
    weights, table = weights_table
    criterion %= len(weights)
    assume(weights[criterion] + raise_by <= 5)
    table = [list(row) + [None] * (2 - len(row)) for row in table]
    table[criterion] = [1.0, 0.0]  # program 0 scores 1 on it, program 1 scores 0
    raised = list(weights)
    raised[criterion] += raise_by
    before, *_ = score_columns(columns_from(weights, table), 2)
    after, *_ = score_columns(columns_from(raised, table), 2)
    assert after[0] - after[1] >= before[0] - before[1] - EPS
    assert after[0] >= before[0] - EPS and after[1] <= before[1] + EPS


def test_it_scores_neutral_when_nothing_is_known():
    total, low, high, known_weight, _ = score_columns(columns_from([3.0], [[None]]), 1)
    assert (total[0], low[0], high[0], known_weight[0]) == (0.5, 0.0, 1.0, 0.0)


# End to end: complete a program's unknown facts in every way and rank again.
facts = {
    "weekly_hours": st.integers(20, 100),
    "length_months": st.integers(1, 72),
    "stipend": st.integers(0, 90_000),
    "language": st.sampled_from(["en", "fr"]),
    "visa_sponsorship": st.sampled_from(["none", "j1", "h1b", "j1_h1b"]),
    "latitude": st.floats(-60, 70),
}


@settings(max_examples=60, deadline=None)
@given(
    known=st.fixed_dictionaries({}, optional=facts),
    completion=st.fixed_dictionaries(facts),
    weights=st.lists(st.integers(0, 5).map(float), min_size=5, max_size=5),
)
def test_it_keeps_completed_programs_inside_the_range_end_to_end(known, completion, weights):
    def row(values):
        values = dict(values)
        if "latitude" in values:
            values["longitude"] = -71.0
        return make_row("p", specialty="cardio", institution_kind="teaching", **values)

    goals = make_goals(
        hours=Hours(pace="steady", max_weekly_hours=60, weight=weights[0]),
        length=Length(min_months=6, max_months=24, weight=weights[1]),
        stipend=Stipend(min_amount=50_000, weight=weights[2]),
        languages=Languages(("en",), weight=weights[3]),
        visa=Visa("j1", weight=weights[4]),
    )
    partial = rank(goals, build_features([row(known)])).explain("p")
    full = rank(goals, build_features([row({**completion, **known})])).explain("p")
    assert partial.low - 1e-3 <= full.total <= partial.high + 1e-3
    assert partial.low - 1e-3 <= partial.total <= partial.high + 1e-3


def test_it_raises_a_program_that_meets_a_criterion_when_its_weight_rises():
    rows = [make_row("short", weekly_hours=40), make_row("long", weekly_hours=90)]
    features = build_features(rows)
    gaps = []
    for weight in (0.5, 1, 2, 3, 4, 5):
        ranking = rank(make_goals(hours=Hours(max_weekly_hours=60, weight=weight)), features)
        gaps.append(ranking.explain("short").total - ranking.explain("long").total)
    assert gaps == sorted(gaps) and gaps[0] > 0


def test_it_leaves_departments_out_when_no_program_has_them():
    from medmatch.fit import Specialties, SpecialtyInterest

    goals = make_goals(specialties=Specialties(interests=(SpecialtyInterest("cardio", 5),)))
    without = rank(goals, build_features([make_row("a", specialty="cardio")]))
    assert "department" not in {c.criterion for c in without.explain("a").contributions}
    rows = [make_row("a", specialty="cardio"), make_row("b", departments={"cardio": 1.0})]
    with_some = rank(goals, build_features(rows)).explain("a")
    unknown = {c.criterion for c in with_some.contributions if c.status == "unknown"}
    assert "department" in unknown
