"""Fixtures for the API tests: a small catalog, alice's goals and application, and tokens."""

import pytest
from django.core.cache import cache
from django.test import Client

from medmatch.api.services import access_token_create
from medmatch.applications.services import application_create
from medmatch.goals.models import GoalProfile
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty

GOALS = {
    "format": "medmatch-goals/1",
    "specialties": {"interests": [{"specialty": "140", "weight": 5}], "weight": 5},
    "location": {
        "places": [{"latitude": 42.36, "longitude": -71.06, "radius_km": 50, "label": "Boston"}],
        "weight": 3,
    },
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # the per-token request counts
    yield
    cache.clear()


@pytest.fixture
def catalog(db):
    from medmatch.goals.fitting import clear_cache

    source = make_source(key="api-test", name="NRMP (test)", publisher="NRMP")
    internal = make_specialty("Internal Medicine", code="140", slug="internal-medicine")
    boston = make_institution(
        "Massachusetts General Hospital",
        kind="academic",
        city="Boston",
        region="MA",
        country="US",
        latitude=42.3631,
        longitude=-71.0686,
        source=source,
    )
    chicago = make_institution(
        "Rush University Medical Center",
        city="Chicago",
        region="IL",
        country="US",
        latitude=41.874,
        longitude=-87.669,
        source=source,
    )
    programs = [
        make_program("Internal Medicine", institution=boston, specialty=internal, source=source),
        make_program("Pediatrics", institution=boston, source=source),
        make_program("Internal Medicine", institution=chicago, specialty=internal, source=source),
    ]
    clear_cache()
    yield {"boston": boston, "chicago": chicago, "programs": programs}
    clear_cache()


@pytest.fixture
def application(alice, catalog):
    application, _ = application_create(student=alice, program=catalog["programs"][0])
    return application


@pytest.fixture
def goals(alice, catalog):
    return GoalProfile.objects.create(student=alice, data=GOALS)


def make_token(user, scopes=("applications:write", "goals:read", "catalog:read"), days=30):
    _token, secret = access_token_create(
        user=user, name="script", scopes=list(scopes), expires_in_days=days
    )
    return secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def token_client(user, scopes) -> Client:
    """A test client that sends a new token of ``user``'s with ``scopes`` on every request."""
    client = Client()
    client.defaults.update(bearer(make_token(user, list(scopes))))
    return client
