"""Fixtures for catalog tests (shared: add fixtures, don't change existing ones)."""

import pytest
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty


@pytest.fixture
def small_catalog(db):
    """A few real-looking programs around New York, Boston and Toronto, plus one with no place.

    Coordinates are the hospitals' (approximately); ZIP 10032 is Washington Heights, Manhattan.
    """
    nrmp = make_source(key="nrmp-test", name="NRMP program tracks (test)", publisher="NRMP")
    cms = make_source(key="cms-test", name="CMS hospitals (test)", publisher="CMS")
    cardiology = make_specialty("Cardiovascular Disease", slug="cardiology")
    internal = make_specialty("Internal Medicine")
    pediatrics = make_specialty("Pediatrics")
    columbia_hospital = make_institution(
        "NewYork-Presbyterian Hospital",
        kind="academic",
        city="New York",
        region="NY",
        country="US",
        latitude=40.8404,
        longitude=-73.9419,
        coordinates_precision="address",
        coordinates_source=cms,
        is_teaching=True,
        resident_fte=1649.0,
        teaching_source=cms,
        ccn="330101",
        source=cms,
    )
    columbia = make_institution(
        "Columbia University Irving Medical Center",
        kind="sponsor",
        region="NY",
        country="US",
        nrmp_code="1234",
        hospital=columbia_hospital,
        hospital_link_score=91.5,
        source=nrmp,
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
        source=cms,
    )
    toronto = make_institution(
        "University of Toronto",
        kind="medical_school",
        city="Toronto",
        region="ON",
        country="CA",
        latitude=43.6629,
        longitude=-79.3957,
        source=nrmp,
    )
    nowhere = make_institution(
        "Rural Health Sponsor", kind="sponsor", region="NY", country="US", source=nrmp
    )
    programs = {
        "columbia_cardiology": make_program(
            "Cardiovascular Disease Fellowship",
            institution=columbia,
            specialty=cardiology,
            track_type="categorical",
            nrmp_code="1234140F0",
            source=nrmp,
        ),
        "columbia_medicine": make_program(
            "Internal Medicine",
            institution=columbia,
            specialty=internal,
            track_type="categorical",
            source=nrmp,
        ),
        "columbia_prelim": make_program(
            "Internal Medicine Preliminary",
            institution=columbia,
            specialty=internal,
            track_type="preliminary",
            source=nrmp,
        ),
        "mgh_cardiology": make_program(
            "Cardiology", institution=mgh, specialty=cardiology, track_type="categorical"
        ),
        "mgh_pediatrics": make_program(
            "Pediatrics", institution=mgh, specialty=pediatrics, track_type="categorical"
        ),
        "toronto_cardiology": make_program(
            "Cardiology (CMG stream)",
            institution=toronto,
            specialty=cardiology,
            stream="CMG",
            city="Toronto",
            region="ON",
            country="CA",
        ),
        "rural_cardiology": make_program(
            "Cardiology Rural Track", institution=nowhere, specialty=cardiology
        ),
    }
    return {
        "sources": {"nrmp": nrmp, "cms": cms},
        "specialties": {"cardiology": cardiology, "internal": internal, "pediatrics": pediatrics},
        "institutions": {
            "columbia_hospital": columbia_hospital,
            "columbia": columbia,
            "mgh": mgh,
            "toronto": toronto,
            "nowhere": nowhere,
        },
        "programs": programs,
    }
