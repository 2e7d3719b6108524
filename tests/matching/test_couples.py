"""Couples, supplemental lists and reversion: hand-written cases from the literature."""

from medmatch.matching import Applicant, Couple, Instance, Program, check, solve, validate
from medmatch.matching.explanations import PARTNER, explain
from medmatch.matching.result import NO_STABLE_MATCHING


def roth_1984_no_stable_matching() -> Instance:
    # Roth (1984); the form of Klaus & Klijn (2005), Example 2.1: one couple, one single, two
    # hospitals with one position each. Every matching has a blocking pair.
    return validate(
        Instance(
            applicants=(Applicant("s", ("h1", "h2")),),
            programs=(Program("h1", 1, ("c1", "s")), Program("h2", 1, ("s", "c2"))),
            couples=(Couple("c", ("c1", "c2"), (("h1", "h2"),)),),
        )
    )


def test_it_reports_clearly_when_no_stable_matching_exists():
    instance = roth_1984_no_stable_matching()
    result = solve(instance, "nrmp")
    assert result.status == NO_STABLE_MATCHING
    assert "no stable matching found" in result.message
    assert check(instance, result).valid
    assert not check(instance, result).stable


def test_it_reports_a_cycle_within_the_step_bound_it_was_given():
    result = solve(roth_1984_no_stable_matching(), "nrmp", max_steps=50)
    assert result.status == NO_STABLE_MATCHING
    assert "after 50 proposals" in result.message


def test_a_cycle_in_one_corner_leaves_the_rest_of_the_market_settled():
    # Roth's gadget beside a couple with nothing in its way: the cycling couple is held (it
    # moves only down) and the others still propose, so every blocking pair is the gadget's.
    # (Stopping the whole run at the first cycle left the second couple unmatched.)
    gadget = roth_1984_no_stable_matching()
    instance = validate(
        Instance(
            applicants=gadget.applicants,
            programs=(*gadget.programs, Program("h4", 1, ("d1",)), Program("h5", 1, ("d2",))),
            couples=(*gadget.couples, Couple("d", ("d1", "d2"), (("h4", "h5"),))),
        )
    )
    result = solve(instance, "nrmp")
    assert result.status == NO_STABLE_MATCHING
    assert "c kept cycling" in result.message
    assert (result.assignment["d1"], result.assignment["d2"]) == ("h4", "h5")
    report = check(instance, result)
    assert report.valid
    assert report.blocking
    assert {pair.unit for pair in report.blocking} <= {"s", "c"}


def test_it_places_a_couple_together_and_lets_the_displaced_single_move_on():
    instance = validate(
        Instance(
            applicants=(Applicant("s", ("h1", "h2")),),
            programs=(Program("h1", 1, ("c1", "s")), Program("h2", 2, ("c2", "s"))),
            couples=(Couple("c", ("c1", "c2"), (("h1", "h2"),)),),
        )
    )
    result = solve(instance, "nrmp")
    assert result.stable
    assert result.assignment == {"s": "h2", "c1": "h1", "c2": "h2"}
    assert check(instance, result).ok


def test_it_uses_a_no_match_row_when_the_joint_rows_fail():
    # NRMP: a couple may rank (program, "no match") so one partner matches alone.
    instance = validate(
        Instance(
            applicants=(Applicant("s", ("h2",)),),
            programs=(Program("h1", 1, ("c1",)), Program("h2", 1, ("s", "c2"))),
            couples=(Couple("c", ("c1", "c2"), (("h1", "h2"), ("h1", None))),),
        )
    )
    result = solve(instance, "nrmp")
    assert result.assignment == {"s": "h2", "c1": "h1", "c2": None}
    assert check(instance, result).ok
    reason = explain(instance, result, "c1").reasons[0]
    assert reason.kind == PARTNER
    assert "c2" in reason.text and "h2" in reason.text


def test_it_needs_two_positions_when_a_couple_ranks_one_program_twice():
    instance = validate(
        Instance(
            applicants=(Applicant("s", ("h",)),),
            programs=(Program("h", 2, ("s", "c1", "c2")),),
            couples=(Couple("c", ("c1", "c2"), (("h", "h"),)),),
        )
    )
    result = solve(instance, "nrmp")
    assert result.assignment == {"s": "h", "c1": None, "c2": None}
    assert check(instance, result).ok


def test_it_re_enters_applicants_when_a_couple_withdraws(tmp_path):
    # Roth & Peranson (1999), section III: when a couple member is displaced its partner
    # withdraws; the vacancy must be offered again to applicants the program had rejected.
    instance = validate(
        Instance(
            applicants=(Applicant("s1", ("h1",)), Applicant("s2", ("h2", "h3"))),
            programs=(
                Program("h1", 1, ("s1", "c1")),
                Program("h2", 1, ("c2", "s2")),
                Program("h3", 1, ("s2",)),
            ),
            couples=(Couple("c", ("c1", "c2"), (("h1", "h2"),)),),
        )
    )
    result = solve(instance, "nrmp")
    assert result.stable
    assert result.assignment == {"s1": "h1", "s2": "h2", "c1": None, "c2": None}
    assert check(instance, result).ok


def test_it_matches_a_preliminary_year_from_the_supplemental_list():
    instance = validate(
        Instance(
            applicants=(Applicant("a", ("adv", "cat"), supplemental=("pre1", "pre2")),),
            programs=(
                Program("adv", 1, ("a",), track="advanced"),
                Program("cat", 1, ("a",)),
                Program("pre1", 0, ("a",), track="preliminary"),
                Program("pre2", 1, ("a",), track="preliminary"),
            ),
        )
    )
    result = solve(instance, "nrmp")
    assert result.assignment == {"a": "adv"}
    assert result.supplemental == {"a": "pre2"}
    assert check(instance, result).ok


def test_it_reverts_unfilled_positions_to_the_linked_track():
    instance = validate(
        Instance(
            applicants=(Applicant("a", ("cat",)), Applicant("b", ("cat",))),
            programs=(
                Program("physician", 2, ("a",), revert_to="cat"),
                Program("cat", 1, ("a", "b")),
            ),
        )
    )
    result = solve(instance, "nrmp")
    assert result.assignment == {"a": "cat", "b": "cat"}
    assert result.capacities == {"physician": 0, "cat": 3}
    assert check(instance, result).ok
