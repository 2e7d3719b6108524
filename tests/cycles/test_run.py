"""A cycle's run through the task, end to end: the certified lists read from the database,
solved under NRMP with a couple and a supplemental list, checked, explained and stored; an
identical second run; a failed run that leaves nothing half-written; publishing on match day."""

import pytest
from django.utils import timezone

from medmatch.cycles import running
from medmatch.cycles.models import CycleAuditEntry, MatchCycle, MatchOutcome, MatchRun
from medmatch.cycles.result_presenters import explanation_lines, ordinal
from tests.cycles.factories import (
    administrator,
    make_couple,
    make_cycle,
    make_cycle_program,
    make_program_list,
    make_student_list,
    run_through_the_page,
)

pytestmark = pytest.mark.django_db


def outcomes(run) -> dict[str, tuple]:
    return {
        o.student.username: (
            o.cycle_program.program.title if o.cycle_program else None,
            o.preliminary_program.program.title if o.preliminary_program else None,
        )
        for o in run.outcomes.select_related(
            "student", "cycle_program__program", "preliminary_program__program"
        )
    }


EXPECTED = {
    "alice": (None, None),
    "bob": ("General Surgery", None),
    "erin": ("Diagnostic Radiology", "Preliminary Medicine"),
    "frank": ("Internal Medicine", None),
    "gina": ("Internal Medicine", None),
}


