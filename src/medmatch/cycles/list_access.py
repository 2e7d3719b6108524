"""The one way to reach rank lists. A student's list and their proposals are theirs
(``get_owned_or_404``); a couple's link and joint list belong to both partners and nobody else; a
program's list belongs to the program's verified staff (``workspace.access``), and only a program
director certifies it (``can_rank``). Anything else is a 404, never a 403: a stranger does not
learn that the list exists."""

from django.http import Http404

from medmatch.cycles.access import staff_cycle_programs
from medmatch.cycles.models import (
    CoupleLink,
    CoupleProposal,
    CycleProgram,
    MatchCycle,
    StudentRankList,
)
from medmatch.lib.access import get_owned_or_404

# The cycles a student sees on the match page (a draft is the administrator's secret).
VISIBLE_STATES = [
    MatchCycle.State.OPEN,
    MatchCycle.State.LOCKED,
    MatchCycle.State.RUN,
    MatchCycle.State.PUBLISHED,
]


def is_student(user) -> bool:
    return user is not None and user.is_authenticated and user.is_student


def visible_cycles():
    return MatchCycle.objects.filter(state__in=VISIBLE_STATES)


def get_student_cycle_or_404(user, pk: int) -> MatchCycle:
    """A cycle a student may take part in (not a draft); 404 for anyone who is not a student."""
    if not is_student(user):
        raise Http404("No such cycle.")
    cycle = visible_cycles().filter(pk=pk).first()
    if cycle is None:
        raise Http404("No such cycle.")
    return cycle


def get_student_list_or_404(user, pk: int) -> StudentRankList:
    return get_owned_or_404(StudentRankList.objects.select_related("cycle"), user, pk=pk)


def get_couple_link_or_404(user, pk: int) -> CoupleLink:
    """An accepted link ``user`` is a partner of (ended ones too: they stay readable)."""
    link = (
        CoupleLink.objects.for_student(user)
        .filter(pk=pk, partner_accepted_at__isnull=False)
        .select_related("cycle", "proposer", "partner")
        .first()
    )
    if link is None:
        raise Http404("No such couple.")
    return link


def get_own_proposal_or_404(user, pk: int) -> CoupleProposal:
    return get_owned_or_404(CoupleProposal.objects.select_related("cycle"), user, pk=pk)


def proposals_to(user):
    """Pending proposals addressed to ``user``'s email, from someone else, in visible cycles."""
    if not is_student(user) or not user.email:
        return CoupleProposal.objects.none()
    return (
        CoupleProposal.objects.filter(
            email__iexact=user.email,
            status=CoupleProposal.Status.PENDING,
            cycle__state__in=VISIBLE_STATES,
        )
        .exclude(proposer=user)
        .select_related("cycle", "proposer")
    )


def get_proposal_to_me_or_404(user, pk: int) -> CoupleProposal:
    proposal = proposals_to(user).filter(pk=pk).first()
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


def get_ranking_cycle_program_or_404(user, pk: int) -> CycleProgram:
    """A program's entry in a visible cycle, for the program's verified staff."""
    entry = staff_cycle_programs(user, visible_cycles()).filter(pk=pk).first()
    if entry is None:
        raise Http404("No such program list.")
    return entry
