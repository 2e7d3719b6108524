"""Rule tables (issue 11): their importer, the rule facts on a program's sheet and page, the
scope shown beside every fact, and the program-facts-by-scope counts of `medmatch stats`."""

import csv
import io
import shutil
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from tests.catalog.factories import make_institution, make_program, make_specialty

from medmatch.catalog.cli_import import catalog_stats
from medmatch.catalog.fact_stats import program_fact_counts
from medmatch.catalog.facts import Scope, program_facts
from medmatch.catalog.importers import ImportFileError, import_sources
from medmatch.catalog.models import Program, Specialty
from medmatch.catalog.models_rules import TrainingLengthRule, WorkHourRule

RULES = Path(settings.CATALOG_DATA_DIR) / "rules"


def shipped(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((RULES / name).open(encoding="utf-8")))


def write_rows(path: Path, rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


@pytest.fixture
def rules(db):
    """The shipped rule tables, imported."""
    import_sources("rules-training-length")
    import_sources("rules-work-hours")


def acgme(code: str, name: str) -> Specialty:
    existing = Specialty.objects.filter(system=Specialty.System.ACGME, code=code).first()
    return existing or make_specialty(
        name, code=code, slug=f"{name.lower().replace(' ', '-')}-{code}"
    )


def us_program(code="140", name="Internal Medicine", track="categorical", **fields) -> Program:
    institution = fields.pop("institution", None) or make_institution(
        "Rush University Med Ctr", country="US", city="Chicago", region="IL"
    )
    return make_program(
        f"{name} — {institution.name}",
        institution=institution,
        specialty=acgme(code, name),
        track_type=track,
        country="US",
        **fields,
    )


def fact(sheet, label):
    return next(f for f in sheet.facts if f.label == label)


# -- the importer ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_imports_the_shipped_tables_each_row_with_its_document():
    [lengths] = import_sources("rules-training-length")
    [hours] = import_sources("rules-work-hours")
    assert (
        lengths.created == len(shipped("training_length.csv")) == TrainingLengthRule.objects.count()
    )
    assert hours.created == len(shipped("work_hours.csv"))
    assert WorkHourRule.objects.filter(country="US").count() == 4
    im = TrainingLengthRule.objects.get(key="140-categorical")
    assert (im.months, im.body, im.section) == (36, "ACGME", "Int.C")
    assert "Internal Medicine" in im.document and im.document_url.startswith(
        "https://www.acgme.org/"
    )
    assert str(im.document_date) == "2023-07-01"
    assert TrainingLengthRule.objects.get(key="999-preliminary").track_name == "transitional year"
    weekly = WorkHourRule.objects.get(key="weekly-maximum")
    assert (weekly.limit, weekly.section, weekly.country) == (80, "VI.F.1", "US")
    # Every row cites an https document and a date; nothing is guessed for unsourced specialties.
    assert not TrainingLengthRule.objects.filter(specialty_code="110").exists()


@pytest.mark.django_db
def test_a_reimport_of_the_same_tables_changes_nothing():
    import_sources("rules-training-length")
    source_before = TrainingLengthRule.objects.first().source
    [again] = import_sources("rules-training-length")
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert again.unchanged == TrainingLengthRule.objects.count()
    source_after = TrainingLengthRule.objects.first().source
    assert source_after.imported_at == source_before.imported_at


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("months", "three", "not a whole number from 6 to 120"),
        ("track_type", "transitional", "is not a track type"),
        ("document_url", "http://acgme.org/x", "https://"),
        ("document_date", "July 2023", "YYYY-MM-DD"),
        ("specialty_code", "14", "3-digit ACGME specialty code"),
    ],
)
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_written(
    tmp_path, column, value, reason
):
    rows = shipped("training_length.csv")
    rows[2][column] = value
    with pytest.raises(ImportFileError) as error:
        import_sources("rules-training-length", write_rows(tmp_path / "lengths.csv", rows))
    assert (error.value.row, error.value.column) == (3, column)
    assert reason in str(error.value) and "row 3 (line 4)" in str(error.value)
    assert TrainingLengthRule.objects.count() == 0


