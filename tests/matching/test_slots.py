"""Interview slot assignment: hand-checked cases, then stability and priority properties checked
with the matching engine's independent brute-force checker."""

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medmatch.matching.checker import check
from medmatch.matching.result import STABLE, Result
from medmatch.matching.slots import (
    Move,
    Slot,
    SlotError,
    SlotRound,
    assign,
    cancel,
    to_instance,
)

from .strategies import all_stable_matchings

FAST = settings(max_examples=300, deadline=None)


def _round(slots, priority, rankings):
    return SlotRound(
        tuple(slot if isinstance(slot, Slot) else Slot(slot) for slot in slots),
        tuple(priority),
        {student: tuple(ranking) for student, ranking in rankings.items()},
    )


def _report(state):
    """The checker's report on a state, for the round without its cancelled students."""
    instance = to_instance(state.round, set(state.cancelled))
    assignment = {student: state.assignment.get(student) for student in state.round.priority}
    capacities = {slot.id: slot.capacity for slot in state.round.slots}
    return check(instance, Result("nrmp", STABLE, assignment, capacities))


@st.composite
def rounds(draw, max_students=7, max_slots=5, max_capacity=2):
    """A random valid round: students in a random priority order, each ranking a random subset."""
    n = draw(st.integers(0, max_students))
    m = draw(st.integers(0, max_slots))
    slots = tuple(Slot(f"T{j}", draw(st.integers(0, max_capacity))) for j in range(m))
    priority = tuple(draw(st.permutations([f"S{i}" for i in range(n)])))
    rankings = {}
    for student in priority:
        if draw(st.integers(0, 3)):  # a quarter never rank (absent from the rankings)
            chosen = draw(st.permutations([slot.id for slot in slots]))
            rankings[student] = tuple(chosen[: draw(st.integers(0, m))])
    return SlotRound(slots, priority, rankings)


# ----------------------------------------------------------------------------- by hand


def test_it_gives_each_student_their_best_slot_with_priority_deciding_contests():
    # ann (invited first) and bob both want 9:00; ann gets it, bob his second choice.
    round_ = _round(
        [Slot("9:00", starts_at=datetime(2027, 1, 5, 9, tzinfo=UTC)), "10:00", "11:00"],
        ["ann", "bob", "cat"],
        {"ann": ["9:00", "10:00"], "bob": ["9:00", "10:00"], "cat": ["10:00", "11:00"]},
    )
    state = assign(round_)
    assert state.assignment == {"ann": "9:00", "bob": "10:00", "cat": "11:00"}
    assert state.waitlists == {"9:00": ("bob",), "10:00": ("cat",), "11:00": ()}
    assert state.unassigned == ()
    assert state.cancelled == ()


def test_it_lets_a_student_ranked_first_displace_a_later_proposer():
    # cat proposes to 10:00 and holds it until bob, invited earlier, is rejected by 9:00 and
    # comes down to 10:00; cat then falls to nothing.
    round_ = _round(
        ["9:00", "10:00"],
        ["ann", "bob", "cat"],
        {"ann": ["9:00"], "bob": ["9:00", "10:00"], "cat": ["10:00"]},
    )
    state = assign(round_)
    assert state.assignment == {"ann": "9:00", "bob": "10:00"}
    assert state.waitlists == {"9:00": ("bob",), "10:00": ("cat",)}
    assert state.unassigned == ("cat",)


def test_it_fills_a_slot_with_capacity_by_priority():
    round_ = _round(
        [Slot("panel", 2), "solo"],
        ["d", "c", "b", "a"],
        {s: ["panel", "solo"] for s in "abcd"},
    )
    state = assign(round_)
    assert state.assignment == {"d": "panel", "c": "panel", "b": "solo"}
    assert state.waitlists == {"panel": ("b", "a"), "solo": ("a",)}
    assert state.unassigned == ("a",)


