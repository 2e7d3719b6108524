"""Shortlist writes that touch an item and the student's tags together."""

from django.db import transaction

from medmatch.catalog.models import Program
from medmatch.research.models import ShortlistItem, Tag


@transaction.atomic
def shortlist_add(*, student, program: Program) -> tuple[ShortlistItem, bool]:
    """Save ``program`` to the student's shortlist; adding it twice keeps the first item."""
    return ShortlistItem.objects.get_or_create(student=student, program=program)


@transaction.atomic
def shortlist_update(
    *, item: ShortlistItem, note: str, tags: list[str], rating: int | None
) -> ShortlistItem:
    item.note = note
    item.rating = rating
    item.save(update_fields=["note", "rating", "updated_at"])
    item.tags.set([_tag(item.student, name) for name in tags])
    _drop_unused_tags(item.student)
    return item


@transaction.atomic
def shortlist_remove(*, item: ShortlistItem) -> None:
    student = item.student
    item.delete()
    _drop_unused_tags(student)


def _tag(student, name: str) -> Tag:
    tag = Tag.objects.filter(student=student, name__iexact=name).first()
    return tag or Tag.objects.create(student=student, name=name)


def _drop_unused_tags(student) -> None:
    # A tag exists only while some item carries it, so the tag filter never offers an empty list.
    Tag.objects.filter(student=student, items__isnull=True).delete()
