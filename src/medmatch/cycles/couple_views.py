"""Couples: proposing a link by email (the proposer learns nothing about the address until its
owner answers), accepting or declining, the joint list of program pairs that both partners see
and edit (with the pairs their individual lists imply as suggestions), each partner certifying,
and ending the link. The joint list reorders by drag and drop (``static/js/rank_list.js`` posts
the rank numbers with htmx and gets the list back) and without JavaScript (Up/Down/Remove and
the rank numbers form). Only the two partners reach a couple's pages
(``get_couple_link_or_404``)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from medmatch.cycles import rank_lists as lists
from medmatch.cycles import rank_selectors as selectors
from medmatch.cycles.list_access import (
    get_couple_link_or_404,
    get_own_proposal_or_404,
    get_proposal_to_me_or_404,
    get_student_list_or_404,
)
from medmatch.cycles.rank_forms import (
    AnswerForm,
    PairForm,
    PairMoveForm,
    ProposeForm,
    RankNumbersForm,
    pair_keys,
)
from medmatch.cycles.rol_views import list_context


def _couple_url(link) -> str:
    return reverse("cycles:couple", args=[link.pk])


def _side_label(program) -> str:
    return str(program.program) if program else "No match"


def _numbers_form(joint, data=None) -> RankNumbersForm:
    items = [
        (key, f"{_side_label(a)} / {_side_label(b)}")
        for key, (_, a, b) in zip(pair_keys(joint), selectors.joint_rows(joint), strict=True)
    ]
    return RankNumbersForm(items, data, limit=lists.MAX_PAIRS)


def _couple_page(request, link, status=200, **extra):
    joint = lists.joint_list(link)
    me_first = request.user.pk == link.proposer_id
    on_list = set(lists.pair_order(joint))
    suggestions = [pair for pair in lists.implied_pairs(link) if pair not in on_list]
    context = {
        "link": link,
        "cycle": link.cycle,
        "joint": joint,
        "partner": link.partner if me_first else link.proposer,
        "me_first": me_first,
        "editable": lists.lists_editable(link.cycle) and link.ended_at is None,
        "closed_reason": lists.LINK_ENDED if link.ended_at else lists.closed_reason(link.cycle),
        "rows": selectors.joint_rows(joint),
        "numbers_form": _numbers_form(joint),
        "pair_form": PairForm(link.cycle),
        "suggestions": selectors.named_pairs(suggestions),
        "i_certified": joint.proposer_certified_at if me_first else joint.partner_certified_at,
        "they_certified": joint.partner_certified_at if me_first else joint.proposer_certified_at,
    }
    context.update(extra)
    partner_name = context["partner"].get_full_name() or context["partner"].username
    first, second = ("Your program", f"{partner_name}'s program")
    if not me_first:
        first, second = second, first
    context["pair_form"].fields["proposer_program"].label = first
    context["pair_form"].fields["partner_program"].label = second
    # The htmx reorder (a drag) replaces the joint list only.
    template = "cycles/_couple_pairs.html" if request.htmx else "cycles/couple.html"
    return render(request, template, context, status=status)


@require_POST
def propose_couple(request, pk: int):
    rank_list = get_student_list_or_404(request.user, pk)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        context = list_context(request, rank_list, propose_form=form)
        return render(request, "cycles/rank_list.html", context, status=400)
    try:
        lists.couple_propose(
            cycle=rank_list.cycle, proposer=request.user, email=form.cleaned_data["email"]
        )
        messages.success(
            request,
            "Proposal made. If this address belongs to a student taking part in this cycle, they "
            "will see it on their Match page; you will see here when they answer.",
        )
    except (lists.ListClosed, ValueError) as refusal:
        messages.error(request, str(refusal))
    return redirect("cycles:list", pk=rank_list.pk)


@require_POST
def withdraw_proposal(request, pk: int):
    proposal = get_own_proposal_or_404(request.user, pk)
    if proposal.status == proposal.Status.PENDING:
        try:
            lists.couple_proposal_withdraw(proposal=proposal)
            messages.success(request, "Proposal withdrawn.")
        except lists.ListClosed as refusal:
            messages.error(request, str(refusal))
    return redirect("cycles:home")


@require_POST
def answer_proposal(request, pk: int):
    proposal = get_proposal_to_me_or_404(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose Accept or Decline.")
        return redirect("cycles:home")
    accept = form.cleaned_data["decision"] == "accept"
    try:
        link = lists.couple_proposal_answer(proposal=proposal, partner=request.user, accept=accept)
    except (lists.ListClosed, ValueError) as refusal:
        messages.error(request, str(refusal))
        return redirect("cycles:home")
    if link is None:
        messages.success(request, "Proposal declined.")
        return redirect("cycles:home")
    messages.success(request, "You are linked as a couple. Build your joint list together here.")
    return redirect(_couple_url(link))


@require_GET
def show_couple(request, pk: int):
    return _couple_page(request, get_couple_link_or_404(request.user, pk))


def _write_pairs(request, link, pairs) -> None:
    try:
        if lists.couple_pairs_write(joint=lists.joint_list(link), pairs=pairs):
            messages.warning(
                request,
                "The joint list was certified; this change un-certified it for both of you. "
                "Each of you must certify it again before the deadline.",
            )
    except (lists.ListClosed, ValueError) as refusal:
        messages.error(request, str(refusal))


@require_POST
def add_pair(request, pk: int):
    link = get_couple_link_or_404(request.user, pk)
    form = PairForm(link.cycle, request.POST)
    if not form.is_valid():
        return _couple_page(request, link, status=400, pair_form=form)
    pairs = lists.pair_order(lists.joint_list(link))
    if form.cleaned_data["pair"] in pairs:
        messages.error(request, "This pair is already on the joint list.")
    else:
        _write_pairs(request, link, [*pairs, form.cleaned_data["pair"]])
    return redirect(_couple_url(link))


@require_POST
def move_pair(request, pk: int):
    link = get_couple_link_or_404(request.user, pk)
    form = PairMoveForm(lists.joint_list(link), request.POST)
    if not form.is_valid():
        return _couple_page(request, link, status=400, move_errors=form.errors)
    _write_pairs(request, link, form.new_pairs())
    return redirect(_couple_url(link))


@require_POST
def renumber_pairs(request, pk: int):
    link = get_couple_link_or_404(request.user, pk)
    joint = lists.joint_list(link)
    form = _numbers_form(joint, request.POST)
    if not form.is_valid():
        return _couple_page(request, link, status=400, numbers_form=form)
    by_key = dict(zip(pair_keys(joint), lists.pair_order(joint), strict=True))
    _write_pairs(request, link, [by_key[key] for key in form.cleaned_data["order"]])
    if request.htmx:
        return _couple_page(request, link)
    return redirect(_couple_url(link))


@require_POST
def certify_couple(request, pk: int):
    link = get_couple_link_or_404(request.user, pk)
    try:
        if lists.couple_list_certify(joint=lists.joint_list(link), student=request.user):
            messages.success(request, "Both of you have certified: the joint list counts.")
        else:
            messages.success(
                request, "You certified the joint list. It counts once your partner certifies too."
            )
    except (lists.ListClosed, ValueError) as refusal:
        messages.error(request, str(refusal))
    return redirect(_couple_url(link))


@require_POST
def end_couple(request, pk: int):
    link = get_couple_link_or_404(request.user, pk)
    if link.ended_at is None:
        try:
            lists.couple_link_end(link=link)
            messages.success(request, "The link has ended; your individual lists stay as they are.")
        except lists.ListClosed as refusal:
            messages.error(request, str(refusal))
    return redirect("cycles:home")


# Couples: proposals and the joint list.
urlpatterns = [
    path("lists/<int:pk>/propose/", propose_couple, name="couple_propose"),
    path("proposals/<int:pk>/withdraw/", withdraw_proposal, name="proposal_withdraw"),
    path("proposals/<int:pk>/answer/", answer_proposal, name="proposal_answer"),
    path("couples/<int:pk>/", show_couple, name="couple"),
    path("couples/<int:pk>/add/", add_pair, name="couple_add"),
    path("couples/<int:pk>/move/", move_pair, name="couple_move"),
    path("couples/<int:pk>/order/", renumber_pairs, name="couple_order"),
    path("couples/<int:pk>/certify/", certify_couple, name="couple_certify"),
    path("couples/<int:pk>/end/", end_couple, name="couple_end"),
]
