"""The account export holds alice's practice runs; deleting the account deletes them."""

import pytest
from django.apps import apps

from medmatch.accounts.services import account_delete
from medmatch.cycles.models import PracticeRun

pytestmark = pytest.mark.django_db


def test_it_exports_alices_runs_only(alice, bob, alices_run):
    (run,) = apps.get_app_config("cycles").export_user_data(alice)["practice_runs"]
    assert run["market"] == "hand_made" and run["ranking"] == ["prog-a", "prog-b", "prog-c"]
    assert run["summary"]["result"]["matched"] == "prog-c"
    assert apps.get_app_config("cycles").export_user_data(bob) == {"practice_runs": []}


def test_it_deletes_the_runs_with_the_account(alice, alices_run):
    account_delete(user=alice)
    assert not PracticeRun.objects.exists()
