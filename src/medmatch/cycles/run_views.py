"""The administrator's run and publish on a cycle's page, the run's progress (an htmx fragment
the page polls every two seconds while a run is queued or running; without JavaScript the page
says to reload it) and cancelling a queued run. Every view goes through ``cycles.access``."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from medmatch.cycles import run_services as services
from medmatch.cycles.access import get_administered_cycle_or_404, match_administrators_only
from medmatch.cycles.cycle_views import refusal_as_message
from medmatch.cycles.forms import CancelRunForm


@match_administrators_only
@require_POST
def run_cycle(request, pk: int):
    cycle = get_administered_cycle_or_404(request.user, pk)
    with refusal_as_message(request):
        services.match_run_start(cycle=cycle, who=request.user)
        messages.success(request, "The match is queued; this page shows its progress.")
    return redirect(cycle)


@match_administrators_only
@require_GET
def show_run_progress(request, pk: int):
    cycle = get_administered_cycle_or_404(request.user, pk)
    context = {"cycle": cycle, "run": cycle.runs.first(), "fragment": True}
    return render(request, "cycles/_run_panel.html", context)


@match_administrators_only
@require_POST
def cancel_run(request, pk: int):
    cycle = get_administered_cycle_or_404(request.user, pk)
    form = CancelRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Run to cancel: " + " ".join(form.errors["run"]))
        return redirect(cycle)
    with refusal_as_message(request):
        run = services.match_run_cancel(
            cycle=cycle, run_pk=form.cleaned_data["run"], who=request.user
        )
        messages.success(
            request,
            f"Run {run.pk} is cancelled; nothing of it is stored. You may run the match again.",
        )
    return redirect(cycle)


@match_administrators_only
@require_POST
def publish_cycle(request, pk: int):
    cycle = get_administered_cycle_or_404(request.user, pk)
    with refusal_as_message(request):
        services.cycle_publish(cycle=cycle, who=request.user)
        messages.success(request, "The result is published: students and programs can see it.")
    return redirect(cycle)


# Running and publishing a cycle, for match administrators.
urlpatterns = [
    path("cycles/<int:pk>/run/", run_cycle, name="cycle_run"),
    path("cycles/<int:pk>/run/progress/", show_run_progress, name="cycle_run_progress"),
    path("cycles/<int:pk>/run/cancel/", cancel_run, name="cycle_run_cancel"),
    path("cycles/<int:pk>/publish/", publish_cycle, name="cycle_publish"),
]
