"""The criteria of issue 11: city/town/rural from RUCA, rent near the program, teaching intensity,
trauma level, and H-1B filings as visa evidence. Each scores what it should, says its scope in
its sentence, and leaves unknown facts unknown."""

import math

import numpy as np
import pytest

from medmatch.fit import (
    Area,
    FeatureError,
    Goals,
    Rent,
    Teaching,
    Trauma,
    Visa,
    build_features,
    rank,
)
from tests.fit.factories import make_row


def only(**answers):
    return Goals(**answers)


def scores(goals, rows):
    ranking = rank(goals, build_features(rows))
    (column,) = ranking.columns
    return column.score.tolist(), ranking


def test_area_scores_the_ruca_class_against_the_wish():
    rows = [make_row(code, ruca=code, place_label=f"ZIP {code}") for code in (1, 5, 7, 10)]
    rows.append(make_row("unknown"))
    city, ranking = scores(only(area=Area("city")), rows)
    assert city[:4] == pytest.approx([1.0, 0.5, 0.2, 0.0])
    assert math.isnan(city[4])
    rural, _ = scores(only(area=Area("rural")), rows)
    assert rural[:4] == pytest.approx([0.1, 0.6, 1.0, 1.0])
    sentence = ranking.explain(7).contributions[0].sentence
    assert sentence.startswith("Small rural town (RUCA 7, ZIP 7; USDA 2020) (you want a city)")


def test_area_as_a_dealbreaker_filters_known_misfits_only():
    rows = [make_row("city", ruca=1), make_row("remote", ruca=10), make_row("unknown")]
    ranking = rank(only(area=Area("city", dealbreaker=True)), build_features(rows))
    assert ranking.explain("remote").excluded
    assert not ranking.explain("unknown").excluded
    assert not ranking.explain("city").excluded


def test_cheaper_rent_scores_higher_and_above_budget_falls_to_zero():
    rows = [
        make_row("free", rent=0),
        make_row("half", rent=750),
        make_row("budget", rent=1500),
        make_row("over", rent=2250),
        make_row("double", rent=3000),
        make_row("unknown"),
    ]
    got, _ = scores(only(rent=Rent(max_monthly=1500)), rows)
    assert got[:5] == pytest.approx([1.0, 0.9, 0.8, 0.4, 0.0])
    assert math.isnan(got[5])


def test_rent_sentence_names_its_scope_and_the_share_of_a_known_stipend():
    rows = [make_row("p", rent=1140, rent_label="Adams County, IL; HUD FMR FY2026", stipend=68_400)]
    _, ranking = scores(only(rent=Rent(max_monthly=1500)), rows)
    sentence = ranking.explain("p").contributions[0].sentence
    assert sentence.startswith(
        "Rent near the program $1,140 a month for one bedroom (Adams County, IL; HUD FMR "
        "FY2026), 20% of the stipend (you can pay $1,500)"
    )


def test_rent_dealbreaker_is_rent_above_the_budget():
    rows = [make_row("ok", rent=1400), make_row("dear", rent=1600), make_row("unknown")]
    ranking = rank(only(rent=Rent(max_monthly=1500, dealbreaker=True)), build_features(rows))
    assert [ranking.explain(p).excluded for p in ("ok", "dear", "unknown")] == [
        False,
        True,
        False,
    ]


def test_teaching_intensity_blends_residents_per_bed_and_growth():
    rows = [
        make_row("major", residents_per_bed=0.6, fte_first=200, fte_last=240),
        make_row("flat", residents_per_bed=0.3, fte_first=100, fte_last=100),
        make_row("no-trend", residents_per_bed=0.3),
        make_row("shrinking", residents_per_bed=0.3, fte_first=100, fte_last=80),
        make_row("unknown"),
    ]
    high, ranking = scores(only(teaching=Teaching("high")), rows)
    assert high[:4] == pytest.approx([0.8 + 0.2 * 1.0, 0.4 + 0.1, 0.5, 0.4 + 0.0])
    assert math.isnan(high[4])
    low, _ = scores(only(teaching=Teaching("low")), rows)
    assert low[:3] == pytest.approx([0.0, 0.5, 0.5])
    sentence = ranking.explain("major").contributions[0].sentence
    assert "0.60 residents per bed; resident FTE 200 \u2192 240" in sentence


def test_a_keying_error_in_residents_per_bed_is_unknown_not_a_top_score():
    features = build_features([make_row("typo", residents_per_bed=1610.73 / 162)])
    assert math.isnan(features.residents_per_bed[0])


def test_bad_place_values_name_the_row_and_key():
    with pytest.raises(FeatureError, match="ruca"):
        build_features([make_row("p", ruca=12)])
    with pytest.raises(FeatureError, match="rent"):
        build_features([make_row("p", rent="cheap")])


def test_trauma_level_scores_by_steps_below_the_wish():
    rows = [make_row(level, trauma_level=level) for level in (1, 2, 3, 4)]
    rows.append(make_row("unknown"))
    got, ranking = scores(only(trauma=Trauma(level=2)), rows)
    assert got[:4] == pytest.approx([1.0, 1.0, 0.7, 0.4])
    assert math.isnan(got[4])
    dealbreaker = rank(only(trauma=Trauma(level=2, dealbreaker=True)), build_features(rows))
    assert [dealbreaker.explain(level).excluded for level in (1, 2, 3, 4)] == [
        False,
        False,
        True,
        True,
    ]
    assert not dealbreaker.explain("unknown").excluded
    assert (
        ranking.explain(3)
        .contributions[0]
        .sentence.startswith("Level III trauma centre (HIFLD) (you want Level II or higher)")
    )


