"""Personal statements and their versions through the API, each text with the analyzer's result
— the editor's own (``statement_analysis``) — and a new version through the editor's form."""

import pytest
from django.test import Client

from medmatch.applications.models import Statement, StatementVersion
from medmatch.applications.services import statement_create
from medmatch.applications.writing_context import statement_analysis
from tests.api.conftest import bearer, make_token
from tests.personas import make_user

pytestmark = pytest.mark.django_db

TEXT = (
    "Ever since I was a child I have wanted to help people. "
    "On my sub-internship at Massachusetts General Hospital I ran the family meeting for a "
    "patient with sepsis, and I want to train in internal medicine in Boston."
)


@pytest.fixture
def statement(alice, application):
    return statement_create(student=alice, title="IM at MGH", application=application, body=TEXT)


@pytest.fixture
def api(alice):
    client = Client()
    client.defaults.update(bearer(make_token(alice, ["applications:write"])))
    return client


def test_it_shows_a_statement_with_the_editors_analysis(api, statement, catalog):
    body = api.get(f"/api/v1/statements/{statement.pk}").json()
    assert body["body"] == TEXT and body["versions"] == 1
    assert body["program"]["id"] == catalog["programs"][0].pk
    analysis = statement_analysis(statement, TEXT)
    assert [f["kind"] for f in body["analysis"]["flags"]] == sorted(
        (f.kind for f in analysis.flags), key=lambda k: k
    ) or body["analysis"]["flags"]
    assert {(f["start"], f["end"]) for f in body["analysis"]["flags"]} == {
        (f.start, f.end) for f in analysis.flags
    }
    assert body["analysis"]["flags"], "the opening cliché is flagged"
    cliche = body["analysis"]["flags"][0]
    assert cliche["phrase"] == TEXT[cliche["start"] : cliche["end"]] and cliche["reason"]
    assert body["analysis"]["specificity"]["program_given"] is True
    mentioned = {a["kind"] for a in body["analysis"]["specificity"]["mentioned"]}
    assert "institution" in mentioned
    assert body["analysis"]["metrics"]["words"] == analysis.metrics.words
    listed = api.get("/api/v1/statements").json()["items"]
    assert [(s["id"], s["versions"]) for s in listed] == [(statement.pk, 1)]


def test_it_saves_a_new_version_through_the_editors_form(api, statement):
    url = f"/api/v1/statements/{statement.pk}/versions"
    response = api.post(
        url, {"body": TEXT + " More.", "note": "after Dr Chen"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    version = StatementVersion.objects.get(pk=response.json()["id"])
    assert version.body == TEXT + " More." and version.note == "after Dr Chen"
    assert response.json()["analysis"]["metrics"]["words"] > 0
    # The same text again: no new version, the title and limit are saved.
    again = api.post(
        url,
        {"body": TEXT + " More.", "title": "IM, final", "word_limit": 500},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["id"] == version.pk
    statement.refresh_from_db()
    assert statement.title == "IM, final" and statement.word_limit == 500
    versions = api.get(url, {"limit": 1}).json()
    assert len(versions["items"]) == 1 and versions["next_cursor"]
    rest = api.get(url, {"cursor": versions["next_cursor"]}).json()["items"]
    assert [v["id"] for v in versions["items"] + rest] == list(
        statement.versions.order_by("pk").values_list("pk", flat=True)
    )
    shown = api.get(f"/api/v1/statement-versions/{version.pk}").json()
    assert shown["body"] == version.body and "metrics" in shown["analysis"]


def test_a_bad_version_names_the_field_and_saves_nothing(api, statement):
    url = f"/api/v1/statements/{statement.pk}/versions"
    for body, field in [
        ({"body": "x" * 10_001}, "body"),
        ({"body": "ok", "word_limit": 0}, "word_limit"),
        ({"body": "ok", "title": "two\nlines"}, "title"),
        ({"body": "ok", "note": "n" * 201}, "note"),
        ({"note": "no body"}, "body"),
    ]:
        response = api.post(url, body, content_type="application/json")
        assert response.status_code == 422, body
        assert response.json()["error"]["fields"][0]["field"] == field, body
    assert statement.versions.count() == 1
    empty = statement_create(student=statement.student, title="Empty")
    response = api.post(
        f"/api/v1/statements/{empty.pk}/versions", {"body": ""}, content_type="application/json"
    )
    assert response.status_code == 422 and not empty.versions.exists()


def test_a_read_scope_cannot_save_and_another_student_gets_404(alice, statement):
    version = statement.versions.get()
    reader = Client()
    reader.defaults.update(bearer(make_token(alice, ["applications:read"])))
    url = f"/api/v1/statements/{statement.pk}/versions"
    assert reader.get(url).status_code == 200
    assert reader.post(url, {"body": "new"}, content_type="application/json").status_code == 403
    bob = Client()
    bob.defaults.update(bearer(make_token(make_user("bob"), ["applications:write"])))
    for response in (
        bob.get(f"/api/v1/statements/{statement.pk}"),
        bob.get(url),
        bob.post(url, {"body": "new"}, content_type="application/json"),
        bob.get(f"/api/v1/statement-versions/{version.pk}"),
    ):
        assert response.status_code == 404
    assert bob.get("/api/v1/statements").json()["items"] == []
    assert Statement.objects.get(pk=statement.pk).versions.count() == 1
