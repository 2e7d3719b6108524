"""``explain_all`` gives, for every applicant, exactly what ``explain`` gives one by one, and each
reason's figures agree with its text."""

import re

import pytest

from medmatch.matching import explain, explain_all, generate, solve
from medmatch.matching.compact import as_instance
from medmatch.matching.explanations import FILLED


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
