"""Who sees a published match result, in one place. Before the administrator publishes, every
result page is a 404 for everyone (the administrator reads the run on the cycle's page).

- A student sees their own outcome (``get_own_outcome_or_404``, through ``get_owned_or_404``).
- A program's staff (``workspace.access``) see the filled list of their own cycle programs.
- The unfilled positions are for the cycle's participants: a student with a rank list in the
  cycle, the staff of one of its programs, or a match administrator.
Anyone else gets a 404, so a stranger does not learn that a cycle or a program's result exists.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from medmatch.cycles.access import is_match_administrator, staff_cycle_programs
from medmatch.cycles.models import (
    CoupleLink,
    CycleProgram,
    MatchCycle,
    MatchOutcome,
    MatchRun,
    StudentRankList,
)
from medmatch.cycles.run_services import latest_finished_run
from medmatch.lib.access import get_owned_or_404


def published_cycles():
    return MatchCycle.objects.filter(state=MatchCycle.State.PUBLISHED)


def _published_run_or_404(cycle_pk: int) -> tuple[MatchCycle, MatchRun]:
    cycle = get_object_or_404(published_cycles(), pk=cycle_pk)
    run = latest_finished_run(cycle)
    if run is None:
        raise Http404("No such result.")
    return cycle, run


def get_own_outcome_or_404(user, cycle_pk: int) -> MatchOutcome:
    if user is None or not user.is_authenticated:
        raise Http404("No such result.")
    _, run = _published_run_or_404(cycle_pk)
    queryset = MatchOutcome.objects.select_related(
        "run__cycle", "cycle_program__program__institution"
    )
    return get_owned_or_404(queryset.filter(run=run), user, run=run)


def partner_outcome(outcome: MatchOutcome) -> MatchOutcome | None:
    """The outcome of the student's partner when they matched as a couple in this run."""
    link = (
        CoupleLink.objects.for_student(outcome.student)
        .filter(cycle_id=outcome.run.cycle_id, partner_accepted_at__isnull=False)
        .filter(ended_at__isnull=True)
        .first()
    )
    if link is None:
        return None
    partner = link.partner_id if link.proposer_id == outcome.student_id else link.proposer_id
    return (
        MatchOutcome.objects.select_related("student", "cycle_program__program__institution")
        .filter(run=outcome.run, student_id=partner)
        .first()
    )


def get_staff_cycle_program_or_404(user, cycle_pk: int, pk: int) -> tuple[CycleProgram, MatchRun]:
    _, run = _published_run_or_404(cycle_pk)
    entry = staff_cycle_programs(user, [run.cycle_id]).filter(pk=pk).first()
    if entry is None:
        raise Http404("No such program.")
    return entry, run


def get_participating_cycle_or_404(user, cycle_pk: int) -> tuple[MatchCycle, MatchRun]:
    cycle, run = _published_run_or_404(cycle_pk)
    if user is None or not user.is_authenticated:
        raise Http404("No such result.")
    if not (
        is_match_administrator(user)
        or StudentRankList.objects.for_student(user).filter(cycle=cycle).exists()
        or staff_cycle_programs(user, [cycle]).exists()
    ):
        raise Http404("No such result.")
    return cycle, run
