"""The match cycle's background work: one run of the match, queued by the administrator's
Run button (``run_services.match_run_start``) and run by ``medmatch worker``."""

from django_tasks import task

from medmatch.cycles.running import run_match


@task()
def run_cycle_match(run_pk: int) -> dict:
    """Run the queued ``MatchRun`` ``run_pk``; returns the seconds of each phase (and their
    processor time), or ``{"failed": reason}`` (the run's row then holds the error)."""
    return run_match(run_pk)
