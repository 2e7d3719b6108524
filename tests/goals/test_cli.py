"""``medmatch recommend`` on a goals file or an account export, and ``medmatch demo``."""

import json

import pytest

from medmatch.accounts.models import User
from medmatch.cli import main
from medmatch.goals.demo import DEMO_PASSWORD, ensure_demo
from medmatch.goals.models import GoalProfile
from tests.goals.conftest import GOALS


def _run(argv) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    return exit_info.value.code


@pytest.fixture
def goals_file(tmp_path):
    path = tmp_path / "goals.json"
    path.write_text(json.dumps(GOALS))
    return path


def test_it_recommends_from_a_goals_file(catalog, goals_file, capsys):
    assert _run(["recommend", "--goals", str(goals_file), "--top", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["kept"] == 4
    first = result["results"][0]
    assert first["program_id"] == catalog["programs"]["mgh_medicine"].pk
    assert first["rank"] == 1
    assert any("Internal Medicine is this program's specialty" in r for r in first["reasons"])
    assert len(result["results"]) == 2


def test_it_recommends_from_an_account_export(catalog, alice, client, tmp_path, capsys):
    GoalProfile.objects.create(student=alice, data=GOALS)
    client.force_login(alice)
    path = tmp_path / "export.json"
    path.write_bytes(client.get("/accounts/export/").content)
    assert _run(["recommend", "--goals", str(path)]) == 0
    out = capsys.readouterr().out
    assert "4 of 5 programs pass the deal-breakers" in out
    assert "Internal Medicine" in out


def test_it_names_the_bad_field(catalog, tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"location": {"places": [], "weight": 3}}))
    assert _run(["recommend", "--goals", str(path)]) == 2
    assert "location.places: list at least one place" in capsys.readouterr().err


def test_it_creates_the_demo_once(db, capsys):
    assert _run(["demo"]) == 0
    assert _run(["demo"]) == 0
    demo = User.objects.get(username="demo")
    assert demo.is_demo
    assert demo.check_password(DEMO_PASSWORD)
    assert GoalProfile.objects.get(student=demo).goals().is_exploring
    assert User.objects.count() == 1
    out = capsys.readouterr().out
    assert "Created the demo student" in out
    assert "Refreshed the demo student" in out
    assert DEMO_PASSWORD in out


def test_it_will_not_turn_a_real_account_into_the_demo(db, capsys):
    User.objects.create_user("demo", "real@example.org", "x")
    assert _run(["demo"]) == 2
    assert not User.objects.get(username="demo").is_demo


def test_it_creates_the_demo_on_first_start_only(alice, capsys):
    ensure_demo()
    assert not User.objects.filter(username="demo").exists()
    alice.delete()
    ensure_demo()
    assert User.objects.get(username="demo").is_demo
