"""The one way to fetch an object a user owns (STYLE rule 4).

Anything that is not the user's own — another student's, or any object for an anonymous visitor —
is a 404, never a 403: a stranger must not learn that the object exists.
"""

from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404


def get_owned_or_404(
    queryset: type[Model] | QuerySet, user, *, owner_field: str = "student", **lookup
) -> Model:
    """Return the object matching ``lookup`` whose ``owner_field`` is ``user``, or raise 404."""
    if user is None or not user.is_authenticated:
        raise Http404("No such object.")
    return get_object_or_404(queryset, **{owner_field: user}, **lookup)
