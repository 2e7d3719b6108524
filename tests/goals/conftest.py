"""A small catalog for the goals tests: internal medicine and pediatrics around Boston and New
York, a CaRMS stream in Toronto, and a program whose facts are mostly unknown."""

import pytest

from medmatch.catalog.models import Specialty
from medmatch.goals import fitting
from medmatch.goals.models import GoalProfile
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty


@pytest.fixture(autouse=True)
def _fresh_features():
    fitting.clear_cache()
    yield
    fitting.clear_cache()


@pytest.fixture
def catalog(db):
    source = make_source(key="goals-test")
    internal = make_specialty("Internal Medicine", code="140", slug="internal-medicine")
    pediatrics = make_specialty("Pediatrics", code="320", slug="pediatrics")
    carms_internal = make_specialty(
        "Internal Medicine (CaRMS)",
        system=Specialty.System.CARMS,
        code="IM",
        slug="internal-medicine-carms",
        equivalent=internal,
    )
    mgh = make_institution(
        "Massachusetts General Hospital",
        kind="academic",
        city="Boston",
        region="MA",
        country="US",
        latitude=42.3631,
        longitude=-71.0686,
        is_teaching=True,
        source=source,
    )
    community = make_institution(
        "Lowell Community Hospital",
        kind="community",
        city="Lowell",
        region="MA",
        country="US",
        latitude=42.6334,
        longitude=-71.3162,
        source=source,
    )
    nyc_hospital = make_institution(
        "Bellevue Hospital",
        kind="academic",
        city="New York",
        region="NY",
        country="US",
        latitude=40.7390,
        longitude=-73.9754,
        source=source,
    )
    nyu = make_institution(
        "NYU Grossman School of Medicine",
        kind="sponsor",
        region="NY",
        country="US",
        hospital=nyc_hospital,
        source=source,
    )
    toronto = make_institution(
        "University of Toronto",
        kind="medical_school",
        city="Toronto",
        region="ON",
        country="CA",
        latitude=43.6629,
        longitude=-79.3957,
        source=source,
    )
    programs = {
        "mgh_medicine": make_program(
            "Internal Medicine", institution=mgh, specialty=internal, weekly_hours=80
        ),
        "mgh_pediatrics": make_program(
            "Pediatrics", institution=mgh, specialty=pediatrics, weekly_hours=60
        ),
        "lowell_medicine": make_program(
            "Internal Medicine (community)",
            institution=community,
            specialty=internal,
            mentorship="A named faculty mentor for every intern.",
        ),
        "nyu_medicine": make_program("Internal Medicine", institution=nyu, specialty=internal),
        "toronto_medicine": make_program(
            "Internal Medicine (CMG stream)",
            institution=toronto,
            specialty=carms_internal,
            city="Toronto",
            region="ON",
            country="CA",
            latitude=43.6591,
            longitude=-79.3877,
        ),
    }
    return {
        "specialties": {"internal": internal, "pediatrics": pediatrics, "carms": carms_internal},
        "institutions": {"mgh": mgh, "community": community, "nyu": nyu, "bellevue": nyc_hospital},
        "programs": programs,
    }


# Decided on internal medicine (and a little pediatrics), near Boston, in the US or Canada.
GOALS = {
    "format": "medmatch-goals/1",
    "specialties": {
        "interests": [{"specialty": "140", "weight": 5}, {"specialty": "320", "weight": 1}],
        "weight": 5,
    },
    "location": {
        "places": [
            {"latitude": 42.3601, "longitude": -71.0589, "radius_km": 50, "label": "Boston, MA"}
        ],
        "weight": 3,
    },
    "countries": {"codes": ["US"], "weight": 0, "dealbreaker": True},
}


def give_goals(user, data=None) -> GoalProfile:
    return GoalProfile.objects.create(student=user, data=data or GOALS)
