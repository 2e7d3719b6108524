"""Rule sets: CaRMS streams, JRMP regional caps, UKFP lottery, unknown rules."""

import pytest

from medmatch.matching import (
    Applicant,
    Couple,
    Instance,
    InstanceError,
    Program,
    Region,
    check,
    explain,
    get_rules,
    solve,
    target_capacities,
    validate,
)
from medmatch.matching.explanations import FILLED, LOTTERY, NOT_RANKED, REGIONAL_CAP


def test_it_raises_value_error_for_unknown_rules():
    instance = validate(Instance((Applicant("a", ("p",)),), (Program("p", 1, ("a",)),)))
    with pytest.raises(ValueError, match="unknown rules 'nrmpp'"):
        solve(instance, "nrmpp")
    with pytest.raises(ValueError, match="unknown rules"):
        get_rules(None)
    with pytest.raises(ValueError, match="unknown proposing"):
        solve(instance, "nrmp", proposing="hospitals")


def test_it_scales_jrmp_capacities_to_the_regional_cap_and_explains_the_cap():
    instance = validate(
        Instance(
            applicants=(Applicant("a", ("p",)), Applicant("b", ("p",)), Applicant("c", ("q",))),
            programs=(Program("p", 2, ("a", "b"), region="r"), Program("q", 2, ("c",), region="r")),
            regions=(Region("r", 2),),
        )
    )
    assert target_capacities(instance) == {"p": 1, "q": 1}
    result = solve(instance, "jrmp")
    assert result.assignment == {"a": "p", "b": None, "c": "q"}
    assert check(instance, result).ok
    assert explain(instance, result, "b").reasons[0].kind == REGIONAL_CAP


def test_it_runs_ukfp_as_serial_dictatorship_with_linked_applicants_together():
    instance = validate(
        Instance(
            applicants=(Applicant("a", ("p", "q")), Applicant("b", ("p", "q"))),
            programs=(Program("p", 1, ()), Program("q", 3, ())),
            couples=(Couple("l", ("l1", "l2"), (("p", "p"), ("q", "q"))),),
        )
    )
    result = solve(instance, "ukfp", seed=3)
    assert set(result.order) == {"a", "b", "l"}
    assert result.assignment["l1"] == result.assignment["l2"] == "q"
    first = result.order.index("a") < result.order.index("b")
    assert result.assignment["a" if first else "b"] == "p"
    assert check(instance, result).ok
    loser = "b" if first else "a"
    assert explain(instance, result, loser).reasons[0].kind == LOTTERY
    assert solve(instance, "ukfp", seed=3) == result


def test_it_keeps_carms_streams_apart_and_checks_eligibility():
    programs = (
        Program("p-cmg", 1, ("a", "b"), stream="CMG"),
        Program("p-img", 1, ("b",), stream="IMG"),
    )
    instance = validate(
        Instance(
            applicants=(
                Applicant("a", ("p-cmg",), streams=("CMG",)),
                Applicant("b", ("p-img",), streams=("IMG",)),
            ),
            programs=programs,
        )
    )
    result = solve(instance, "carms")
    assert result.assignment == {"a": "p-cmg", "b": "p-img"}
    ineligible = validate(
        Instance((Applicant("a", ("p-img",), streams=("CMG",)), Applicant("b", ())), programs)
    )
    with pytest.raises(InstanceError, match=r"applicant 'a': field 'ranking': .*not eligible"):
        solve(ineligible, "carms")


def test_it_refuses_features_a_rule_set_does_not_have():
    instance = validate(
        Instance(
            applicants=(),
            programs=(Program("p", 1, ("c1",)),),
            couples=(Couple("c", ("c1", "c2"), (("p", None),)),),
        )
    )
    with pytest.raises(
        InstanceError, match=r"couple .c.: field .members.: rules jrmp have no couples"
    ):
        solve(instance, "jrmp")


def test_it_explains_not_ranked_and_filled_with_the_lowest_ranked_taken():
    instance = validate(
        Instance(
            applicants=(
                Applicant("a", ("p", "q", "r")),
                Applicant("b", ("p",)),
                Applicant("c", ("p",)),
            ),
            programs=(
                Program("p", 2, ("b", "c", "a")),
                Program("q", 1, ()),
                Program("r", 1, ("a",)),
            ),
        )
    )
    result = solve(instance, "nrmp")
    explanation = explain(instance, result, "a")
    assert explanation.matched == "r" and explanation.choice_number == 3
    filled, not_ranked = explanation.reasons
    assert filled.kind == FILLED and "lowest-ranked it took is c" in filled.text
    assert not_ranked.kind == NOT_RANKED
