"""Rule facts for Canada (issue 11): training length by CaRMS discipline (Royal College, CFPC) and
work hours by province (residents' collective agreements), shown as rules with their source, the
unmapped disciplines and provinces left unknown, and the importer's row-level errors."""

from html import unescape

import pytest
from django.urls import reverse
from tests.catalog.factories import make_institution, make_program, make_specialty
from tests.catalog.test_import import run, write
from tests.catalog.test_rule_facts import fact, shipped, write_rows

from medmatch.catalog.fact_stats import program_fact_counts
from medmatch.catalog.facts import Scope, program_facts
from medmatch.catalog.importers import ImportFileError, import_sources
from medmatch.catalog.models import Program, Specialty
from medmatch.catalog.models_rules import TrainingLengthRule, WorkHourRule
from medmatch.catalog.rule_facts import RuleBook


@pytest.fixture
def rules(db):
    import_sources("rules-training-length")
    import_sources("rules-work-hours")


def discipline(code: str, name: str) -> Specialty:
    existing = Specialty.objects.filter(system=Specialty.System.CARMS, code=code).first()
    return existing or make_specialty(name, system=Specialty.System.CARMS, code=code)


def carms_program(code="43", name="Internal Medicine", province="ON", **fields) -> Program:
    school = fields.pop("institution", None) or make_institution(
        "University of Toronto", country="CA", region=province
    )
    return make_program(
        f"{name} — Toronto (CMG Stream for CMG)",
        institution=school,
        specialty=discipline(code, name),
        program_type=Program.ProgramType.RESIDENCY,
        country="CA",
        region=province,
        carms_stream_id=fields.pop("carms_stream_id", f"9{code}{province}"),
        **fields,
    )


# -- the shipped tables ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_canadian_rows_are_imported_with_body_document_and_unknown_dates_kept_unknown():
    import_sources("rules-training-length")
    [hours] = import_sources("rules-work-hours")
    im = TrainingLengthRule.objects.get(key="carms-43")
    assert (im.system, im.months, im.body, im.track_type) == ("carms", 48, "Royal College", "")
    assert im.document_url.startswith("https://royalcollege.ca/content/dam/documents/ibd/")
    assert str(im.document_date) == "2015-07-01"
    family = TrainingLengthRule.objects.get(key="carms-27")
    assert (family.months, family.body) == (24, "CFPC")
    # A version date nobody checked is not invented.
    assert family.document_date is None
    # The ACGME rows keep their keys: a CaRMS discipline 140 is not ACGME Internal Medicine.
    assert TrainingLengthRule.objects.get(key="140-categorical").system == "acgme"
    assert not TrainingLengthRule.objects.filter(key="carms-140").exists()
    assert hours.created == len(shipped("work_hours.csv"))
    ontario = WorkHourRule.objects.filter(country="CA", region="ON")
    assert {rule.key for rule in ontario} >= {"on-in-hospital-call", "on-call-length"}
    assert all(rule.body == "PARO-CAHO" for rule in ontario)
    assert WorkHourRule.objects.get(key="weekly-maximum").applies_to == "every US program"
    # Dalhousie's agreement holds for its residents in three provinces: the faculty, no region.
    maritime = WorkHourRule.objects.get(key="mar-weekly-maximum")
    assert (maritime.region, maritime.faculty, maritime.limit) == ("", "Dalhousie University", 90)
    # Provinces without a tabulated agreement have no rows at all.
    assert not WorkHourRule.objects.filter(region__in=["SK", "MB", "NL", "NS", "NB"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        ("carms", "track_type", "categorical", "a CaRMS rule has no track type"),
        ("carms", "specialty_code", "IM", "numeric CaRMS discipline id"),
        ("carms", "system", "rcpsc", "is not a rule system"),
        ("carms", "document_date", "2015", "YYYY-MM-DD"),
        ("acgme", "track_type", "", "required"),
    ],
)
def test_a_bad_canadian_or_acgme_row_is_named_by_row_and_column(
    tmp_path, row, column, value, reason
):
    rows = shipped("training_length.csv")
    index = next(i for i, r in enumerate(rows) if r["system"] == row)
    rows[index][column] = value
    with pytest.raises(ImportFileError) as error:
        import_sources("rules-training-length", write_rows(tmp_path / "lengths.csv", rows))
    assert (error.value.row, error.value.column) == (index + 1, column)
    assert reason in str(error.value)
    assert TrainingLengthRule.objects.count() == 0


