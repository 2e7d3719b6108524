"""The program side of the review workspace, for a program's verified staff (token scope area
``program``): the programs they work on with each one's dashboard counts, a program's inbox,
one submission as it was sent (a frozen version) with the program's review panel, and writing a
review or a decision.

Every row comes through ``workspace.access`` (``staff_programs``,
``get_staff_program_heading_or_404``, ``get_staff_submission_or_404``): another program's submission
is a 404, as on the pages, for students and other programs' staff alike. The inbox reads its query
through the page's own ``InboxForm`` and ``inbox_page``; a review goes through ``ReviewForm`` and
``review_save``, a decision through ``DecisionForm`` and ``decisions_set`` — the pages' forms and
services.

What a submission shows is what the staff page shows (``submission_staff.html``): the version's
content, and each letter's recommender, whether it arrived and whether the student waived their
right to read it; a program reads a waived letter (the page links its PDF to staff), a student
never does. A withdrawn submission stays readable, its files closed, and takes no review or
decision (409)."""

import datetime
from typing import Literal

from django.http import Http404
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from medmatch.api.auth import student_auth
from medmatch.api.errors import ApiError, form_fields
from medmatch.api.forms import form_data
from medmatch.api.pagination import PageParams, keyset_page, position
from medmatch.api.schemas import ERRORS, responses
from medmatch.lib.forms import MAX_INT
from medmatch.workspace import review_services as services
from medmatch.workspace.access import (
    get_staff_program_heading_or_404,
    get_staff_submission_or_404,
    staff_programs,
)
from medmatch.workspace.models import HolisticFlag, RubricCriterion, SubmissionVersion
from medmatch.workspace.review_forms import (
    ACTIONS,
    DECISION_FILTER,
    MAX_PAGE,
    MAX_YEAR,
    MIN_YEAR,
    REVIEWED_FILTER,
    YES_NO_UNKNOWN,
    DecisionForm,
    InboxForm,
    ReviewForm,
    decision_of,
)
from medmatch.workspace.review_selectors import SORTS, dashboards, inbox_page, panel
from medmatch.workspace.staff_files import (
    cv_file,
    document_file,
    letter_file,
    pdf_response,
    staff_version_or_404,
)

router = Router(tags=["program"], auth=student_auth("program"))

Stage = Literal[tuple(key for key, _ in ACTIONS)]  # type: ignore[valid-type]


def _values(choices) -> tuple:
    return tuple(value for value, _ in choices)


class DashboardOut(Schema):
    received: int  # every submission, withdrawn ones included
    unreviewed: int
    in_review: int  # reviewed at least once, no decision yet
    invited: int
    held: int
    declined: int
    interviewed: int  # given a slot whose time has passed
    withdrawn: int


class ProgramOut(Schema):
    id: int
    title: str
    institution: str
    dashboard: DashboardOut


class ProgramList(Schema):
    items: list[ProgramOut]
    next_cursor: str | None


@router.get("/programs", response=responses(ProgramList), url_name="staff_programs")
def list_programs(request, filters: Query[PageParams]):
    """The programs you are verified staff of, with each one's counts as the workspace home's
    dashboard shows them; by id."""
    programs = staff_programs(request.user).select_related("institution")
    page = keyset_page(programs, filters, name="staff-programs", key="pk")
    items = [
        {
            "id": board.program.pk,
            "title": board.program.title,
            "institution": board.program.institution.name,
            "dashboard": {bar["key"]: bar["count"] for bar in board.bars},
        }
        for board in dashboards(page.items)
    ]
    return {"items": items, "next_cursor": page.next_cursor}


# ---- the inbox ----------------------------------------------------------------------------------


class InboxFilters(PageParams):
    """The inbox page's filters and sort (its ``InboxForm`` checks them), with cursor paging."""

    specialty: str | None = Field(
        None, max_length=20, description="A specialty interest key the applicants gave."
    )
    visa: Literal[_values(YES_NO_UNKNOWN)] | None = None  # type: ignore[valid-type]
    year_from: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR)
    year_to: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR)
    signal: Literal["yes", "no"] | None = Field(
        None, description="Only for a program that takes preference signals."
    )
    decision: Literal[_values(DECISION_FILTER)] | None = None  # type: ignore[valid-type]
    reviewed: Literal[_values(REVIEWED_FILTER)] | None = None  # type: ignore[valid-type]
    flag: Literal[tuple(HolisticFlag.values)] | None = None  # type: ignore[valid-type]
    withdrawn: bool = Field(False, description="Show withdrawn applications too.")
    sort: Literal[tuple(SORTS)] | None = Field(None, description="newest (default) first.")