@pytest.mark.django_db
def test_a_row_given_twice_is_refused_and_a_row_taken_out_is_deleted(tmp_path):
    rows = shipped("training_length.csv")
    with pytest.raises(ImportFileError) as error:
        import_sources(
            "rules-training-length", write_rows(tmp_path / "twice.csv", [*rows, rows[0]])
        )
    assert error.value.row == len(rows) + 1 and "given twice" in str(error.value)
    import_sources("rules-training-length")
    shorter = [row for row in rows if row["specialty_code"] != "180"]
    [report] = import_sources("rules-training-length", write_rows(tmp_path / "short.csv", shorter))
    assert report.deleted == 2
    assert not TrainingLengthRule.objects.filter(specialty_code="180").exists()


@pytest.mark.django_db
def test_the_work_hour_importer_names_a_bad_limit(tmp_path):
    rows = shipped("work_hours.csv")
    rows[0]["limit"] = "800"
    with pytest.raises(ImportFileError) as error:
        import_sources("rules-work-hours", write_rows(tmp_path / "hours.csv", rows))
    assert (error.value.row, error.value.column) == (1, "limit")


# -- the rule facts -------------------------------------------------------------------------


def test_a_categorical_internal_medicine_program_gets_the_acgme_length_as_a_rule(rules):
    sheet = program_facts(us_program())
    length = fact(sheet, "Length")
    assert length.value == "3 years"
    assert length.scope == Scope.RULE
    assert length.note.startswith("the ACGME requirement for a categorical Internal Medicine")
    assert "Internal Medicine, section Int.C" in length.scope_label
    assert length.as_of == "effective 1 Jul 2023"
    assert length.source.key == "rules-training-length"
    duty = fact(sheet, "Duty hours")
    assert duty.value == "at most 80 hours per week, averaged over four weeks"
    assert duty.note == "ACGME rule for every US program" and duty.scope == Scope.RULE
    assert "section VI.F.1" in duty.scope_label
    # The program's own weekly hours stay unknown: a limit is not what residents work.
    assert fact(sheet, "Weekly hours").unknown


def test_preliminary_transitional_and_advanced_tracks_get_their_own_lengths(rules):
    prelim = program_facts(us_program(track="preliminary"))
    assert fact(prelim, "Length").value == "1 year"
    assert "preliminary Internal Medicine" in fact(prelim, "Length").note
    transitional = program_facts(us_program("999", "Transitional Year", track="preliminary"))
    assert fact(transitional, "Length").value == "1 year"
    assert "transitional year" in fact(transitional, "Length").note
    advanced = program_facts(us_program("180", "Neurology", track="advanced"))
    assert fact(advanced, "Length").value == "3 years"
    categorical = program_facts(us_program("180", "Neurology"))
    assert fact(categorical, "Length").value == "4 years"


def test_a_program_s_own_length_outranks_the_rule_which_stays_as_context(rules):
    sheet = program_facts(us_program(length_months=48, weekly_hours=62))
    length = fact(sheet, "Length")
    assert (length.value, length.scope) == ("48 months", Scope.PROGRAM)
    assert length.note == "the ACGME requirement is 36 months"
    hours = fact(sheet, "Weekly hours")
    assert hours.value == "62 hours" and "80 hours per week" in hours.note
    assert fact(sheet, "Duty hours").scope == Scope.RULE


def test_no_rule_for_an_unsourced_track_a_canadian_or_a_non_residency_program(rules):
    reserved = program_facts(us_program("040", "Anesthesiology", track="reserved"))
    assert fact(reserved, "Length").unknown
    assert fact(reserved, "Duty hours").scope == Scope.RULE
    carms = make_specialty(
        "Internal Medicine", system=Specialty.System.CARMS, code="1", slug="im-ca"
    )
    canadian = make_program(
        "Internal Medicine - Toronto",
        institution=make_institution("University of Toronto", country="CA"),
        specialty=carms,
        country="CA",
    )
    sheet = program_facts(canadian)
    assert fact(sheet, "Length").unknown
    assert not any(f.label == "Duty hours" for f in sheet.facts)
    elective = program_facts(us_program(track="", program_type=Program.ProgramType.OBSERVERSHIP))
    assert fact(elective, "Length").unknown
    assert not any(f.label == "Duty hours" for f in elective.facts)


