import json

import pytest
from django.urls import reverse

from medmatch.research.models import ShortlistItem, Tag
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_exports_the_shortlist_with_the_account(client, alice, alice_items, programs):
    client.force_login(alice)
    data = json.loads(client.get(reverse("accounts:export")).content)
    research = data["research"]
    assert research["tags"] == ["nyc", "reach", "safety"]
    first, second, third = research["shortlist"]
    program = programs["columbia_cardiology"]
    assert first == {
        "program_id": program.pk,
        "nrmp_code": "1234140C0",
        "carms_stream_id": "",
        "title": "Cardiovascular Disease",
        "institution": "Columbia University",
        "note": "Strong cath lab. Ask about call.",
        "tags": ["nyc", "reach"],
        "rating": 5,
        "created_at": alice_items[0].created_at.isoformat(timespec="seconds"),
        "updated_at": first["updated_at"],
    }
    assert second["carms_stream_id"] == "CA-77"
    assert second["rating"] == 3
    assert third["rating"] is None
    assert third["tags"] == []


def test_it_exports_nothing_of_another_students_shortlist(client, bob, alice_items):
    client.force_login(bob)
    data = json.loads(client.get(reverse("accounts:export")).content)
    assert data["research"] == {
        "shortlist": [],
        "tags": [],
        "contacts": [],
        "reviews": [],
        "open_questions": [],
    }


def test_it_deletes_the_shortlist_with_the_account(client, alice, bob, alice_items, programs):
    ShortlistItem.objects.create(student=bob, program=programs["mgh_anesthesia"])
    client.force_login(alice)
    exported = json.loads(client.get(reverse("accounts:export")).content)
    assert len(exported["research"]["shortlist"]) == 3
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not ShortlistItem.objects.filter(student__username="alice").exists()
    assert not Tag.objects.filter(student__username="alice").exists()
    assert ShortlistItem.objects.filter(student=bob).count() == 1  # others' are untouched
    assert programs["columbia_cardiology"].__class__.objects.count() == 5  # the catalog stays