@pytest.mark.django_db
def test_a_discipline_given_twice_is_refused(tmp_path):
    rows = shipped("training_length.csv")
    carms = [r for r in rows if r["system"] == "carms"]
    with pytest.raises(ImportFileError) as error:
        import_sources(
            "rules-training-length", write_rows(tmp_path / "twice.csv", [*rows, carms[0]])
        )
    assert error.value.row == len(rows) + 1 and "“carms-12” is given twice" in str(error.value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("region", "Ontario", "2-letter province or state code"),
        ("applies_to", "", "required"),
        ("document_url", "http://www.myparo.ca/attachments/", "https://"),
        ("faculty", "Dalhousie", "not one of the CaRMS file's faculties"),
    ],
)
def test_a_bad_work_hour_row_is_named_and_nothing_is_written(tmp_path, column, value, reason):
    rows = shipped("work_hours.csv")
    index = next(i for i, r in enumerate(rows) if r["region"] == "ON")
    rows[index][column] = value
    with pytest.raises(ImportFileError) as error:
        import_sources("rules-work-hours", write_rows(tmp_path / "hours.csv", rows))
    assert (error.value.row, error.value.column) == (index + 1, column)
    assert reason in str(error.value)
    assert WorkHourRule.objects.count() == 0


# -- the facts ------------------------------------------------------------------------------


def test_an_ontario_internal_medicine_stream_gets_the_royal_college_length_and_paro_rules(rules):
    sheet = program_facts(carms_program())
    length = fact(sheet, "Length")
    assert (length.value, length.scope) == ("4 years", Scope.RULE)
    assert length.note.startswith(
        "the Royal College requirement for Internal Medicine residency training; three years"
    )
    assert length.as_of == "effective 1 Jul 2015"
    assert "Specialty Training Requirements in Internal Medicine" in length.scope_label
    assert length.source.key == "rules-training-length"
    call = fact(sheet, "In-hospital call")
    assert call.scope == Scope.RULE and call.value.startswith(
        "no more often than one night in four"
    )
    assert call.note == "PARO-CAHO rule for every resident in Ontario's teaching hospitals"
    assert call.as_of == "version date not recorded"
    assert call.scope_url == "https://www.myparo.ca/attachments/"
    labels = [f.label for f in sheet.facts if f.scope == Scope.RULE]
    # In the order a student reads them, and no ACGME rule on a Canadian page.
    assert labels == ["Length", "In-hospital call", "Home call", "Longest call", "Weekends"]
    assert not any(f.label == "Duty hours" for f in sheet.facts)
    assert fact(sheet, "Weekly hours").unknown


def test_quebec_streams_get_the_fmrq_rules_and_family_medicine_the_cfpc_length(rules):
    school = make_institution("Université Laval", country="CA", region="QC")
    sheet = program_facts(carms_program("27", "Family Medicine", "QC", institution=school))
    assert fact(sheet, "Length").value == "2 years"
    assert fact(sheet, "Length").note.startswith("the CFPC requirement for Family Medicine")
    assert fact(sheet, "Length").as_of == "version date not recorded"
    longest = fact(sheet, "Longest call")
    assert "at most 16 hours" in longest.value and longest.note.startswith("FMRQ rule for")
    assert not any(f.label == "Home call" for f in sheet.facts)


def test_an_unmapped_discipline_and_a_province_without_rules_stay_unknown(rules):
    # Family Medicine integrated Clinician Scholar: no rule written, so no length is guessed.
    scholar = program_facts(carms_program("141", "Family Medicine integrated Clinician Scholar"))
    assert fact(scholar, "Length").unknown
    assert "How long is the program?" in scholar.questions
    # Ontario's agreement still holds for it: the work-hour rules are the province's.
    assert fact(scholar, "In-hospital call").scope == Scope.RULE
    school = make_institution("University of Saskatchewan", country="CA", region="SK")
    saskatchewan = program_facts(carms_program("43", "Internal Medicine", "SK", institution=school))
    assert fact(saskatchewan, "Length").value == "4 years"
    assert not [f for f in saskatchewan.facts if f.scope == Scope.RULE and f.label != "Length"]


def test_the_maritime_agreement_follows_dalhousie_residents_into_new_brunswick(rules):
    dalhousie = make_institution("Dalhousie University", country="CA", region="NS")
    saint_john = program_facts(
        carms_program("43", "Internal Medicine", "NB", institution=dalhousie)
    )
    duty = fact(saint_john, "Duty hours")
    assert duty.value.startswith("at most 90 hours per week on average")
    assert duty.note == (
        "Maritime Resident Doctors rule for every Dalhousie resident in Nova Scotia, New "
        "Brunswick and Prince Edward Island"
    )
    assert "Article 17.00 (b)" in duty.scope_label
    # Another faculty's stream in New Brunswick (Sherbrooke's Moncton) is not a Dalhousie
    # resident: neither Quebec's nor the Maritime agreement is assumed for it.
    sherbrooke = make_institution("Université de Sherbrooke", country="CA", region="QC")
    moncton = program_facts(carms_program("84", "Psychiatry", "NB", institution=sherbrooke))
    assert not [f for f in moncton.facts if f.scope == Scope.RULE and f.label != "Length"]
    # The program's own weekly hours stay unknown: a limit is not what residents work.
    assert fact(saint_john, "Weekly hours").unknown


