"""``explain_all`` gives, for every applicant, exactly what ``explain`` gives one by one (its
singles worked out from the compact form in numpy, ``explain`` from the records), and each
reason's figures agree with its text."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medmatch.matching import explain, explain_all, generate, solve
from medmatch.matching.compact import as_instance, to_compact
from medmatch.matching.explanations import FILLED
from medmatch.matching.result import Result

from .strategies import instances


@pytest.mark.parametrize("seed", [1, 2])
def test_it_explains_a_market_as_explain_does_one_by_one(seed):
    instance = as_instance(generate(applicants=400, couples=10, seed=seed))
    result = solve(instance, "nrmp")
    everyone = explain_all(instance, result)
    assert set(everyone) == set(result.assignment)
    for applicant, explanation in everyone.items():
        assert explanation == explain(instance, result, applicant)


def test_the_figures_of_a_reason_match_its_text():
    instance = as_instance(generate(applicants=400, couples=10, seed=3))
    result = solve(instance, "nrmp")
    filled = [
        reason
        for explanation in explain_all(instance, result).values()
        for reason in explanation.reasons
        if reason.kind == FILLED
    ]
    assert filled
    for reason in filled:
        ranks = re.search(r"\(rank (\d+); [^:]+: rank (\d+)\)", reason.text)
        assert (reason.last_rank, reason.your_rank) == (int(ranks[1]), int(ranks[2]))
        assert f"filled its {reason.capacity} positions" in reason.text
        assert reason.program in reason.choice
        assert reason.last_rank < reason.your_rank


@settings(max_examples=300, deadline=None)
@given(instances(max_applicants=7, max_programs=4, max_capacity=2, max_couples=2, tracks=True))
def test_it_explains_singles_from_the_compact_form_as_explain_does(instance):
    # explain_all works out the singles from the compact form in numpy; explain, one by one,
    # from the records.
    result = solve(instance, "nrmp")
    everyone = explain_all(instance, result, compact=to_compact(instance))
    assert everyone == {person: explain(instance, result, person) for person in result.assignment}


@settings(max_examples=200, deadline=None)
@given(instances(max_applicants=7, max_programs=4, max_capacity=3, regions=True))
def test_it_explains_regional_caps_from_the_compact_form_as_explain_does(instance):
    result = solve(instance, "jrmp")
    assert explain_all(instance, result) == {
        person: explain(instance, result, person) for person in result.assignment
    }


@settings(max_examples=300, deadline=None)
@given(instances(max_applicants=7, max_programs=4, max_couples=1, regions=True), st.data())
def test_it_explains_any_assignment_as_explain_does(instance, data):
    # Not only the solver's: an unstable or over-full assignment (each to a program that ranked
    # them), and choices that would take the applicant.
    assignment = {
        person: data.draw(
            st.sampled_from([None] + [p.id for p in instance.programs if person in p.ranking])
        )
        for person in instance.applicant_ids()
    }
    capacities = {p.id: data.draw(st.integers(0, 2)) for p in instance.programs}
    result = Result("nrmp", "stable", assignment, capacities)
    assert explain_all(instance, result) == {
        person: explain(instance, result, person) for person in assignment
    }
