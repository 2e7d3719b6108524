"""The access helpers every interview page uses (one per owned object, returning the student's own
object or raising 404, so that no view filters by owner itself) and the schedule's conflicts."""

import dataclasses
import datetime

from django.http import Http404
from django.utils import timezone

from medmatch.interviews.conflicts import find_conflicts
from medmatch.interviews.models import Interview, PracticeAttempt, Question
from medmatch.lib.access import get_owned_or_404


def get_interview(request, pk: int) -> Interview:
    return get_owned_or_404(Interview.objects.with_program(), request.user, pk=pk)


def get_attempt(request, pk: int) -> PracticeAttempt:
    return get_owned_or_404(PracticeAttempt.objects.select_related("question"), request.user, pk=pk)


def get_own_question(request, pk: int) -> Question:
    return get_owned_or_404(Question, request.user, pk=pk)


def get_question_to_practise(request, pk: int) -> Question:
    """A built-in question (any signed-in user) or the user's own; anything else is a 404."""
    if not request.user.is_authenticated:
        raise Http404("No such object.")
    built_in = Question.objects.built_in().filter(pk=pk).first()
    return built_in or get_own_question(request, pk)


def now() -> datetime.datetime:
    return timezone.now()


def current_interviews(student):
    """The student's interviews from two days ago on: the ones whose clashes still matter (a
    travel clash needs yesterday's interview too)."""
    since = now() - datetime.timedelta(days=2)
    return list(Interview.objects.for_student(student).with_program().filter(starts_at__gte=since))


def clashes_with(candidate: Interview, student) -> list[tuple]:
    """The clashes the interview being saved (``candidate``, valid but not saved) would have
    with the student's other current interviews, as they are saved: (conflict, the other
    interview's slot) pairs."""
    candidate.locate()
    slot = dataclasses.replace(candidate.to_slot(), id=0)
    others = [i.to_slot() for i in current_interviews(student) if i.pk != candidate.pk]
    return [(c, c.other(0)) for c in find_conflicts([slot, *others]) if c.involves(0)]


def conflicts_by_interview(interviews) -> tuple[list, dict[int, list]]:
    """All clashes among ``interviews``, and per interview id the clashes it is part of. Each
    interview also gets them as ``.clashes`` for the templates."""
    conflicts = find_conflicts([interview.to_slot() for interview in interviews])
    by_id: dict[int, list] = {interview.pk: [] for interview in interviews}
    for conflict in conflicts:
        by_id[conflict.first.id].append(conflict)
        by_id[conflict.second.id].append(conflict)
    for interview in interviews:
        interview.clashes = by_id[interview.pk]
    return conflicts, by_id
