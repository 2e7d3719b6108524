"""The shortlist and CV entries through the API."""

import pytest
from django.test import Client

from medmatch.applications.models import CVEntry
from medmatch.research.models import ShortlistItem
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice):
    client = Client()
    client.defaults.update(bearer(make_token(alice, ["research:write", "applications:read"])))
    return client


def test_it_keeps_lists_and_removes_shortlist_items(api, alice, catalog):
    program = catalog["programs"][1]
    response = api.post(
        "/api/v1/shortlist", {"program_id": program.pk}, content_type="application/json"
    )
    assert response.status_code == 201
    item = ShortlistItem.objects.get(student=alice)
    assert response.json()["program"]["id"] == program.pk and response.json()["rating"] is None
    again = api.post(
        "/api/v1/shortlist", {"program_id": program.pk}, content_type="application/json"
    )
    assert again.status_code == 200
    assert [i["id"] for i in api.get("/api/v1/shortlist").json()["items"]] == [item.pk]
    assert api.get("/api/v1/shortlist", {"tag": "rural"}).json()["items"] == []
    assert api.delete(f"/api/v1/shortlist/{item.pk}").status_code == 204
    assert not ShortlistItem.objects.exists()
    assert api.get(f"/api/v1/shortlist/{item.pk}").status_code == 404


def test_a_read_scope_cannot_remove(alice, catalog):
    item = ShortlistItem.objects.create(student=alice, program=catalog["programs"][0])
    client = Client()
    client.defaults.update(bearer(make_token(alice, ["research:read"])))
    assert client.get(f"/api/v1/shortlist/{item.pk}").status_code == 200
    assert client.delete(f"/api/v1/shortlist/{item.pk}").status_code == 403
    assert ShortlistItem.objects.filter(pk=item.pk).exists()


def test_it_lists_cv_entries_by_section(api, alice):
    research = CVEntry.objects.create(student=alice, section="research", title="Sepsis study")
    CVEntry.objects.create(student=alice, section="education", title="MD")
    body = api.get("/api/v1/cv-entries", {"section": "research"}).json()
    assert [entry["title"] for entry in body["items"]] == ["Sepsis study"]
    assert body["items"][0]["start_date"] is None
    assert api.get(f"/api/v1/cv-entries/{research.pk}").json()["section"] == "research"
    assert api.get("/api/v1/cv-entries", {"section": "hobbies"}).status_code == 422
