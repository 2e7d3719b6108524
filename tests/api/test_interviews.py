"""Interviews through the API: soonest first, keyset cursors on the start time to the
microsecond, upcoming only; and the practice attempts with the checker's feedback."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from medmatch.interviews.models import Interview
from tests.api.conftest import bearer, make_token
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def test_it_pages_interviews_soonest_first(alice, application):
    now = timezone.now().replace(microsecond=123456)
    starts = [
        now + datetime.timedelta(days=d, microseconds=m) for d, m in ((2, 1), (2, 0), (-1, 0))
    ]
    made = [
        Interview.objects.create(application=application, starts_at=at, time_zone="UTC")
        for at in starts
    ]
    api = Client()
    api.defaults.update(bearer(make_token(alice, ["interviews:read"])))
    first = api.get("/api/v1/interviews", {"limit": 2}).json()
    rest = api.get("/api/v1/interviews", {"limit": 2, "cursor": first["next_cursor"]}).json()
    seen = [i["id"] for i in first["items"] + rest["items"]]
    assert seen == [made[2].pk, made[1].pk, made[0].pk]
    assert rest["next_cursor"] is None
    upcoming = api.get("/api/v1/interviews", {"upcoming": "true"}).json()["items"]
    assert [i["id"] for i in upcoming] == [made[1].pk, made[0].pk]
    detail = api.get(f"/api/v1/interviews/{made[0].pk}").json()
    assert detail["program"] == "Internal Medicine" and detail["time_zone"] == "UTC"


def test_it_lists_practice_attempts_with_the_checkers_feedback(alice):
    from medmatch.interviews.models import PracticeAttempt, Question

    question = Question.objects.create(
        student=alice, category="teamwork", text="Tell me about a conflict."
    )
    attempt = PracticeAttempt(
        student=alice,
        question=question,
        seconds_taken=95,
        answer="On my surgery rotation a nurse and I disagreed about a drain. I asked, we "
        "checked the order together, and the patient went home a day early.",
        clarity=4,
    )
    attempt.run_check()
    attempt.save()
    reader = Client()
    reader.defaults.update(bearer(make_token(alice, ["interviews:read"])))
    body = reader.get("/api/v1/practice-attempts").json()
    assert [a["id"] for a in body["items"]] == [attempt.pk]
    shown = reader.get(f"/api/v1/practice-attempts/{attempt.pk}").json()
    assert shown["feedback"] == attempt.feedback and shown["score"] == attempt.score
    assert shown["clarity"] == 4 and shown["honesty"] is None and shown["mean_self_rating"] == 4
    assert shown["question"]["built_in"] is False
    assert reader.get("/api/v1/practice-attempts", {"question_id": 0}).status_code == 422
    bob = Client()
    bob.defaults.update(bearer(make_token(make_user("bob"), ["interviews:read"])))
    assert bob.get(f"/api/v1/practice-attempts/{attempt.pk}").status_code == 404
    assert bob.get("/api/v1/practice-attempts").json()["items"] == []
