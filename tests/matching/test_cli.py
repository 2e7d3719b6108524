"""The ``match`` commands, called in-process (one subprocess checks that Django stays out)."""

import json
import subprocess
import sys

from medmatch.matching.__main__ import main


def test_it_generates_runs_checks_and_explains(tmp_path, capsys):
    instance = tmp_path / "instance.json"
    result = tmp_path / "result.json"
    assert (
        main(
            [
                "match",
                "generate",
                "--applicants",
                "300",
                "--couples",
                "10",
                "--seed",
                "2",
                "--out",
                str(instance),
            ]
        )
        == 0
    )
    assert main(["match", "run", str(instance), "--rules", "nrmp", "--out", str(result)]) == 0
    out = capsys.readouterr().out
    assert "Applicants matched" in out and "Couples placed" in out
    document = json.loads(result.read_text())
    assert document["status"] == "stable"
    assert document["statistics"]["applicants"] == 300
    assert main(["match", "check", str(instance), str(result)]) == 0
    assert "ok: valid and stable" in capsys.readouterr().out
    unmatched = next(a for a, p in document["assignment"].items() if p is None)
    assert main(["match", "explain", str(result), unmatched]) == 0
    assert unmatched in capsys.readouterr().out


def test_it_exits_non_zero_listing_blocking_pairs(tmp_path, capsys):
    instance = tmp_path / "instance.json"
    instance.write_text(
        json.dumps(
            {
                "applicants": [{"id": "a", "ranking": ["p"]}],
                "programs": [{"id": "p", "capacity": 1, "ranking": ["a"]}],
            }
        )
    )
    result = tmp_path / "result.json"
    assert main(["match", "run", str(instance), "--out", str(result), "--quiet"]) == 0
    document = json.loads(result.read_text())
    document["assignment"]["a"] = None
    result.write_text(json.dumps(document))
    assert main(["match", "check", str(instance), str(result)]) == 1
    assert "blocking pair: a with p" in capsys.readouterr().out


def test_it_exits_with_2_naming_the_record_and_field_of_a_malformed_instance(tmp_path, capsys):
    instance = tmp_path / "instance.json"
    instance.write_text(
        json.dumps(
            {
                "applicants": [{"id": "a", "ranking": ["p", "p"]}],
                "programs": [{"id": "p", "capacity": 1, "ranking": ["a"]}],
            }
        )
    )
    assert main(["match", "run", str(instance), "--out", str(tmp_path / "r.json")]) == 2
    error = capsys.readouterr().err
    assert "applicant 'a': field 'ranking'" in error and "Traceback" not in error
    assert main(["match", "run", str(instance), "--rules", "bogus"]) == 2
    assert "unknown rules" in capsys.readouterr().err


def test_it_reports_no_stable_matching_with_exit_code_1(tmp_path, capsys):
    instance = tmp_path / "instance.json"
    instance.write_text(
        json.dumps(
            {
                "applicants": [{"id": "s", "ranking": ["h1", "h2"]}],
                "programs": [
                    {"id": "h1", "capacity": 1, "ranking": ["c1", "s"]},
                    {"id": "h2", "capacity": 1, "ranking": ["s", "c2"]},
                ],
                "couples": [{"id": "c", "members": ["c1", "c2"], "ranking": [["h1", "h2"]]}],
            }
        )
    )
    result = tmp_path / "result.json"
    assert main(["match", "run", str(instance), "--out", str(result), "--embed-instance"]) == 1
    assert "no stable matching found" in capsys.readouterr().out
    assert main(["match", "check", str(instance), str(result)]) == 1
    assert main(["match", "explain", str(result), "s"]) == 0


def test_it_runs_the_match_commands_without_importing_django(tmp_path):
    code = (
        "import sys; from medmatch.matching.__main__ import main; "
        f"main(['match', 'generate', '--applicants', '50', '--couples', '2', '--out', "
        f"{str(tmp_path / 'i.json')!r}]); "
        f"main(['match', 'run', {str(tmp_path / 'i.json')!r}, '--quiet']); "
        "assert 'django' not in sys.modules, 'django imported'"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
