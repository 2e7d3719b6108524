"""The match administrator's cycle pages: the list of cycles, a new or edited draft, a cycle's
page (programs with quotas, adding them one by one or by specialty, the audit) and its
transitions (open, lock). Every view goes through ``cycles.access``: anyone who is not a match
administrator or site staff gets a 404, whatever the method."""

from contextlib import contextmanager

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.cycles import cycle_services as services
from medmatch.cycles.access import (
    get_administered_cycle_or_404,
    get_administered_cycle_program_or_404,
    match_administrators_only,
)
from medmatch.cycles.forms import BulkAddForm, CycleForm, CycleProgramForm, LockForm
from medmatch.cycles.models import MatchCycle


@contextmanager
def refusal_as_message(request):
    """Run a transition; when the cycle's state refuses it, the refusal becomes the page's error
    message (and whatever followed the call in the block, a success message, is skipped)."""
    try:
        yield
    except services.TransitionRefused as refusal:
        messages.error(request, str(refusal))


def _cycle_page(request, cycle, *, program_form=None, bulk_form=None, lock_form=None, status=200):
    context = {
        "cycle": cycle,
        "programs": cycle.programs.select_related("program__institution", "revert_to__program"),
        "audit": cycle.audit.select_related("who")[:100],
        "program_form": program_form or CycleProgramForm(cycle),
        "bulk_form": bulk_form or BulkAddForm(),
        "lock_form": lock_form or LockForm(),
        "run": cycle.runs.first(),
    }
    return render(request, "cycles/cycle.html", context, status=status)


@match_administrators_only
@require_GET
def list_cycles(request):
    cycles = MatchCycle.objects.all()[:200]
    return render(request, "cycles/cycles.html", {"cycles": cycles})


@match_administrators_only
@require_http_methods(["GET", "POST"])
def create_cycle(request):
    form = CycleForm(request.POST or None)
    if form.is_valid():
        cycle = services.cycle_create(who=request.user, **form.cleaned_data)
        return redirect(cycle)
    status = 400 if request.method == "POST" else 200
    return render(request, "cycles/cycle_form.html", {"form": form}, status=status)


@match_administrators_only
@require_http_methods(["GET", "POST"])
def edit_cycle(request, pk: int):
    cycle = get_administered_cycle_or_404(request.user, pk)
    if not cycle.is_draft:
        messages.error(request, "Only a draft cycle can be edited.")
        return redirect(cycle)
    form = CycleForm(request.POST or None, instance=cycle)
    if form.is_valid():
        with refusal_as_message(request):
            services.cycle_update(cycle=form.instance, who=request.user, changed=form.changed_data)
        return redirect(cycle)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "cycle": cycle}
    return render(request, "cycles/cycle_form.html", context, status=status)


@match_administrators_only
@require_GET
def show_cycle(request, pk: int):
    return _cycle_page(request, get_administered_cycle_or_404(request.user, pk))


@match_administrators_only
@require_POST
def add_cycle_program(request, pk: int):
    cycle = get_administered_cycle_or_404(request.user, pk)
    form = CycleProgramForm(cycle, request.POST)
    if not form.is_valid():
        return _cycle_page(request, cycle, program_form=form, status=400)
    with refusal_as_message(request):
        services.cycle_program_add(cycle=cycle, who=request.user, **form.cleaned_data)
    return redirect(cycle)


@match_administrators_only
@require_POST
def add_cycle_programs_by_specialty(request, pk: int):
    cycle = get_administered_cycle_or_404(request.user, pk)
    form = BulkAddForm(request.POST)
    if not form.is_valid():
        return _cycle_page(request, cycle, bulk_form=form, status=400)
    with refusal_as_message(request):
        added = services.cycle_programs_add_by_specialty(
            cycle=cycle, who=request.user, **form.cleaned_data
        )
        messages.success(request, f"Added {added} programs.")
    return redirect(cycle)


@match_administrators_only
@require_POST
def remove_cycle_program(request, pk: int, cpk: int):
    cycle = get_administered_cycle_or_404(request.user, pk)
    entry = get_administered_cycle_program_or_404(request.user, cycle, cpk)
    with refusal_as_message(request):
        services.cycle_program_remove(cycle=cycle, who=request.user, entry=entry)
    return redirect(cycle)


@match_administrators_only
@require_POST
def open_cycle(request, pk: int):
    cycle = get_administered_cycle_or_404(request.user, pk)
    with refusal_as_message(request):
        services.cycle_open(cycle=cycle, who=request.user)
        messages.success(request, "The cycle is open for rank lists.")
    return redirect(cycle)


@match_administrators_only
@require_POST
def lock_cycle(request, pk: int):
    cycle = get_administered_cycle_or_404(request.user, pk)
    form = LockForm(request.POST)
    if not form.is_valid():
        return _cycle_page(request, cycle, lock_form=form, status=400)
    with refusal_as_message(request):
        services.cycle_lock(cycle=cycle, who=request.user, **form.cleaned_data)
        messages.success(request, "The cycle is locked.")
    return redirect(cycle)


# Match cycles, for match administrators.
urlpatterns = [
    path("cycles/", list_cycles, name="cycles"),
    path("cycles/new/", create_cycle, name="cycle_new"),
    path("cycles/<int:pk>/", show_cycle, name="cycle"),
    path("cycles/<int:pk>/edit/", edit_cycle, name="cycle_edit"),
    path("cycles/<int:pk>/programs/add/", add_cycle_program, name="cycle_program_add"),
    path(
        "cycles/<int:pk>/programs/add-by-specialty/",
        add_cycle_programs_by_specialty,
        name="cycle_programs_bulk",
    ),
    path(
        "cycles/<int:pk>/programs/<int:cpk>/remove/",
        remove_cycle_program,
        name="cycle_program_remove",
    ),
    path("cycles/<int:pk>/open/", open_cycle, name="cycle_open"),
    path("cycles/<int:pk>/lock/", lock_cycle, name="cycle_lock"),
]
