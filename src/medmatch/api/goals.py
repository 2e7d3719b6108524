"""A student's goals and the recommendations built from them, each with its explanation: the
score, its range over the unknown facts, each criterion's part and the facts to check. The list
is the recommendations page's (its form's filters, the engine's order).

Goals are written as the questionnaire writes them: ``GoalProfile.save_answers`` under the
profile's row lock, which validates the whole ``medmatch-goals/1`` JSON (the fit engine's own
``Goals.from_dict``) and saves all or nothing."""

import datetime
from dataclasses import asdict

from django.db import transaction
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from medmatch.api.auth import student_auth
from medmatch.api.errors import ApiError, form_fields
from medmatch.api.pagination import PageParams, position
from medmatch.api.schemas import responses
from medmatch.catalog.models import Program
from medmatch.fit import Goals, GoalsError
from medmatch.goals.fitting import catalog_features, rank_goals, student_facts
from medmatch.goals.models import GoalProfile
from medmatch.goals.recommendations import (
    RecommendationForm,
    explained_programs,
    filtered_positions,
)

router = Router(tags=["goals"], auth=student_auth("goals"))

NO_GOALS = (
    "No goals to rank by yet: answer the goals questionnaire (/goals/questionnaire/) with at "
    "least one answer first."
)


class GoalsOut(Schema):
    data: dict | None  # the medmatch-goals/1 answers; null: none saved yet
    completed_steps: list[str]
    updated_at: datetime.datetime | None


class GoalsIn(Schema):
    data: dict = Field(
        ...,
        description=(
            "The whole medmatch-goals/1 JSON, as GET /goals answers it; a question left out is "
            "cleared."
        ),
    )


class GoalAnswersIn(Schema):
    answers: dict[str, dict | None] = Field(
        ...,
        description=(
            "Some questions' answers by question name (specialties, location, hours…); null "
            "clears one. The other answers are kept."
        ),
    )


class RecommendationFilters(PageParams):
    specialty: str = Field("", max_length=220, description="A specialty key of the list.")
    country: str = Field("", max_length=2, description="ISO country code.")
    program_type: str = Field("", max_length=20)


class ContributionOut(Schema):
    criterion: str
    label: str
    weight: float
    dealbreaker: bool
    status: str  # known, unknown or fails
    score: float | None  # null: the fact is unknown
    points: float
    widening: float
    sentence: str


class ProgramRef(Schema):
    id: int
    title: str
    institution: str


class RecommendationOut(Schema):
    program: ProgramRef
    rank: int | None  # null: left out by a deal-breaker
    score: float
    low: float  # the score's range over every value the unknown facts could take
    high: float
    excluded: bool
    excluded_by: list[str]
    checks: list[str]  # deal-breakers nobody knows yet: check these
    contributions: list[ContributionOut]


class RecommendationList(Schema):
    total: int
    items: list[RecommendationOut]
    next_cursor: str | None


def _saved_goals(user) -> dict | None:
    profile = GoalProfile.objects.for_student(user).first()
    return profile.data if profile is not None and profile.has_answers else None


def _out(recommendation) -> dict:
    program, explanation = recommendation.program, recommendation.explanation
    return {
        "program": {
            "id": program.pk,
            "title": program.title,
            "institution": program.institution.name,
        },
        "rank": explanation.rank,
        "score": explanation.total,
        "low": explanation.low,
        "high": explanation.high,
        "excluded": explanation.excluded,
        "excluded_by": list(explanation.excluded_by),
        "checks": list(explanation.checks),
        "contributions": [asdict(c) for c in explanation.contributions],
    }


@router.get("/goals", response=responses(GoalsOut), url_name="goals")
def show_goals(request):
    """Your saved goals (null when you have not answered the questionnaire)."""
    return _goals_out(GoalProfile.objects.for_student(request.user).first())


def _goals_out(profile: GoalProfile | None) -> dict:
    if profile is None:
        return {"data": None, "completed_steps": [], "updated_at": None}
    return {
        "data": profile.data,
        "completed_steps": list(profile.completed_steps or []),
        "updated_at": profile.updated_at,
    }


