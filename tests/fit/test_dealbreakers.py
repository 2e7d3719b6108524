"""Deal-breakers: a known failure filters the program out, an unknown one flags "check this"."""

from medmatch.fit import Hours, Location, Visa, build_features, rank
from tests.fit.factories import BOSTON, make_goals, make_row


def goals_with_dealbreakers():
    return make_goals(
        hours=Hours(max_weekly_hours=60, weight=2, dealbreaker=True),
        visa=Visa("j1", weight=0, dealbreaker=True),
    )


def features():
    return build_features(
        [
            make_row("fits", specialty="cardio", weekly_hours=50, visa_sponsorship="j1_h1b"),
            make_row("too-long", specialty="cardio", weekly_hours=80, visa_sponsorship="j1"),
            make_row("no-visa", specialty="cardio", weekly_hours=50, visa_sponsorship="none"),
            make_row("unknown-hours", specialty="cardio", visa_sponsorship="j1"),
            make_row("unknown-both", specialty="surg"),
        ]
    )


def test_it_removes_programs_that_fail_a_known_dealbreaker():
    ranking = rank(goals_with_dealbreakers(), features())
    assert set(ranking.ids()) == {"fits", "unknown-hours", "unknown-both"}
    assert ranking.kept == 3


def test_it_keeps_and_flags_programs_where_a_dealbreaker_is_unknown():
    ranking = rank(goals_with_dealbreakers(), features())
    explanations = {e.program_id: e for e in ranking.top(10)}
    assert explanations["fits"].checks == ()
    # No program here has departments recorded: that criterion is left out of the weights.
    assert explanations["unknown-hours"].checks == (
        "Weekly hours unknown: check this (deal-breaker; range widened by 17)",
    )
    assert len(explanations["unknown-both"].checks) == 2
    assert "Visa sponsorship unknown: check this (deal-breaker)" in (
        explanations["unknown-both"].checks
    )


def test_it_explains_why_a_filtered_program_was_excluded():
    ranking = rank(goals_with_dealbreakers(), features())
    too_long = ranking.explain("too-long")
    assert too_long.excluded and too_long.rank is None
    assert too_long.excluded_by == ("Deal-breaker: Weekly hours 80 (wish: at most 60)",)
    assert ranking.explain("no-visa").excluded_by == ("Deal-breaker: No J-1 sponsorship",)
    assert ranking.explain("fits").excluded_by == ()
    assert ranking.explain("fits").rank == 1


def test_it_filters_by_distance_only_when_the_location_is_known():
    goals = make_goals(location=Location(places=(BOSTON,), weight=3, dealbreaker=True))
    ranking = rank(
        goals,
        build_features(
            [
                make_row("near", latitude=42.4, longitude=-71.1),
                make_row("far", latitude=41.88, longitude=-87.63),
                make_row("nowhere"),
            ]
        ),
    )
    assert ranking.ids() == ["near", "nowhere"]
    assert ranking.explain("far").excluded_by[0].startswith("Deal-breaker: 1,36")
    assert ranking.explain("nowhere").checks[0].startswith("Location unknown: check this")
