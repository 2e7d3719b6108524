"""Property tests of the solver against the independent brute-force checker."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from medmatch.matching import (
    applicant_proposing,
    check,
    explain,
    jrmp,
    program_proposing,
    serial_dictatorship,
    solve,
    solver,
)
from medmatch.matching.compact import expand, from_compact_dict, to_compact, to_compact_dict

from .strategies import all_stable_matchings, instances, rank

FAST = settings(max_examples=300, deadline=None)
ENUMERATING = settings(max_examples=200, deadline=None)


@FAST
@given(instances())
def test_it_finds_a_stable_matching_with_either_side_proposing(instance):
    for algorithm in (applicant_proposing, program_proposing):
        report = check(instance, algorithm(instance))
        assert report.ok, report


@ENUMERATING
@given(instances(max_applicants=4, max_programs=3))
def test_it_finds_the_applicant_optimal_and_the_program_optimal_stable_matchings(instance):
    stable = all_stable_matchings(instance)
    best = applicant_proposing(instance).assignment
    worst = program_proposing(instance).assignment
    assert best in stable and worst in stable
    for applicant in instance.applicants:
        for matching in stable:
            assert rank(applicant, best[applicant.id]) <= rank(applicant, matching[applicant.id])
            assert rank(applicant, worst[applicant.id]) >= rank(applicant, matching[applicant.id])


@ENUMERATING
@given(instances(max_applicants=4, max_programs=3))
def test_it_matches_the_same_applicants_and_fills_the_same_positions_in_every_stable_matching(
    instance,
):
    stable = all_stable_matchings(instance)
    matched = {frozenset(a for a, p in m.items() if p is not None) for m in stable}
    assert len(matched) == 1
    filled = set()
    for matching in stable:
        counts = {p.id: 0 for p in instance.programs}
        for program in matching.values():
            if program is not None:
                counts[program] += 1
        filled.add(tuple(sorted(counts.items())))
    assert len(filled) == 1


@FAST
@given(instances(max_applicants=4, max_programs=4), st.data())
def test_it_never_rewards_an_applicant_for_misreporting(instance, data):
    index = data.draw(st.integers(0, len(instance.applicants) - 1))
    truthful = instance.applicants[index]
    programs = [p.id for p in instance.programs]
    lie = data.draw(st.permutations(programs))
    lie = tuple(lie[: data.draw(st.integers(0, len(programs)))])
    applicants = list(instance.applicants)
    applicants[index] = replace(truthful, ranking=lie)
    honest = applicant_proposing(instance).assignment[truthful.id]
    lying = applicant_proposing(replace(instance, applicants=tuple(applicants)))
    assert rank(truthful, honest) <= rank(truthful, lying.assignment[truthful.id])


@FAST
@given(instances(max_couples=2, max_applicants=4))
def test_it_returns_a_valid_matching_with_couples_and_a_stable_one_when_it_says_so(instance):
    result = solve(instance, "nrmp")
    report = check(instance, result)
    assert report.valid, report
    if result.stable:
        assert report.stable, report
    else:
        assert "no stable matching" in result.message


@FAST
@given(instances(tracks=True))
def test_it_keeps_supplemental_lists_stable_and_valid(instance):
    result = solve(instance, "nrmp")
    report = check(instance, result)
    assert report.valid, report
    assert report.stable or not result.stable, report


@FAST
@given(instances(regions=True, max_capacity=3))
def test_it_respects_regional_caps_and_is_stable_for_the_target_capacities(instance):
    for proposing in ("applicants", "programs"):
        result = jrmp(instance, proposing=proposing)
        report = check(instance, result)
        assert report.ok, report
    for region in instance.regions:
        assert sum(
            result.capacities[p.id] for p in instance.programs if p.region == region.id
        ) <= max(region.cap, 0) or all(p.region != region.id for p in instance.programs)


@FAST
@given(instances(max_couples=2), st.integers(0, 10))
def test_it_allocates_ukfp_places_so_no_one_envies_a_later_draw(instance, seed):
    result = serial_dictatorship(instance, seed=seed)
    assert check(instance, result).ok


@FAST
@given(instances(max_couples=2, tracks=True))
def test_it_round_trips_the_compact_encoding(instance):
    ci = to_compact(instance)
    assert from_compact_dict(to_compact_dict(ci)) == ci
    assert expand(ci) == instance


@FAST
@given(instances(max_applicants=6, max_programs=4, max_capacity=2, max_couples=1, tracks=True))
def test_it_finds_the_same_matching_when_opening_with_simultaneous_rounds(instance):
    sequential = solve(instance, "nrmp")
    saved = solver.OPENING_ROUNDS_FROM, solver.OPENING_ROUNDS_UNTIL
    solver.OPENING_ROUNDS_FROM, solver.OPENING_ROUNDS_UNTIL = 0, 0
    try:
        opened = solve(instance, "nrmp")
    finally:
        solver.OPENING_ROUNDS_FROM, solver.OPENING_ROUNDS_UNTIL = saved
    report = check(instance, opened)
    assert report.valid
    assert report.stable or not opened.stable
    if not instance.couples and not any(a.supplemental for a in instance.applicants):
        # With only singles the stable matching found is unique (applicant-optimal); joint
        # rows (couples, supplemental lists) may settle differently in another order.
        assert opened.assignment == sequential.assignment


@FAST
@given(instances(max_couples=2, tracks=True))
def test_it_finds_the_same_matching_when_the_rank_table_holds_one_applicant_at_a_time(instance):
    whole = solve(instance, "nrmp")
    saved = solver.TABLE_CELLS
    solver.TABLE_CELLS = 0  # blocks of one person: every block boundary is crossed
    try:
        blocked = solve(instance, "nrmp")
    finally:
        solver.TABLE_CELLS = saved
    assert blocked.assignment == whole.assignment
    assert blocked.supplemental == whole.supplemental
    assert blocked.status == whole.status


@FAST
@given(instances(max_couples=2, tracks=True))
def test_it_explains_every_earlier_choice_of_every_applicant(instance):
    result = solve(instance, "nrmp")
    for person in instance.applicant_ids():
        explanation = explain(instance, result, person)
        couple = next((c for c in instance.couples if person in c.members), None)
        if couple is None:
            ranking = next(a for a in instance.applicants if a.id == person).ranking
            earlier = (
                ranking.index(result.assignment[person])
                if result.assignment[person]
                else len(ranking)
            )
        else:
            row = tuple(result.assignment[m] for m in couple.members)
            earlier = couple.ranking.index(row) if row in couple.ranking else len(couple.ranking)
        primary = [r for r in explanation.reasons if not r.text.startswith("(supplemental)")]
        assert len(primary) == earlier
        if result.stable:
            assert all(reason.kind != "would_take" for reason in explanation.reasons)
