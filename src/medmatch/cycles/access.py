"""Who may run match cycles: a match administrator (role ``match_admin``) or site staff. Anyone
else — a student, a coordinator, an anonymous visitor — gets a 404 for every administrator page,
so a stranger does not learn that a cycle exists."""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404

from medmatch.accounts.models import User
from medmatch.cycles.models import CycleProgram, MatchCycle
from medmatch.workspace.access import staff_programs


def is_match_administrator(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or user.role == User.Role.MATCH_ADMIN


def require_match_administrator(user) -> None:
    if not is_match_administrator(user):
        raise Http404("No such page.")


def get_administered_cycle_or_404(user, pk: int) -> MatchCycle:
    require_match_administrator(user)
    return get_object_or_404(MatchCycle, pk=pk)


def get_administered_cycle_program_or_404(user, cycle: MatchCycle, pk: int) -> CycleProgram:
    require_match_administrator(user)
    return get_object_or_404(CycleProgram, cycle=cycle, pk=pk)


def staff_cycle_programs(user, cycles):
    """The cycle programs of ``cycles`` (a queryset or list of cycles) whose program ``user``
    is verified staff of: a program's side of the rank lists and of the results. None for
    anyone else, an anonymous visitor included."""
    if user is None or not user.is_authenticated:
        return CycleProgram.objects.none()
    return CycleProgram.objects.filter(
        cycle__in=cycles, program__in=staff_programs(user)
    ).select_related("cycle", "program__institution")


def match_administrators_only(view):
    """Outermost on every administrator view: a 404 for anyone else whatever the method, so even
    a GET of a POST-only address tells a stranger nothing (not a 405)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_match_administrator(request.user)
        return view(request, *args, **kwargs)

    return wrapper
