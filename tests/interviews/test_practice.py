"""Timed practice: an attempt records its duration, self-ratings and the checker's feedback; the
progress page charts them with unknown kept apart from zero."""

import json

import pytest
from django.urls import reverse

from medmatch.interviews.models import PracticeAttempt, Question

pytestmark = pytest.mark.django_db

STORY = (
    "During my third-year medicine rotation, a patient's son was angry about a delayed scan. "
    "I listened, explained the delay and called radiology. As a result the scan was done that "
    "afternoon, and I learned to update families early."
)


@pytest.fixture
def conflict_question():
    return Question.objects.get(key="Q017")  # behavioural: a story is expected


def _practise(client, question, **data):
    fields = {"seconds_taken": 95, "time_limit_seconds": 120, "answer": STORY, **data}
    return client.post(reverse("interviews:practice", args=[question.pk]), fields)


def test_it_records_the_duration_and_the_checkers_feedback(client, alice, conflict_question):
    client.force_login(alice)
    response = _practise(client, conflict_question, clarity="4", honesty="5", notes="Slower.")
    attempt = PracticeAttempt.objects.get(student=alice)
    assert response.status_code == 302 and response["Location"] == attempt.get_absolute_url()
    assert attempt.seconds_taken == 95 and attempt.time_limit_seconds == 120
    assert attempt.feedback["star"] == {"situation": True, "action": True, "result": True}
    assert attempt.score == 100
    assert (attempt.clarity, attempt.concision, attempt.honesty) == (4, None, 5)
    assert attempt.mean_self_rating == 4.5
    page = client.get(response["Location"]).content.decode()
    assert "1:35" in page and "100 / 100" in page


def test_it_stores_the_findings_of_a_vague_answer(client, alice, conflict_question):
    client.force_login(alice)
    _practise(client, conflict_question, answer="I am a team player.", seconds_taken=150)
    attempt = PracticeAttempt.objects.get(student=alice)
    codes = [finding["code"] for finding in attempt.feedback["findings"]]
    assert codes[0] == "over_time" and "no_result" in codes and "no_example" in codes
    page = client.get(attempt.get_absolute_url()).content.decode()
    assert "No result" in page and "over time" in page


def test_it_keeps_the_score_unknown_without_text(client, alice, conflict_question):
    client.force_login(alice)
    _practise(client, conflict_question, answer="")
    attempt = PracticeAttempt.objects.get(student=alice)
    assert attempt.score is None and attempt.seconds_taken == 95


@pytest.mark.parametrize(
    ("seconds", "message"),
    [("", "seconds_taken: say how long"), ("0", "at least 1 second"), ("abc", "whole number")],
)
def test_it_needs_a_time_taken(client, alice, conflict_question, seconds, message):
    client.force_login(alice)
    response = _practise(client, conflict_question, seconds_taken=seconds)
    assert response.status_code == 200 and message in response.content.decode()
    assert not PracticeAttempt.objects.exists()


def test_it_practises_an_own_question_but_not_someone_elses(client, alice, bob):
    own = Question.objects.create(student=bob, category="ethics", text="Bob's question")
    client.force_login(alice)
    assert client.get(reverse("interviews:practice", args=[own.pk])).status_code == 404
    client.force_login(bob)
    assert client.get(reverse("interviews:practice", args=[own.pk])).status_code == 200


def test_it_charts_progress_with_unknown_as_null(client, alice, conflict_question):
    client.force_login(alice)
    _practise(client, conflict_question, clarity="3", structure="5")
    _practise(client, conflict_question, answer="")
    response = client.get(reverse("interviews:progress"))
    chart = response.context["chart"]
    assert chart["self_rating"] == [4, None]
    assert chart["score"] == [100, None]
    body = response.content.decode()
    start = body.index('id="progress-chart-data"')
    data = json.loads(body[body.index(">", start) + 1 : body.index("</script>", start)])
    assert data == chart
    table = body[body.index("<table") : body.index("</table>")]
    assert table.count('class="unknown">unknown') == 2  # the table fallback says unknown


def test_it_deletes_an_attempt(client, alice, conflict_question):
    client.force_login(alice)
    _practise(client, conflict_question)
    attempt = PracticeAttempt.objects.get()
    client.post(reverse("interviews:attempt_delete", args=[attempt.pk]))
    assert not PracticeAttempt.objects.exists()