def test_it_offers_a_cancelled_slot_down_the_waitlist_and_follows_the_chain():
    # ann cancels 9:00; bob (first on its waitlist) moves up from 10:00; 10:00 goes to cat,
    # who leaves 11:00; nobody wants 11:00 more than what they hold, so the chain stops.
    round_ = _round(
        ["9:00", "10:00", "11:00"],
        ["ann", "bob", "cat", "dan"],
        {
            "ann": ["9:00"],
            "bob": ["9:00", "10:00"],
            "cat": ["9:00", "10:00", "11:00"],
            "dan": ["10:00"],
        },
    )
    state = assign(round_)
    assert state.assignment == {"ann": "9:00", "bob": "10:00", "cat": "11:00"}
    assert state.waitlists["9:00"] == ("bob", "cat")
    assert state.waitlists["10:00"] == ("cat", "dan")
    after, moves = cancel(state, "ann")
    assert moves == (
        Move("ann", "9:00", None),
        Move("bob", "10:00", "9:00"),
        Move("cat", "11:00", "10:00"),
    )
    assert after.assignment == {"bob": "9:00", "cat": "10:00"}
    assert after.waitlists == {"9:00": ("cat",), "10:00": ("dan",), "11:00": ()}
    assert after.unassigned == ("dan",)
    assert after.cancelled == ("ann",)
    assert _report(after).ok
    # the state passed in is unchanged
    assert state.assignment == {"ann": "9:00", "bob": "10:00", "cat": "11:00"}


def test_it_gives_a_freed_slot_to_an_unassigned_student_and_stops():
    round_ = _round(["9:00"], ["ann", "bob", "cat"], {s: ["9:00"] for s in ("ann", "bob", "cat")})
    state = assign(round_)
    after, moves = cancel(state, "ann")
    assert moves == (Move("ann", "9:00", None), Move("bob", None, "9:00"))
    assert after.assignment == {"bob": "9:00"}
    assert after.waitlists == {"9:00": ("cat",)}
    after, moves = cancel(after, "bob")
    assert moves == (Move("bob", "9:00", None), Move("cat", None, "9:00"))
    after, moves = cancel(after, "cat")
    assert moves == (Move("cat", "9:00", None),)
    assert after.assignment == {} and after.unassigned == ()
    assert after.cancelled == ("ann", "bob", "cat")


def test_it_takes_an_unassigned_student_off_the_waitlists_when_they_cancel():
    round_ = _round(["9:00"], ["ann", "bob"], {"ann": ["9:00"], "bob": ["9:00"]})
    after, moves = cancel(assign(round_), "bob")
    assert moves == (Move("bob", None, None),)
    assert after.assignment == {"ann": "9:00"}
    assert after.waitlists == {"9:00": ()}
    assert after.unassigned == ()


def test_it_refuses_to_cancel_twice_or_for_a_student_not_invited():
    state = assign(_round(["9:00"], ["ann"], {"ann": ["9:00"]}))
    after, _ = cancel(state, "ann")
    with pytest.raises(SlotError, match="already cancelled"):
        cancel(after, "ann")
    with pytest.raises(SlotError, match="not invited"):
        cancel(state, "zed")


# ----------------------------------------------------------------------------- edge cases


def test_it_assigns_nothing_when_nobody_ranks():
    state = assign(_round(["9:00", "10:00"], ["ann", "bob"], {"bob": []}))
    assert state.assignment == {}
    assert state.waitlists == {"9:00": (), "10:00": ()}
    assert state.unassigned == ("ann", "bob")


def test_it_handles_a_round_with_no_slots_or_no_students():
    assert assign(_round([], ["ann"], {})).unassigned == ("ann",)
    state = assign(_round(["9:00"], [], {}))
    assert state.assignment == {} and state.waitlists == {"9:00": ()}


def test_it_leaves_the_students_invited_last_without_a_slot_when_there_are_more_students():
    students = [f"s{i}" for i in range(5)]
    state = assign(_round(["a", "b"], students, {s: ["a", "b"] for s in students}))
    assert state.assignment == {"s0": "a", "s1": "b"}
    assert state.unassigned == ("s2", "s3", "s4")
    assert state.waitlists == {"a": ("s1", "s2", "s3", "s4"), "b": ("s2", "s3", "s4")}


def test_it_never_fills_a_slot_of_capacity_zero():
    state = assign(_round([Slot("closed", 0), "open"], ["ann"], {"ann": ["closed", "open"]}))
    assert state.assignment == {"ann": "open"}


