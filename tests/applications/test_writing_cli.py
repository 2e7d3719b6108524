"""``medmatch writing analyze``: output, JSON, standard input, bad input, and --program."""

import io
import json
import re
import subprocess
import sys

import pytest

from medmatch.applications.writing_cli import MAX_BYTES
from medmatch.catalog.models import Department, Institution
from medmatch.cli import main
from tests.catalog.factories import make_institution, make_program, make_specialty

STATEMENT = (
    "Ever since I was a child, I wanted this. I am applying to your prestigious program.\n\n"
    "In Duluth I joined the cardiology consult team."
)


def _run(argv) -> int:
    with pytest.raises(SystemExit) as exit_info:
        main(["writing", "analyze", *argv])
    return exit_info.value.code


@pytest.fixture
def statement(tmp_path):
    path = tmp_path / "statement.txt"
    path.write_text(STATEMENT, encoding="utf-8")
    return path


def test_it_prints_every_sentence_with_its_flags_and_sources(statement, capsys):
    assert _run([str(statement), "--limit", "650"]) == 0
    out = capsys.readouterr().out
    assert "Ever since I was a child" in out and "cliché" in out
    assert "generic sentence" in out and "Would fit any program" in out
    assert re.search(r"\b[CG]\d{2,3}\b", out) is None  # internal rule ids are never shown
    assert "ResidencyAdvisor" in out
    assert "Specificity" in out and "Flesch reading ease" in out and "650 words within" in out


def test_it_does_not_load_django_without_a_program(statement):
    code = (
        "import sys\n"
        "from medmatch.cli import main\n"
        "try:\n"
        f"    main(['writing', 'analyze', {str(statement)!r}, '--json'])\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0\n"
        "print('django loaded' if 'django' in sys.modules else 'no django', file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("no django")


def test_it_prints_json_from_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(STATEMENT.encode())))
    assert _run(["-", "--json", "--limit", "5"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["sentences"]) == 3
    flag = data["sentences"][0]["flags"][0]
    assert STATEMENT[flag["start"] : flag["end"]] == "Ever since I was a child"
    assert data["metrics"]["over_limit"] is True
    assert data["program"] is None


def test_it_exits_2_on_a_missing_file(tmp_path, capsys):
    assert _run([str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_it_exits_2_on_a_file_that_is_not_utf8_text(tmp_path, capsys):
    path = tmp_path / "statement.txt"
    path.write_bytes(b"caf\xe9 \xff\xfe")
    assert _run([str(path)]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err
    path.write_bytes(b"binary\x00data")
    assert _run([str(path)]) == 2
    assert "not a text file" in capsys.readouterr().err


def test_it_exits_2_on_a_file_over_1_mb(tmp_path, capsys):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (MAX_BYTES + 1))
    assert _run([str(path)]) == 2
    assert "larger than 1 MB" in capsys.readouterr().err


def test_it_exits_2_on_a_bad_limit_or_program_id(statement, capsys):
    assert _run([str(statement), "--limit", "0"]) == 2
    assert _run([str(statement), "--program", "abc"]) == 2
    assert "not a program id" in capsys.readouterr().err


@pytest.mark.django_db
def test_it_exits_2_on_an_unknown_program(statement, capsys):
    assert _run([str(statement), "--program", "987654"]) == 2
    assert "no program with id 987654" in capsys.readouterr().err


@pytest.fixture
def lakeshore(db):
    institution = make_institution(
        "Lakeshore University Hospital",
        city="Duluth",
        region="MN",
        kind=Institution.Kind.ACADEMIC,
    )
    cardiology = make_specialty("Cardiovascular Disease")
    Department.objects.create(institution=institution, name="Cardiology", specialty=cardiology)
    Department.objects.create(institution=institution, name="Gastroenterology")
    return make_program(
        "Internal Medicine",
        institution=institution,
        specialty=make_specialty("Internal Medicine"),
        mentorship="Each intern has a faculty advisor.",
        description="Rotations include the Iron Range Rural Track and a Global Health Elective.",
    )


@pytest.mark.django_db
def test_it_builds_the_program_context_from_the_catalog(lakeshore, django_assert_max_num_queries):
    from medmatch.applications.writing_context import program_context_by_id

    with django_assert_max_num_queries(2):
        context = program_context_by_id(lakeshore.pk)
    assert context.program_id == lakeshore.pk
    assert context.institution_name == "Lakeshore University Hospital"
    assert context.institution_short_forms == ("Lakeshore", "LUH")
    assert context.specialty_names == ("Internal Medicine",)
    assert (context.city, context.region, context.setting) == ("Duluth", "MN", "academic")
    assert context.departments == ("Cardiology", "Gastroenterology")
    assert context.has_mentorship is True and context.has_research is None
    assert context.description_keywords == ("Iron Range Rural Track", "Global Health Elective")


@pytest.mark.django_db
def test_it_checks_specificity_against_a_catalog_program(lakeshore, statement, capsys):
    assert _run([str(statement), "--program", str(lakeshore.pk), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    mentioned = {aspect["label"] for aspect in data["specificity"]["mentioned"]}
    assert mentioned == {"Duluth, MN", "Cardiology"}
    could = {aspect["label"] for aspect in data["specificity"]["could_mention"]}
    assert {"Lakeshore University Hospital", "Gastroenterology", "mentorship"} <= could
    assert data["program"]["institution_name"] == "Lakeshore University Hospital"


@pytest.mark.django_db
def test_it_names_sentences_written_for_another_program(lakeshore, tmp_path, capsys):
    mayo = make_program("Internal Medicine", institution=make_institution("Mayo Clinic"))
    path = tmp_path / "variant.txt"
    path.write_text("At Lakeshore I would learn. At Mayo Clinic I learned to listen.\n")
    args = [str(path), "--program", str(lakeshore.pk), "--other", str(mayo.pk)]
    assert _run([*args, "--json"]) == 0
    (note,) = json.loads(capsys.readouterr().out)["copy_paste"]
    assert (note["kind"], note["named"]) == ("institution", "Mayo Clinic")
    assert note["sentence"] == "At Mayo Clinic I learned to listen."
    assert _run(args) == 0
    out = capsys.readouterr().out
    assert "Written for another program?" in out and "This names Mayo Clinic" in out
    assert _run([str(path), "--other", str(mayo.pk)]) == 2
    assert "--other: needs --program" in capsys.readouterr().err


@pytest.mark.django_db
def test_other_program_contexts_are_the_students_own_other_applications(
    lakeshore, django_assert_max_num_queries
):
    from medmatch.applications.services import application_create
    from medmatch.applications.writing_context import other_program_contexts
    from tests.personas import make_user

    alice, bob = make_user("alice"), make_user("bob")
    mayo = make_program("Internal Medicine", institution=make_institution("Mayo Clinic"))
    bobs = make_program("Surgery", institution=make_institution("Saltmarsh Medical Center"))
    mine = application_create(student=alice, program=lakeshore)[0]
    application_create(student=alice, program=mayo)
    application_create(student=bob, program=bobs)
    application_create(student=bob, program=lakeshore)
    with django_assert_max_num_queries(3):
        others = other_program_contexts(mine)
    assert [context.institution_name for context in others] == ["Mayo Clinic"]
    bobs_mayo = application_create(student=bob, program=mayo)[0]
    assert [context.program_id for context in other_program_contexts(bobs_mayo)] == [
        lakeshore.pk,  # "Internal Medicine", then "Surgery": by title
        bobs.pk,
    ]
