"""A practice run: one rank list run in a sandbox market, kept with everything needed to show it
again (the market's seed and a snapshot of its programs, the list, the result and the lessons).

It belongs to one student and is fetched through ``get_owned_or_404``; deleting the account
deletes it.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from medmatch.catalog.models import Specialty
from medmatch.lib.models import OwnedQuerySet, iso_or_none


class PracticeRunQuerySet(OwnedQuerySet):
    owner_path = "student"


class PracticeRun(models.Model):
    class Market(models.TextChoices):
        GENERATED = "generated", "Generated for a specialty"
        HAND_MADE = "hand_made", "Small hand-made market"

    class Strength(models.TextChoices):
        STRONGER = "stronger", "Stronger than most applicants"
        AVERAGE = "average", "About average"
        WEAKER = "weaker", "Weaker than most applicants"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_runs"
    )
    market = models.CharField(max_length=10, choices=Market.choices)
    # The name is kept as it was: the catalog may rename or drop the specialty later.
    specialty = models.ForeignKey(Specialty, null=True, blank=True, on_delete=models.SET_NULL)
    specialty_name = models.CharField(max_length=200, blank=True)
    seed = models.PositiveIntegerField(help_text="Seed of the generated competitors.")
    strength = models.CharField(max_length=10, choices=Strength.choices, default=Strength.AVERAGE)
    couple = models.BooleanField(default=False)
    # Program ids best first, or a couple's rows of [yours, your partner's] (null: no match).
    ranking = models.JSONField()
    summary = models.JSONField(help_text="The market snapshot, the result and the lessons.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Practice run {self.pk} of {self.student}"

    def get_absolute_url(self) -> str:
        return reverse("cycles:practice_run", args=[self.pk])

    @property
    def program_names(self) -> dict[str, str]:
        return {pid: p["name"] for pid, p in self.summary["market"]["programs"].items()}

    @property
    def matched_name(self) -> str | None:
        matched = self.summary["result"]["matched"]
        return self.program_names.get(matched) if matched else None

    def to_export(self) -> dict:
        return {
            "created_at": iso_or_none(self.created_at),
            "market": self.market,
            "specialty": self.specialty_name,
            "seed": self.seed,
            "strength": self.strength,
            "couple": self.couple,
            "ranking": self.ranking,
            "summary": self.summary,
        }
