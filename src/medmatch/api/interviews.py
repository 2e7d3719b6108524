"""A student's interviews: list (upcoming or all) and one, through the interview page's access
helper (another student's interview is a 404). Times are given in UTC with the interview's own
time zone beside them. And the timed practice attempts, read only, each with the checker's
feedback as it was given when the attempt was saved (``get_attempt``, the practice page's
helper)."""

import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from medmatch.api.auth import student_auth
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import responses
from medmatch.interviews.models import Interview, PracticeAttempt
from medmatch.interviews.views.common import get_attempt, get_interview
from medmatch.lib.forms import MAX_INT

router = Router(tags=["interviews"], auth=student_auth("interviews"))


class InterviewFilters(PageParams):
    upcoming: bool = Field(False, description="Only interviews that have not started yet.")


class InterviewOut(Schema):
    id: int
    application_id: int
    program: str
    institution: str
    starts_at: datetime.datetime
    time_zone: str
    duration_minutes: int
    format: str
    place: str
    city: str
    link: str
    interviewers: list[str]
    notes: str
    updated_at: datetime.datetime


class InterviewList(Schema):
    items: list[InterviewOut]
    next_cursor: str | None


def _out(interview: Interview) -> dict:
    program = interview.application.program
    return {
        "id": interview.pk,
        "application_id": interview.application_id,
        "program": program.title,
        "institution": program.institution.name,
        "starts_at": interview.starts_at,
        "time_zone": interview.time_zone,
        "duration_minutes": interview.duration_minutes,
        "format": interview.format,
        "place": interview.place,
        "city": interview.city,
        "link": interview.link,
        "interviewers": [
            line.strip() for line in interview.interviewers.splitlines() if line.strip()
        ],
        "notes": interview.notes,
        "updated_at": interview.updated_at,
    }


@router.get("/interviews", response=responses(InterviewList), url_name="interviews")
def list_interviews(request, filters: Query[InterviewFilters]):
    """Your interviews, soonest first."""
    interviews = Interview.objects.for_student(request.user).with_program()
    if filters.upcoming:
        interviews = interviews.filter(starts_at__gte=timezone.now())
    page = keyset_page(interviews, filters, name="interviews", key="starts_at")
    return {"items": [_out(i) for i in page.items], "next_cursor": page.next_cursor}


@router.get("/interviews/{int:pk}", response=responses(InterviewOut), url_name="interview")
def show_interview(request, pk: int):
    """One interview."""
    return _out(get_interview(request, pk))


class QuestionRef(Schema):
    id: int
    category: str
    text: str
    built_in: bool  # from the shipped question bank; false: your own question


class PracticeOut(Schema):
    id: int
    question: QuestionRef
    practised_at: datetime.datetime
    seconds_taken: int
    time_limit_seconds: int
    answer: str
    clarity: int | None  # your self-ratings, 1..5; null: not rated
    concision: int | None
    honesty: int | None
    structure: int | None
    mean_self_rating: float | None
    notes: str
    score: int | None  # the checker's score, 0..100; null: nothing to check
    feedback: dict  # what the checker said when the attempt was saved, kept as it was


class PracticeList(Schema):
    items: list[PracticeOut]
    next_cursor: str | None


class PracticeFilters(PageParams):
    question_id: int | None = Field(None, ge=1, le=MAX_INT, description="Only this question's.")


def _attempt(attempt: PracticeAttempt) -> dict:
    question = attempt.question
    return {
        "id": attempt.pk,
        "question": {
            "id": question.pk,
            "category": question.category,
            "text": question.text,
            "built_in": question.student_id is None,
        },
        "practised_at": attempt.practised_at,
        "seconds_taken": attempt.seconds_taken,
        "time_limit_seconds": attempt.time_limit_seconds,
        "answer": attempt.answer,
        **dict(attempt.self_ratings),
        "mean_self_rating": attempt.mean_self_rating,
        "notes": attempt.notes,
        "score": attempt.score,
        "feedback": attempt.feedback or {},
    }


@router.get("/practice-attempts", response=responses(PracticeList), url_name="practice_attempts")
def list_practice_attempts(request, filters: Query[PracticeFilters]):
    """Your timed practice answers, oldest first (the progress page's order)."""
    attempts = PracticeAttempt.objects.for_student(request.user).select_related("question")
    if filters.question_id is not None:
        attempts = attempts.filter(question_id=filters.question_id)
    page = keyset_page(attempts, filters, name="practice-attempts", key="practised_at")
    return {"items": [_attempt(a) for a in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/practice-attempts/{int:pk}", response=responses(PracticeOut), url_name="practice_attempt"
)
def show_practice_attempt(request, pk: int):
    """One practice attempt with the checker's feedback."""
    return _attempt(get_attempt(request, pk))
