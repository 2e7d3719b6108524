"""A student's recommenders and letter requests: each request with its applications, its
lead-time plan (the planner the letters pages use) and whether the letter is in; and writes
through the letters pages' own forms and services — the same checks, including the rule that a
request's waiver and recommender are fixed once an upload link was made or the request emailed
(409). Sending the request email and making upload links stay on the request page: they reach
another person.

A letter's content never leaves through the API. Of a letter the student waived the right to
see (``LetterRequest.confidential``), the API says only that it arrived and when — as the
request page does; its file name, size and hash appear only when ``can_read_letter`` (the one
rule every path of the letters app asks) lets the student read it, and then the file itself is
downloaded from the request page, not here."""

import datetime
from typing import Literal

from django.db.models import Prefetch
from ninja import Field, Query, Router, Schema, Status

from medmatch.api.auth import student_auth
from medmatch.api.errors import ApiError, form_fields
from medmatch.api.forms import form_data, patched
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import ERRORS, responses
from medmatch.applications.models import Application
from medmatch.letters.forms import LetterRequestForm, RecommenderForm
from medmatch.letters.models import LetterRequest, Recommender
from medmatch.letters.permissions import can_read_letter
from medmatch.letters.planning import STATE_LABELS, plan_for, today
from medmatch.letters.services import (
    LetterError,
    TermsFixedError,
    fixed_recommender_message,
    fixed_terms_message,
    recommender_save,
    request_submit,
)
from medmatch.letters.views.common import get_letter_request, get_recommender
from medmatch.lib.forms import MAX_INT

router = Router(tags=["letters"], auth=student_auth("letters"))


class RecommenderOut(Schema):
    id: int
    name: str
    title: str
    role: str
    institution: str
    specialty: str | None  # null: not said
    specialty_id: int | None
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


class RecommenderIn(Schema):
    name: str = Field(..., max_length=200)
    title: str = Field("", max_length=200)
    role: str = Field(
        "attending",
        max_length=40,
        description="professor, attending, clinical_supervisor, research_mentor, other.",
    )
    institution: str = Field("", max_length=200)
    specialty_id: int | None = Field(None, ge=1, le=MAX_INT, description="An ACGME specialty.")
    email: str = Field("", max_length=254)
    relationship: str = Field("", max_length=20_000)
    known_months: int | None = Field(None, description="null: not said.")
    knows_well: int | None = Field(None, description="1 to 5; null: not said.")
    notes: str = Field("", max_length=20_000)


class RecommenderChange(Schema):
    """Only the fields sent change. Name and email are fixed once a letter was asked under them."""

    name: str | None = Field(None, max_length=200)
    title: str | None = Field(None, max_length=200)
    role: str | None = Field(None, max_length=40)
    institution: str | None = Field(None, max_length=200)
    specialty_id: int | None = Field(None, ge=1, le=MAX_INT)
    email: str | None = Field(None, max_length=254)
    relationship: str | None = Field(None, max_length=20_000)
    known_months: int | None = None
    knows_well: int | None = None
    notes: str | None = Field(None, max_length=20_000)


class LetterRequestIn(Schema):
    recommender_id: int = Field(..., ge=1, le=MAX_INT)
    application_ids: list[int] = Field(
        ..., min_length=1, max_length=200, description="The applications the letter goes to."
    )
    status: str = Field("to_ask", description="to_ask, asked, agreed, declined, submitted.")
    asked_on: datetime.date | None = None
    due_on: datetime.date | None = Field(
        None, description="null: a week before the earliest deadline of the applications."
    )
    waived: bool = Field(False, description="You waive your right to read the letter.")
    talking_points: str = Field("", max_length=20_000)
    eras_letter_id: str = Field("", max_length=40)
    service_uploaded_on: datetime.date | None = None


class LetterRequestChange(Schema):
    """Only the fields sent change; null clears a date. ``waived`` and ``recommender_id`` are
    fixed once an upload link was made or the request emailed."""

    recommender_id: int | None = Field(None, ge=1, le=MAX_INT)
    application_ids: list[int] | None = Field(None, min_length=1, max_length=200)
    status: str | None = None
    asked_on: datetime.date | None = None
    due_on: datetime.date | None = None
    waived: bool | None = None
    talking_points: str | None = Field(None, max_length=20_000)
    eras_letter_id: str | None = Field(None, max_length=40)
    service_uploaded_on: datetime.date | None = None


