"""The administrator's run and publish, each atomic and audited (``cycle_services`` has the
earlier transitions and the same refusals).

A run may start when the cycle is locked, or after an earlier run until it is published: each
run reads the same locked lists, so it gives the same result. One run at a time: while one is
queued or running a new one is refused, unless the earlier one is stale (``MatchRun.is_stale``:
no worker took it within ``QUEUE_TIMEOUT``, or its worker went away while running), and then the
new run replaces it. The administrator may also cancel a queued run at any time; the worker
skips a run that is no longer queued when it gets to it. Publishing is the administrator's
act on or after match day; nothing publishes by itself, so a person has looked at the run and
its check first. Results are published from the cycle's latest finished run.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from medmatch.cycles.cycle_services import TransitionRefused, _audit, _locked_cycle
from medmatch.cycles.models import QUEUE_TIMEOUT, MatchCycle, MatchRun
from medmatch.cycles.tasks import run_cycle_match

RUNNABLE = {MatchCycle.State.LOCKED, MatchCycle.State.RUN}


def latest_finished_run(cycle: MatchCycle) -> MatchRun | None:
    return cycle.runs.filter(status=MatchRun.Status.DONE).order_by("-pk").first()


@transaction.atomic
def match_run_start(*, cycle: MatchCycle, who) -> MatchRun:
    """Queue a run of the match for the worker (after this transaction commits)."""
    stored = _locked_cycle(cycle)
    if stored.state not in RUNNABLE:
        raise TransitionRefused(
            f"Only a locked cycle can be run; this one is {stored.get_state_display()}."
        )
    now = timezone.now()
    for stale in stored.runs.select_for_update().stale(now):
        _end_stale_run(stale, who, now, "replaced by a new run")
    active = stored.runs.active().first()
    if active is not None:
        raise TransitionRefused(_under_way(active))
    run = MatchRun.objects.create(cycle=stored, started_by=who, queued_at=now)
    _audit(stored, who, f"Started run {run.pk} of the match.", from_state=stored.state)
    transaction.on_commit(lambda: run_cycle_match.enqueue(run.pk))
    return run


def _minutes(delta) -> int:
    return int(delta.total_seconds() // 60)


def _under_way(run: MatchRun) -> str:
    if run.status == MatchRun.Status.RUNNING:
        return f"Run {run.pk} is running: wait for it to finish."
    queued = date_format(timezone.localtime(run.queued_at), "H:i")
    return (
        f"Run {run.pk} is queued (since {queued}) and waits for the worker: wait for it, or "
        f"cancel it. After {_minutes(QUEUE_TIMEOUT)} minutes without a worker, a new run "
        "replaces it."
    )


def _end_stale_run(run: MatchRun, who, now, outcome: str) -> None:
    # A queued run never started: it is cancelled. A running one lost its worker: it failed.
    if run.status == MatchRun.Status.QUEUED:
        waited = _minutes(now - run.queued_at)
        run.status = MatchRun.Status.CANCELLED
        run.error = f"No worker took it in {waited} minutes; {outcome}."
    else:
        run.status = MatchRun.Status.FAILED
        run.error = f"The worker stopped before the run finished; {outcome}"
    run.finished_at = now
    run.save(update_fields=["status", "finished_at", "error"])
    cycle = run.cycle
    _audit(cycle, who, f"Run {run.pk} ended: {run.error}", from_state=cycle.state)


@transaction.atomic
def match_run_cancel(*, cycle: MatchCycle, run_pk: int, who) -> MatchRun:
    """Cancel the cycle's run ``run_pk`` while it is queued (or stale while running); a run a
    worker is running now, or one that has ended, is refused."""
    stored = _locked_cycle(cycle)
    run = stored.runs.select_for_update().filter(pk=run_pk).first()
    if run is None:
        raise TransitionRefused("This cycle has no such run.")
    now = timezone.now()
    if run.status == MatchRun.Status.QUEUED:
        run.status = MatchRun.Status.CANCELLED
        run.error = "Cancelled before a worker took it."
        run.finished_at = now
        run.save(update_fields=["status", "finished_at", "error"])
        _audit(stored, who, f"Cancelled run {run.pk} (queued).", from_state=stored.state)
    elif run.is_stale(now):
        _end_stale_run(run, who, now, "cancelled")
    elif run.status == MatchRun.Status.RUNNING:
        raise TransitionRefused(
            f"A worker is running run {run.pk} now: it cannot be cancelled; wait for it to finish."
        )
    else:
        raise TransitionRefused(f"Run {run.pk} has already ended ({run.get_status_display()}).")
    return run


@transaction.atomic
def cycle_publish(*, cycle: MatchCycle, who) -> MatchCycle:
    stored = _locked_cycle(cycle)
    if not stored.can_move_to(MatchCycle.State.PUBLISHED):
        raise TransitionRefused(
            f"A cycle that is {stored.get_state_display()} cannot be published: run it first."
        )
    if timezone.now() < stored.match_day:
        day = timezone.localtime(stored.match_day).strftime("%d %b %Y, %H:%M")
        raise TransitionRefused(f"Results are published on match day, not before {day}.")
    run = latest_finished_run(stored)
    if run is None:
        raise TransitionRefused("No run has finished: run the match first.")
    if not (run.check_report or {}).get("valid"):
        raise TransitionRefused(
            f"The checker found the result of run {run.pk} invalid: run the match again."
        )
    stored.state = MatchCycle.State.PUBLISHED
    stored.save(update_fields=["state"])
    _audit(stored, who, f"Published the result of run {run.pk}.", from_state=MatchCycle.State.RUN)
    return stored
