"""Everything of alice's is a 404 for another student, a coordinator and an anonymous visitor, on
every object URL and method; her lists show none of it to anyone else."""

import pytest
from django.urls import reverse

from medmatch.interviews.models import Impression, Interview, PracticeAttempt, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_things(alice, interview):
    question = Question.objects.create(
        student=alice, category="ethics", text="Alice's secret question"
    )
    attempt = PracticeAttempt.objects.create(
        student=alice, question=question, seconds_taken=60, answer="Alice's secret answer"
    )
    Impression.objects.create(interview=interview, overall=2, notes="Alice's secret impression")
    return {"question": question, "attempt": attempt, "interview": interview}


OBJECT_URLS = [
    ("interviews:question_edit", "question"),
    ("interviews:question_delete", "question"),
    ("interviews:practice", "question"),
    ("interviews:attempt", "attempt"),
    ("interviews:attempt_delete", "attempt"),
    ("interviews:interview", "interview"),
    ("interviews:interview_edit", "interview"),
    ("interviews:interview_delete", "interview"),
    ("interviews:impression", "interview"),
    ("interviews:thank_you", "interview"),
]


@pytest.mark.parametrize(("name", "kind"), OBJECT_URLS)
def test_it_hides_alices_objects_from_everyone_else(outsiders, alices_things, name, kind):
    url = reverse(name, args=[alices_things[kind].pk])
    for who, client in outsiders.items():
        # 405 for a method the page never accepts (it says nothing about the object); else 404.
        statuses = {
            client.get(url).status_code,
            client.post(url, {"text": "x", "category": "ethics"}).status_code,
        }
        assert 404 in statuses and statuses <= {404, 405}, (who, url, statuses)
    assert Question.objects.filter(text="Alice's secret question").exists()
    assert PracticeAttempt.objects.filter(pk=alices_things["attempt"].pk).exists()
    assert Interview.objects.filter(pk=alices_things["interview"].pk, time_zone="America/New_York")


def test_it_shows_alices_lists_to_no_one_else(outsiders, alices_things):
    for who, client in outsiders.items():
        for name in (
            "interviews:index",
            "interviews:questions",
            "interviews:progress",
            "interviews:schedule",
        ):
            body = client.get(reverse(name)).content.decode()
            assert "secret" not in body and "Massachusetts General" not in body, (who, name)
        calendar = client.get(reverse("interviews:calendar"))
        assert b"interview-" not in calendar.content, who


def test_it_sends_anonymous_visitors_to_log_in_from_the_lists(client):
    response = client.get(reverse("interviews:schedule"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_hides_another_students_application_from_the_schedule_filter(client, bob, interview):
    client.force_login(bob)
    url = reverse("interviews:schedule")
    assert client.get(url, {"application": interview.application.pk}).status_code == 404
