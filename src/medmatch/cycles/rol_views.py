"""A student's match pages: the match home (cycles open to students, their lists, proposals to
link as a couple, the practice match) and the rank order list builder of one cycle, with its
supplemental lists. Reordering works by drag and drop (static/js/rank_list.js posts the rank
numbers with htmx) and without JavaScript (Up/Down/Remove buttons and the rank number form).

A list is the student's own (``list_access.get_student_list_or_404``); every change goes through
``rank_lists`` and un-certifies a certified list, which the page then says plainly."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_POST

from medmatch.cycles import rank_lists as lists
from medmatch.cycles import rank_selectors as selectors
from medmatch.cycles.access import is_match_administrator, staff_cycle_programs
from medmatch.cycles.list_access import (
    get_student_cycle_or_404,
    get_student_list_or_404,
    is_student,
    proposals_to,
    visible_cycles,
)
from medmatch.cycles.models import CoupleProposal, StudentRankList
from medmatch.cycles.rank_forms import (
    AddProgramForm,
    ProposeForm,
    RankNumbersForm,
    SearchForm,
    StudentMoveForm,
)


def _list_url(rank_list) -> str:
    return reverse("cycles:list", args=[rank_list.pk])


def uncertified_message(request, cycle) -> None:
    deadline = date_format(timezone.localtime(cycle.certification_deadline), "j M Y, H:i")
    messages.warning(
        request,
        "Your list was certified; this change un-certified it. It does not count in the match "
        f"until you certify it again (before {deadline}).",
    )


def _numbers_form(rank_list, data=None) -> RankNumbersForm:
    items = selectors.student_list_labels(rank_list)
    return RankNumbersForm(items, data, limit=lists.MAX_STUDENT_LIST)


def list_context(request, rank_list, **extra) -> dict:
    cycle = rank_list.cycle
    search = SearchForm(request.GET)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    fits = selectors.Fits(rank_list.student)
    candidates, more = selectors.student_candidates(rank_list, query, fits)
    context = {
        "rank_list": rank_list,
        "cycle": cycle,
        "editable": lists.lists_editable(cycle),
        "closed_reason": lists.closed_reason(cycle),
        "code": lists.applicant_code(cycle=cycle, student=rank_list.student).code,
        "rows": selectors.student_rows(rank_list, fits),
        "numbers_form": _numbers_form(rank_list),
        "search_form": search,
        "query": query,
        "candidates": candidates,
        "more_candidates": more,
        "preliminary": selectors.preliminary_programs(cycle),
        "link": lists.active_link(cycle, rank_list.student),
        "my_proposal": CoupleProposal.objects.filter(
            cycle=cycle, proposer=rank_list.student, status=CoupleProposal.Status.PENDING
        ).first(),
        "propose_form": ProposeForm(),
    }
    context.update(extra)
    # Each row of the list beside its rank number field (a bound form keeps what was typed).
    context["table"] = list(zip(context["rows"], context["numbers_form"].rows(), strict=False))
    context["has_advanced"] = any(row.supplemental is not None for row in context["rows"])
    return context


def _render_list(request, rank_list, status=200, **extra):
    template = "cycles/_student_list.html" if request.htmx else "cycles/rank_list.html"
    return render(request, template, list_context(request, rank_list, **extra), status=status)


@login_required
@require_GET
def show_match_home(request):
    user = request.user
    own = {rank_list.cycle_id: rank_list for rank_list in StudentRankList.objects.for_student(user)}
    cycles = [
        (cycle, own.get(cycle.pk), lists.lists_editable(cycle), lists.closed_reason(cycle))
        for cycle in visible_cycles()[:50]
    ]
    context = {
        "cycles": cycles if is_student(user) else [],
        "is_student": is_student(user),
        "proposals": proposals_to(user),
        "program_lists": staff_cycle_programs(user, visible_cycles()).exists(),
        "administrator": is_match_administrator(user),
    }
    return render(request, "cycles/home.html", context)


@login_required
@require_POST
def start_list(request, pk: int):
    cycle = get_student_cycle_or_404(request.user, pk)
    try:
        rank_list = lists.student_list_start(cycle=cycle, student=request.user)
    except lists.ListClosed as refusal:
        messages.error(request, str(refusal))
        return redirect("cycles:home")
    return redirect(_list_url(rank_list))


@require_GET
def show_list(request, pk: int):
    return _render_list(request, get_student_list_or_404(request.user, pk))


def _write(request, rank_list, order, primary=None) -> None:
    try:
        if lists.student_list_write(rank_list=rank_list, order=order, primary=primary):
            uncertified_message(request, rank_list.cycle)
    except (lists.ListClosed, ValueError) as refusal:
        messages.error(request, str(refusal))


@require_POST
def add_to_list(request, pk: int):
    rank_list = get_student_list_or_404(request.user, pk)
    form = AddProgramForm(rank_list, request.POST)
    if not form.is_valid():
        return _render_list(request, rank_list, status=400, add_errors=form.errors)
    program, primary = form.cleaned_data["cycle_program"], form.cleaned_data["primary"]
    order = lists.student_order(rank_list, primary.pk if primary else None)
    _write(request, rank_list, [*order, program.pk], primary)
    return redirect(_list_url(rank_list) + f"#program-{program.pk}")


@require_POST
def move_in_list(request, pk: int):
    rank_list = get_student_list_or_404(request.user, pk)
    form = StudentMoveForm(rank_list, request.POST)
    if not form.is_valid():
        return _render_list(request, rank_list, status=400, move_errors=form.errors)
    primary = form.cleaned_data.get("primary")
    primary_program = rank_list.cycle.programs.filter(pk=primary).first() if primary else None
    _write(request, rank_list, form.apply(form.keys), primary_program)
    return redirect(_list_url(rank_list))


@require_POST
def renumber_list(request, pk: int):
    rank_list = get_student_list_or_404(request.user, pk)
    form = _numbers_form(rank_list, request.POST)
    if not form.is_valid():
        return _render_list(request, rank_list, status=400, numbers_form=form)
    _write(request, rank_list, form.cleaned_data["order"])
    if request.htmx:
        rank_list.refresh_from_db()
        return _render_list(request, rank_list)
    return redirect(_list_url(rank_list))


@require_POST
def certify_list(request, pk: int):
    rank_list = get_student_list_or_404(request.user, pk)
    try:
        lists.student_list_certify(rank_list=rank_list)
        messages.success(request, "Your list is certified: as it is now, it counts in the match.")
    except (lists.ListClosed, ValueError) as refusal:
        messages.error(request, str(refusal))
    return redirect(_list_url(rank_list))


# The match home and a student's rank order list (with supplemental lists).
urlpatterns = [
    path("", show_match_home, name="home"),
    path("cycles/<int:pk>/start/", start_list, name="list_start"),
    path("lists/<int:pk>/", show_list, name="list"),
    path("lists/<int:pk>/add/", add_to_list, name="list_add"),
    path("lists/<int:pk>/move/", move_in_list, name="list_move"),
    path("lists/<int:pk>/order/", renumber_list, name="list_order"),
    path("lists/<int:pk>/certify/", certify_list, name="list_certify"),
]
