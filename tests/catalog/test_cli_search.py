"""``medmatch search``: the same search as the web page, on the command line."""

import argparse
import json

import pytest

from medmatch.catalog import cli_search

pytestmark = pytest.mark.django_db


def run(capsys, *argv):
    # The sub-command on its own parser, as medmatch.cli.build_parser registers it.
    parser = argparse.ArgumentParser(prog="medmatch")
    cli_search.add_parser(parser.add_subparsers())
    args = parser.parse_args(["search", *argv])
    code = args.func(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_it_prints_json_with_distances(capsys, small_catalog):
    code, out, _ = run(capsys, "cardiology", "--near", "10032", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["near"].startswith("10032")
    titles = [row["title"] for row in payload["results"]]
    assert titles[-3:] == ["Cardiology", "Cardiology (CMG stream)", "Cardiology Rural Track"]
    assert payload["results"][0]["distance_km"] < 2
    assert 280 < payload["results"][-3]["distance_km"] < 320
    assert payload["results"][-1]["distance_km"] is None


def test_it_filters_by_specialty_name_and_radius(capsys, small_catalog):
    code, out, _ = run(
        capsys,
        "",
        "--specialty",
        "cardiovascular disease",
        "--near",
        "10032",
        "--radius",
        "400",
        "--json",
    )
    assert code == 0
    payload = json.loads(out)
    assert [row["title"] for row in payload["results"]] == [
        "Cardiovascular Disease Fellowship",
        "Cardiology",
    ]
    assert payload["excluded_unknown_distance"] == 1


def test_it_prints_a_table(capsys, small_catalog, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "pediatrics", "--near", "Boston, MA")
    assert code == 0
    assert "Pediatrics" in out
    assert "Massachusetts" in out
    assert "km" in out


def test_it_limits_rows(capsys, small_catalog):
    _, out, _ = run(capsys, "", "--limit", "2", "--json")
    payload = json.loads(out)
    assert len(payload["results"]) == 2
    assert payload["total"] == 7


def test_it_exits_2_for_a_bad_place(capsys, small_catalog):
    code, out, err = run(capsys, "cardiology", "--near", "99999")
    assert code == 2
    assert "--near: ZIP code 99999 is not a known US ZIP code." in err
    assert out == ""


def test_it_exits_2_for_an_unknown_specialty(capsys, small_catalog):
    code, _, err = run(capsys, "x", "--specialty", "astrology")
    assert code == 2
    assert "--specialty" in err
