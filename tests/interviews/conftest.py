"""Fixtures for the interview tests: alice's applications to two programs in different cities,
and a helper that makes interviews at a local time in a given zone."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from medmatch.applications.services import application_create
from medmatch.interviews.models import Interview
from tests.catalog.factories import make_institution, make_program

# Far enough ahead that every interview made here is upcoming whatever the real date.
DAY = (timezone.now() + datetime.timedelta(days=5)).date()


def at(day: datetime.date, hour: int, zone: str = "America/New_York", minute: int = 0):
    return datetime.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=zoneinfo.ZoneInfo(zone)
    )


def make_interview(application, starts_at, *, zone="America/New_York", **fields) -> Interview:
    interview = Interview(application=application, starts_at=starts_at, time_zone=zone, **fields)
    interview.locate()
    interview.save()
    return interview


@pytest.fixture
def applications(alice):
    boston = make_institution("Massachusetts General Hospital", city="Boston", region="MA")
    chicago = make_institution("Northwestern Memorial Hospital", city="Chicago", region="IL")
    mgh, _ = application_create(
        student=alice, program=make_program("Internal Medicine", institution=boston)
    )
    nw, _ = application_create(
        student=alice, program=make_program("Pediatrics", institution=chicago)
    )
    return {"mgh": mgh, "northwestern": nw}


@pytest.fixture
def interview(applications):
    return make_interview(
        applications["mgh"],
        at(DAY, 9),
        format=Interview.Format.IN_PERSON,
        city="Boston, MA",
        place="Bulfinch Building",
        interviewers="Dr. Ada Lovelace\nDr. Grace Hopper",
    )


@pytest.fixture
def held_interview(applications):
    """An interview that took place two days ago (impressions can be written)."""
    day = (timezone.now() - datetime.timedelta(days=2)).date()
    return make_interview(
        applications["mgh"],
        at(day, 9),
        format=Interview.Format.IN_PERSON,
        city="Boston, MA",
        interviewers="Dr. Ada Lovelace",
    )
