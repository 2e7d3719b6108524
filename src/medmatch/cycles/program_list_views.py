"""A program's rank list in a match cycle, for the program's verified staff: the programs they
rank for, and one program's list, built from the applicants it interviewed in the review
workspace or from applicant codes (typed one by one, or a CSV file checked row by row with a
preview before anything changes). The list reorders by drag and drop (``static/js/rank_list.js``
posts the rank numbers with htmx and gets the list back) and without JavaScript (Up/Down/Remove
and the rank numbers form).

Coordinators and directors may both prepare the list; only a program director certifies it
(``workspace.access.can_rank``), as the NRMP leaves certification to the program director.
Another program's staff, students and anonymous visitors get a 404 (``list_access``)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from medmatch.accounts.models import User
from medmatch.cycles import rank_lists as lists
from medmatch.cycles import rank_selectors as selectors
from medmatch.cycles.access import staff_cycle_programs
from medmatch.cycles.list_access import get_ranking_cycle_program_or_404, visible_cycles
from medmatch.cycles.rank_forms import ApplicantAddForm, ImportForm, MoveForm, RankNumbersForm
from medmatch.workspace.access import can_rank


def _url(entry) -> str:
    return reverse("cycles:program_list", args=[entry.pk])


def _numbers_form(plist, data=None) -> RankNumbersForm:
    items = [(a.student_id, f"{a.name} ({a.code})") for _, a in selectors.program_rows(plist)]
    return RankNumbersForm(items, data, limit=lists.MAX_PROGRAM_LIST)


def _page(request, entry, status=200, **extra):
    plist = lists.program_list(entry)
    order = lists.program_order(plist)
    context = {
        "entry": entry,
        "cycle": entry.cycle,
        "plist": plist,
        "editable": lists.lists_editable(entry.cycle),
        "closed_reason": lists.closed_reason(entry.cycle),
        "can_certify": can_rank(request.user, entry.program),
        "rows": selectors.program_rows(plist),
        "numbers_form": _numbers_form(plist),
        "interviewed": selectors.interviewed_applicants(entry, exclude=order),
        "add_form": ApplicantAddForm(entry, set(), order),
        "import_form": ImportForm(),
    }
    context.update(extra)
    # The htmx reorder (a drag) replaces the list only.
    template = "cycles/_program_rank_list.html" if request.htmx else "cycles/program_list.html"
    return render(request, template, context, status=status)


def _write(request, plist, order) -> None:
    try:
        if lists.program_list_write(plist=plist, order=order):
            messages.warning(
                request,
                "The list was certified; this change un-certified it. A program director must "
                "certify it again before the deadline.",
            )
    except (lists.ListClosed, ValueError) as refusal:
        messages.error(request, str(refusal))


@require_GET
def list_program_lists(request):
    programs = staff_cycle_programs(request.user, visible_cycles())
    entries = list(programs.order_by("cycle", "program__title")[:500])
    if not entries:
        # Only program staff have this page; for anyone else it does not exist.
        raise Http404("No such page.")
    return render(request, "cycles/program_lists.html", {"entries": entries})


@require_GET
def show_program_list(request, pk: int):
    return _page(request, get_ranking_cycle_program_or_404(request.user, pk))


@require_POST
def add_applicant(request, pk: int):
    entry = get_ranking_cycle_program_or_404(request.user, pk)
    plist = lists.program_list(entry)
    order = lists.program_order(plist)
    interviewed = {a.student_id for a in selectors.interviewed_applicants(entry, exclude=order)}
    form = ApplicantAddForm(entry, interviewed, order, request.POST)
    if not form.is_valid():
        return _page(request, entry, status=400, add_form=form)
    student_id = form.cleaned_data["student_id"]
    lists.applicant_code(cycle=entry.cycle, student=User.objects.get(pk=student_id))
    _write(request, plist, [*order, student_id])
    return redirect(_url(entry))


@require_POST
def move_applicant(request, pk: int):
    entry = get_ranking_cycle_program_or_404(request.user, pk)
    plist = lists.program_list(entry)
    form = MoveForm(lists.program_order(plist), request.POST)
    if not form.is_valid():
        return _page(request, entry, status=400, move_errors=form.errors)
    _write(request, plist, form.apply(form.keys))
    return redirect(_url(entry))


@require_POST
def renumber_applicants(request, pk: int):
    entry = get_ranking_cycle_program_or_404(request.user, pk)
    plist = lists.program_list(entry)
    form = _numbers_form(plist, request.POST)
    if not form.is_valid():
        return _page(request, entry, status=400, numbers_form=form)
    _write(request, plist, form.cleaned_data["order"])
    if request.htmx:
        return _page(request, entry)
    return redirect(_url(entry))


@require_POST
def import_applicants(request, pk: int):
    entry = get_ranking_cycle_program_or_404(request.user, pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, entry, status=400, import_form=form)
    plist = lists.program_list(entry)
    dry_run = form.cleaned_data["dry_run"]
    try:
        was_certified = plist.certified_at is not None
        result = lists.program_list_import(
            plist=plist, text=form.cleaned_data["csv_text"], dry_run=dry_run
        )
    except (lists.ListClosed, ValueError) as refusal:
        messages.error(request, str(refusal))
        return redirect(_url(entry))
    if result.errors or dry_run:
        status = 400 if result.errors else 200
        # The text comes back in the form, so "import" after a good preview needs no re-upload.
        again = ImportForm(initial={"text": form.cleaned_data["csv_text"], "dry_run": False})
        return _page(request, entry, status=status, import_result=result, import_form=again)
    messages.success(request, f"Imported {len(result.rows)} applicants: the list is replaced.")
    if was_certified:
        messages.warning(request, "The import un-certified the list: certify it again.")
    return redirect(_url(entry))


@require_POST
def certify_program_list(request, pk: int):
    entry = get_ranking_cycle_program_or_404(request.user, pk)
    if not can_rank(request.user, entry.program):
        messages.error(request, "Only a program director of this program can certify its list.")
        return redirect(_url(entry))
    try:
        lists.program_list_certify(plist=lists.program_list(entry), director=request.user)
        messages.success(request, "The list is certified: as it is now, it counts in the match.")
    except (lists.ListClosed, ValueError) as refusal:
        messages.error(request, str(refusal))
    return redirect(_url(entry))


# A program's rank list, for its staff.
urlpatterns = [
    path("programs/", list_program_lists, name="program_lists"),
    path("programs/<int:pk>/", show_program_list, name="program_list"),
    path("programs/<int:pk>/add/", add_applicant, name="program_list_add"),
    path("programs/<int:pk>/move/", move_applicant, name="program_list_move"),
    path("programs/<int:pk>/order/", renumber_applicants, name="program_list_order"),
    path("programs/<int:pk>/import/", import_applicants, name="program_list_import"),
    path("programs/<int:pk>/certify/", certify_program_list, name="program_list_certify"),
]
