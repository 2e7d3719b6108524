"""Exploring students get a diversified top (maximal marginal relevance); decided ones depth."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from medmatch.fit import (
    Objective,
    Specialties,
    SpecialtyInterest,
    build_features,
    mmr,
    rank,
)
from medmatch.fit.engine import MMR_LAMBDA, SETTING_SPLIT
from tests.fit.factories import make_goals, make_row


def catalog():
    """Ten near-identical academic cardiology programs, then a few others scoring a bit lower."""
    rows = [
        make_row(f"cardio-{i}", specialty="cardio", institution_kind="academic", specialty_count=12)
        for i in range(10)
    ]
    rows += [
        make_row("peds-community", specialty="peds", institution_kind="community",
                 specialty_count=9),
        make_row("surg-academic", specialty="surg", institution_kind="academic",
                 specialty_count=9),
        make_row("im-community", specialty="im", institution_kind="community", specialty_count=9),
    ]  # fmt: skip
    return build_features(rows)


def test_it_diversifies_the_top_for_an_exploring_student():
    goals = make_goals(
        specialties=Specialties(exploring=True, weight=3), location=None, hours=None, setting=None
    )
    ranking = rank(goals, catalog(), head=4)
    top = ranking.ids(0, 4)
    assert ranking.diversified
    assert top[0].startswith("cardio-")
    assert {"peds-community", "surg-academic", "im-community"} <= set(top)
    assert len(ranking.ids()) == 13  # the rest of the list follows by score


def test_it_keeps_score_order_for_a_decided_student():
    goals = make_goals(
        specialties=Specialties(interests=(SpecialtyInterest("cardio"),), weight=3),
        objective=Objective("clinical", weight=1),
        location=None,
        hours=None,
    )
    ranking = rank(goals, catalog(), head=4)
    assert not ranking.diversified
    assert all(program_id.startswith("cardio-") for program_id in ranking.ids(0, 4))


def brute_force_mmr(pool, relevance, specialty, setting, k, institution=None):
    """Textbook greedy MMR, written independently of the vectorised one."""
    picked = []
    candidates = list(pool)
    while candidates and len(picked) < k:

        def value(i):
            if not picked:
                return relevance[i]
            similarity = max(
                0.4 * (specialty[i] == specialty[j] and specialty[i] is not None)
                + 0.4 * (institution[i] == institution[j] and institution[i] is not None)
                + 0.2 * (setting[i] == setting[j] and setting[i] >= 0)
                for j in picked
            )
            return MMR_LAMBDA * relevance[i] - (1 - MMR_LAMBDA) * similarity

        best = max(candidates, key=lambda i: (value(i), -pool.index(i)))
        picked.append(best)
        candidates.remove(best)
    return picked


@given(
    st.lists(
        st.tuples(
            st.floats(0, 1),
            st.integers(-1, 3),
            st.sampled_from([np.nan, 0.2, 0.9]),
            st.sampled_from([None, "h1", "h2"]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.integers(1, 12),
)
def test_it_picks_by_maximal_marginal_relevance(programs, k):
    programs.sort(key=lambda p: -p[0])
    features = build_features(
        [
            {
                "id": i,
                "specialty": None if spec < 0 else f"s{spec}",
                "institution_id": inst,
                "institution_kind": None
                if np.isnan(a)
                else ("academic" if a > 0.5 else "community"),
            }
            for i, (_, spec, a, inst) in enumerate(programs)
        ]
    )
    relevance = np.array([p[0] for p in programs])
    pool = np.arange(len(programs))
    setting = [
        -1 if np.isnan(a) else int(features.academic[i] >= SETTING_SPLIT)
        for i, (_, _, a, _) in enumerate(programs)
    ]
    specialty = [None if spec < 0 else spec for _, spec, _, _ in programs]
    institution = [inst for *_, inst in programs]
    expected = brute_force_mmr(list(pool), relevance, specialty, setting, k, institution)
    assert mmr(pool, relevance, features, k).tolist() == expected
