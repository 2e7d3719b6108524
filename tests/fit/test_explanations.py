"""Explanations: signed points per criterion, as sentences, adding up to the total."""

import copy

import numpy as np
import pytest

from medmatch.fit import Hours, Location, Place, Residency, Setting, build_features, rank
from medmatch.lib.geo import haversine_km
from tests.fit.factories import BOSTON, NAMES, make_goals, make_row


def test_it_says_the_specialty_matches_with_its_points():
    goals = make_goals(location=None, setting=Setting("academic", weight=2))
    # Another program has departments recorded, so they are a criterion (unknown for "p").
    features = build_features(
        [
            make_row("p", specialty="cardio", institution_kind="academic"),
            make_row("elsewhere", departments={"surg": 1.0}),
        ],
        NAMES,
    )
    explanation = rank(goals, features).explain("p")
    assert [c.sentence for c in explanation.contributions] == [
        "Cardiology is this program's specialty: +36",
        "Academic medical center (you want academic): +14",
        "Departments unknown: ask (range widened by 36)",
        "Weekly hours unknown: ask (range widened by 14)",
    ]
    assert explanation.total == pytest.approx(100)
    assert (explanation.low, explanation.high) == (pytest.approx(50), pytest.approx(100))


def test_it_makes_points_add_up_to_the_total():
    goals = make_goals(residency=Residency(weight=4))
    features = build_features(
        [
            make_row(
                "p", specialty="im", institution_kind="community", weekly_hours=70,
                latitude=40.71, longitude=-74.0, departments={"cardio": 0.5},
                residency_affiliations=["surg"],
            )
        ],
        NAMES,
    )  # fmt: skip
    explanation = rank(goals, features).explain("p")
    points = sum(c.points for c in explanation.contributions)
    assert explanation.total == pytest.approx(50 + points)
    sentences = [c.sentence for c in explanation.contributions]
    assert sentences[:2] == [
        "Internal Medicine is not among your specialties: \u221212",
        "No residency affiliation in Cardiology listed: \u221210",
    ]
    assert "Cardiology department listed (strength 0.5): \u00b10" in sentences


def test_it_gives_the_distance_from_the_best_place():
    chicago = (41.8781, -87.6298)
    goals = make_goals(
        specialties=None,
        hours=None,
        setting=None,
        location=Location(places=(BOSTON, Place(40.7128, -74.006, 100, "New York, NY"))),
    )
    features = build_features([make_row("p", latitude=chicago[0], longitude=chicago[1])])
    (contribution,) = rank(goals, features).explain("p").contributions
    km = haversine_km(BOSTON.latitude, BOSTON.longitude, *chicago)
    assert contribution.sentence == f"{km:,.0f} km from Boston, MA (wish: within 300 km): \u221250"


def test_it_says_to_ask_when_the_fact_is_unknown():
    goals = make_goals(hours=Hours(pace="steady", weight=5))
    rows = [make_row("p", specialty="cardio"), make_row("elsewhere", departments={"surg": 1.0})]
    explanation = rank(goals, build_features(rows)).explain("p")
    unknown = [c for c in explanation.contributions if c.status == "unknown"]
    assert [c.criterion for c in unknown] == ["department", "hours", "location", "setting"]
    assert unknown[1].sentence == "Weekly hours unknown: ask (range widened by 25)"
    assert unknown[0].points == 0 and unknown[0].score is None


def test_it_does_not_mutate_features_or_goals():
    goals = make_goals()
    features = build_features([make_row("a", specialty="cardio", weekly_hours=40), make_row("b")])
    before_goals = copy.deepcopy(goals)
    before = {name: getattr(features, name).copy() for name in ("weekly_hours", "specialty")}
    ranking = rank(goals, features)
    ranking.top(2)
    ranking.explain("b")
    assert goals == before_goals
    for name, values in before.items():
        assert np.array_equal(getattr(features, name), values, equal_nan=True)


def test_it_explains_many_programs_as_one_at_a_time():
    """A page's explanations at once: the same as each program's own, with its rank in the
    list (also beyond the eagerly ordered head), None for a filtered-out one; unknown ids are
    left out."""
    goals = make_goals(hours=Hours(max_weekly_hours=60, weight=2, dealbreaker=True))
    rows = [
        make_row(f"p{k}", specialty="cardio" if k % 3 else "im", weekly_hours=40 + 3 * k)
        for k in range(12)
    ]
    features = build_features(rows, NAMES)
    ids = ["p11", "p0", "missing", "p7", "p3"]  # p7, p11: over 60 hours, filtered out
    many = rank(goals, features, head=2).explain_many(ids)
    assert list(many) == ["p11", "p0", "p7", "p3"]
    one_by_one = rank(goals, features, head=2)
    for program_id, explanation in many.items():
        assert explanation == one_by_one.explain(program_id)
    assert many["p11"].rank is None and many["p7"].rank is None
    assert [many["p0"].rank, many["p3"].rank] == [
        one_by_one.ids().index(p) + 1 for p in ("p0", "p3")
    ]
