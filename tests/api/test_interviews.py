"""Interviews through the API: soonest first, keyset cursors on the start time to the
microsecond, upcoming only."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from medmatch.interviews.models import Interview
from tests.api.conftest import bearer, make_token

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
