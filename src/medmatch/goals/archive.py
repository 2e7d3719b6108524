"""The goals part of the account archive (``accounts.archive``): the questionnaire's answers."""

from medmatch.accounts.archive import ArchiveError, create, fields_in, fields_out
from medmatch.goals.models import GoalProfile

FIELDS = ("data", "completed_steps", "created_at", "updated_at")


def export(user, context) -> dict:
    profile = GoalProfile.objects.filter(student=user).first()
    if profile is None or not profile.has_answers:
        return {"profile": None}
    return {"profile": fields_out(profile, FIELDS)}


def import_(user, data: dict, context) -> None:
    profile = data.get("profile")
    if profile is None:
        return
    part = "account.json goals.profile"
    values = fields_in(GoalProfile, profile, FIELDS, part)
    if not isinstance(values["completed_steps"], list):
        raise ArchiveError(f"{part}.completed_steps", "expected a list")
    # An empty profile may exist already (made when the questionnaire was first opened).
    GoalProfile.objects.filter(student=user).delete()
    create(GoalProfile, part, values, student=user)
