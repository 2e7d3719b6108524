"""The shortlist and CV entries through the API."""

import pytest
from django.test import Client

from medmatch.applications.models import CVEntry
from medmatch.research.models import ShortlistItem, Tag
from tests.api.conftest import bearer, make_token
from tests.personas import make_user

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


def test_it_changes_the_note_tags_and_rating_through_the_page_form(api, alice, catalog):
    item = ShortlistItem.objects.create(student=alice, program=catalog["programs"][0], note="old")
    url = f"/api/v1/shortlist/{item.pk}"
    response = api.patch(
        url,
        {"tags": ["Reach", " near  family", "reach"], "rating": 4},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["tags"] == ["near family", "reach"]  # as the page cleans them
    item.refresh_from_db()
    assert item.rating == 4 and item.note == "old"  # a field not sent keeps its value
    assert [i["id"] for i in api.get("/api/v1/shortlist", {"tag": "reach"}).json()["items"]] == [
        item.pk
    ]
    response = api.patch(url, {"rating": None, "tags": []}, content_type="application/json")
    item.refresh_from_db()
    assert item.rating is None and item.tag_names == [] and not Tag.objects.exists()


def test_a_bad_shortlist_change_names_the_field(api, alice, catalog):
    item = ShortlistItem.objects.create(student=alice, program=catalog["programs"][0])
    url = f"/api/v1/shortlist/{item.pk}"
    for body, field in [
        ({"rating": 6}, "rating"),
        ({"tags": ["x" * 41]}, "tags"),
        ({"tags": [f"t{n}" for n in range(13)]}, "tags"),
        ({"tags": ["a,b"]}, "tags"),
        ({"note": "x" * 20_001}, "note"),
    ]:
        response = api.patch(url, body, content_type="application/json")
        assert response.status_code == 422, body
        assert response.json()["error"]["fields"][0]["field"] == field, body
    item.refresh_from_db()
    assert item.rating is None and item.tag_names == []


def test_another_students_shortlist_item_cannot_be_changed(alice, catalog):
    item = ShortlistItem.objects.create(student=alice, program=catalog["programs"][0])
    bob = Client()
    bob.defaults.update(bearer(make_token(make_user("bob"), ["research:write"])))
    response = bob.patch(
        f"/api/v1/shortlist/{item.pk}", {"rating": 1}, content_type="application/json"
    )
    assert response.status_code == 404
    reader = Client()
    reader.defaults.update(bearer(make_token(alice, ["research:read"])))
    response = reader.patch(
        f"/api/v1/shortlist/{item.pk}", {"rating": 1}, content_type="application/json"
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.rating is None