def test_h1b_filings_are_evidence_for_an_h1b_need_and_nothing_for_j1():
    rows = [
        make_row("filed", h1b_filings=41, h1b_label="Rush University Medical Center, FY2025 Q2"),
        make_row("none-found", h1b_filings=0),
        make_row("own-answer", visa_sponsorship="j1", h1b_filings=12),
        make_row("unknown"),
    ]
    h1b, ranking = scores(only(visa=Visa("h1b")), rows)
    assert h1b[0] == 1.0
    assert math.isnan(h1b[1]) and math.isnan(h1b[3])  # none found is not "does not sponsor"
    assert h1b[2] == 0.0  # the program's own answer outranks employer evidence
    sentence = ranking.explain("filed").contributions[0].sentence
    assert sentence.startswith(
        "Its employer filed 41 H-1B applications for residents or fellows (Rush University "
        "Medical Center, FY2025 Q2; employer level, not the program's own answer)"
    )
    j1, _ = scores(only(visa=Visa("j1")), rows)
    assert math.isnan(j1[0]) and j1[2] == 1.0


def test_unknown_new_facts_widen_the_range_like_any_other():
    goals = only(area=Area("city", weight=2), rent=Rent(max_monthly=1500, weight=2))
    ranking = rank(goals, build_features([make_row("p", ruca=1), make_row("q")]))
    p = ranking.explain("p")
    assert p.total == pytest.approx(100.0)
    assert p.low == pytest.approx(50.0) and p.high == pytest.approx(100.0)
    assert [c.status for c in p.contributions] == ["known", "unknown"]


def test_the_new_facts_are_in_the_floor_matrix():
    features = build_features([make_row("p", ruca=1, rent=1000, trauma_level=1)])
    assert np.isfinite(features.matrix()).sum() > 0
    assert features.matrix().shape[0] == 27


def test_a_length_from_a_rule_says_so():
    from medmatch.fit import Length

    rows = [
        make_row("rule", length_months=36, length_rule="ACGME requirement"),
        make_row("own", length_months=36),
    ]
    ranking = rank(only(length=Length(min_months=12, max_months=36)), build_features(rows))
    assert (
        ranking.explain("rule")
        .contributions[0]
        .sentence.startswith("36 months, the ACGME requirement (wish: 12 to 36 months)")
    )
    assert ranking.explain("own").contributions[0].sentence.startswith("36 months (wish")


def test_a_state_far_away_bounds_an_unknown_position_to_a_known_zero():
    """Issue 11 walk: programs with no position in Florida outranked Boston ones for a student
    who wants to be within 250 km of Boston. The state's box gives a lower bound on the
    distance: beyond three radii the score is known to be 0; near, it stays unknown."""
    from medmatch.fit import Location, Place

    florida = (24.5, 31.0, -87.6, -80.0)
    rhode_island = (41.1, 42.0, -71.9, -71.1)
    rows = [
        make_row("fl", country="US", region="FL", region_box=florida),
        make_row("ri", country="US", region="RI", region_box=rhode_island),
        make_row("known", latitude=42.36, longitude=-71.06, region_box=florida),
    ]
    goals = only(location=Location(places=(Place(42.36, -71.06, 250, "Boston, MA"),)))
    got, ranking = scores(goals, rows)
    assert got[0] == 0.0
    assert math.isnan(got[1])  # Rhode Island may be within reach: unknown
    assert got[2] == pytest.approx(1.0)  # a known position ignores the box
    sentence = ranking.explain("fl").contributions[0].sentence
    assert sentence.startswith("In FL: at least ")
    assert "from Boston, MA (wish: within 250 km; its own position is unknown)" in sentence
    explained = ranking.explain("ri")
    assert [c.status for c in explained.contributions] == ["unknown"]
    dealbreaker = rank(
        only(location=Location(places=(Place(42.36, -71.06, 250, "Boston"),), dealbreaker=True)),
        build_features(rows),
    )
    assert dealbreaker.explain("fl").excluded and not dealbreaker.explain("ri").excluded


def test_the_box_bound_never_exceeds_the_true_distance():
    """The bound is below the distance to every ZIP centroid of the state (a sample)."""
    from medmatch.fit.criteria import _box_lower_bound_km
    from medmatch.lib.geo import haversine_km, state_bounds

    boxes = state_bounds()
    rows = [make_row(state, region_box=boxes[state]) for state in ("FL", "AK", "TX", "ME", "HI")]
    features = build_features(rows)
    cities = {"FL": (25.76, -80.19), "AK": (61.22, -149.9), "TX": (29.76, -95.37)}
    cities.update({"ME": (44.8, -68.78), "HI": (21.31, -157.86)})
    for lat, lon in ((42.36, -71.06), (47.61, -122.33), (25.76, -80.19)):
        bounds = _box_lower_bound_km(features, np.arange(5), lat, lon)
        for k, state in enumerate(("FL", "AK", "TX", "ME", "HI")):
            assert bounds[k] <= haversine_km(lat, lon, *cities[state]) + 1e-6
