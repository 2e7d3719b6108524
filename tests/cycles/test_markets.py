"""Sandbox markets: the same seed gives the same market; generated markets have the stated shape;
the hand-made market is small and whole."""

import pytest

from medmatch.cycles.markets import (
    PARTNER,
    YOU,
    MarketProgram,
    fictional_programs,
    generated_market,
    hand_made_market,
)
from medmatch.matching import validate


def programs(count=30, seats=4):
    return [MarketProgram(f"p{i}", f"Program {i}", seats, seats_assumed=True) for i in range(count)]


def test_it_builds_the_same_market_from_the_same_seed():
    first = generated_market(programs(), seed=42, strength="weaker")
    again = generated_market(programs(), seed=42, strength="weaker")
    assert first.rivals == again.rivals
    assert first.rankings == again.rankings
    other = generated_market(programs(), seed=43, strength="weaker")
    assert other.rivals != first.rivals


def test_it_sizes_the_crowd_and_its_lists_as_stated():
    market = generated_market(programs(60, seats=5), seed=7)
    assert 1.1 * 300 <= len(market.rivals) <= 1.3 * 300
    lengths = [len(rival.ranking) for rival in market.rivals]
    assert min(lengths) >= 1 and max(lengths) <= 20
    assert sum(lengths) / len(lengths) > 8
    for rival in market.rivals:
        assert len(set(rival.ranking)) == len(rival.ranking)
    # Programs rank only people who ranked them, plus the student.
    ranked_by = {p: set() for p in market.program_by_id}
    for rival in market.rivals:
        for pid in rival.ranking:
            ranked_by[pid].add(rival.id)
    for pid, ranking in market.rankings.items():
        assert set(ranking) - {YOU} <= ranked_by[pid]
        assert len(set(ranking) - {YOU}) >= 0.75 * len(ranked_by[pid])
    validate(market.instance(["p1", "p2"]))
    validate(market.instance_without_you())


def test_it_skews_the_lists_towards_popular_programs():
    market = generated_market(programs(100), seed=3)
    counts = sorted((len(r) for r in market.rankings.values()), reverse=True)
    assert counts[0] > 3 * counts[len(counts) // 2]


def test_it_rejects_an_unknown_strength():
    with pytest.raises(ValueError, match="unknown strength"):
        generated_market(programs(), seed=1, strength="brilliant")


def test_it_makes_the_same_fictional_programs_from_a_seed():
    assert fictional_programs(40, seed=5) == fictional_programs(40, seed=5)
    assert all(2 <= p.seats <= 12 for p in fictional_programs(40, seed=5))


def test_it_keeps_the_hand_made_market_small_and_whole():
    market = hand_made_market()
    assert 4 <= len(market.programs) <= 8
    assert [p.name for p in market.programs][:2] == ["Program A", "Program B"]
    validate(market.instance(["prog-a", "prog-c"]))
    assert PARTNER not in {a for r in market.instance(["prog-a"]).programs for a in r.ranking}
    couple = hand_made_market(couple=True)
    validate(couple.couple_instance([("prog-a", "prog-d"), ("prog-c", None)]))


def test_it_names_programs_and_people_in_explanations():
    market = hand_made_market()
    text = "prog-a filled its 1 positions; the lowest-ranked it took is maya (you: rank 2)"
    assert market.humanize(text) == (
        "Program A filled its 1 position; the lowest-ranked it took is Maya (you: rank 2)"
    )
