"""Fixtures for the application tests: a few catalog programs and alice's applications.

Dates are fixed: TODAY is passed explicitly to the functions that compare with today, and views
read it through ``applications.views.common.today``, which the ``today`` fixture pins.
"""

import datetime

import pytest

from medmatch.applications.services import application_create
from medmatch.catalog.models import Program
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty

TODAY = datetime.date(2025, 9, 10)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def today(monkeypatch):
    from medmatch.applications.views import common

    monkeypatch.setattr(common, "today", lambda: TODAY)
    for module in ("board", "applications", "dashboard"):
        monkeypatch.setattr(f"medmatch.applications.views.{module}.today", lambda: TODAY)
    return TODAY


@pytest.fixture
def programs(db):
    nrmp = make_source(key="nrmp-applications", name="NRMP program tracks (test)", publisher="NRMP")
    carms = make_source(key="carms-applications", name="CaRMS (test)", publisher="CaRMS")
    cardiology = make_specialty("Cardiovascular Disease")
    columbia = make_institution("Columbia University", city="New York", region="NY", source=nrmp)
    mgh = make_institution("Massachusetts General Hospital", city="Boston", region="MA")
    toronto = make_institution("University of Toronto", city="Toronto", country="CA", source=carms)
    return {
        "columbia": make_program(
            "Internal Medicine",
            institution=columbia,
            nrmp_code="1234140C0",
            application_opens=days(-60),
            application_deadline=days(5),
            source=nrmp,
        ),
        "mgh": make_program("Cardiology", institution=mgh, specialty=cardiology),
        "toronto": make_program(
            "Family Medicine", institution=toronto, carms_stream_id="1503", country="CA"
        ),
        "rotation": make_program(
            "Cardiology elective",
            institution=mgh,
            program_type=Program.ProgramType.CLINICAL_ROTATION,
        ),
    }


@pytest.fixture
def alice_application(alice, programs):
    application, _ = application_create(student=alice, program=programs["columbia"])
    return application
