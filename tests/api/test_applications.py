"""A student's applications through the API: list, detail with requirements, create (as the
README's curl example does), status moves and the dates, through the pages' forms."""

import pytest
from django.test import Client

from medmatch.applications.models import Application, StatusChange
from tests.api.conftest import bearer, make_token
from tests.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice):
    client = Client()
    client.defaults.update(bearer(make_token(alice)))
    return client


def post(api, url, data):
    return api.post(url, data, content_type="application/json")


def test_it_creates_an_application_with_its_checklist(api, alice, catalog):
    program = catalog["programs"][0]
    response = post(api, "/api/v1/applications", {"program_id": program.pk})
    assert response.status_code == 201
    body = response.json()
    application = Application.objects.get(student=alice)
    assert body["id"] == application.pk and body["status"] == "researching"
    assert body["program"] == {
        "id": program.pk,
        "title": program.title,
        "institution": "Massachusetts General Hospital",
    }
    assert len(body["requirements"]) == application.requirements.count() > 0
    assert body["history"][0]["to_status"] == "researching"
    again = post(api, "/api/v1/applications", {"program_id": program.pk})
    assert again.status_code == 200 and again.json()["id"] == application.pk


def test_it_names_the_field_of_a_bad_program(api, alice):
    response = post(api, "/api/v1/applications", {"program_id": "abc"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "program_id"
    assert post(api, "/api/v1/applications", {"program_id": 424242}).status_code == 404
    response = api.post("/api/v1/applications", "{not json", content_type="application/json")
    assert response.status_code in (400, 422) and "error" in response.json()


def test_it_lists_by_status_with_keyset_cursors(api, alice, catalog):
    for program in catalog["programs"]:
        post(api, "/api/v1/applications", {"program_id": program.pk})
    first = api.get("/api/v1/applications", {"limit": 2}).json()
    assert len(first["items"]) == 2
    # A row added between pages does not shift the next page.
    rest = api.get("/api/v1/applications", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [i["id"] for i in first["items"] + rest["items"]] == sorted(
        Application.objects.values_list("pk", flat=True)
    )
    assert rest["next_cursor"] is None
    moved = first["items"][0]["id"]
    post(api, f"/api/v1/applications/{moved}/status", {"status": "preparing"})
    only = api.get("/api/v1/applications", {"status": "preparing"}).json()["items"]
    assert [i["id"] for i in only] == [moved]
    assert api.get("/api/v1/applications", {"status": "bogus"}).status_code == 422


def test_it_asks_before_submitting_with_an_open_checklist(api, application):
    url = f"/api/v1/applications/{application.pk}/status"
    response = post(api, url, {"status": "submitted"})
    assert response.status_code == 409
    assert response.json()["error"]["fields"][0]["field"] == "confirm"
    application.refresh_from_db()
    assert application.status == "researching"
    response = post(api, url, {"status": "submitted", "confirm": True})
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert StatusChange.objects.filter(application=application, to_status="submitted").exists()


def test_it_changes_the_dates_through_the_page_form(api, application):
    url = f"/api/v1/applications/{application.pk}"
    response = api.patch(
        url,
        {"opens_on": "2026-09-01", "deadline": "2026-08-01", "notes": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "deadline"
    response = api.patch(
        url,
        {"deadline": "2026-10-01", "notes": "Ask about research"},
        content_type="application/json",
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert str(application.deadline) == "2026-10-01" and application.notes == "Ask about research"


def test_another_students_application_is_a_404_as_on_the_pages(application):
    bob = make_user("bob")
    api = Client()
    api.defaults.update(bearer(make_token(bob)))
    for response in (
        api.get(f"/api/v1/applications/{application.pk}"),
        api.patch(f"/api/v1/applications/{application.pk}", {}, content_type="application/json"),
        post(api, f"/api/v1/applications/{application.pk}/status", {"status": "withdrawn"}),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert api.get("/api/v1/applications").json()["items"] == []
    application.refresh_from_db()
    assert application.status == "researching"


def test_it_ticks_a_checklist_item_as_the_page_does(api, application):
    requirement = application.requirements.first()
    url = f"/api/v1/requirements/{requirement.pk}"
    response = api.patch(url, {"done": True}, content_type="application/json")
    assert response.status_code == 200
    requirement.refresh_from_db()
    assert requirement.done and requirement.done_at is not None
    assert response.json()["done"] is True
    response = api.patch(url, {"done": "maybe"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "done"
    assert (
        api.patch(url, {"done": False}, content_type="application/json").json()["done_at"] is None
    )


def test_a_read_scope_or_another_student_cannot_tick(alice, application):
    requirement = application.requirements.first()
    url = f"/api/v1/requirements/{requirement.pk}"
    reader = Client()
    reader.defaults.update(bearer(make_token(alice, ["applications:read"])))
    assert reader.get(url).status_code == 200
    assert reader.patch(url, {"done": True}, content_type="application/json").status_code == 403
    bob = Client()
    bob.defaults.update(bearer(make_token(make_user("bob"))))
    assert bob.get(url).status_code == 404
    assert bob.patch(url, {"done": True}, content_type="application/json").status_code == 404
    requirement.refresh_from_db()
    assert not requirement.done
