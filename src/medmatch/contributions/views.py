"""Pages for facts from the people who know: propose a fact, a coordinator's edit and new
listing, a coordinator's programs, a program's history, one's own proposals and coordinator
requests."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from medmatch.catalog.models import Institution, Program
from medmatch.contributions.coordinators import (
    coordinator_programs,
    get_coordinated_institution_or_404,
    get_editable_program_or_404,
)
from medmatch.contributions.extensions import program_links
from medmatch.contributions.fields import FACT_FIELDS, to_text
from medmatch.contributions.forms import (
    CoordinatorRequestForm,
    FactChoiceForm,
    ProgramCreateForm,
    ProgramFactsForm,
    ProposalForm,
)
from medmatch.contributions.models import Coordinatorship, FactProposal
from medmatch.contributions.selectors import coordinator_workspace, program_history
from medmatch.contributions.services import (
    StaleEdit,
    coordinator_request,
    program_create,
    program_facts_edit,
    program_version,
    proposal_create,
)


@login_required
@require_http_methods(["GET", "POST"])
def propose_fact(request, program_pk: int):
    program = get_object_or_404(Program.objects.select_related("institution"), pk=program_pk)
    chooser = FactChoiceForm(request.POST if request.method == "POST" else request.GET or None)
    if not chooser.is_valid():
        context = {"program": program, "chooser": chooser}
        return render(request, "contributions/propose_choose.html", context)
    key = chooser.cleaned_data["field"]
    form = ProposalForm(request.POST or None, initial={"field": key}, fact=key)
    form.fields["field"].widget = forms.HiddenInput()
    if request.method == "POST" and form.is_valid():
        proposal_create(
            proposer=request.user,
            program=program,
            field=key,
            value=_texts(form.proposed_value()),
            source_url=form.cleaned_data["source_url"],
            note=form.cleaned_data["note"],
        )
        messages.success(
            request,
            "Thank you. Your proposal is awaiting review: only you and the site's staff can see "
            "it until staff approve it.",
        )
        return redirect("contributions:proposals")
    shown = [form[name] for name in (*FACT_FIELDS[key].program_fields, "source_url", "note")]
    context = {"program": program, "form": form, "shown": shown, "fact": FACT_FIELDS[key]}
    return render(request, "contributions/propose.html", context)


def _texts(values: dict) -> dict[str, str]:
    return {name: to_text(value) for name, value in values.items()}


@login_required
@require_http_methods(["GET", "POST"])
def edit_program_facts(request, program_pk: int):
    program = get_editable_program_or_404(request.user, program_pk)
    names = [name for fact in FACT_FIELDS.values() for name in fact.program_fields]
    initial = {name: getattr(program, name) for name in names}
    initial["version"] = program_version(program)
    form = ProgramFactsForm(request.POST or None, initial=initial)
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in names}
        try:
            changes = program_facts_edit(
                program=program,
                user=request.user,
                values=values,
                source_url=form.cleaned_data["source_url"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except StaleEdit:
            messages.error(
                request,
                "Someone changed this program's facts since you opened the page. The form now "
                "shows the current values; make your change again.",
            )
            return redirect("contributions:edit", program_pk=program.pk)
        messages.success(request, f"Saved: {len(changes)} fact(s) changed.")
        return redirect("catalog:program", pk=program.pk)
    return render(request, "contributions/edit.html", {"program": program, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def create_program(request, institution_pk: int):
    institution = get_coordinated_institution_or_404(request.user, institution_pk)
    form = ProgramCreateForm(request.POST or None, institution=institution)
    if form.is_valid():
        program = program_create(
            institution=institution, user=request.user, values=form.fact_values(), **form.listing()
        )
        messages.success(
            request,
            "Your listing is public now, shown as reported by the program; its history says you "
            "created it.",
        )
        return redirect("catalog:program", pk=program.pk)
    context = {"institution": institution, "form": form}
    return render(request, "contributions/create_program.html", context)


@login_required
@require_GET
def list_my_programs(request):
    workspace = coordinator_workspace(request.user)
    programs = [program for _, listed in workspace for program in listed]
    links = program_links(request.user, programs)
    for program in programs:
        program.extra_links = links.get(program.pk, [])
    context = {"workspace": workspace}
    return render(request, "contributions/my_programs.html", context)


@require_GET
def show_history(request, program_pk: int):
    program = get_object_or_404(Program.objects.select_related("institution"), pk=program_pk)
    context = {
        "program": program,
        "changes": program_history(program),
        "show_people": request.user.is_staff,
    }
    return render(request, "contributions/history.html", context)


@login_required
@require_GET
def list_proposals(request):
    proposals = (
        FactProposal.objects.visible_to(request.user)
        .filter(proposer=request.user)
        .select_related("program__institution")
    )
    return render(request, "contributions/proposals.html", {"proposals": proposals})


@login_required
@require_GET
def show_coordinator(request):
    context = {
        "requests": Coordinatorship.objects.filter(user=request.user).select_related("institution"),
        "programs": coordinator_programs(request.user)
        .select_related("institution")
        .order_by("institution__name", "title"),
    }
    return render(request, "contributions/coordinator.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_coordinator(request, institution_pk: int):
    institution = get_object_or_404(
        Institution.objects.select_related("hospital"), pk=institution_pk
    )
    form = CoordinatorRequestForm(request.POST or None)
    if form.is_valid():
        coordinator_request(user=request.user, institution=institution, **form.cleaned_data)
        messages.success(
            request,
            "Your request was sent. Staff check it against the evidence below before you can "
            "edit any program's facts.",
        )
        return redirect(reverse("contributions:coordinator"))
    return render(
        request,
        "contributions/coordinator_request.html",
        {"institution": institution, "form": form},
    )
