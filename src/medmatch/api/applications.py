"""A student's applications: list (by status), one with its checklist and history, track a
program (create), change the status, and the dates and notes; tick a checklist item. Every object
comes through the pages' own access helpers (``get_application``, ``get_requirement``: another
student's id is a 404) and every write through the pages' forms and services."""

import datetime
from decimal import Decimal
from typing import Literal

from django.http import QueryDict
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from medmatch.api.auth import student_auth
from medmatch.api.errors import ApiError, form_fields
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import responses
from medmatch.applications.forms import ApplicationForm, MoveForm
from medmatch.applications.models import Application, CVEntry
from medmatch.applications.services import application_create, application_move
from medmatch.applications.views.common import get_application, get_requirement
from medmatch.catalog.models import Program
from medmatch.lib.access import get_owned_or_404
from medmatch.lib.forms import MAX_INT

router = Router(tags=["applications"], auth=student_auth("applications"))

StatusName = Literal[tuple(Application.Status.values)]  # type: ignore[valid-type]


class ApplicationFilters(PageParams):
    status: StatusName | None = Field(None, description="Only applications in this status.")


class ProgramRef(Schema):
    id: int
    title: str
    institution: str


class ApplicationOut(Schema):
    id: int
    program: ProgramRef
    status: str
    status_changed_at: datetime.datetime
    opens_on: datetime.date | None  # null: not known
    deadline: datetime.date | None  # null: not known, never "no deadline"
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class RequirementOut(Schema):
    id: int
    kind: str
    title: str
    due_on: datetime.date | None  # null: due with the application
    done: bool
    done_at: datetime.datetime | None
    amount: Decimal | None  # null: the fee is not known, never 0
    currency: str
    notes: str


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    changed_at: datetime.datetime


class ApplicationDetail(ApplicationOut):
    requirements: list[RequirementOut]
    history: list[StatusChangeOut]


class ApplicationList(Schema):
    items: list[ApplicationOut]
    next_cursor: str | None


class ApplicationCreate(Schema):
    program_id: int = Field(..., ge=1, le=MAX_INT, description="The catalog program to track.")


class StatusIn(Schema):
    status: StatusName
    confirm: bool = Field(
        False, description="Submit although the checklist has open items (else 409)."
    )


class ApplicationChange(Schema):
    opens_on: datetime.date | None = None
    deadline: datetime.date | None = None
    notes: str = Field("", max_length=20_000)


def _out(application: Application) -> dict:
    program = application.program
    return {
        "id": application.pk,
        "program": {
            "id": program.pk,
            "title": program.title,
            "institution": program.institution.name,
        },
        "status": application.status,
        "status_changed_at": application.status_changed_at,
        "opens_on": application.opens_on,
        "deadline": application.deadline,
        "notes": application.notes,
        "created_at": application.created_at,
        "updated_at": application.updated_at,
    }


def _detail(application: Application) -> dict:
    return {
        **_out(application),
        "requirements": list(application.requirements.all()),
        "history": list(application.status_changes.all()),
    }


