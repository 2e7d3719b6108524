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
    assert apps.get_app_config("cycles").export_user_data(bob) == {
        "practice_runs": [],
        "rank_lists": [],
        "couple_proposals": [],
    }


def test_it_exports_alices_rank_list_code_and_proposals(alice, bob, market):
    from medmatch.cycles import rank_lists as lists

    rank_list = lists.student_list_start(cycle=market["cycle"], student=alice)
    radiology, prelim = market["radiology"], market["prelim"]
    lists.student_list_write(rank_list=rank_list, order=[radiology.pk, market["medicine"].pk])
    lists.student_list_write(rank_list=rank_list, order=[prelim.pk], primary=radiology)
    lists.couple_propose(cycle=market["cycle"], proposer=alice, email="partner@example.org")
    data = apps.get_app_config("cycles").export_user_data(alice)
    (exported,) = data["rank_lists"]
    code = lists.applicant_code(cycle=market["cycle"], student=alice).code
    assert exported["applicant_code"] == code and exported["certified_at"] is None
    assert [p["rank"] for p in exported["programs"]] == [1, 2]
    assert exported["programs"][0]["program"].startswith("Diagnostic Radiology")
    assert exported["programs"][0]["supplemental"][0].startswith("Preliminary Medicine")
    assert data["couple_proposals"][0]["email"] == "partner@example.org"
    assert apps.get_app_config("cycles").export_user_data(bob)["rank_lists"] == []


def test_it_deletes_the_runs_with_the_account(alice, alices_run):
    account_delete(user=alice)
    assert not PracticeRun.objects.exists()
