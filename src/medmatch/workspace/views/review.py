"""review pages of the program side (see views/__init__.py): the workspace home with each
program's dashboard, the inbox with bulk decisions, the rubric, and the review panel of one
submission.

Every row comes through ``workspace.access``: a program or submission that is not the user's is a
404 for everyone, anonymous visitors included (only the home, which names no object, sends them to
log in).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.workspace import review_services as services
from medmatch.workspace.access import (
    get_staff_program_heading_or_404,
    get_staff_program_or_404,
    get_staff_submission_or_404,
    staff_programs,
)
from medmatch.workspace.models import Review, RubricCriterion
from medmatch.workspace.review_forms import (
    ACTIONS,
    PAGE_SIZE,
    BulkDecisionForm,
    CriterionForm,
    DecisionForm,
    InboxForm,
    MoveForm,
    RetireForm,
    ReviewForm,
    decision_of,
)
from medmatch.workspace.review_rows import filter_grid_html, rows_html
from medmatch.workspace.review_selectors import SORTS, dashboards, inbox_page, panel


@login_required
@require_GET
def show_home(request):
    programs = staff_programs(request.user).select_related("institution").order_by("title", "pk")
    return render(request, "workspace/review/home.html", {"dashboards": dashboards(programs)})


@require_GET
def show_inbox(request, pk: int):
    # The names the page shows and the intake's signals, in one hand-written query (the ORM's
    # took longer to build than to run).
    program = get_staff_program_heading_or_404(request.user, pk)
    uses_signals = program.uses_signals
    form = InboxForm(request.GET, program=program, uses_signals=uses_signals)
    page = None
    if form.is_valid():
        found = inbox_page(
            program,
            request.user,
            filters=form.cleaned_data,
            number=form.cleaned_data.get("page") or 1,
            size=PAGE_SIZE,
        )
        # A Paginator over the count alone (the rows came in the same query), for its page
        # arithmetic; the page's object_list is its rows.
        page = Page(found.rows, found.number, Paginator(range(found.total), PAGE_SIZE))
        page.rows = found.rows
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "program": program,
        "inbox_url": reverse("workspace:inbox", args=[program.pk]),
        "form": form,
        "filter_grid": filter_grid_html(form),
        "uses_signals": uses_signals,
        "page": page,
        "rows_html": rows_html(page.rows, uses_signals=uses_signals) if page else "",
        "querystring": query.urlencode(),
        "sort_label": SORTS[form.cleaned_data.get("sort") or "newest"][0] if page else "",
        # The bulk form's choices, without building the form (it is bound only when posted).
        "action_label": BulkDecisionForm.base_fields["action"].label,
        "actions": ACTIONS,
    }
    return render(request, "workspace/review/inbox.html", context)


@require_POST
def decide_in_bulk(request, pk: int):
    program = get_staff_program_or_404(request.user, pk)
    form = BulkDecisionForm(request.POST, program=program)
    # Back to the same filters and page; re-encoded, so only a query string of our own page.
    back = reverse("workspace:inbox", args=[program.pk])
    query = QueryDict(request.POST.get("query", "")[:2000]).urlencode()
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(f"{back}?{query}" if query else back)
    outcome = services.decisions_set(
        program=program,
        submission_ids=[row.pk for row in form.cleaned_data["submissions"]],
        decision=decision_of(form.cleaned_data["action"]),
        by=request.user,
    )
    messages.success(request, _outcome_text(outcome))
    return redirect(f"{back}?{query}" if query else back)


def _outcome_text(outcome) -> str:
    text = (
        f"Decision changed for {outcome.changed} application{'s' if outcome.changed != 1 else ''}"
    )
    if outcome.unchanged:
        text += f"; {outcome.unchanged} already had it"
    if outcome.withdrawn:
        text += f"; {outcome.withdrawn} withdrawn, left as they were"
    return text + "."


# ---- the rubric ---------------------------------------------------------------------------------


def _criterion_or_404(program, criterion_pk: int) -> RubricCriterion:
    # The program came through workspace.access; its own criteria only.
    return get_object_or_404(RubricCriterion, program=program, pk=criterion_pk)


@require_http_methods(["GET", "POST"])
def edit_rubric(request, pk: int):
    program = get_staff_program_or_404(request.user, pk)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.criterion_add(program=program, **form.cleaned_data)
        messages.success(request, f"Added “{form.cleaned_data['name']}” to the rubric.")
        return redirect("workspace:rubric", program.pk)
    criteria = RubricCriterion.objects.filter(program=program)
    context = {"program": program, "criteria": criteria, "form": form}
    return render(request, "workspace/review/rubric.html", context)


@require_http_methods(["GET", "POST"])
def edit_criterion(request, pk: int, criterion_pk: int):
    program = get_staff_program_or_404(request.user, pk)
    criterion = _criterion_or_404(program, criterion_pk)
    form = CriterionForm(
        request.POST or None, instance=criterion, scored=services.criterion_is_scored(criterion)
    )
    if request.method == "POST" and form.is_valid():
        services.criterion_update(criterion=criterion, **form.cleaned_data)
        messages.success(request, f"Saved “{criterion.name}”.")
        return redirect("workspace:rubric", program.pk)
    context = {"program": program, "criterion": criterion, "form": form}
    return render(request, "workspace/review/criterion.html", context)


@require_POST
def move_criterion(request, pk: int, criterion_pk: int):
    program = get_staff_program_or_404(request.user, pk)
    criterion = _criterion_or_404(program, criterion_pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        step = -1 if form.cleaned_data["direction"] == "up" else 1
        services.criterion_move(criterion=criterion, step=step)
    return redirect("workspace:rubric", program.pk)


@require_POST
def retire_criterion(request, pk: int, criterion_pk: int):
    program = get_staff_program_or_404(request.user, pk)
    criterion = _criterion_or_404(program, criterion_pk)
    form = RetireForm(request.POST)
    if form.is_valid():
        services.criterion_set_retired(criterion=criterion, retired=form.cleaned_data["retired"])
        state = "retired; its scores stay readable" if criterion.retired else "back in the rubric"
        messages.success(request, f"“{criterion.name}” is {state}.")
    return redirect("workspace:rubric", program.pk)


# ---- one submission's review --------------------------------------------------------------------


def submission_page_panel(request, submission) -> dict:
    """The review panel beside a submission's content (views.submit_staff's panel registry)."""
    return {
        **panel_context(request, submission),
        "review_panel_template": "workspace/review/_panel.html",
    }


def panel_context(request, submission, review_form=None, decision_form=None) -> dict:
    """What templates/workspace/review/_panel.html needs, for any page that includes it."""
    criteria = list(RubricCriterion.objects.filter(program_id=submission.program_id, retired=False))
    if review_form is None:
        mine = Review.objects.filter(submission=submission, reviewer=request.user).first()
        review_form = ReviewForm(criteria=criteria, initial=ReviewForm.initial_for(mine, criteria))
    return {
        "submission": submission,
        "panel": panel(submission),
        "review_form": review_form,
        "decision_form": decision_form or DecisionForm(),
    }


@require_http_methods(["GET", "POST"])
def review_submission(request, pk: int):
    submission = get_staff_submission_or_404(request.user, pk)
    form = None
    if request.method == "POST":
        criteria = RubricCriterion.objects.filter(program_id=submission.program_id, retired=False)
        form = ReviewForm(request.POST, criteria=criteria)
        if form.is_valid() and not submission.is_withdrawn:
            form.save(submission=submission, reviewer=request.user)
            messages.success(request, "Your review is saved.")
            return redirect("workspace:submission_staff", submission.pk)
    context = panel_context(request, submission, review_form=form)
    status = 400 if form is not None else 200
    return render(request, "workspace/review/submission.html", context, status=status)


@require_POST
def decide(request, pk: int):
    submission = get_staff_submission_or_404(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid() or submission.is_withdrawn:
        context = panel_context(request, submission, decision_form=form)
        return render(request, "workspace/review/submission.html", context, status=400)
    outcome = services.decisions_set(
        program=submission.program,
        submission_ids=[submission.pk],
        decision=decision_of(form.cleaned_data["action"]),
        by=request.user,
    )
    if outcome.changed:
        messages.success(request, "Decision saved.")
    return redirect("workspace:submission_staff", submission.pk)


urlpatterns = [
    path("workspace/", show_home, name="home"),
    path("workspace/programs/<int:pk>/inbox/", show_inbox, name="inbox"),
    path("workspace/programs/<int:pk>/inbox/decide/", decide_in_bulk, name="inbox_decide"),
    path("workspace/programs/<int:pk>/rubric/", edit_rubric, name="rubric"),
    path(
        "workspace/programs/<int:pk>/rubric/<int:criterion_pk>/",
        edit_criterion,
        name="criterion",
    ),
    path(
        "workspace/programs/<int:pk>/rubric/<int:criterion_pk>/move/",
        move_criterion,
        name="criterion_move",
    ),
    path(
        "workspace/programs/<int:pk>/rubric/<int:criterion_pk>/retire/",
        retire_criterion,
        name="criterion_retire",
    ),
    path("workspace/submissions/<int:pk>/review/", review_submission, name="review"),
    path("workspace/submissions/<int:pk>/decision/", decide, name="decide"),
]
