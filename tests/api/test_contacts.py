"""Contacts, conversations and open questions through the API: the student's own, the open
questions the questions page would list (the same refresh), and writes through the pages' forms
and services."""

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


def test_another_student_gets_404_on_every_contact_url(alice, contact, conversation):
    bob = Client()
    bob.defaults.update(bearer(make_token(make_user("bob"), ["research:write"])))
    question = OpenQuestion.objects.create(
        student=alice, program=contact.program, fact_key="hours", question="Hours?"
    )
    for url in (f"/api/v1/contacts/{contact.pk}", f"/api/v1/conversations/{conversation.pk}"):
        assert bob.get(url).status_code == 404, url
        assert bob.patch(url, {"notes": "x"}, content_type="application/json").status_code == 404
        assert bob.delete(url).status_code == 404, url
    assert bob.get(f"/api/v1/open-questions/{question.pk}").status_code == 404
    for action in ("answer", "reopen"):
        url = f"/api/v1/open-questions/{question.pk}/{action}"
        answer = {"answer": "50"}
        assert bob.post(url, answer, content_type="application/json").status_code == 404
    url = f"/api/v1/contacts/{contact.pk}/conversations"
    assert bob.post(url, {"date": "2026-10-01"}, content_type="application/json").status_code == 404
    assert Contact.objects.get(pk=contact.pk).conversations.count() == 1
    assert not OpenQuestion.objects.get(pk=question.pk).answered
    assert bob.get("/api/v1/contacts").json()["items"] == []
    assert bob.get("/api/v1/conversations").json()["items"] == []
    no_scope = Client()
    no_scope.defaults.update(bearer(make_token(alice, ["applications:write"])))
    assert no_scope.get(f"/api/v1/contacts/{contact.pk}").status_code == 403


@pytest.fixture
def writer(alice):
    client = Client()
    client.defaults.update(bearer(make_token(alice, ["research:write"])))
    return client


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def test_it_adds_changes_and_deletes_a_contact_through_the_pages_form(writer, alice, catalog):
    program = catalog["programs"][0]
    refused = post(writer, "/api/v1/contacts", {"name": "Dr Ray", "program_id": program.pk})
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"][0]["field"] == "program"
    assert "pick one of your programs" in refused.json()["error"]["fields"][0]["reason"]
    assert not Contact.objects.exists()
    ShortlistItem.objects.create(student=alice, program=program)
    made = post(writer, "/api/v1/contacts", {"name": "Dr Ray", "program_id": program.pk})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["program"]["id"] == program.pk and body["role"] == "resident"
    assert body["conversation_count"] == 0
    url = f"/api/v1/contacts/{body['id']}"
    changed = patch(writer, url, {"role": "faculty", "email": "ray@example.org"}).json()
    assert (changed["name"], changed["role"], changed["email"]) == (
        "Dr Ray",
        "faculty",
        "ray@example.org",
    )
    bad = patch(writer, url, {"institution_id": catalog["chicago"].pk, "email": "nope"})
    assert bad.status_code == 422
    assert {f["field"] for f in bad.json()["error"]["fields"]} == {"institution", "email"}
    assert patch(writer, url, {"program_id": None}).json()["program"] is None
    assert writer.delete(url).status_code == 204
    assert not Contact.objects.exists()


def test_a_reader_cannot_write(api, contact):
    response = patch(api, f"/api/v1/contacts/{contact.pk}", {"notes": "x"})
    assert response.status_code == 403
    assert Contact.objects.get(pk=contact.pk).notes == ""


def test_a_conversation_with_insights_raises_and_answers_questions(writer, alice, contact):
    ShortlistItem.objects.create(student=alice, program=contact.program)
    url = f"/api/v1/contacts/{contact.pk}/conversations"
    twice = post(
        writer,
        url,
        {
            "date": "2026-10-03",
            "insights": [
                {"aspect": "teaching", "rating": 4},
                {"aspect": "teaching", "rating": 2},
            ],
        },
    )
    assert twice.status_code == 422 and "twice" in twice.json()["error"]["message"]
    unrated = post(
        writer, url, {"date": "2026-10-03", "insights": [{"aspect": "culture", "rating": 9}]}
    )
    assert unrated.status_code == 422
    assert unrated.json()["error"]["fields"][0]["field"] == "culture_rating"
    assert not Conversation.objects.exists()
    made = post(
        writer,
        url,
        {
            "date": "2026-10-03",
            "channel": "phone",
            "summary": "Asked about mentors",
            "follow_up_on": "2026-11-01",
            "insights": [
                {"aspect": "mentorship", "rating": 2, "confidence": "low", "note": "thin"},
                {"aspect": "teaching", "rating": 5, "confidence": "high"},
            ],
        },
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert sorted(i["aspect"] for i in body["insights"]) == ["mentorship", "teaching"]
    doubtful = OpenQuestion.objects.filter(student=alice, fact_key="insight")
    assert doubtful.count() == 1, "the doubtful mentorship insight raised a question"
    url = f"/api/v1/conversations/{body['id']}"
    kept = patch(writer, url, {"summary": "Mentors are assigned late"}).json()
    assert kept["channel"] == "phone" and len(kept["insights"]) == 2
    assert kept["follow_up_on"] == "2026-11-01"
    cleared = patch(writer, url, {"insights": [], "follow_up_on": None}).json()
    assert cleared["insights"] == [] and cleared["follow_up_on"] is None
    assert not doubtful.exists(), "removing the insight removed its question"
    assert writer.delete(url).status_code == 204
    assert not Conversation.objects.exists()


def test_it_answers_and_reopens_an_open_question_with_a_typed_value(writer, alice, contact):
    hours = OpenQuestion.objects.create(
        student=alice, program=contact.program, fact_key="weekly_hours", question="Hours?"
    )
    url = f"/api/v1/open-questions/{hours.pk}"
    too_many = post(writer, f"{url}/answer", {"answer": "a lot", "value": 200})
    assert too_many.status_code == 422
    assert "at most 168" in too_many.json()["error"]["fields"][0]["reason"]
    empty = post(writer, f"{url}/answer", {})
    assert empty.status_code == 422 and "answer" in empty.json()["error"]["message"] + str(
        empty.json()["error"]["fields"]
    )
    answered = post(writer, f"{url}/answer", {"answer": "From Dr Lee", "value": 62}).json()
    assert answered["answered"] is True and answered["value"] == 62
    assert answered["answer"] == "From Dr Lee"
    reopened = post(writer, f"{url}/reopen", {}).json()
    assert reopened["answered"] is False and reopened["value"] is None
    mentors = OpenQuestion.objects.create(
        student=alice, program=contact.program, fact_key="mentorship", question="Mentors?"
    )
    flag = post(writer, f"/api/v1/open-questions/{mentors.pk}/answer", {"value": True}).json()
    assert flag["value"] is True