def _recommender(recommender: Recommender) -> dict:
    return {
        "id": recommender.pk,
        "name": recommender.name,
        "title": recommender.title,
        "role": recommender.role,
        "institution": recommender.institution,
        "specialty": recommender.specialty.name if recommender.specialty_id else None,
        "specialty_id": recommender.specialty_id,
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


# The API's names of the recommender page's fields: the specialty by id.
RECOMMENDER_FIELDS = [
    "specialty_id" if name == "specialty" else name for name in RecommenderForm.Meta.fields
]


def _recommender_form(values: dict, recommender: Recommender) -> RecommenderForm:
    values = dict(values)
    values["specialty"] = values.pop("specialty_id")
    form = RecommenderForm(form_data(values), instance=recommender)
    if not form.is_valid():
        raise ApiError(422, "The recommender was not saved.", form_fields(form))
    return form


@router.post("/recommenders", response=responses(RecommenderOut, 201), url_name="recommender_add")
def add_recommender(request, payload: RecommenderIn):
    """Add someone you may ask for a letter, through the letters page's form."""
    form = _recommender_form(payload.model_dump(), Recommender(student=request.user))
    recommender = recommender_save(recommender=form.save(commit=False))
    return Status(201, _recommender(get_recommender(request, recommender.pk)))


@router.patch(
    "/recommenders/{int:pk}", response=responses(RecommenderOut), url_name="recommender_edit"
)
def change_recommender(request, pk: int, payload: RecommenderChange):
    """Change a recommender; a new name or email once a letter was asked under them is a 409."""
    recommender = get_recommender(request, pk)
    current = {name: getattr(recommender, name) for name in RECOMMENDER_FIELDS}
    values = patched(current, payload, clearable={"specialty_id", "known_months", "knows_well"})
    fixed = recommender.has_fixed_requests() and (
        values["name"] != recommender.name or values["email"] != recommender.email
    )
    if fixed:
        # The page's form disables these fields; the API says so instead of ignoring them.
        raise ApiError(409, fixed_recommender_message(recommender))
    form = _recommender_form(values, recommender)
    try:
        recommender_save(recommender=form.save(commit=False))
    except TermsFixedError as error:  # a request to them was sent meanwhile
        raise ApiError(409, str(error)) from error
    return _recommender(get_recommender(request, pk))


@router.delete(
    "/recommenders/{int:pk}", response={204: None, **ERRORS}, url_name="recommender_delete"
)
def delete_recommender(request, pk: int):
    """Delete a recommender who has no letter requests (409 otherwise: no letter is lost)."""
    recommender = get_recommender(request, pk)
    if recommender.requests.exists():
        raise ApiError(
            409,
            f"{recommender.name} has letter requests; delete those first, so no letter is lost.",
        )
    recommender.delete()
    return Status(204, None)


# The API's names of the request page's fields: the recommender and the applications by id.
REQUEST_FIELDS = [
    {"recommender": "recommender_id", "applications": "application_ids"}.get(name, name)
    for name in LetterRequestForm.Meta.fields
]


def _save_request(request, values: dict, letter_request: LetterRequest) -> LetterRequest:
    fields = {
        name: values[name]
        for name in REQUEST_FIELDS
        if name not in ("recommender_id", "application_ids")
    }
    fields["recommender"] = values["recommender_id"]
    data = form_data(fields)
    for pk in values["application_ids"]:
        data.appendlist("applications", str(pk))
    form = LetterRequestForm(data, student=request.user, instance=letter_request)
    if not form.is_valid():
        raise ApiError(422, "The letter request was not saved.", form_fields(form))
    if form.terms_fixed and (
        values["waived"] != letter_request.waived
        or values["recommender_id"] != letter_request.recommender_id
    ):
        # The page's form disables these fields; the API says so instead of ignoring them.
        raise ApiError(409, fixed_terms_message(letter_request))
    saved = form.save(commit=False)
    saved.student = request.user
    applications = list(form.cleaned_data["applications"])
    try:
        request_submit(letter_request=saved, applications=applications)
    except TermsFixedError as error:  # a link was made meanwhile
        raise ApiError(409, str(error)) from error
    except LetterError as error:  # another request filled an application meanwhile
        reason = str(error)
        raise ApiError(
            409, f"applications: {reason}", [{"field": "applications", "reason": reason}]
        ) from error
    return saved


def _request_out(request, pk: int) -> dict:
    letter_request = _with_applications(LetterRequest.objects.filter(pk=pk)).get()
    return _request(request.user, letter_request, today())


@router.post(
    "/letter-requests", response=responses(LetterRequestOut, 201), url_name="letter_request_add"
)
def add_letter_request(request, payload: LetterRequestIn):
    """Ask a recommender for a letter to some of your open applications (at most 4 letters per
    application, as ERAS), through the request page's form. With no ``due_on`` the suggestion
    is used: a week before the earliest deadline."""
    saved = _save_request(request, payload.model_dump(), LetterRequest(student=request.user))
    return Status(201, _request_out(request, saved.pk))


@router.patch(
    "/letter-requests/{int:pk}",
    response=responses(LetterRequestOut),
    url_name="letter_request_edit",
)
def change_letter_request(request, pk: int, payload: LetterRequestChange):
    """Change a request; the fields not sent keep their values. A new waiver or recommender
    after an upload link was made or the request emailed is a 409."""
    letter_request = get_letter_request(request, pk)
    current = {
        name: getattr(letter_request, name) for name in REQUEST_FIELDS if name != "application_ids"
    }
    current["application_ids"] = sorted(letter_request.applications.values_list("pk", flat=True))
    values = patched(current, payload, clearable={"asked_on", "due_on", "service_uploaded_on"})
    _save_request(request, values, letter_request)
    return _request_out(request, pk)


@router.delete(
    "/letter-requests/{int:pk}", response={204: None, **ERRORS}, url_name="letter_request_delete"
)
def delete_letter_request(request, pk: int):
    """Delete a letter request (and the letter that arrived for it, as on the page)."""
    get_letter_request(request, pk).delete()
    return Status(204, None)
