"""The administrator's run and publish, each atomic and audited (``cycle_services`` has the
earlier transitions and the same refusals).

A run may start when the cycle is locked, or after an earlier run until it is published: each
run reads the same locked lists, so it gives the same result. Publishing is the administrator's
act on or after match day; nothing publishes by itself, so a person has looked at the run and
its check first. Results are published from the cycle's latest finished run.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from medmatch.cycles.cycle_services import TransitionRefused, _audit, _locked_cycle
from medmatch.cycles.models import MatchCycle, MatchRun
from medmatch.cycles.tasks import run_cycle_match

# A run still "running" after this long lost its worker (a restart, a crash): it no longer
# blocks a new run.
STALE_RUN = datetime.timedelta(minutes=30)
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
    stale = stored.runs.filter(status=MatchRun.Status.RUNNING, started_at__lt=now - STALE_RUN)
    for run in stale:
        run.status = MatchRun.Status.FAILED
        run.finished_at = now
        run.error = "The worker stopped before the run finished."
        run.save(update_fields=["status", "finished_at", "error"])
    if stored.runs.filter(status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING]).exists():
        raise TransitionRefused("A run is already under way: wait for it to finish.")
    run = MatchRun.objects.create(cycle=stored, started_by=who)
    _audit(stored, who, f"Started run {run.pk} of the match.", from_state=stored.state)
    transaction.on_commit(lambda: run_cycle_match.enqueue(run.pk))
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