def test_it_runs_a_small_cycle_with_a_couple_and_a_supplemental_list_through_the_task(
    client, run_market, django_capture_on_commit_callbacks
):
    cycle = run_market["cycle"]
    run = run_through_the_page(client, cycle, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    assert run.progress == 100
    assert outcomes(run) == EXPECTED
    assert run.check_report["valid"] and run.check_report["stable"]
    assert run.result["applicants"] == 5 and run.result["matched"] == 4
    assert run.result["programs"][str(run_market["family"].pk)] == [2, 0]
    cycle.refresh_from_db()
    assert cycle.state == MatchCycle.State.RUN
    notes = list(cycle.audit.values_list("note", flat=True))
    assert any(note.startswith(f"Started run {run.pk}") for note in notes)
    assert any("4 of 5 applicants matched" in note and "stable" in note for note in notes)
    # The worker writes the run's entries in the name of the administrator who pressed Run.
    assert set(cycle.audit.values_list("who__username", flat=True)) == {"dave-admin"}


def test_it_explains_without_naming_anyone_else(
    client, run_market, django_capture_on_commit_callbacks
):
    run = run_through_the_page(client, run_market["cycle"], django_capture_on_commit_callbacks)
    alice = MatchOutcome.objects.get(run=run, student=run_market["students"]["alice"])
    lines = explanation_lines(alice)
    assert [line.choice for line in lines] == [
        "General Surgery, General Surgery Hospital",
        "Internal Medicine, Internal Medicine Hospital",
    ]
    # Surgery took bob, its 2nd choice: its 1st, henry, took no part; the places are its own.
    assert lines[0].why == (
        "It filled its 1 position with applicants it ranked higher than you; the last one it "
        "took was its 2nd choice; you were its 3rd."
    )
    assert "its 2nd choice; you were its 3rd" in lines[1].why
    text = " ".join(line.why for line in lines)
    assert not any(name in text for name in ("bob", "frank", "gina", "erin", "henry"))


def test_it_reruns_a_locked_cycle_to_the_identical_result(
    client, run_market, django_capture_on_commit_callbacks
):
    first = run_through_the_page(client, run_market["cycle"], django_capture_on_commit_callbacks)
    second = run_through_the_page(client, run_market["cycle"], django_capture_on_commit_callbacks)
    assert first.pk != second.pk
    assert outcomes(first) == outcomes(second) == EXPECTED
    explanations = {
        run.pk: dict(run.outcomes.values_list("student_id", "explanation"))
        for run in (first, second)
    }
    assert explanations[first.pk] == explanations[second.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.result == second.result


def test_a_failed_run_writes_nothing_and_can_be_run_again(
    client, run_market, django_capture_on_commit_callbacks, monkeypatch
):
    real_insert = running._insert

    def half_then_fail(model, columns, rows):
        real_insert(model, columns, rows[:2])
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(running, "_insert", half_then_fail)
    run = run_through_the_page(client, run_market["cycle"], django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED
    assert "the disk is full" in run.error
    assert not MatchOutcome.objects.exists()
    assert run.result is None
    run_market["cycle"].refresh_from_db()
    assert run_market["cycle"].state == MatchCycle.State.LOCKED
    page = client.get(f"/match/cycles/{run_market['cycle'].pk}/").content.decode()
    assert "failed: RuntimeError: the disk is full" in page
    monkeypatch.undo()
    retry = run_through_the_page(client, run_market["cycle"], django_capture_on_commit_callbacks)
    retry.refresh_from_db()
    assert retry.status == MatchRun.Status.DONE
    assert outcomes(retry) == EXPECTED


def test_a_run_refused_by_the_engine_says_why(
    client, run_market, django_capture_on_commit_callbacks
):
    # A pair naming a program of another cycle: the engine refuses the unknown id.
    other = make_cycle_program(make_cycle(), "Elsewhere")
    pair = run_market["cycle"].couples.get().rank_list.pairs.first()
    pair.proposer_program = other
    pair.save()
    run = run_through_the_page(client, run_market["cycle"], django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED
    assert f"unknown id 'p{other.pk}'" in run.error
    assert CycleAuditEntry.objects.filter(note__startswith=f"Run {run.pk} failed").exists()


def test_it_refuses_a_second_run_while_one_is_under_way(client, run_market):
    MatchRun.objects.create(
        cycle=run_market["cycle"], status=MatchRun.Status.RUNNING, started_at=timezone.now()
    )
    client.force_login(administrator())
    response = client.post(f"/match/cycles/{run_market['cycle'].pk}/run/", follow=True)
    assert "is running: wait for it to finish" in response.content.decode()
    assert run_market["cycle"].runs.count() == 1


def test_it_refuses_to_run_an_open_cycle(client, run_market):
    run_market["cycle"].state = MatchCycle.State.OPEN
    run_market["cycle"].save()
    client.force_login(administrator())
    response = client.post(f"/match/cycles/{run_market['cycle'].pk}/run/", follow=True)
    assert "Only a locked cycle can be run" in response.content.decode()
    assert not MatchRun.objects.exists()


def test_the_progress_fragment_polls_until_the_run_ends(client, run_market):
    run = MatchRun.objects.create(
        cycle=run_market["cycle"],
        status=MatchRun.Status.RUNNING,
        progress=30,
        started_at=timezone.now(),
    )
    client.force_login(administrator())
    url = f"/match/cycles/{run_market['cycle'].pk}/run/progress/"
    fragment = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "30% done" in fragment
    run.status, run.progress, run.error = MatchRun.Status.FAILED, 30, "boom"
    run.save()
    fragment = client.get(url).content.decode()
    assert "hx-trigger" not in fragment and "failed: boom" in fragment


def test_it_publishes_on_match_day_not_before(
    client, run_market, django_capture_on_commit_callbacks
):
    cycle = run_market["cycle"]
    run_through_the_page(client, cycle, django_capture_on_commit_callbacks)
    moving = MatchCycle.objects.filter(pk=cycle.pk)
    moving.update(match_day=timezone.now() + timezone.timedelta(days=1))
    response = client.post(f"/match/cycles/{cycle.pk}/publish/", follow=True)
    assert "Results are published on match day, not before" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.state == MatchCycle.State.RUN
    moving.update(match_day=timezone.now() - timezone.timedelta(minutes=1))
    client.post(f"/match/cycles/{cycle.pk}/publish/")
    cycle.refresh_from_db()
    assert cycle.state == MatchCycle.State.PUBLISHED
    assert cycle.audit.filter(note__startswith="Published the result of run").exists()
    # No run after publishing.
    response = client.post(f"/match/cycles/{cycle.pk}/run/", follow=True)
    assert "Only a locked cycle can be run" in response.content.decode()


def test_it_runs_jrmp_with_couples_as_singles_and_regional_caps(
    django_capture_on_commit_callbacks, client, alice, bob
):
    from medmatch.cycles.models import CycleRegion

    cycle = make_cycle(rules=MatchCycle.Rules.JRMP)
    region = CycleRegion.objects.create(cycle=cycle, name="Tokyo", cap=1)
    a = make_cycle_program(cycle, "Tokyo A", quota=1, region=region)
    b = make_cycle_program(cycle, "Tokyo B", quota=1, region=region)
    make_student_list(cycle, alice, [a, b])
    make_student_list(cycle, bob, [a, b])
    make_couple(cycle, alice, bob, [(a, b)])  # JRMP has no couples: their own lists count
    make_program_list(a, [bob, alice])
    make_program_list(b, [bob, alice])
    run = run_through_the_page(client, cycle, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    assert sorted(filter(None, (o[0] for o in outcomes(run).values()))) == ["Tokyo A"]
    assert outcomes(run)["bob"] == ("Tokyo A", None)
    lines = explanation_lines(MatchOutcome.objects.get(run=run, student=alice))
    assert "region's cap" in lines[0].why or "filled its" in lines[0].why


@pytest.mark.parametrize(
    "number,word",
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (12, "12th"), (22, "22nd"), (103, "103rd")],
)
def test_it_words_ordinals(number, word):
    assert ordinal(number) == word


def test_it_reads_the_market_in_a_few_queries(run_market, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        built = running.read_market(run_market["cycle"])
    assert len(built.instance.applicants) == 2  # alice, bob; erin is a couple of two selves
    assert [c.id for c in built.instance.couples][1] == f"x{run_market['students']['erin'].pk}"
