"""Writes of the program's review: reviews, decisions and the rubric, each in one transaction.

Every function takes rows the view already fetched through ``workspace.access`` (the program or
the submission of the acting staff member); none looks a row up by id for itself except inside
the program it is given.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Avg, FloatField, Max, OuterRef, Subquery
from django.utils import timezone

from medmatch.workspace.models import DecisionChange, Review, RubricCriterion, Submission


def weighted_score(scores: dict, criteria: Iterable[RubricCriterion]) -> float | None:
    """One review's scores as a percentage of the highest possible, each criterion counted by its
    weight: sum(weight * score / max) / sum(weight) * 100 over the ``criteria`` given (the active
    ones) that the review scored. None when it scored none of them (unknown, not zero); a score
    kept for a retired criterion counts no more."""
    total = weights = 0.0
    for criterion in criteria:
        score = scores.get(str(criterion.pk))
        if score is None:
            continue
        total += criterion.weight * min(score, criterion.max_score) / criterion.max_score
        weights += criterion.weight
    return 100 * total / weights if weights else None


def _active_criteria(program) -> list[RubricCriterion]:
    return list(RubricCriterion.objects.filter(program=program, retired=False))


def mean_score_of_reviews():
    """The SQL for a submission's ``mean_score``: the mean of its reviews' weighted scores (SQL's
    AVG leaves out those that scored nothing; NULL when none scored)."""
    reviews = Review.objects.filter(submission=OuterRef("pk")).order_by().values("submission")
    return Subquery(
        reviews.annotate(mean=Avg("weighted_score")).values("mean"), output_field=FloatField()
    )


def mean_scores_refresh(submissions) -> None:
    """Write ``Submission.mean_score`` again for ``submissions`` (a queryset), from their reviews
    as they are now. The rows are locked first, so that two transactions changing reviews of one
    submission write its mean one after the other, each reading the other's committed review
    (PostgreSQL's UPDATE would otherwise read the reviews as they were when it began to wait)."""
    with transaction.atomic():
        ids = list(submissions.select_for_update().order_by("pk").values_list("pk", flat=True))
        Submission.objects.filter(pk__in=ids).update(mean_score=mean_score_of_reviews())


def _rescore(program) -> None:
    """Write every review's ``weighted_score`` again after the rubric's weights or active criteria
    changed (one UPDATE per review whose score moves; a program has thousands at most), and the
    means of the program's submissions with them."""
    # Locked before the reviews are read: a review saved meanwhile waits, then reads the new rubric.
    submissions = Submission.objects.filter(program=program)
    list(submissions.select_for_update().order_by("pk").values_list("pk", flat=True))
    criteria = _active_criteria(program)
    changed = []
    for review in Review.objects.filter(submission__program=program).only(
        "scores", "weighted_score"
    ):
        score = weighted_score(review.scores, criteria)
        if score != review.weighted_score:
            review.weighted_score = score
            changed.append(review)
    Review.objects.bulk_update(changed, ["weighted_score"], batch_size=500)
    submissions.update(mean_score=mean_score_of_reviews())


# ---- reviews ------------------------------------------------------------------------------------


class SubmissionWithdrawn(Exception):
    """The student withdrew the application: it is kept for reading, not reviewed or decided."""


@transaction.atomic
def review_save(
    *, submission: Submission, reviewer, scores: dict, flags: list, note: str
) -> Review:
    """Write ``reviewer``'s one review of ``submission``: ``scores`` {criterion id: score} for the
    program's active criteria (the form checked the bounds), holistic ``flags`` and a private
    ``note``. Scores the reviewer gave earlier for criteria since retired are kept."""
    if submission.is_withdrawn:
        raise SubmissionWithdrawn
    # Locked first: another reviewer's review of the same submission waits for this one, so each
    # writes a mean that counts the other's (see mean_scores_refresh).
    list(Submission.objects.select_for_update().filter(pk=submission.pk).values_list("pk"))
    criteria = _active_criteria(submission.program_id)
    active = {str(criterion.pk) for criterion in criteria}
    review = Review.objects.filter(submission=submission, reviewer=reviewer).first()
    kept = {
        key: value for key, value in (review.scores if review else {}).items() if key not in active
    }
    given = {str(key): value for key, value in scores.items() if value is not None}
    values = {
        "scores": {**kept, **{key: value for key, value in given.items() if key in active}},
        "flags": list(flags),
        "note": note,
    }
    values["weighted_score"] = weighted_score(values["scores"], criteria)
    review, _ = Review.objects.update_or_create(
        submission=submission, reviewer=reviewer, defaults=values
    )
    Submission.objects.filter(pk=submission.pk).update(mean_score=mean_score_of_reviews())
    return review


def review_deleted(sender, instance: Review, **kwargs) -> None:
    """A review went (its reviewer's account was deleted): the submission's mean without it.
    Connected to ``post_delete`` of ``Review`` in ``WorkspaceConfig.ready``; it runs inside the
    deletion's transaction."""
    mean_scores_refresh(Submission.objects.filter(pk=instance.submission_id))


# ---- decisions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionOutcome:
    changed: int
    unchanged: int
    withdrawn: int


@transaction.atomic
def decisions_set(
    *, program, submission_ids: Sequence[int], decision: str, by, at=None, invited: bool = False
) -> DecisionOutcome:
    """Set ``decision`` (a ``Submission.Decision`` value; "" clears it) on the submissions of
    ``program`` among ``submission_ids``, recording each change as a ``DecisionChange`` by ``by``.
    Withdrawn submissions and ids of other programs are left alone. "invite" is the program's
    decision only: the invitation itself goes out from an interview round, which calls this with
    ``invited`` (and "invite"): each submission not invited before gets ``invited_at`` and a
    history entry saying so — the one writer of decisions and invitations alike."""
    if decision not in Submission.Decision.values:
        raise ValueError(f"Unknown decision {decision!r}")
    if invited and decision != Submission.Decision.INVITE:
        raise ValueError("invited: only with the decision 'invite'")
    at = at or timezone.now()
    rows = list(
        Submission.objects.select_for_update()
        .filter(program=program, pk__in=list(submission_ids))
        .only("pk", "decision", "withdrawn_at", "invited_at")
        .order_by("pk")
    )
    withdrawn = [row for row in rows if row.is_withdrawn]
    moving = [row for row in rows if not row.is_withdrawn and row.decision != decision]
    newly_invited = [
        row for row in rows if invited and not row.is_withdrawn and row.invited_at is None
    ]
    invited_ids = {row.pk for row in newly_invited}
    changes = [
        DecisionChange(
            submission=row,
            previous=row.decision,
            decision=decision,
            changed_by=by,
            changed_at=at,
            invited=row.pk in invited_ids,
        )
        for row in rows
        if row in moving or row.pk in invited_ids
    ]
    for row in moving:
        row.decision, row.decided_at, row.decided_by = decision, at, by
    Submission.objects.bulk_update(moving, ["decision", "decided_at", "decided_by"], batch_size=500)
    Submission.objects.filter(pk__in=invited_ids).update(invited_at=at)
    DecisionChange.objects.bulk_create(changes, batch_size=500)
    return DecisionOutcome(
        changed=len(moving),
        unchanged=len(rows) - len(moving) - len(withdrawn),
        withdrawn=len(withdrawn),
    )


# ---- the rubric ---------------------------------------------------------------------------------


@transaction.atomic
def criterion_add(*, program, name: str, description: str, max_score: int, weight: int):
    last = RubricCriterion.objects.filter(program=program).aggregate(last=Max("position"))["last"]
    criterion = RubricCriterion.objects.create(
        program=program,
        position=0 if last is None else last + 1,
        name=name,
        description=description,
        max_score=max_score,
        weight=weight,
    )
    # A new criterion has no scores yet, so nobody's weighted score moves.
    return criterion


def criterion_is_scored(criterion: RubricCriterion) -> bool:
    """Whether any review scored ``criterion`` (its maximum then stays as it is: a score of 5 out
    of 5 must not silently become 5 out of 3)."""
    return Review.objects.filter(
        submission__program_id=criterion.program_id, scores__has_key=str(criterion.pk)
    ).exists()


@transaction.atomic
def criterion_update(*, criterion: RubricCriterion, name, description, max_score, weight):
    """Change a criterion; a new weight re-weighs every review of the program. The form refuses a
    new maximum once the criterion is scored."""
    # Compared with the stored row: a ModelForm has already copied the new values onto
    # ``criterion`` when it validated.
    stored = RubricCriterion.objects.select_for_update().get(pk=criterion.pk)
    reweigh = weight != stored.weight or max_score != stored.max_score
    criterion.name, criterion.description = name, description
    criterion.max_score, criterion.weight = max_score, weight
    criterion.save(update_fields=["name", "description", "max_score", "weight"])
    if reweigh and not criterion.retired:
        _rescore(criterion.program_id)
    return criterion


@transaction.atomic
def criterion_set_retired(*, criterion: RubricCriterion, retired: bool) -> RubricCriterion:
    """Retire a criterion (reviewers no longer score it; the scores given stay readable and leave
    the weighted score) or bring it back."""
    if criterion.retired != retired:
        criterion.retired = retired
        criterion.save(update_fields=["retired"])
        _rescore(criterion.program_id)
    return criterion


@transaction.atomic
def criterion_move(*, criterion: RubricCriterion, step: int) -> None:
    """Move a criterion one place up (``step`` -1) or down (+1) in its program's rubric."""
    ordered = list(
        RubricCriterion.objects.select_for_update()
        .filter(program_id=criterion.program_id)
        .order_by("position", "pk")
    )
    index = next(i for i, row in enumerate(ordered) if row.pk == criterion.pk)
    target = index + step
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, row in enumerate(ordered):
        row.position = position
    RubricCriterion.objects.bulk_update(ordered, ["position"])