@pytest.mark.parametrize(
    ("slots", "priority", "rankings", "message"),
    [
        (["9:00", "9:00"], ["ann"], {}, "duplicate slot id"),
        ([Slot("9:00", -1)], ["ann"], {}, "must not be negative"),
        ([Slot("9:00", True)], ["ann"], {}, "must be an integer"),
        ([""], ["ann"], {}, "non-empty"),
        (["9:00"], ["ann", "ann"], {}, "appears twice"),
        (["9:00"], ["ann"], {"bob": ["9:00"]}, "was not invited"),
        (["9:00"], ["ann"], {"ann": ["9:00", "9:00"]}, "ranks a slot twice"),
        (["9:00"], ["ann"], {"ann": ["8:00"]}, "unknown slot '8:00'"),
    ],
)
def test_it_rejects_a_malformed_round(slots, priority, rankings, message):
    # Priority is a sequence of distinct ids, so ties are impossible: a repeat is refused.
    with pytest.raises(SlotError, match=message):
        assign(_round(slots, priority, rankings))


# ----------------------------------------------------------------------------- properties


@FAST
@given(rounds())
def test_it_assigns_slots_stably(round_):
    state = assign(round_)
    assert _report(state).ok, _report(state)


@FAST
@given(rounds(max_students=4, max_slots=3))
def test_it_gives_every_student_their_best_stable_slot(round_):
    instance = to_instance(round_)
    state = assign(round_)
    for matching in all_stable_matchings(instance):
        for student in round_.priority:
            ranking = round_.rankings.get(student, ())
            mine = state.assignment.get(student)
            other = matching[student]
            assert (ranking.index(mine) if mine else len(ranking)) <= (
                ranking.index(other) if other else len(ranking)
            )


@FAST
@given(rounds())
def test_it_waitlists_in_priority_order_only_behind_a_full_slot_of_students_invited_earlier(
    round_,
):
    _assert_waitlists_consistent(assign(round_))


def _assert_waitlists_consistent(state):
    round_ = state.round
    position = {student: i for i, student in enumerate(round_.priority)}
    capacity = {slot.id: slot.capacity for slot in round_.slots}
    for slot_id, waiting in state.waitlists.items():
        assert list(waiting) == sorted(waiting, key=position.__getitem__)
        holders = [s for s, held in state.assignment.items() if held == slot_id]
        assert len(holders) <= capacity[slot_id]
        if waiting:
            assert len(holders) == capacity[slot_id]
            assert all(position[h] < position[w] for h in holders for w in waiting)
        for student in waiting:
            ranking = round_.rankings[student]
            held = state.assignment.get(student)
            assert held is None or ranking.index(slot_id) < ranking.index(held)
    everyone = set(state.assignment) | set(state.unassigned)
    assert everyone == set(round_.priority) - set(state.cancelled)
    for student in state.cancelled:
        assert not any(student in waiting for waiting in state.waitlists.values())
    assert not set(state.assignment) & set(state.unassigned)


@FAST
@given(rounds(), st.data())
def test_it_stays_stable_through_cancellations_and_only_moves_students_up(round_, data):
    state = assign(round_)
    for _ in range(data.draw(st.integers(0, 3))):
        left = [s for s in round_.priority if s not in state.cancelled]
        if not left:
            break
        student = data.draw(st.sampled_from(left))
        before = state
        state, moves = cancel(state, student)
        assert moves[0] == Move(student, before.assignment.get(student), None)
        report = _report(state)
        assert report.ok, report
        _assert_waitlists_consistent(state)
        for move in moves[1:]:
            ranking = round_.rankings[move.student]
            assert move.to_slot in ranking
            assert move.from_slot is None or ranking.index(move.to_slot) < ranking.index(
                move.from_slot
            )
        moved = {move.student for move in moves}
        for other, held in before.assignment.items():
            if other not in moved:
                assert state.assignment[other] == held


@FAST
@given(rounds(), st.data())
def test_it_ends_a_cancellation_chain_where_a_fresh_assignment_without_them_would(round_, data):
    state = assign(round_)
    for _ in range(data.draw(st.integers(1, 3))):
        left = [s for s in round_.priority if s not in state.cancelled]
        if not left:
            break
        state, _ = cancel(state, data.draw(st.sampled_from(left)))
        rankings = {s: r for s, r in round_.rankings.items() if s not in state.cancelled}
        fresh = assign(SlotRound(round_.slots, round_.priority, rankings))
        assert state.assignment == fresh.assignment


@FAST
@given(rounds(), st.data())
def test_it_is_deterministic(round_, data):
    assert assign(round_) == assign(round_)
    reordered = SlotRound(round_.slots, round_.priority, dict(reversed(round_.rankings.items())))
    assert assign(reordered).assignment == assign(round_).assignment
    if round_.priority:
        student = data.draw(st.sampled_from(round_.priority))
        assert cancel(assign(round_), student) == cancel(assign(round_), student)
