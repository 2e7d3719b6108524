"""A student's shortlist: catalog programs saved with a note, tags and a personal rating.

Everything here belongs to one student and is fetched through ``get_owned_or_404``; deleting the
account cascades to it.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from medmatch.catalog.models import Program

RATING_CHOICES = [(n, f"{n} of 5") for n in range(1, 6)]


class TagQuerySet(models.QuerySet):
    def for_student(self, user):
        return self.filter(student=user) if user.is_authenticated else self.none()


class Tag(models.Model):
    """A student's own label for shortlisted programs ("reach", "near family"); stored lowercase."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlist_tags"
    )
    name = models.CharField(max_length=40)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "student", Lower("name"), name="research_tag_unique_name_per_student"
            ),
        ]

    def __str__(self):
        return self.name


class ShortlistItemQuerySet(models.QuerySet):
    def for_student(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(student=user)

    def with_program(self):
        return self.select_related("program__institution", "program__specialty").prefetch_related(
            "tags"
        )

    def tagged(self, name: str):
        return self.filter(tags__name=name) if name else self

    def sorted_by(self, sort: str):
        """Rated first for "rating" (an unrated program is unknown, not 0), then by name."""
        orderings = {
            ShortlistItem.Sort.ADDED: ["-created_at", "-pk"],
            ShortlistItem.Sort.RATING: [
                models.F("rating").desc(nulls_last=True),
                "program__title",
                "pk",
            ],
            ShortlistItem.Sort.NAME: ["program__title", "program__institution__name", "pk"],
        }
        return self.order_by(*orderings[sort])


class ShortlistItem(models.Model):
    class Sort(models.TextChoices):
        ADDED = "added", "Recently added"
        RATING = "rating", "Your rating"
        NAME = "name", "Program name"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlist_items"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="shortlist_items")
    note = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="items")
    # None = not rated yet; never shown or sorted as 0.
    rating = models.PositiveSmallIntegerField(null=True, blank=True, choices=RATING_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShortlistItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "program"], name="research_shortlist_unique_program"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="research_shortlist_rating_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.program.title} (shortlisted by {self.student})"

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags.all()]

    def to_export(self) -> dict:
        program = self.program
        return {
            "program_id": program.pk,
            "nrmp_code": program.nrmp_code,
            "carms_stream_id": program.carms_stream_id,
            "title": program.title,
            "institution": program.institution.name,
            "note": self.note,
            "tags": self.tag_names,
            "rating": self.rating,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "updated_at": self.updated_at.isoformat(timespec="seconds"),
        }
