"""Match day: a student's own result with the reasons, a program's filled list for its staff,
the unfilled positions for the cycle's participants, and an index of the results a user may
see. Every object comes through ``cycles.result_access``; nothing is shown before publishing."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from medmatch.cycles.access import staff_cycle_programs
from medmatch.cycles.models import MatchOutcome, ProgramRankEntry
from medmatch.cycles.result_access import (
    get_own_outcome_or_404,
    get_participating_cycle_or_404,
    get_staff_cycle_program_or_404,
    partner_outcome,
    published_cycles,
)
from medmatch.cycles.result_presenters import explanation_lines, ordinal, program_names


@login_required
@require_GET
def list_results(request):
    outcomes = MatchOutcome.objects.for_student(request.user).filter(
        run__cycle__in=published_cycles()
    )
    context = {
        "outcomes": outcomes.select_related("run__cycle", "cycle_program__program").order_by(
            "-run__cycle__match_day", "-run_id"
        ),
        "programs": staff_cycle_programs(request.user, published_cycles()),
    }
    return render(request, "cycles/results.html", context)


@require_GET
def show_result(request, pk: int):
    outcome = get_own_outcome_or_404(request.user, pk)
    partner = partner_outcome(outcome) if outcome.explanation.get("couple") else None
    context = {
        "outcome": outcome,
        "cycle": outcome.run.cycle,
        "partner": partner,
        "preliminary": program_names([outcome.preliminary_program_id]).get(
            outcome.preliminary_program_id
        ),
        "lines": explanation_lines(outcome),
        "choice": ordinal(number) if (number := outcome.explanation.get("choice_number")) else "",
    }
    return render(request, "cycles/result.html", context)


@require_GET
def show_program_result(request, pk: int, cpk: int):
    entry, run = get_staff_cycle_program_or_404(request.user, pk, cpk)
    matched = list(
        MatchOutcome.objects.filter(run=run, cycle_program=entry).select_related("student")
    ) + list(
        MatchOutcome.objects.filter(run=run, preliminary_program=entry).select_related("student")
    )
    ranks = dict(
        ProgramRankEntry.objects.filter(
            rank_list__cycle_program=entry, student__in=[o.student_id for o in matched]
        ).values_list("student_id", "rank")
    )
    rows = sorted(
        ((ranks.get(o.student_id), o.student) for o in matched),
        key=lambda row: (row[0] is None, row[0] or 0, row[1].pk),
    )
    capacity, _ = (run.result or {}).get("programs", {}).get(str(entry.pk), [entry.quota, 0])
    context = {"entry": entry, "cycle": entry.cycle, "rows": rows, "capacity": capacity}
    return render(request, "cycles/program_result.html", context)


@require_GET
def show_unfilled(request, pk: int):
    cycle, run = get_participating_cycle_or_404(request.user, pk)
    programs = (run.result or {}).get("programs", {})
    open_ = {int(p): (cap, filled) for p, (cap, filled) in programs.items() if cap > filled}
    entries = cycle.programs.filter(pk__in=open_).select_related("program__institution")
    rows = [(entry, open_[entry.pk][0] - open_[entry.pk][1]) for entry in entries]
    context = {"cycle": cycle, "rows": rows, "total": sum(n for _, n in rows)}
    return render(request, "cycles/unfilled.html", context)


# Match-day results.
urlpatterns = [
    path("results/", list_results, name="results"),
    path("results/<int:pk>/", show_result, name="result"),
    path("results/<int:pk>/programs/<int:cpk>/", show_program_result, name="result_program"),
    path("results/<int:pk>/unfilled/", show_unfilled, name="result_unfilled"),
]
