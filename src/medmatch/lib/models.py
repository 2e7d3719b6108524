"""Model helpers shared by the apps that hold a student's own objects."""

from django.db import models


class OwnedQuerySet(models.QuerySet):
    """Rows that belong to one student, reached through ``owner_path``.

    Subclasses name the path from the row to its owner ("student", "application__student", ...);
    an anonymous user owns nothing.
    """

    owner_path = "student"

    def for_student(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(**{self.owner_path: user})


def iso_or_none(value, *, timespec: str = "seconds") -> str | None:
    """A date or datetime for an export: ISO 8601, None stays None. Datetimes are written to the
    second unless ``timespec`` (as ``datetime.isoformat`` takes it) says otherwise; the interviews
    export keeps "auto" (microseconds when there are any), as it always did."""
    if value is None:
        return None
    if hasattr(value, "hour"):
        return value.isoformat(timespec=timespec)
    return value.isoformat()
