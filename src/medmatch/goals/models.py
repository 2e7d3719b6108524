"""A student's goals: the answers of the questionnaire, kept as the ``medmatch-goals/1`` JSON.

The JSON is the one the fit engine reads (``medmatch.fit.Goals.from_dict``), the account export
writes and ``medmatch recommend --goals`` accepts, so the three can never drift apart.
"""

from django.conf import settings
from django.db import models

from medmatch.fit import Goals, GoalsError
from medmatch.fit.goals import GOALS_FORMAT
from medmatch.lib.models import OwnedQuerySet


def empty_goals() -> dict:
    return {"format": GOALS_FORMAT}


class GoalProfileQuerySet(OwnedQuerySet):
    owner_path = "student"


class GoalProfile(models.Model):
    student = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goal_profile"
    )
    data = models.JSONField(default=empty_goals, help_text="The medmatch-goals/1 JSON.")
    # Step slugs the student has saved at least once: the questionnaire shows them as done.
    completed_steps = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalProfileQuerySet.as_manager()

    def __str__(self):
        return f"Goals of {self.student}"

    def goals(self) -> Goals:
        """The answers as the fit engine's frozen Goals (raises GoalsError if the JSON is bad)."""
        return Goals.from_dict(self.data)

    @property
    def has_answers(self) -> bool:
        return any(key != "format" for key in self.data or {})

    def set_answer(self, question: str, answer: dict | None) -> None:
        """Replace one question's answer (None clears it), validating the whole goals JSON.

        Raises GoalsError naming the field; the profile is unchanged then.
        """
        data = {key: value for key, value in (self.data or {}).items() if key != question}
        data["format"] = GOALS_FORMAT
        if answer is not None:
            data[question] = answer
        self.data = Goals.from_dict(data).to_dict()

    def save_answers(self, answers: dict[str, dict | None], *, step: str = "") -> None:
        """Replace several answers at once and save; all or nothing.

        Raises GoalsError naming the first bad field; then nothing is saved or changed.
        """
        data = {key: value for key, value in (self.data or {}).items() if key not in answers}
        data.update({key: value for key, value in answers.items() if value is not None})
        data["format"] = GOALS_FORMAT
        self.data = Goals.from_dict(data).to_dict()
        if step:
            self.mark_done(step)
        self.save()

    def mark_done(self, step: str) -> None:
        if step not in self.completed_steps:
            self.completed_steps = [*self.completed_steps, step]

    def clean(self):
        from django.core.exceptions import ValidationError

        try:
            Goals.from_dict(self.data)
        except GoalsError as error:
            raise ValidationError({"data": str(error)}) from error
