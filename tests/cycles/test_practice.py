"""Practice runs: the result and every rerun equal whole-market solves, moving a program up never
hurts, a short list shows its risk, and a couple's "no match" row is compared."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medmatch.cycles.markets import (
    PARTNER,
    YOU,
    MarketProgram,
    generated_market,
    hand_made_market,
)
from medmatch.cycles.practice import Continuation, run_couple, run_single
from medmatch.matching import InstanceError, check, solve


def small_market(seed: int, strength: str = "average"):
    # Programs 0, 5, 10... have no positions at all.
    programs = [MarketProgram(f"p{i}", f"Program {i}", i % 5) for i in range(25)]
    return generated_market(programs, seed=seed, strength=strength)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(1, 10_000),
    strength=st.sampled_from(["stronger", "average", "weaker"]),
    picks=st.lists(st.integers(0, 24), min_size=1, max_size=12, unique=True),
)
def test_it_reruns_exactly_as_a_whole_market_solve(seed, strength, picks):
    market = small_market(seed, strength)
    ranking = [f"p{i}" for i in picks]
    continuation = Continuation(market)
    whole = solve(market.instance(ranking), "nrmp")
    assert continuation.full_result(ranking).assignment == whole.assignment
    for pid in ranking:
        moved = [pid, *(p for p in ranking if p != pid)]
        expected = solve(market.instance(moved), "nrmp").assignment[YOU]
        assert continuation.outcome(moved) == expected


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(1, 10_000),
    picks=st.lists(st.integers(0, 24), min_size=2, max_size=12, unique=True),
)
def test_it_shows_that_moving_a_program_up_never_hurts(seed, picks):
    market = small_market(seed)
    ranking = [f"p{i}" for i in picks]
    summary = run_single(market, ranking)
    assert summary["never_worse"]
    assert len(summary["moves"]) == len(ranking) - 1
    for move in summary["moves"]:
        # Independently of the verdict: the moved program, or the match as it was.
        assert move["matched"] in (move["program"], summary["matched"])
        assert move["verdict"] != "worse"


def test_it_would_say_so_if_a_rerun_were_worse():
    from medmatch.cycles.practice import _verdict

    assert _verdict(["a", "b", "c"], "a", "c") == "worse"
    assert _verdict(["a", "b", "c"], "b", None) == "worse"
    assert _verdict(["a", "b", "c"], "c", "a") == "better"


def test_it_explains_the_hand_made_run_and_its_short_list():
    summary = run_single(hand_made_market(), ["prog-a", "prog-b", "prog-c", "prog-f"])
    assert summary["matched"] == "prog-c" and summary["choice"] == 3
    assert [r["choice"] for r in summary["reasons"]] == [["Program A"], ["Program B"]]
    assert "Maya" in summary["reasons"][0]["text"]
    assert summary["short_list"] == {
        "list": ["prog-a", "prog-b"],
        "matched": None,
        "verdict": "worse",
    }
    by_program = {move["program"]: move for move in summary["moves"]}
    assert by_program["prog-b"]["matched"] == "prog-c"  # B would not take you anyway
    assert by_program["prog-f"] == {
        "program": "prog-f",
        "position": 4,
        "above_match": False,
        "matched": "prog-f",
        "verdict": "better",
    }


def test_it_checks_the_result_is_stable():
    market = small_market(11)
    ranking = [f"p{i}" for i in random.Random(2).sample(range(25), 8)]
    result = Continuation(market).full_result(ranking)
    report = check(market.instance(ranking), result)
    assert report.valid and report.stable


def test_it_refuses_a_list_naming_an_unknown_program():
    with pytest.raises(InstanceError):
        run_single(hand_made_market(), ["prog-a", "prog-z"])


def test_it_compares_a_couples_list_without_its_no_match_rows():
    market = hand_made_market(couple=True)
    summary = run_couple(market, [("prog-a", "prog-d"), ("prog-c", "prog-e"), ("prog-c", None)])
    assert (summary["matched"], summary["partner_matched"]) == ("prog-c", None)
    assert summary["choice"] == 3
    # Sam's reasons are said to the student: "you" is the student, Sam is Sam.
    blocked, full = summary["partner_reasons"]
    assert blocked["text"].startswith("you could not be placed: Program A filled its 1 position")
    assert full["text"].endswith("the lowest-ranked it took is Lena (rank 1; Sam: rank 3)")
    assert summary["no_match"]["change"] == "removed"
    assert summary["no_match"]["rows"] == [["prog-a", "prog-d"], ["prog-c", "prog-e"]]
    assert (summary["no_match"]["matched"], summary["no_match"]["partner_matched"]) == (None, None)
    whole = solve(market.couple_instance([("prog-a", "prog-d"), ("prog-c", "prog-e")]), "nrmp")
    assert (whole.assignment[YOU], whole.assignment[PARTNER]) == (None, None)


def test_it_adds_no_match_rows_to_compare_when_a_couple_has_none():
    summary = run_couple(hand_made_market(couple=True), [("prog-a", "prog-d")])
    assert summary["no_match"]["change"] == "added"
    assert summary["no_match"]["rows"] == [["prog-a", "prog-d"], ["prog-a", None]]