@router.get("/applications", response=responses(ApplicationList), url_name="applications")
def list_applications(request, filters: Query[ApplicationFilters]):
    """Your applications, oldest first."""
    applications = Application.objects.for_student(request.user).with_program()
    if filters.status:
        applications = applications.filter(status=filters.status)
    page = keyset_page(applications, filters, name="applications", key="pk")
    return {"items": [_out(a) for a in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/applications", response=responses(ApplicationDetail, 200, 201), url_name="application_create"
)
def create_application(request, payload: ApplicationCreate):
    """Track a program: the application starts "researching" with the program's checklist.
    Tracking a program twice answers the first application (200)."""
    program = get_object_or_404(
        Program.objects.select_related("institution"), pk=payload.program_id
    )
    application, created = application_create(student=request.user, program=program)
    application = get_application(request, application.pk)
    return Status(201 if created else 200, _detail(application))


@router.get("/applications/{int:pk}", response=responses(ApplicationDetail), url_name="application")
def show_application(request, pk: int):
    """One application with its checklist (requirements) and status history."""
    return _detail(get_application(request, pk))


@router.patch(
    "/applications/{int:pk}", response=responses(ApplicationDetail), url_name="application_edit"
)
def change_application(request, pk: int, payload: ApplicationChange):
    """The dates and notes, through the application page's form (the same checks)."""
    application = get_application(request, pk)
    data = QueryDict(mutable=True)
    for name in ("opens_on", "deadline", "notes"):
        value = getattr(payload, name)
        data[name] = value.isoformat() if isinstance(value, datetime.date) else (value or "")
    form = ApplicationForm(data, instance=application)
    if not form.is_valid():
        raise ApiError(422, "The application was not saved.", form_fields(form))
    form.save()
    return _detail(get_application(request, pk))


@router.post(
    "/applications/{int:pk}/status",
    response=responses(ApplicationDetail),
    url_name="application_status",
)
def move_application(request, pk: int, payload: StatusIn):
    """Move the application to another status; submitting with an open checklist needs
    ``confirm`` (409 otherwise, as the board asks before it)."""
    application = get_application(request, pk)
    form = MoveForm({"status": payload.status, "confirm": "on" if payload.confirm else ""})
    if not form.is_valid():
        raise ApiError(422, form.error_text(), form_fields(form))
    status = form.cleaned_data["status"]
    unfinished = application.unfinished_submission(status)
    if unfinished and not form.cleaned_data["confirm"]:
        done, total = unfinished
        raise ApiError(
            409,
            f"The checklist has {total - done} of {total} items open; send confirm: true to "
            "submit anyway.",
            [{"field": "confirm", "reason": "needed to submit with open checklist items"}],
        )
    application_move(application=application, status=status)
    return _detail(get_application(request, pk))


class RequirementDone(Schema):
    done: bool = Field(..., description="Whether this checklist item is done.")


@router.get("/requirements/{int:pk}", response=responses(RequirementOut), url_name="requirement")
def show_requirement(request, pk: int):
    """One item of an application's checklist."""
    return get_requirement(request, pk)


@router.patch(
    "/requirements/{int:pk}", response=responses(RequirementOut), url_name="requirement_done"
)
def tick_requirement(request, pk: int, payload: RequirementDone):
    """Tick a checklist item off (or back on), as its checkbox on the application page does."""
    requirement = get_requirement(request, pk)
    requirement.set_done(payload.done)
    requirement.save(update_fields=["done", "done_at"])
    return requirement


class CVEntryOut(Schema):
    id: int
    section: str
    title: str
    organisation: str
    location: str
    start_date: datetime.date | None  # null: not given
    end_date: datetime.date | None  # null: ongoing, or not given
    hours_per_week: int | None
    total_hours: int | None
    description: str
    tags: list[str]
    most_meaningful: bool
    position: int
    updated_at: datetime.datetime


class CVEntryList(Schema):
    items: list[CVEntryOut]
    next_cursor: str | None


class CVEntryFilters(PageParams):
    section: Literal[tuple(CVEntry.Section.values)] | None = Field(  # type: ignore[valid-type]
        None, description="Only entries of this CV section."
    )


@router.get("/cv-entries", response=responses(CVEntryList), url_name="cv_entries")
def list_cv_entries(request, filters: Query[CVEntryFilters]):
    """Your CV entries, in the order you made them."""
    entries = CVEntry.objects.for_student(request.user)
    if filters.section:
        entries = entries.filter(section=filters.section)
    page = keyset_page(entries, filters, name="cv-entries", key="pk")
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get("/cv-entries/{int:pk}", response=responses(CVEntryOut), url_name="cv_entry")
def show_cv_entry(request, pk: int):
    """One CV entry."""
    return get_owned_or_404(CVEntry, request.user, pk=pk)