def _nul_at(value, path: str) -> str | None:
    """Where a NUL character hides in a JSON value (a key or a string), or None. The
    questionnaire's forms refuse it, and PostgreSQL cannot store it in a JSON column."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return path
            if found := _nul_at(item, f"{path}.{key}"):
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := _nul_at(item, f"{path}[{index}]"):
                return found
    return None


def _refuse_nul(value, field: str) -> None:
    place = _nul_at(value, field)
    if place is not None:
        reason = "a NUL character is not allowed"
        raise ApiError(
            422,
            f"The goals were not saved: {place}: {reason}.",
            [{"field": place, "reason": reason}],
        )


def _save_answers(user, answers_of, *, field: str) -> dict:
    """Save through the questionnaire's own ``save_answers``, under the profile's row lock (as
    the questionnaire takes it); ``answers_of(profile)`` says which answers change. A bad answer
    is a 422 naming its place in the body, and nothing is saved."""
    with transaction.atomic():
        profile = GoalProfile.objects.for_student(user).select_for_update().first()
        profile = profile or GoalProfile(student=user)
        try:
            profile.save_answers(answers_of(profile))
        except GoalsError as error:
            raise ApiError(
                422,
                f"The goals were not saved: {field}.{error}",
                [{"field": f"{field}.{error.field}", "reason": error.reason}],
            ) from None
    return _goals_out(profile)


@router.put("/goals", response=responses(GoalsOut), url_name="goals_replace")
def replace_goals(request, payload: GoalsIn):
    """Replace all your answers with a whole goals JSON (as GET /goals gives it); a question it
    leaves out is cleared."""
    _refuse_nul(payload.data, "data")
    try:
        wanted = Goals.from_dict(payload.data).to_dict()
    except GoalsError as error:
        raise ApiError(
            422,
            f"The goals were not saved: data.{error}",
            [{"field": f"data.{error.field}", "reason": error.reason}],
        ) from None

    def answers_of(profile):
        cleared = {key: None for key in profile.data or {} if key != "format"}
        return cleared | {key: value for key, value in wanted.items() if key != "format"}

    return _save_answers(request.user, answers_of, field="data")


@router.patch("/goals", response=responses(GoalsOut), url_name="goals_answer")
def answer_goals(request, payload: GoalAnswersIn):
    """Replace some answers (null clears one) and keep the others, as one questionnaire step
    does."""
    _refuse_nul(payload.answers, "answers")
    if "format" in payload.answers:
        reason = "is not a question; the format is always medmatch-goals/1"
        raise ApiError(
            422,
            f"The goals were not saved: answers.format {reason}.",
            [{"field": "answers.format", "reason": reason}],
        )
    return _save_answers(request.user, lambda profile: dict(payload.answers), field="answers")


@router.get("/recommendations", response=responses(RecommendationList), url_name="recommendations")
def list_recommendations(request, filters: Query[RecommendationFilters]):
    """Programs in the order of your fit, best first, each with why (409 without goals)."""
    saved = _saved_goals(request.user)
    if saved is None:
        raise ApiError(409, NO_GOALS)
    start = position(filters, name="recommendations")
    data = QueryDict(mutable=True)
    for name in ("specialty", "country", "program_type"):
        if getattr(filters, name):
            data[name] = getattr(filters, name)
    form = RecommendationForm(data, features=catalog_features(), saved=saved)
    if not form.is_valid():
        raise ApiError(422, "Invalid filters.", form_fields(form))
    ranking = rank_goals(saved, None, student_facts(request.user))
    positions = filtered_positions(
        ranking,
        specialty=form.cleaned_data.get("specialty") or "",
        country=form.cleaned_data.get("country") or "",
        program_type=form.cleaned_data.get("program_type") or "",
    )
    chosen = positions[start.start : start.start + start.limit]
    ids = [ranking.features.ids[int(i)] for i in chosen]
    return {
        "total": int(positions.size),
        "items": [_out(r) for r in explained_programs(ranking, ids)],
        "next_cursor": start.next_cursor("recommendations", int(positions.size)),
    }


@router.get(
    "/recommendations/{int:program_id}",
    response=responses(RecommendationOut),
    url_name="recommendation",
)
def explain_program(request, program_id: int):
    """Why one catalog program is where it is in your list ("why not this one?")."""
    saved = _saved_goals(request.user)
    if saved is None:
        raise ApiError(409, NO_GOALS)
    get_object_or_404(Program, pk=program_id)
    ranking = rank_goals(saved, None, student_facts(request.user))
    if program_id not in ranking.features.index:
        raise ApiError(404, "This program is not in the ranked catalog yet.")
    return _out(explained_programs(ranking, [program_id])[0])
