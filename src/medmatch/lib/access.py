"""The one way to fetch an object a user owns: one helper per owned object returns it or raises 404,
and no view filters by owner inline.

Anything that is not the user's own — another student's, or any object for an anonymous visitor —
is a 404, never a 403: a stranger must not learn that the object exists. How an object reaches its
owner is said once, by its model's ``OwnedQuerySet.owner_path``.
"""

from django.db.models import Manager, Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from medmatch.lib.models import OwnedQuerySet


def get_owned_or_404(queryset: type[Model] | Manager | QuerySet, user, **lookup) -> Model:
    """Return the object matching ``lookup`` that ``user`` owns, or raise 404.

    ``queryset`` is a model, a manager or a queryset whose class is an ``OwnedQuerySet``; its
    ``owner_path`` says where the owner is.
    """
    if isinstance(queryset, type):
        queryset = queryset._default_manager
    if isinstance(queryset, Manager):
        queryset = queryset.all()
    if not isinstance(queryset, OwnedQuerySet):
        raise TypeError(
            f"{queryset.model.__name__} has no OwnedQuerySet, so nothing says who owns it."
        )
    if user is None or not user.is_authenticated:
        raise Http404("No such object.")
    return get_object_or_404(queryset.for_student(user), **lookup)
