"""A run nobody runs does not block the cycle: a queued run waits for ``medmatch worker``; while
it waits a second run is refused with what to do, the administrator may cancel it, and once no
worker has taken it for ``QUEUE_TIMEOUT`` the page says so and a new run replaces it. A worker
that reaches a cancelled or replaced run skips it."""

import datetime

import pytest
from django.utils import timezone

from medmatch.cycles import running
from medmatch.cycles.models import (
    QUEUE_TIMEOUT,
    RUN_TIMEOUT,
    CycleAuditEntry,
    MatchOutcome,
    MatchRun,
)
from tests.cycles.factories import administrator, make_cycle, run_through_the_page
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def queued(cycle, minutes_ago=0) -> MatchRun:
    """A run queued ``minutes_ago`` that no worker has taken."""
    return MatchRun.objects.create(
        cycle=cycle, queued_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


@pytest.fixture
def as_admin(client):
    client.force_login(administrator())
    return client


def page_of(client, cycle) -> str:
    return client.get(f"/match/cycles/{cycle.pk}/").content.decode()


def test_a_fresh_queued_run_refuses_a_second_and_offers_to_cancel(as_admin, run_market):
    cycle = run_market["cycle"]
    run = queued(cycle, minutes_ago=2)
    page = page_of(as_admin, cycle)
    assert f"Run {run.pk}: queued, 0% done. Queued at" in page
    assert f"Cancel run {run.pk}" in page and "Run the match</button>" not in page
    assert "No worker has taken this run" not in page
    response = as_admin.post(f"/match/cycles/{cycle.pk}/run/", follow=True)
    said = response.content.decode()
    assert f"Run {run.pk} is queued (since" in said and "wait for it, or cancel it" in said
    assert f"After {QUEUE_TIMEOUT.seconds // 60} minutes without a worker" in said
    assert list(cycle.runs.values_list("pk", flat=True)) == [run.pk]


def test_the_administrator_cancels_a_queued_run_and_runs_again(
    as_admin, run_market, django_capture_on_commit_callbacks
):
    cycle = run_market["cycle"]
    run = queued(cycle)
    response = as_admin.post(f"/match/cycles/{cycle.pk}/run/cancel/", {"run": run.pk}, follow=True)
    page = response.content.decode()
    assert f"Run {run.pk} is cancelled; nothing of it is stored" in page
    assert f"Run {run.pk} was cancelled: Cancelled before a worker took it." in page
    assert "Run the match</button>" in page
    run.refresh_from_db()
    assert run.status == MatchRun.Status.CANCELLED and run.finished_at is not None
    assert CycleAuditEntry.objects.filter(note=f"Cancelled run {run.pk} (queued).").exists()
    # A worker that gets to it afterwards does nothing.
    assert running.run_match(run.pk) == {"skipped": "no longer queued"}
    run.refresh_from_db()
    assert run.status == MatchRun.Status.CANCELLED and not MatchOutcome.objects.exists()
    again = run_through_the_page(as_admin, cycle, django_capture_on_commit_callbacks)
    again.refresh_from_db()
    assert again.status == MatchRun.Status.DONE and again.pk != run.pk


def test_a_stale_queued_run_is_said_and_replaced_by_a_new_run(
    as_admin, run_market, django_capture_on_commit_callbacks
):
    cycle = run_market["cycle"]
    minutes = QUEUE_TIMEOUT.seconds // 60 + 1
    stale = queued(cycle, minutes_ago=minutes)
    page = page_of(as_admin, cycle)
    assert "No worker has taken this run since" in page and "medmatch worker" in page
    assert "Run the match again</button>" in page and f"Cancel run {stale.pk}" in page
    fresh = run_through_the_page(as_admin, cycle, django_capture_on_commit_callbacks)
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert fresh.pk != stale.pk and fresh.status == MatchRun.Status.DONE
    assert stale.status == MatchRun.Status.CANCELLED
    assert stale.error == f"No worker took it in {minutes} minutes; replaced by a new run."
    assert CycleAuditEntry.objects.filter(
        note__startswith=f"Run {stale.pk} ended: No worker"
    ).exists()


def test_a_stale_running_run_fails_when_replaced_or_cancelled(as_admin, run_market):
    cycle = run_market["cycle"]
    long_ago = timezone.now() - RUN_TIMEOUT - datetime.timedelta(minutes=1)
    lost = MatchRun.objects.create(
        cycle=cycle, status=MatchRun.Status.RUNNING, started_at=long_ago, progress=30
    )
    page = page_of(as_admin, cycle)
    assert "its worker may have stopped" in page and f"Cancel run {lost.pk}" in page
    as_admin.post(f"/match/cycles/{cycle.pk}/run/cancel/", {"run": lost.pk})
    lost.refresh_from_db()
    assert lost.status == MatchRun.Status.FAILED
    assert lost.error == "The worker stopped before the run finished; cancelled"


def test_it_refuses_to_cancel_a_run_a_worker_is_running_or_one_that_ended(as_admin, run_market):
    cycle = run_market["cycle"]
    busy = MatchRun.objects.create(
        cycle=cycle, status=MatchRun.Status.RUNNING, started_at=timezone.now()
    )
    page = page_of(as_admin, cycle)
    assert f"Cancel run {busy.pk}" not in page and "Run the match</button>" not in page
    url = f"/match/cycles/{cycle.pk}/run/cancel/"
    said = as_admin.post(url, {"run": busy.pk}, follow=True).content.decode()
    assert f"A worker is running run {busy.pk} now: it cannot be cancelled" in said
    busy.status = MatchRun.Status.DONE
    busy.save()
    said = as_admin.post(url, {"run": busy.pk}, follow=True).content.decode()
    assert f"Run {busy.pk} has already ended (Done)." in said
    busy.refresh_from_db()
    assert busy.status == MatchRun.Status.DONE


@pytest.mark.parametrize("value", ["", "x", "0", "-1", "99999999999", "\uff11"])
def test_a_bad_run_number_is_named(as_admin, run_market, value):
    cycle = run_market["cycle"]
    run = queued(cycle)
    response = as_admin.post(f"/match/cycles/{cycle.pk}/run/cancel/", {"run": value}, follow=True)
    assert "Run to cancel: " in response.content.decode()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.QUEUED


def test_a_run_of_another_cycle_is_not_cancelled_here(as_admin, run_market):
    other = queued(make_cycle())
    cycle = run_market["cycle"]
    said = as_admin.post(
        f"/match/cycles/{cycle.pk}/run/cancel/", {"run": other.pk}, follow=True
    ).content.decode()
    assert "This cycle has no such run." in said
    other.refresh_from_db()
    assert other.status == MatchRun.Status.QUEUED


@pytest.mark.parametrize("who", ["anonymous", "student", "coordinator"])
def test_only_administrators_cancel(client, run_market, who):
    cycle = run_market["cycle"]
    run = queued(cycle)
    if who != "anonymous":
        client.force_login(make_user(f"{who}-x", role=who))
    response = client.post(f"/match/cycles/{cycle.pk}/run/cancel/", {"run": run.pk})
    assert response.status_code == 404
    assert client.get(f"/match/cycles/{cycle.pk}/run/cancel/").status_code == 404
    run.refresh_from_db()
    assert run.status == MatchRun.Status.QUEUED
