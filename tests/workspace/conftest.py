"""Two programs at two institutions, their staff, and students who apply.

- ``world["medicine"]`` (Rush, Internal Medicine) and ``world["surgery"]`` (Northwestern, Surgery)
  both take applications in medmatch (an open :class:`Intake`).
- erin: verified coordinator of Rush; rita: verified program *director* of Rush;
  gina: verified coordinator of Northwestern; frank: asked to coordinate Rush, not verified.
- alice and bob (tests/personas.py): students. ``submit(student, program)`` makes a submission
  with one frozen version directly (the submit service is tested on its own).
"""

import datetime

import pytest
from django.utils import timezone

from medmatch.applications.models import Application
from medmatch.workspace.models import Intake, Submission, SubmissionVersion
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.contributions.conftest import make_coordinatorship
from tests.personas import make_user


@pytest.fixture
def world(db):
    return make_world()


def make_world(*, letters_required: int = 3) -> dict:
    """Rush's Internal Medicine and Northwestern's Surgery, both open to applications in medmatch
    (deadline in 30 days, rank list deadline in 120); the ``world`` fixture, and the browser
    test's world (which needs the rows committed, so it cannot use the fixture)."""
    nrmp = make_source(key="nrmp-workspace", name="NRMP program tracks (test)", publisher="NRMP")
    rush = make_institution(
        "Rush University Medical Center", city="Chicago", region="IL", country="US", source=nrmp
    )
    northwestern = make_institution(
        "Northwestern McGaw", city="Chicago", region="IL", country="US", source=nrmp
    )
    medicine = make_program(
        "Internal Medicine",
        institution=rush,
        specialty=make_specialty("Internal Medicine", code="140", slug="internal-medicine"),
        source=nrmp,
    )
    surgery = make_program(
        "Surgery",
        institution=northwestern,
        specialty=make_specialty("Surgery", code="440", slug="surgery"),
        source=nrmp,
    )
    today = timezone.localdate()
    for program in (medicine, surgery):
        Intake.objects.create(
            program=program,
            is_open=True,
            opens_on=today - datetime.timedelta(days=30),
            deadline=today + datetime.timedelta(days=30),
            rank_deadline=today + datetime.timedelta(days=120),
            letters_required=letters_required,
        )
    return {"rush": rush, "northwestern": northwestern, "medicine": medicine, "surgery": surgery}


@pytest.fixture
def erin(world):
    user = make_user("erin", role="coordinator", email="erin@rush.edu")
    make_coordinatorship(user, world["rush"])
    return user


@pytest.fixture
def rita(world):
    user = make_user("rita", role="coordinator", email="rita@rush.edu")
    make_coordinatorship(user, world["rush"], role="director")
    return user


@pytest.fixture
def gina(world):
    user = make_user("gina", role="coordinator", email="gina@northwestern.edu")
    make_coordinatorship(user, world["northwestern"])
    return user


@pytest.fixture
def frank(world):
    user = make_user("frank", role="coordinator", email="frank@rush.edu")
    make_coordinatorship(user, world["rush"], verified=False)
    return user


def submit(student, program, *, graduation_year=2026, needs_visa=None, signal=False, **profile):
    """A submission of ``student`` to ``program`` with one frozen version (no files)."""
    application, _ = Application.objects.get_or_create(
        student=student, program=program, defaults={"status": Application.Status.SUBMITTED}
    )
    submission = Submission.objects.create(
        application=application,
        student=student,
        program=program,
        graduation_year=graduation_year,
        needs_visa=needs_visa,
        signal=signal,
    )
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=1,
        profile={
            "name": student.display_name,
            "email": student.email,
            "graduation_year": graduation_year,
            "needs_visa": needs_visa,
            **profile,
        },
        statement_title="Personal statement",
        statement_text=f"Why I want {program.title}.",
    )
    submission.current_version = version
    submission.save(update_fields=["current_version"])
    return submission
