"""Recommenders and letter requests through the API: each request with its plan — and never a
waived letter's content: not its text, file name, size or hash, in any answer; writes through the
letters pages' forms, with the waiver and the recommender fixed once a link was made (409)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from medmatch.applications.services import application_create
from medmatch.letters.models import Letter, LetterRequest, Recommender
from medmatch.letters.services import link_create, request_save
from tests.api.conftest import bearer, make_token
from tests.letters.conftest import days, pdf_bytes, upload
from tests.personas import make_user

pytestmark = pytest.mark.django_db

SECRET = b"Alice is the finest intern I have supervised"
FILE_NAME = "Okafor-confidential-Alice.pdf"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def recommender(alice):
    return Recommender.objects.create(
        student=alice,
        name="Dr. Ruth Okafor",
        email="okafor@example.org",
        known_months=14,
        knows_well=5,
    )


@pytest.fixture
def applications(alice, catalog):
    return [application_create(student=alice, program=p)[0] for p in catalog["programs"][:2]]


@pytest.fixture
def letter_request(alice, recommender, applications):
    request = LetterRequest(
        student=alice, recommender=recommender, status="asked", due_on=days(40), waived=True
    )
    return request_save(letter_request=request, applications=applications)


def _upload(letter_request) -> Letter:
    token, _ = link_create(request=letter_request)
    content = pdf_bytes().replace(b"trailer", b"% " + SECRET + b"\ntrailer")
    Client().post(
        reverse("letters:portal", args=[letter_request.pk, token]),
        {"letter": upload(content, FILE_NAME)},
    )
    return Letter.objects.get(request=letter_request)


@pytest.fixture
def api(alice):
    client = Client()
    client.defaults.update(bearer(make_token(alice, ["letters:read"])))
    return client


def test_it_never_shows_a_waived_letters_content(api, letter_request):
    letter = _upload(letter_request)
    assert letter.waived
    answers = [
        api.get(f"/api/v1/letter-requests/{letter_request.pk}"),
        api.get("/api/v1/letter-requests"),
        api.get("/api/v1/letter-requests", {"status": "submitted"}),
    ]
    for response in answers:
        assert response.status_code == 200
        raw = response.content
        for secret in (SECRET, FILE_NAME.encode(), b"Okafor-confidential", letter.sha256.encode()):
            assert secret not in raw
        assert str(letter.size).encode() not in raw
        assert b"%PDF" not in raw
    body = answers[0].json()
    assert body["status"] == "submitted" and body["is_in"] is True
    assert body["letter"] == {
        "uploaded_at": body["letter"]["uploaded_at"],
        "confidential": True,
        "readable": False,
        "file_name": None,
        "size": None,
        "sha256": None,
    }
    assert json.loads(answers[2].content)["items"][0]["id"] == letter_request.pk


def test_it_names_the_file_only_when_the_student_may_read_it(api, alice, recommender, applications):
    open_request = request_save(
        letter_request=LetterRequest(
            student=alice, recommender=recommender, status="asked", waived=False
        ),
        applications=applications[:1],
    )
    letter = _upload(open_request)
    body = api.get(f"/api/v1/letter-requests/{open_request.pk}").json()
    assert body["letter"]["readable"] is True and body["letter"]["confidential"] is False
    assert body["letter"]["file_name"] == FILE_NAME and body["letter"]["sha256"] == letter.sha256
    assert SECRET.decode() not in json.dumps(body)  # the content itself: from the page only


def test_it_lists_recommenders_and_requests_with_their_plan(api, letter_request, recommender):
    body = api.get("/api/v1/recommenders").json()
    assert [r["name"] for r in body["items"]] == ["Dr. Ruth Okafor"]
    assert body["items"][0]["knows_well"] == 5
    assert api.get(f"/api/v1/recommenders/{recommender.pk}").json()["known_months"] == 14
    shown = api.get(f"/api/v1/letter-requests/{letter_request.pk}").json()
    assert shown["letter"] is None and shown["is_in"] is False
    assert len(shown["applications"]) == 2 and shown["due_on"] == str(days(40))
    assert shown["plan"]["state"] in {"on_track", "at_risk", "late", "done", "unknown"}
    assert shown["plan"]["label"]
    assert api.get("/api/v1/letter-requests", {"status": "late"}).status_code == 422
    assert api.get("/api/v1/letter-requests", {"status": "declined"}).json()["items"] == []


def test_another_student_gets_404_and_no_scope_gets_403(alice, letter_request, recommender):
    bob = Client()
    bob.defaults.update(bearer(make_token(make_user("bob"), ["letters:read"])))
    assert bob.get(f"/api/v1/letter-requests/{letter_request.pk}").status_code == 404
    assert bob.get(f"/api/v1/recommenders/{recommender.pk}").status_code == 404
    assert bob.get("/api/v1/letter-requests").json()["items"] == []
    other_area = Client()
    other_area.defaults.update(bearer(make_token(alice, ["applications:write"])))
    assert other_area.get("/api/v1/letter-requests").status_code == 403
    assert other_area.get(f"/api/v1/recommenders/{recommender.pk}").status_code == 403


@pytest.fixture
def writer(alice):
    client = Client()
    client.defaults.update(bearer(make_token(alice, ["letters:write"])))
    return client


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def test_it_adds_a_recommender_and_asks_for_a_letter(writer, api, applications):
    bad = post(writer, "/api/v1/recommenders", {"name": "Dr Lin", "email": "nope", "knows_well": 9})
    assert bad.status_code == 422
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"email", "knows_well"}
    assert not Recommender.objects.exists()
    made = post(writer, "/api/v1/recommenders", {"name": "Dr Lin", "email": "lin@example.org"})
    assert made.status_code == 201, made.json()
    lin = made.json()
    assert lin["role"] == "attending" and lin["known_months"] is None
    assert patch(api, f"/api/v1/recommenders/{lin['id']}", {"notes": "x"}).status_code == 403
    changed = patch(writer, f"/api/v1/recommenders/{lin['id']}", {"known_months": 6}).json()
    assert changed["known_months"] == 6 and changed["name"] == "Dr Lin"
    ids = [a.pk for a in applications]
    asked = post(
        writer,
        "/api/v1/letter-requests",
        {"recommender_id": lin["id"], "application_ids": ids, "status": "asked", "waived": True},
    )
    assert asked.status_code == 201, asked.json()
    body = asked.json()
    assert body["waived"] is True and body["terms_fixed_at"] is None
    assert sorted(a["id"] for a in body["applications"]) == sorted(ids)
    assert body["due_on"] is not None or all(a.deadline is None for a in applications)
    url = f"/api/v1/letter-requests/{body['id']}"
    moved = patch(writer, url, {"status": "agreed", "application_ids": ids[:1]}).json()
    assert moved["status"] == "agreed" and [a["id"] for a in moved["applications"]] == ids[:1]
    assert moved["waived"] is True, "fields not sent keep their values"
    refused = writer.delete(f"/api/v1/recommenders/{lin['id']}")
    assert refused.status_code == 409 and "delete those first" in refused.json()["error"]["message"]
    assert writer.delete(url).status_code == 204
    assert writer.delete(f"/api/v1/recommenders/{lin['id']}").status_code == 204
    assert not Recommender.objects.exists()


def test_fixed_terms_cannot_be_changed_through_the_api(writer, letter_request, recommender):
    link_create(request=letter_request)
    url = f"/api/v1/letter-requests/{letter_request.pk}"
    unwaived = patch(writer, url, {"waived": False})
    assert unwaived.status_code == 409
    other = Recommender.objects.create(student=letter_request.student, name="Dr Other")
    moved = patch(writer, url, {"recommender_id": other.pk})
    assert moved.status_code == 409
    stored = LetterRequest.objects.get(pk=letter_request.pk)
    assert stored.waived is True and stored.recommender_id == recommender.pk
    assert patch(writer, url, {"talking_points": "The ICU month"}).status_code == 200
    renamed = patch(writer, f"/api/v1/recommenders/{recommender.pk}", {"email": "new@example.org"})
    assert renamed.status_code == 409
    assert Recommender.objects.get(pk=recommender.pk).email == "okafor@example.org"


def test_a_waived_letter_stays_unreadable_whatever_the_api_is_sent(writer, api, letter_request):
    letter = _upload(letter_request)
    url = f"/api/v1/letter-requests/{letter_request.pk}"
    assert patch(writer, url, {"waived": False}).status_code == 409
    body = api.get(url).json()
    assert body["letter"]["readable"] is False and body["letter"]["file_name"] is None
    assert SECRET not in api.get(url).content and letter.sha256 not in api.get(url).json().values()


def test_another_student_cannot_write_or_assign_anothers_objects(
    alice, letter_request, recommender, applications
):
    bob_user = make_user("bob")
    bob = Client()
    bob.defaults.update(bearer(make_token(bob_user, ["letters:write"])))
    for url in (
        f"/api/v1/letter-requests/{letter_request.pk}",
        f"/api/v1/recommenders/{recommender.pk}",
    ):
        assert patch(bob, url, {"notes": "x", "status": "declined"}).status_code == 404
        assert bob.delete(url).status_code == 404
    own = post(bob, "/api/v1/recommenders", {"name": "Dr Bob"}).json()
    stolen = post(
        bob,
        "/api/v1/letter-requests",
        {"recommender_id": recommender.pk, "application_ids": [applications[0].pk]},
    )
    assert stolen.status_code == 422
    assert {f["field"] for f in stolen.json()["error"]["fields"]} == {"recommender", "applications"}
    theirs = post(
        bob,
        "/api/v1/letter-requests",
        {"recommender_id": own["id"], "application_ids": [applications[0].pk]},
    )
    assert theirs.status_code == 422
    assert {f["field"] for f in theirs.json()["error"]["fields"]} == {"applications"}
    assert LetterRequest.objects.count() == 1