def test_a_program_s_own_length_outranks_the_royal_college_rule(rules):
    sheet = program_facts(carms_program(length_months=36))
    length = fact(sheet, "Length")
    assert (length.value, length.scope) == ("36 months", Scope.PROGRAM)
    assert length.note == "the Royal College requirement is 48 months"


def test_the_canadian_program_page_shows_the_rules_with_source_and_date(client, rules):
    program = carms_program("84", "Psychiatry")
    response = client.get(reverse("catalog:program", args=[program.pk]))
    html = unescape(response.content.decode())
    start = html.index("Rules for every program of its kind")
    rules_group = html[start : html.index("Not known yet", start)]
    assert "5 years" in rules_group
    assert "the Royal College requirement for Psychiatry residency training" in rules_group
    assert 'href="https://royalcollege.ca/content/dam/documents/ibd/psychiatry/' in rules_group
    assert "effective 1 Jul 2015" in rules_group
    assert "PARO-CAHO rule for every resident in Ontario's teaching hospitals" in rules_group
    assert "version date not recorded" in rules_group
    assert "Training length by specialty and track" in html  # cited in the sources


def test_stats_count_the_canadian_rule_facts_by_scope(rules):
    carms_program()
    carms_program("141", "Family Medicine integrated Clinician Scholar")
    school = make_institution("University of Manitoba", country="CA", region="MB")
    carms_program("27", "Family Medicine", "MB", institution=school)
    counts = program_fact_counts()
    assert counts["Length"]["rule"] == 2 and counts["Length"]["unknown"] == 1
    assert counts["In-hospital call"]["rule"] == 2
    assert counts["In-hospital call"]["not on the page"] == 1


def test_the_rule_book_reads_each_table_once(rules, django_assert_num_queries):
    with django_assert_num_queries(2):
        book = RuleBook.load()
    assert ("carms", "43", "") in book.lengths
    assert {rule.region for rule in book.work_hours["CA"]} == {"ON", "QC", "BC", "AB", ""}


# -- the CaRMS import: a distributed site's province ---------------------------------------


@pytest.mark.django_db
def test_a_stream_at_a_site_in_another_province_comes_under_that_province_s_rules(tmp_path):
    run("acgme-specialties", write(tmp_path, "spec.csv", "acgmeSpecialtyCode,name", []))
    run("carms-disciplines", write(tmp_path, "disc.csv", "discipline_id,discipline", ["84,P"]))
    header = (
        "discipline_id,discipline_name,school_id,school_name,program_stream_id,"
        "program_stream_name,program_site,program_stream,program_name,program_url"
    )
    rows = [
        "84,Psychiatry,1,Université de Sherbrooke,1001,Moncton,Moncton,Regular Stream for All,"
        "Sherbrooke / Psychiatry / Moncton,",
        "84,Psychiatry,1,Université de Sherbrooke,1002,Sherbrooke,Sherbrooke,"
        "Regular Stream for All,Sherbrooke / Psychiatry / Sherbrooke,",
    ]
    report = run("carms-programs", write(tmp_path, "carms.csv", header, rows))
    assert report.figures["streams at a site in another province than their faculty"] == 1
    moncton = Program.objects.get(carms_stream_id="1001")
    sherbrooke = Program.objects.get(carms_stream_id="1002")
    assert (moncton.region, sherbrooke.region) == ("NB", "QC")
    [lengths] = import_sources("rules-training-length")
    [hours] = import_sources("rules-work-hours")
    assert lengths.figures["CaRMS streams with a length rule"] == "2 of 2"
    # Quebec's agreement holds for the Sherbrooke stream, none for the one in Moncton.
    assert hours.figures["CaRMS streams under a collective agreement's rules"] == "1 of 2"
    assert fact(program_facts(sherbrooke), "Longest call").note.startswith("FMRQ")
    # New Brunswick has no tabulated agreement: Quebec's is not carried over the border.
    moncton_sheet = program_facts(moncton)
    assert not any(f.label == "Longest call" for f in moncton_sheet.facts)
    assert not any(f.label == "Duty hours" for f in moncton_sheet.facts)
    assert fact(moncton_sheet, "Length").value == "5 years"
