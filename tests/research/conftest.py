"""Fixtures for the shortlist tests: a few programs and alice's shortlist of them."""

import pytest

from medmatch.research.models import ShortlistItem
from medmatch.research.services import shortlist_update
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty


@pytest.fixture
def programs(db):
    nrmp = make_source(key="nrmp-research", name="NRMP program tracks (test)", publisher="NRMP")
    cardiology = make_specialty("Cardiovascular Disease")
    pediatrics = make_specialty("Pediatrics")
    columbia = make_institution("Columbia University", city="New York", region="NY", source=nrmp)
    mgh = make_institution("Massachusetts General Hospital", city="Boston", region="MA")
    return {
        "columbia_cardiology": make_program(
            "Cardiovascular Disease",
            institution=columbia,
            specialty=cardiology,
            nrmp_code="1234140C0",
            weekly_hours=62,
            source=nrmp,
        ),
        "columbia_pediatrics": make_program(
            "Pediatrics", institution=columbia, specialty=pediatrics, source=nrmp
        ),
        "mgh_cardiology": make_program(
            "Cardiology", institution=mgh, specialty=cardiology, carms_stream_id="CA-77"
        ),
        "mgh_pediatrics": make_program("Pediatrics Boston", institution=mgh, specialty=pediatrics),
        "mgh_anesthesia": make_program("Anesthesiology", institution=mgh),
    }


def shortlist_for(user, *programs, **fields) -> list[ShortlistItem]:
    items = []
    for program in programs:
        item = ShortlistItem.objects.create(student=user, program=program)
        if fields:
            shortlist_update(
                item=item,
                note=fields.get("note", ""),
                tags=fields.get("tags", []),
                rating=fields.get("rating"),
            )
        items.append(item)
    return items


@pytest.fixture
def alice_items(alice, programs):
    """alice's shortlist: rated, tagged and noted in different ways."""
    first = shortlist_for(
        alice,
        programs["columbia_cardiology"],
        note="Strong cath lab. Ask about call.",
        tags=["reach", "nyc"],
        rating=5,
    )[0]
    second = shortlist_for(alice, programs["mgh_cardiology"], tags=["safety"], rating=3)[0]
    third = shortlist_for(alice, programs["columbia_pediatrics"])[0]  # not rated, no tags
    return [first, second, third]
