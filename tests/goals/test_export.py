"""Account export holds the goals; deleting the account deletes them."""

import json

from django.urls import reverse

from medmatch.accounts.models import User
from medmatch.fit import Goals
from medmatch.goals.models import GoalProfile
from tests.goals.conftest import GOALS, give_goals
from tests.personas import PASSWORD


def test_it_exports_then_deletes_the_goals(client, alice, catalog):
    give_goals(alice)
    client.force_login(alice)
    export = json.loads(client.get(reverse("accounts:export")).content)
    assert export["goals"]["goals"] == GOALS
    assert Goals.from_dict(export["goals"]["goals"]).to_dict()["format"] == "medmatch-goals/1"

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(username="alice").exists()
    assert not GoalProfile.objects.exists()


def test_it_exports_nothing_without_goals(client, alice):
    client.force_login(alice)
    assert json.loads(client.get(reverse("accounts:export")).content)["goals"] == {}
