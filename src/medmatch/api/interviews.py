"""A student's interviews: list (upcoming or all) and one, through the interview page's access
helper (another student's interview is a 404). Times are given in UTC with the interview's own
time zone beside them."""

import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from medmatch.api.auth import student_auth
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import responses
from medmatch.interviews.models import Interview
from medmatch.interviews.views.common import get_interview

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