def test_without_the_rule_tables_the_length_is_unknown_never_guessed(db):
    sheet = program_facts(us_program())
    assert fact(sheet, "Length").unknown
    assert "How long is the program?" in sheet.questions


# -- the display ----------------------------------------------------------------------------


def test_the_program_page_groups_facts_by_scope_with_source_and_date(client, rules):
    hospital = make_institution("RUSH UNIVERSITY MEDICAL CENTER", country="US", beds=575)
    sponsor = make_institution("Rush University Med Ctr", country="US", hospital=hospital)
    program = us_program(institution=sponsor)
    html = unescape(client.get(reverse("catalog:program", args=[program.pk])).content.decode())
    headings = [
        "From the program's own listing",
        "From its hospital or sponsor",
        "Rules for every program of its kind",
        "Not known yet",
    ]
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)
    rule_group = html[positions[2] : positions[3]]
    assert "3 years" in rule_group and "Rule: " in rule_group
    assert "the ACGME requirement for a categorical Internal Medicine residency" in rule_group
    assert "effective 1 Jul 2023" in rule_group
    assert 'href="https://www.acgme.org/specialties/internal-medicine/' in rule_group
    assert "at most 80 hours per week" in rule_group
    hospital_group = html[positions[1] : positions[2]]
    assert "Hospital: RUSH UNIVERSITY MEDICAL CENTER" in hospital_group and "575" in hospital_group
    assert "retrieved Nov 2025" in hospital_group  # the source's retrieval month (factories)
    # The rule tables are cited as sources with the others.
    assert "Training length by specialty and track" in html
    assert "Weekly hours" in html[positions[3] :]


def test_the_compare_table_marks_rule_facts_as_rules(client, rules):
    program = us_program()
    html = client.get(reverse("catalog:compare"), {"p": program.pk}).content.decode()
    assert "3 years" in html
    assert "rule for every program of its kind" in html
    assert "effective 1 Jul 2023" in html


def test_the_hospital_page_shows_its_facts_as_the_hospital_s_own(client, db):
    hospital = make_institution("Blessing Hospital", country="US", beds=300)
    html = unescape(client.get(reverse("catalog:institution", args=[hospital.pk])).content.decode())
    assert "The hospital's own facts" in html
    assert "this hospital" in html


# -- stats ----------------------------------------------------------------------------------


def test_stats_count_programs_with_each_fact_by_scope(rules):
    us_program()
    us_program(length_months=48)
    us_program("040", "Anesthesiology", track="reserved")
    counts = program_fact_counts()
    assert counts["Length"] == {"program": 1, "institution": 0, "place": 0, "rule": 1, "unknown": 1}
    assert counts["Duty hours"]["rule"] == 3
    assert counts["Weekly hours"]["unknown"] == 3
    assert counts["Program"]["program"] == 3
    assert catalog_stats()["program_facts"]["Length"]["rule"] == 1


def test_stats_count_a_fact_another_provider_adds_without_code_of_its_own(rules, monkeypatch):
    from medmatch.catalog import facts

    original = facts.program_facts

    def with_setting(program, rules=None):
        sheet = original(program, rules)
        sheet.add("Setting", "small rural town", None, scope=Scope.PLACE, scope_label="ZIP 62301")
        return sheet

    monkeypatch.setattr(facts, "program_facts", with_setting)
    us_program()
    assert program_fact_counts()["Setting"]["place"] == 1


def test_the_shipped_files_are_described_in_the_data_readme():
    readme = (Path(settings.CATALOG_DATA_DIR) / "README.md").read_text(encoding="utf-8")
    assert "rules/training_length.csv" in readme and "written by the medmatch project" in readme
    assert shutil.which  # the files ship with the package
    assert (RULES / "training_length.csv").exists() and (RULES / "work_hours.csv").exists()
