"""The parts of a score add up to it, and a part does not move when another question is answered."""

import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medmatch.fit import Visa, rank
from tests.fit.factories import make_goals
from tests.fit.test_goals import goals_strategy
from tests.fit.test_regression import catalog


@functools.cache
def small_catalog():
    return catalog(seed=5)


@settings(max_examples=80, deadline=None)
@given(goals=goals_strategy, data=st.data())
def test_it_makes_the_parts_add_up_to_the_headline(goals, data):
    features = small_catalog()
    ranking = rank(goals, features)
    ids = data.draw(st.lists(st.sampled_from(features.ids), min_size=1, max_size=5))
    for program_id in ids:
        explanation = ranking.explain(program_id)
        parts = [c for c in explanation.contributions if c.status != "unknown"]
        possible = sum(c.weight for c in parts)
        if possible == 0:
            assert explanation.total == pytest.approx(50)
            continue
        earned = sum(c.earned for c in parts)
        assert 100 * earned / possible == pytest.approx(explanation.total, abs=1e-3)
        for c in parts:
            assert 0 <= c.earned <= c.weight + 1e-9
            assert c.fact and c.fact in c.sentence


def test_it_keeps_a_part_when_an_unrelated_question_is_answered():
    features = small_catalog()
    before = rank(make_goals(), features)
    after = rank(make_goals(visa=Visa("j1", weight=5)), features)
    for program_id in features.ids[:200]:
        old = {c.criterion: c for c in before.explain(program_id).contributions}
        new = {c.criterion: c for c in after.explain(program_id).contributions}
        for criterion, contribution in old.items():
            assert new[criterion].earned == contribution.earned
            assert new[criterion].weight == contribution.weight