class InboxRow(Schema):
    id: int
    name: str
    version: int | None
    withdrawn: bool
    graduation_year: int | None
    needs_visa: str | None  # "yes", "no"; null: not said
    signal: bool | None  # null: the program takes no signals
    submitted_at: datetime.datetime
    reviews: int
    reviewed_by_me: bool
    mean_score: float | None  # 0..100; null: nobody scored yet (never 0)
    decision: str  # "" while undecided


class InboxOut(Schema):
    items: list[InboxRow]
    total: int  # submissions matching the filters, on every page
    sort: str
    next_cursor: str | None


FILTER_NAMES = (
    "specialty",
    "visa",
    "year_from",
    "year_to",
    "signal",
    "decision",
    "reviewed",
    "flag",
    "withdrawn",
    "sort",
)


@router.get("/programs/{int:pk}/inbox", response=responses(InboxOut), url_name="staff_inbox")
def show_inbox(request, pk: int, filters: Query[InboxFilters]):
    """A program's submissions under the inbox page's filters and sorts, in its order; a page
    past the end (the inbox shrank meanwhile) gives the last page, as the page does."""
    program = get_staff_program_heading_or_404(request.user, pk)  # as the inbox page
    uses_signals = program.uses_signals
    values = {name: getattr(filters, name) for name in FILTER_NAMES}
    form = InboxForm(form_data(values), program=program, uses_signals=uses_signals)
    if not form.is_valid():
        raise ApiError(422, "The inbox's filters are not valid.", form_fields(form))
    # The page's own pages, at the cursor's size: a position cursor is always a whole page in.
    at = position(filters, name=f"inbox-{program.pk}")
    number = min(at.start // at.limit + 1, MAX_PAGE)
    found = inbox_page(
        program, request.user, filters=form.cleaned_data, number=number, size=at.limit
    )
    start = (found.number - 1) * at.limit
    rows = [
        {
            "id": row["pk"],
            "name": row["name"],
            "version": row["version"],
            "withdrawn": row["withdrawn"],
            "graduation_year": row["year"],
            "needs_visa": row["visa"],
            "signal": row["signal"] == "yes" if uses_signals else None,
            "submitted_at": row["submitted_at"],
            "reviews": row["reviews"],
            "reviewed_by_me": row["mine"],
            "mean_score": row["mean_score"],
            "decision": row["decision"],
        }
        for row in found.rows
    ]
    next_at = type(at)(start, at.limit)
    return {
        "items": rows,
        "total": found.total,
        "sort": form.cleaned_data.get("sort") or "newest",
        "next_cursor": next_at.next_cursor(f"inbox-{program.pk}", found.total),
    }


# ---- one submission -----------------------------------------------------------------------------


class VersionRef(Schema):
    number: int
    created_at: datetime.datetime
    note: str


class ProfileOut(Schema):
    name: str
    email: str
    school: str | None
    graduation_year: int | None
    needs_visa: bool | None  # null: not said
    specialty_interest: str | None
    signal: bool | None  # null: the program took no signals


class CVLine(Schema):
    section: str
    title: str
    organisation: str
    location: str
    start: str | None
    end: str | None
    description: str


class AnswerOut(Schema):
    question: str
    answer: str  # "": not answered (optional)


class DocumentOut(Schema):
    id: int
    kind: str
    size: int
    url: str | None  # its PDF through this API (program:read); null once withdrawn


class LetterOut(Schema):
    recommender: str
    waived: bool  # the student waived reading it: the program reads it, the student never
    arrived: bool
    letter_id: int | None
    url: str | None  # its PDF through this API; null until it arrives, or once withdrawn


class VersionOut(Schema):
    number: int
    created_at: datetime.datetime
    note: str  # what changed
    profile: ProfileOut
    cv_url: str | None  # the CV PDF through this API; null once withdrawn
    cv_entries: list[CVLine]
    statement_title: str
    statement_text: str
    answers: list[AnswerOut]
    documents: list[DocumentOut]
    letters: list[LetterOut]


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    max_score: int
    weight: int
    retired: bool


class ScoreOut(Schema):
    criterion_id: int
    score: int | None  # null: not scored


class ReviewOut(Schema):
    reviewer: str
    mine: bool
    weighted_score: float | None  # null: scored nothing
    scores: list[ScoreOut]
    flags: list[str]
    note: str
    updated_at: datetime.datetime


class DecisionChangeOut(Schema):
    previous: str
    decision: str
    invited: bool
    by: str
    changed_at: datetime.datetime


class PanelOut(Schema):
    decision: str  # "" while undecided
    invited_at: datetime.datetime | None
    mean_score: float | None
    scored_reviews: int
    criteria: list[CriterionOut]  # active ones, and retired ones someone scored
    reviews: list[ReviewOut]
    history: list[DecisionChangeOut]  # newest first


class SubmissionOut(Schema):
    id: int
    program_id: int
    submitted_at: datetime.datetime
    withdrawn_at: datetime.datetime | None
    current_version: int
    versions: list[VersionRef]  # newest first
    version: VersionOut  # the current one, or the one asked for
    review: PanelOut


def _text(value) -> str | None:
    return None if value in (None, "") else str(value)


def _profile(profile: dict) -> dict:
    year = profile.get("graduation_year")
    visa = profile.get("needs_visa")
    signal = profile.get("signal")
    return {
        "name": str(profile.get("name") or ""),
        "email": str(profile.get("email") or ""),
        "school": _text(profile.get("school")),
        "graduation_year": year if isinstance(year, int) else None,
        "needs_visa": visa if isinstance(visa, bool) else None,
        "specialty_interest": _text(profile.get("specialty_interest")),
        "signal": signal if isinstance(signal, bool) else None,
    }


def _cv_line(entry: dict) -> dict:
    return {
        "section": str(entry.get("section") or ""),
        "title": str(entry.get("title") or ""),
        "organisation": str(entry.get("organisation") or ""),
        "location": str(entry.get("location") or ""),
        "start": _text(entry.get("start")),
        "end": _text(entry.get("end")),
        "description": str(entry.get("description") or ""),
    }


def _version(submission, version: SubmissionVersion) -> dict:
    closed = submission.is_withdrawn  # the program keeps the record, not the files
    letters = []
    for item in version.letters.select_related("request__letter").order_by("position", "pk"):
        letter = item.request.letter_or_none
        letters.append(
            {
                "recommender": item.recommender_name,
                "waived": item.waived,
                "arrived": letter is not None,
                "letter_id": letter.pk if letter else None,
                "url": reverse("api:staff_submission_letter", args=[submission.pk, letter.pk])
                if letter and not closed
                else None,
            }
        )
    documents = [
        {
            "id": document.pk,
            "kind": document.kind,
            "size": document.size,
            "url": None
            if closed
            else reverse("api:staff_submission_document", args=[submission.pk, document.pk]),
        }
        for document in version.documents.order_by("pk")
    ]
    cv_url = reverse("api:staff_submission_cv", args=[submission.pk, version.number])
    return {
        "number": version.number,
        "created_at": version.created_at,
        "note": version.note,
        "profile": _profile(version.profile or {}),
        "cv_url": cv_url if version.cv_pdf and not closed else None,
        "cv_entries": [_cv_line(e) for e in version.cv_entries or [] if isinstance(e, dict)],
        "statement_title": version.statement_title,
        "statement_text": version.statement_text,
        "answers": [
            {"question": str(a.get("question") or ""), "answer": str(a.get("answer") or "")}
            for a in version.answers or []
            if isinstance(a, dict)
        ],
        "documents": documents,
        "letters": letters,
    }


def _name(user) -> str:
    if user is None:
        return "a former member of staff"
    return user.get_full_name() or user.username


def _panel(request, submission) -> dict:
    shown = panel(submission)
    return {
        "decision": submission.decision,
        "invited_at": submission.invited_at,
        "mean_score": shown["mean_score"],
        "scored_reviews": shown["scored_reviews"],
        "criteria": [
            {
                "id": c.pk,
                "name": c.name,
                "description": c.description,
                "max_score": c.max_score,
                "weight": c.weight,
                "retired": c.retired,
            }
            for c in shown["criteria"]
        ],
        "reviews": [
            {
                "reviewer": _name(line.review.reviewer),
                "mine": line.review.reviewer_id == request.user.pk,
                "weighted_score": line.review.weighted_score,
                "scores": [{"criterion_id": c.pk, "score": s} for c, s in line.scores],
                "flags": list(line.review.flags),
                "note": line.review.note,
                "updated_at": line.review.updated_at,
            }
            for line in shown["lines"]
        ],
        "history": [
            {
                "previous": change.previous,
                "decision": change.decision,
                "invited": change.invited,
                "by": _name(change.changed_by),
                "changed_at": change.changed_at,
            }
            for change in shown["history"]
        ],
    }


def _submission(request, submission, version=None) -> dict:
    if submission.current_version is None:
        raise Http404("No such application.")
    version = version or submission.current_version
    versions = list(submission.versions.order_by("-number"))
    return {
        "id": submission.pk,
        "program_id": submission.program_id,
        "submitted_at": submission.submitted_at,
        "withdrawn_at": submission.withdrawn_at,
        "current_version": submission.current_version.number,
        "versions": [
            {"number": v.number, "created_at": v.created_at, "note": v.note} for v in versions
        ],
        "version": _version(submission, version),
        "review": _panel(request, submission),
    }


@router.get(
    "/program-submissions/{int:pk}",
    response=responses(SubmissionOut),
    url_name="staff_submission",
)
def show_submission(request, pk: int):
    """One submission to your program, its current version as the staff page shows it, with the
    program's review panel (every reviewer's scores, flags and notes, and the decision)."""
    return _submission(request, get_staff_submission_or_404(request.user, pk))


@router.get(
    "/program-submissions/{int:pk}/versions/{int:number}",
    response=responses(SubmissionOut),
    url_name="staff_submission_version",
)
def show_submission_version(request, pk: int, number: int):
    """The same, with an earlier version (``number``) as it was sent."""
    return _submission(request, *staff_version_or_404(request.user, pk, number))


PDF = {
    "description": "The PDF, as the staff page downloads it (private, never cached).",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


def _pdf(found):
    return pdf_response(found.file, found.filename)


@router.get(
    "/program-submissions/{int:pk}/versions/{int:number}/cv",
    response=ERRORS,
    url_name="staff_submission_cv",
    summary="A version's CV (PDF)",
    openapi_extra={"responses": {200: PDF}},
)
def download_cv(request, pk: int, number: int):
    """The CV of version ``number`` as it was sent; 404 once the application is withdrawn."""
    return _pdf(cv_file(request.user, pk, number))


@router.get(
    "/program-submissions/{int:pk}/documents/{int:document_pk}",
    response=ERRORS,
    url_name="staff_submission_document",
    summary="A document sent with the application (PDF)",
    openapi_extra={"responses": {200: PDF}},
)
def download_document(request, pk: int, document_pk: int):
    return _pdf(document_file(request.user, pk, document_pk))


@router.get(
    "/program-submissions/{int:pk}/letters/{int:letter_pk}",
    response=ERRORS,
    url_name="staff_submission_letter",
    summary="A letter assigned to the application (PDF)",
    openapi_extra={"responses": {200: PDF}},
)
def download_letter(request, pk: int, letter_pk: int):
    """A letter the student assigned in a version of this application — a waived one too: the
    program reads it, the student never does."""
    return _pdf(letter_file(request.user, pk, letter_pk))


def _open_for_review(submission) -> None:
    if submission.is_withdrawn:
        raise ApiError(409, "The applicant withdrew this application: no new review or decision.")


class ScoreIn(Schema):
    criterion_id: int = Field(..., ge=1, le=MAX_INT)
    score: int | None = Field(..., ge=0, le=100, description="1..the criterion's highest; null")


class ReviewIn(Schema):
    scores: list[ScoreIn] = Field(
        default_factory=list, max_length=100, description="Scores of the active criteria."
    )
    flags: list[Literal[tuple(HolisticFlag.values)]] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=len(HolisticFlag.values)
    )
    note: str = Field("", max_length=4000, description="Private to the program's staff.")


@router.put(
    "/program-submissions/{int:pk}/review",
    response=responses(PanelOut),
    url_name="staff_review",
)
def write_review(request, pk: int, payload: ReviewIn):
    """Write your one review of the submission (replacing it): a score for each active criterion
    of the rubric (one left out is not scored), holistic flags and a private note — the review
    page's form and service. Scores you gave for criteria since retired are kept."""
    submission = get_staff_submission_or_404(request.user, pk)
    _open_for_review(submission)
    criteria = list(RubricCriterion.objects.filter(program_id=submission.program_id, retired=False))
    active = {criterion.pk for criterion in criteria}
    data = form_data({"note": payload.note})
    data.setlist("flags", list(payload.flags))
    fields = []
    for index, given in enumerate(payload.scores):
        if given.criterion_id not in active:
            reason = "not an active criterion of this program's rubric"
            fields.append({"field": f"scores.{index}.criterion_id", "reason": reason})
        elif given.score is not None:
            data[f"score_{given.criterion_id}"] = str(given.score)
    if fields:
        raise ApiError(422, "The review was not saved.", fields)
    form = ReviewForm(data, criteria=criteria)
    if not form.is_valid():
        raise ApiError(422, "The review was not saved.", form_fields(form))
    form.save(submission=submission, reviewer=request.user)
    return _panel(request, get_staff_submission_or_404(request.user, pk))


class DecisionIn(Schema):
    action: Stage = Field(..., description="invite, hold, decline, or clear (no decision).")


@router.post(
    "/program-submissions/{int:pk}/decision",
    response=responses(PanelOut),
    url_name="staff_decision",
)
def decide(request, pk: int, payload: DecisionIn):
    """Set the program's decision, recorded in its history (the submission page's form and
    service; invitations themselves go out from an interview round)."""
    submission = get_staff_submission_or_404(request.user, pk)
    _open_for_review(submission)
    form = DecisionForm(form_data({"action": payload.action}))
    if not form.is_valid():
        raise ApiError(422, "The decision was not saved.", form_fields(form))
    services.decisions_set(
        program=submission.program,
        submission_ids=[submission.pk],
        decision=decision_of(form.cleaned_data["action"]),
        by=request.user,
    )
    return _panel(request, get_staff_submission_or_404(request.user, pk))
