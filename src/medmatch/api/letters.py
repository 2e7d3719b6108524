"""A student's recommenders and letter requests, read only: each request with its applications,
its lead-time plan (the planner the letters pages use) and whether the letter is in.

A letter's content never leaves through the API. Of a letter the student waived the right to
see (``LetterRequest.confidential``), the API says only that it arrived and when — as the
request page does; its file name, size and hash appear only when ``can_read_letter`` (the one
rule every path of the letters app asks) lets the student read it, and then the file itself is
downloaded from the request page, not here."""

import datetime
from typing import Literal

from django.db.models import Prefetch
from ninja import Field, Query, Router, Schema

from medmatch.api.auth import student_auth
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import responses
from medmatch.applications.models import Application
from medmatch.letters.models import LetterRequest, Recommender
from medmatch.letters.permissions import can_read_letter
from medmatch.letters.planning import STATE_LABELS, plan_for, today
from medmatch.letters.views.common import get_letter_request, get_recommender

router = Router(tags=["letters"], auth=student_auth("letters"))


class RecommenderOut(Schema):
    id: int
    name: str
    title: str
    role: str
    institution: str
    specialty: str | None  # null: not said
    email: str
    relationship: str
    known_months: int | None  # null: not said, never 0
    knows_well: int | None  # 1..5; null: not said
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class RecommenderList(Schema):
    items: list[RecommenderOut]
    next_cursor: str | None


class ApplicationRef(Schema):
    id: int
    program_id: int
    program: str
    institution: str
    deadline: datetime.date | None  # null: not known


class PlanOut(Schema):
    state: str  # on_track, at_risk, late, done, unknown
    label: str
    deadline_day: datetime.date | None  # null: no deadline known
    ask_by: datetime.date | None
    suggested_due: datetime.date | None
    reasons: list[str]


class LetterOut(Schema):
    """That a letter arrived, and — only when you may read it — which file."""

    uploaded_at: datetime.datetime
    confidential: bool  # waived: you never see its content, name, size or hash
    readable: bool
    file_name: str | None  # null unless readable
    size: int | None
    sha256: str | None


class RecommenderRef(Schema):
    id: int
    name: str


class LetterRequestOut(Schema):
    id: int
    recommender: RecommenderRef
    status: str  # to_ask, asked, agreed, declined, submitted
    asked_on: datetime.date | None
    due_on: datetime.date | None
    waived: bool
    terms_fixed_at: datetime.datetime | None  # null: the waiver can still change
    talking_points: str
    eras_letter_id: str
    service_uploaded_on: datetime.date | None  # null: not recorded as uploaded to ERAS & co.
    is_in: bool
    applications: list[ApplicationRef]
    plan: PlanOut
    letter: LetterOut | None  # null: no letter arrived here
    created_at: datetime.datetime
    updated_at: datetime.datetime


class LetterRequestList(Schema):
    items: list[LetterRequestOut]
    next_cursor: str | None


class LetterRequestFilters(PageParams):
    status: Literal[tuple(LetterRequest.Status.values)] | None = Field(  # type: ignore[valid-type]
        None, description="Only requests in this status."
    )


def _recommender(recommender: Recommender) -> dict:
    return {
        "id": recommender.pk,
        "name": recommender.name,
        "title": recommender.title,
        "role": recommender.role,
        "institution": recommender.institution,
        "specialty": recommender.specialty.name if recommender.specialty_id else None,
        "email": recommender.email,
        "relationship": recommender.relationship,
        "known_months": recommender.known_months,
        "knows_well": recommender.knows_well,
        "notes": recommender.notes,
        "created_at": recommender.created_at,
        "updated_at": recommender.updated_at,
    }


def _letter(user, letter_request: LetterRequest) -> dict | None:
    letter = letter_request.letter_or_none
    if letter is None:
        return None
    readable = can_read_letter(user, letter)
    return {
        "uploaded_at": letter.uploaded_at,
        "confidential": letter_request.confidential,
        "readable": readable,
        "file_name": letter.original_name if readable else None,
        "size": letter.size if readable else None,
        "sha256": letter.sha256 if readable else None,
    }


def _request(user, letter_request: LetterRequest, on: datetime.date) -> dict:
    plan = plan_for(letter_request, on)
    applications = letter_request.applications.all()
    return {
        "id": letter_request.pk,
        "recommender": {
            "id": letter_request.recommender_id,
            "name": letter_request.recommender.name,
        },
        "status": letter_request.status,
        "asked_on": letter_request.asked_on,
        "due_on": letter_request.due_on,
        "waived": letter_request.waived,
        "terms_fixed_at": letter_request.terms_fixed_at,
        "talking_points": letter_request.talking_points,
        "eras_letter_id": letter_request.eras_letter_id,
        "service_uploaded_on": letter_request.service_uploaded_on,
        "is_in": letter_request.is_in,
        "applications": [
            {
                "id": application.pk,
                "program_id": application.program_id,
                "program": application.program.title,
                "institution": application.program.institution.name,
                "deadline": application.deadline,
            }
            for application in applications
        ],
        "plan": {
            "state": plan.state,
            "label": STATE_LABELS[plan.state],
            "deadline_day": plan.deadline_day,
            "ask_by": plan.ask_by,
            "suggested_due": plan.suggested_due,
            "reasons": list(plan.reasons),
        },
        "letter": _letter(user, letter_request),
        "created_at": letter_request.created_at,
        "updated_at": letter_request.updated_at,
    }


def _with_applications(queryset):
    return queryset.select_related("recommender", "letter").prefetch_related(
        Prefetch("applications", queryset=Application.objects.with_program().order_by("pk"))
    )


@router.get("/recommenders", response=responses(RecommenderList), url_name="recommenders")
def list_recommenders(request, filters: Query[PageParams]):
    """The people you ask (or may ask) for letters, in the order you added them."""
    recommenders = Recommender.objects.for_student(request.user).select_related("specialty")
    page = keyset_page(recommenders, filters, name="recommenders", key="pk")
    return {"items": [_recommender(r) for r in page.items], "next_cursor": page.next_cursor}


@router.get("/recommenders/{int:pk}", response=responses(RecommenderOut), url_name="recommender")
def show_recommender(request, pk: int):
    """One recommender."""
    return _recommender(get_recommender(request, pk))


@router.get("/letter-requests", response=responses(LetterRequestList), url_name="letter_requests")
def list_letter_requests(request, filters: Query[LetterRequestFilters]):
    """Your letter requests, in the order you made them, each with its plan and whether the
    letter is in (never a waived letter's content)."""
    requests = _with_applications(LetterRequest.objects.for_student(request.user))
    if filters.status:
        requests = requests.filter(status=filters.status)
    page = keyset_page(requests, filters, name="letter-requests", key="pk")
    on = today()
    return {
        "items": [_request(request.user, r, on) for r in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/letter-requests/{int:pk}", response=responses(LetterRequestOut), url_name="letter_request"
)
def show_letter_request(request, pk: int):
    """One letter request (never a waived letter's content)."""
    letter_request = get_letter_request(request, pk)
    letter_request = _with_applications(LetterRequest.objects.filter(pk=letter_request.pk)).get()
    return _request(request.user, letter_request, today())
