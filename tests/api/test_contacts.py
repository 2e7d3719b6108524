"""Contacts, conversations and open questions through the API: read only, the student's own,
and the open questions the questions page would list (the same refresh)."""

import datetime

import pytest
from django.test import Client

from medmatch.research.models import Contact, Conversation, Insight, OpenQuestion, ShortlistItem
from tests.api.conftest import bearer, make_token
from tests.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(alice):
    client = Client()
    client.defaults.update(bearer(make_token(alice, ["research:read"])))
    return client


@pytest.fixture
def contact(alice, catalog):
    return Contact.objects.create(
        student=alice, name="Dr Sam Lee", role="resident", program=catalog["programs"][0]
    )


@pytest.fixture
def conversation(contact):
    conversation = Conversation.objects.create(
        contact=contact,
        date=datetime.date(2026, 10, 2),
        summary="Night float is heavy",
        follow_up_on=datetime.date(2026, 11, 1),
    )
    Insight.objects.create(conversation=conversation, aspect="mentorship", rating=2, note="thin")
    return conversation


def test_it_shows_contacts_with_their_conversations_and_insights(api, contact, conversation):
    Conversation.objects.create(contact=contact, date=datetime.date(2026, 9, 1), summary="Intro")
    listed = api.get("/api/v1/contacts").json()["items"]
    assert [(c["name"], c["conversation_count"]) for c in listed] == [("Dr Sam Lee", 2)]
    assert listed[0]["program"]["institution"] == "Massachusetts General Hospital"
    body = api.get(f"/api/v1/contacts/{contact.pk}").json()
    assert [c["summary"] for c in body["conversations"]] == ["Night float is heavy", "Intro"]
    insight = body["conversations"][0]["insights"][0]
    assert insight["aspect"] == "mentorship" and insight["rating"] == 2
    assert insight["doubtful"] is True
    shown = api.get(f"/api/v1/conversations/{conversation.pk}").json()
    assert shown["contact"] == {"id": contact.pk, "name": "Dr Sam Lee"}
    due = api.get("/api/v1/conversations", {"follow_up_due": True}).json()["items"]
    assert [c["id"] for c in due] == [conversation.pk]
    every = api.get("/api/v1/conversations", {"limit": 1}).json()
    rest = api.get("/api/v1/conversations", {"cursor": every["next_cursor"]}).json()
    assert [c["summary"] for c in every["items"] + rest["items"]] == [
        "Intro",
        "Night float is heavy",
    ]


def test_it_lists_the_open_questions_the_page_would(api, alice, catalog, conversation):
    ShortlistItem.objects.create(student=alice, program=catalog["programs"][0])
    body = api.get("/api/v1/open-questions", {"limit": 100}).json()
    stored = OpenQuestion.objects.filter(student=alice)
    assert stored.exists(), "the shortlisted program's unknown facts became questions"
    assert sorted(q["id"] for q in body["items"]) == sorted(stored.values_list("pk", flat=True))
    doubtful = [q for q in body["items"] if q["fact_key"] == "insight"]
    assert doubtful and doubtful[0]["insight_id"] is not None
    question = body["items"][0]
    assert question["answered"] is False and question["value"] is None
    one = api.get(f"/api/v1/open-questions/{question['id']}").json()
    assert one["question"] == question["question"]
    assert api.get("/api/v1/open-questions", {"answered": True}).json()["items"] == []
    other = catalog["programs"][1].pk
    assert api.get("/api/v1/open-questions", {"program_id": other}).json()["items"] == []


def test_another_student_gets_404_and_the_api_cannot_write_here(alice, contact, conversation):
    bob = Client()
    bob.defaults.update(bearer(make_token(make_user("bob"), ["research:write"])))
    question = OpenQuestion.objects.create(
        student=alice, program=contact.program, fact_key="hours", question="Hours?"
    )
    for url in (
        f"/api/v1/contacts/{contact.pk}",
        f"/api/v1/conversations/{conversation.pk}",
        f"/api/v1/open-questions/{question.pk}",
    ):
        assert bob.get(url).status_code == 404, url
        assert bob.delete(url).status_code == 405, url
    assert bob.get("/api/v1/contacts").json()["items"] == []
    assert bob.get("/api/v1/conversations").json()["items"] == []
    no_scope = Client()
    no_scope.defaults.update(bearer(make_token(alice, ["applications:write"])))
    assert no_scope.get(f"/api/v1/contacts/{contact.pk}").status_code == 403
