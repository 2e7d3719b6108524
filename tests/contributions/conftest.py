"""A hospital with two programs, another institution, a verified coordinator of the first
(erin), an unverified one (frank) and a verified coordinator of the other institution (gina)."""

import pytest
from django.utils import timezone

from medmatch.contributions.models import Coordinatorship
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.personas import make_user


def make_coordinatorship(user, institution, *, verified=True, role="coordinator"):
    return Coordinatorship.objects.create(
        user=user,
        institution=institution,
        role_title="Program director" if role == "director" else "Program coordinator",
        role=role,
        email_at_request=user.email,
        evidence_strength="website",
        evidence=["test"],
        status="verified" if verified else "requested",
        reviewed_at=timezone.now() if verified else None,
    )


@pytest.fixture
def world(db):
    nrmp = make_source(key="nrmp-contrib", name="NRMP program tracks (test)", publisher="NRMP")
    rush = make_institution(
        "Rush University Medical Center",
        city="Chicago",
        region="IL",
        country="US",
        website="https://www.rush.edu/",
        source=nrmp,
    )
    other = make_institution(
        "Northwestern McGaw", city="Chicago", region="IL", country="US", source=nrmp
    )
    internal = make_specialty("Internal Medicine", code="140", slug="internal-medicine")
    return {
        "rush": rush,
        "other": other,
        "medicine": make_program(
            "Internal Medicine", institution=rush, specialty=internal, source=nrmp
        ),
        "pediatrics": make_program("Pediatrics", institution=rush, source=nrmp),
        "other_program": make_program("Internal Medicine", institution=other, source=nrmp),
    }


@pytest.fixture
def staff(db):
    return make_user("sid", is_staff=True, is_superuser=True)


@pytest.fixture
def erin(world):
    user = make_user("erin", role="coordinator", email="erin@rush.edu")
    make_coordinatorship(user, world["rush"])
    return user


@pytest.fixture
def frank(world):
    user = make_user("frank", role="coordinator", email="frank@rush.edu")
    make_coordinatorship(user, world["rush"], verified=False)
    return user


@pytest.fixture
def gina(world):
    user = make_user("gina", role="coordinator", email="gina@northwestern.edu")
    make_coordinatorship(user, world["other"])
    return user
