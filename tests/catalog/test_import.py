"""Catalog importers: good files, malformed files (nothing written), re-imports, dry runs, CLI."""

import argparse

import pytest

from medmatch.catalog import cli_import
from medmatch.catalog.importers import IMPORTERS, ImportFileError, import_sources
from medmatch.catalog.importers.base import read_table, required_text, text
from medmatch.catalog.models import Institution, Program, Source, Specialty

CMS_HEADER = (
    '"Facility ID","Facility Name","Address","City/Town","State","ZIP Code","County/Parish",'
    '"Telephone Number","Hospital Type","Hospital Ownership","Emergency Services",'
    '"Meets criteria for birthing friendly designation","Hospital overall rating",'
    '"Hospital overall rating footnote"'
)
CMS_ROWS = [
    "010001,SOUTHEAST HEALTH MEDICAL CENTER,1108 ROSS CLARK CIRCLE,DOTHAN,AL,36301,HOUSTON,"
    "(334) 793-8701,Acute Care Hospitals,Government - Hospital District or Authority,Yes,Y,4,",
    "330101,NEW YORK PRESBYTERIAN HOSPITAL,525 EAST 68TH STREET,NEW YORK,NY,10065,NEW YORK,"
    "(212) 746-5454,Acute Care Hospitals,Voluntary non-profit - Private,Yes,Y,3,",
    "010005,MARSHALL MEDICAL CENTERS,2505 U S HIGHWAY 431 NORTH,BOAZ,AL,35957,MARSHALL,"
    "(256) 593-8310,Acute Care Hospitals,Voluntary non-profit - Private,Yes,Y,Not Available,",
    "013300,CHILDREN'S OF ALABAMA,1600 7TH AVENUE SOUTH,BIRMINGHAM,AL,35233,JEFFERSON,"
    "(205) 638-9100,Childrens,Voluntary non-profit - Private,Yes,,Not Available,",
]
HIFLD_HEADER = (
    "\ufeffID,NAME,ADDRESS,CITY,STATE,ZIP,STATUS,LATITUDE,LONGITUDE,BEDS,WEBSITE,ALT_NAME,TRAUMA"
)
HIFLD_ROWS = [
    "0001,SOUTHEAST HEALTH MEDICAL CENTER,1108 ROSS CLARK CIRCLE,DOTHAN,AL,36301,OPEN,"
    "31.2,-85.4,420,http://southeasthealth.org,NOT AVAILABLE,LEVEL III",
    "0002,NEW YORK-PRESBYTERIAN HOSPITAL,525 E 68TH ST,NEW YORK,NY,10065,OPEN,40.76,-73.95,"
    "-999,NOT AVAILABLE,THE NEW YORK AND PRESBYTERIAN HOSPITAL,"
    '"LEVEL II ADULT, LEVEL I PEDIATRIC, LEVEL II REHAB"',
    # A campus under the same CCN, which the CMS file lists only once (at 525 E 68th St).
    "0003,NEW YORK - PRESBYTERIAN HOSPITAL - COLUMBIA PRESBYTERIAN CENTER,622 WEST 168TH STREET,"
    "NEW YORK,NY,10032,OPEN,40.8404,-73.9419,-999,NOT AVAILABLE,"
    "THE NEW YORK AND PRESBYTERIAN HOSPITAL,NOT AVAILABLE",
]
LOCATIONS_HEADER = "program_name,acgme_program_id,city,state,latitude,longitude"
LOCATIONS_ROWS = [
    "Baptist Outreach Services Montgomery Program,1200121001,Montgomery,AL,32.3668,-86.3",
    "Mercy Hospital Program,1200121002,Mobile,AL,30.69,-88.04",
    "Mercy Hospital Program,1200121003,Springfield,AL,31.1,-86.9",
]
TEACHING_HEADER = "ccn,hospital_name,address,city,state,zip,beds,resident_fte"
TEACHING_ROWS = ["330101,NYP,525 E 68TH,NEW YORK,NY,10065,2334,1648.66"]
SPECIALTY_ROWS = ["040,Anesthesiology", "140,Internal Medicine", "999,Transitional Year"]
LCA_HEADER = (
    "fiscal_year_quarter,case_number,job_title,soc_code,soc_title,full_time_position,begin_date,"
    "end_date,employer_name,trade_name_dba,worksite_address1,worksite_city,worksite_county,"
    "worksite_state,worksite_postal_code,wage_rate_of_pay_from,wage_rate_of_pay_to,"
    "wage_unit_of_pay,pw_wage_level,wage_from_annualized,non_gme_title"
)
LCA_ROWS = [
    'FY2025-Q2,I-200-25080-795380,Resident,29-1229.00,"physicians, all other",Y,2025-07-01,'
    "2026-06-30,The University of Alabama at Birmingham,,1600 7th Avenue South,Birmingham,"
    "JEFFERSON,AL,35233,81580,,Year,I,81580,0",
]
NRMP_INSTITUTIONS = [
    "New York Presbyterian Hosp-NY,1001",
    "Mercy Hospital-AL,1002",
    "NYP Hosp-Columbia Univ Med Ctr-NY,1003",
    "Baptist Outreach Services-AL,1004",
]
NRMP_TRACKS = [
    "Internal Medicine,1001140C0",
    "Medicine-Preliminary,1001140P0",
    "Anesthesiology,1002040A0",
]


def write(tmp_path, name: str, header: str, rows: list[str], encoding="utf-8") -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return str(path)


def run(key, path, **kwargs):
    return import_sources(key, path, **kwargs)[0]


@pytest.fixture
def us_catalog(tmp_path, settings):
    """CMS + HIFLD + teaching + specialties + NRMP from small files built on the real headers.

    The NRMP institutions import also reads the HIFLD and program-location files from the data
    directory, so the small ones are written there.
    """
    settings.CATALOG_DATA_DIR = tmp_path
    write(
        tmp_path,
        "programs/residency_program_locations_2018_2019.csv",
        LOCATIONS_HEADER,
        LOCATIONS_ROWS,
    )
    write(tmp_path, "visa/dol_lca_fy2025q2_physician_trainees.csv", LCA_HEADER, LCA_ROWS)
    run("acgme-specialties", write(tmp_path, "spec.csv", "acgmeSpecialtyCode,name", SPECIALTY_ROWS))
    run("cms-hospitals", write(tmp_path, "cms.csv", CMS_HEADER, CMS_ROWS))
    run(
        "hifld-hospitals",
        write(tmp_path, "hospitals/hifld_hospitals.csv", HIFLD_HEADER, HIFLD_ROWS),
    )
    run("teaching-fte", write(tmp_path, "teach.csv", TEACHING_HEADER, TEACHING_ROWS))
    run("nrmp-institutions", write(tmp_path, "inst.csv", "name,institutionCode", NRMP_INSTITUTIONS))
    run("nrmp-programs", write(tmp_path, "tracks.csv", "name,code", NRMP_TRACKS))
    return tmp_path


def database_state():
    return (
        list(Institution.objects.order_by("pk").values()),
        list(Program.objects.order_by("pk").values()),
        list(Specialty.objects.order_by("pk").values()),
    )


@pytest.mark.django_db
def test_it_imports_cms_hospitals_with_kinds_and_unknowns(tmp_path):
    report = run("cms-hospitals", write(tmp_path, "cms.csv", CMS_HEADER, CMS_ROWS))
    assert report.created == 4
    hospital = Institution.objects.get(ccn="010001")
    assert hospital.region == "AL"
    assert hospital.postal_code == "36301"
    assert hospital.cms_star_rating == 4
    assert hospital.source.key == "cms-hospitals"
    assert hospital.source_row == 1
    assert "Alabama" in hospital.search_text
    assert Institution.objects.get(ccn="010005").cms_star_rating is None
    assert Institution.objects.get(ccn="013300").kind == Institution.Kind.CHILDRENS


@pytest.mark.django_db
def test_it_joins_hifld_coordinates_and_falls_back_to_zip_centroids(us_catalog):
    joined = Institution.objects.get(ccn="010001")
    assert (joined.latitude, joined.longitude) == (31.2, -85.4)
    assert joined.coordinates_precision == "address"
    assert joined.coordinates_source.key == "hifld-hospitals"
    assert joined.website == "http://southeasthealth.org"
    assert (joined.trauma_level, joined.trauma_designation) == (3, "LEVEL III")
    by_street_abbreviation = Institution.objects.get(ccn="330101")
    assert by_street_abbreviation.coordinates_source.key == "hifld-hospitals"
    assert by_street_abbreviation.trauma_level == 1  # the paediatric Level I; rehab is not
    fallback = Institution.objects.get(ccn="010005")
    assert fallback.trauma_level is None and fallback.trauma_designation == ""
    assert fallback.coordinates_precision == "postal_code"
    assert fallback.coordinates_source.key == "geonames-zip-centroids"


@pytest.mark.django_db
def test_it_sets_teaching_status_from_the_cost_reports(us_catalog):
    nyp = Institution.objects.get(ccn="330101")
    assert nyp.is_teaching is True
    assert nyp.resident_fte == pytest.approx(1648.66)
    assert nyp.kind == Institution.Kind.ACADEMIC
    assert nyp.teaching_source.key == "teaching-fte"
    assert Institution.objects.get(ccn="010001").is_teaching is False


@pytest.mark.django_db
def test_it_imports_nrmp_tracks_and_links_only_clear_sponsors(us_catalog):
    sponsor = Institution.objects.get(nrmp_code="1001")
    assert sponsor.name == "New York Presbyterian Hosp"
    assert sponsor.hospital.ccn == "330101"
    assert sponsor.city == "NEW YORK"
    unlinked = Institution.objects.get(nrmp_code="1002")
    assert unlinked.hospital is None
    assert unlinked.region == "AL"
    assert unlinked.latitude is None
    assert unlinked.city == ""
    program = Program.objects.get(nrmp_code="1001140P0")
    assert program.track_type == Program.TrackType.PRELIMINARY
    assert program.specialty.code == "140"
    assert program.latitude == sponsor.latitude
    assert Program.objects.get(nrmp_code="1002040A0").track_type == Program.TrackType.ADVANCED


@pytest.mark.django_db
def test_it_places_a_campus_sponsor_at_its_hifld_campus_under_the_ccn(us_catalog):
    columbia = Institution.objects.get(nrmp_code="1003")
    assert columbia.hospital.ccn == "330101"
    assert (columbia.latitude, columbia.longitude) == (40.8404, -73.9419)
    assert columbia.coordinates_precision == "address"
    assert columbia.coordinates_source.key == "hifld-hospitals"


@pytest.mark.django_db
def test_it_links_no_hospital_for_a_system_listed_in_several_states(us_catalog, tmp_path):
    rows = ["Marshall Health-AL,2001", "Marshall Health-NY,2002", "Marshall Health Boaz-AL,2003"]
    report = run("nrmp-institutions", write(tmp_path, "inst2.csv", "name,institutionCode", rows))
    assert Institution.objects.get(nrmp_code="2001").hospital is None
    assert Institution.objects.get(nrmp_code="2003").hospital.ccn == "010005"
    assert report.figures["systems listed in several states (no hospital link)"] == 2


@pytest.mark.django_db
def test_it_falls_back_to_the_city_of_a_program_of_the_same_name(us_catalog):
    sponsor = Institution.objects.get(nrmp_code="1004")
    assert sponsor.hospital is None
    assert sponsor.hospital_link_score is None
    assert sponsor.city == "Montgomery"
    assert (sponsor.latitude, sponsor.longitude) == (32.3668, -86.3)
    assert sponsor.coordinates_precision == "city"
    assert sponsor.coordinates_source.key == "acgme-program-locations"
    assert sponsor.coordinates_source.file_sha256


@pytest.mark.django_db
def test_it_reimports_in_place_without_duplicates(tmp_path):
    path = write(tmp_path, "cms.csv", CMS_HEADER, CMS_ROWS)
    run("cms-hospitals", path)
    first_pk = Institution.objects.get(ccn="010001").pk
    changed = [
        CMS_ROWS[0].replace("SOUTHEAST HEALTH MEDICAL CENTER", "SOUTHEAST HEALTH"),
        *CMS_ROWS[1:],
    ]
    report = run("cms-hospitals", write(tmp_path, "cms2.csv", CMS_HEADER, changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 3)
    assert Institution.objects.count() == 4
    assert Institution.objects.get(pk=first_pk).name == "SOUTHEAST HEALTH"
    again = run("cms-hospitals", write(tmp_path, "cms3.csv", CMS_HEADER, changed))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


@pytest.mark.django_db
def test_it_writes_nothing_on_a_dry_run(tmp_path):
    report = run("cms-hospitals", write(tmp_path, "cms.csv", CMS_HEADER, CMS_ROWS), dry_run=True)
    assert report.created == 4
    assert Institution.objects.count() == 0
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_it_names_row_and_column_of_a_bad_value_and_writes_nothing(us_catalog, tmp_path):
    before = database_state()
    rows = [*CMS_ROWS, CMS_ROWS[0].replace("010001", "0100X")]
    with pytest.raises(ImportFileError) as error:
        run("cms-hospitals", write(tmp_path, "bad.csv", CMS_HEADER, rows))
    assert error.value.row == 5
    assert error.value.column == "Facility ID"
    assert 'bad.csv: row 5 (line 6), column "Facility ID"' in str(error.value)
    assert database_state() == before


@pytest.mark.django_db
def test_it_rejects_a_file_with_wrong_columns(tmp_path):
    path = write(tmp_path, "tracks.csv", "title,code", ["Internal Medicine,1001140C0"])
    with pytest.raises(ImportFileError) as error:
        run("nrmp-programs", path)
    assert error.value.row == 0
    assert "name" in error.value.column
    assert Program.objects.count() == 0


@pytest.mark.django_db
def test_it_rejects_a_file_that_is_not_utf8(tmp_path):
    rows = ["040,Anesthesiology", "140,Médecine interne"]
    path = write(tmp_path, "spec.csv", "acgmeSpecialtyCode,name", rows, encoding="latin-1")
    with pytest.raises(ImportFileError) as error:
        run("acgme-specialties", path)
    assert (error.value.row, error.value.column) == (2, "name")
    assert "UTF-8" in error.value.reason
    assert Specialty.objects.count() == 0


def test_it_parses_a_file_column_by_column_as_line_by_line(tmp_path):
    """``Table.parsed`` reads the columns of all lines at once: each line gets the values that
    ``row`` gives it (of a repeated column name, the last), and a file of no line parses to
    none; a bad value still names its line and column."""
    fields = [("name", text), ("code", required_text)]
    path = write(tmp_path, "t.csv", "code,name,code", ["1, A ,2", "3,,4"])
    table = read_table(path, ["code", "name"])
    assert [parsed for _, parsed in table.parsed(fields)] == [("A", "2"), ("", "4")]
    empty = read_table(write(tmp_path, "e.csv", "code,name,code", []), ["code"])
    assert list(empty.parsed(fields)) == []
    bad = read_table(write(tmp_path, "b.csv", "code,name,code", ["1,A,2", "3,B, "]), ["code"])
    with pytest.raises(ImportFileError) as error:
        list(bad.parsed(fields))
    assert (error.value.row, error.value.column) == (2, "code")


@pytest.mark.django_db
def test_it_imports_carms_streams_with_city_coordinates(tmp_path):
    run("acgme-specialties", write(tmp_path, "spec.csv", "acgmeSpecialtyCode,name", SPECIALTY_ROWS))
    run(
        "carms-disciplines",
        write(tmp_path, "disc.csv", "discipline_id,discipline", ["13,Anesthesiology"]),
    )
    header = (
        "discipline_id,discipline_name,school_id,school_name,program_stream_id,"
        "program_stream_name,program_site,program_stream,program_name,program_url"
    )
    rows = [
        "13,Anesthesiology,5177357,Dalhousie University,27416,Halifax - CMG Stream for CMG,Halifax,"
        "CMG Stream for CMG,Dalhousie University / Anesthesiology / Halifax / CMG Stream for CMG,"
        "https://example.org/27416",
        "13,Anesthesiology,5898252,University of British Columbia,27500,Interior - CMG,Interior,"
        "CMG Stream for CMG,UBC / Anesthesiology / Interior,https://example.org/27500",
    ]
    run("carms-programs", write(tmp_path, "carms.csv", header, rows))
    halifax = Program.objects.get(carms_stream_id="27416")
    assert halifax.institution.kind == Institution.Kind.MEDICAL_SCHOOL
    assert halifax.coordinates_precision == "city"
    assert halifax.region == "NS"
    assert halifax.specialty.equivalent.code == "040"
    assert halifax.title == "Anesthesiology — Halifax (CMG Stream for CMG)"
    interior = Program.objects.get(carms_stream_id="27500")
    assert interior.latitude is None
    assert interior.site == "Interior"


@pytest.mark.django_db
def test_it_dedupes_wikidata_items_and_maps_countries(tmp_path):
    ENTITY, CHINA = "http://www.wikidata.org/entity/", "People's Republic of China"
    header = "item\titemLabel\tcountryLabel\tofficial_website\tgeo"
    rows = [
        "http://www.wikidata.org/entity/Q4013\tHôtel-Dieu de Lyon\tFrance\t\tPoint(4.83 45.75)",
        f"{ENTITY}Q23198\tShanghai Tenth\t{CHINA}\thttp://a.cn/\tPoint(121.4 31.2)",
        f"{ENTITY}Q23198\tShanghai Tenth\t{CHINA}\thttp://b.cn/\tPoint(121.4 31.2)",
        "http://www.wikidata.org/entity/Q1\tNowhere Hospital\t\t\tPoint(10 10)",
    ]
    report = run("wikidata-hospitals", write(tmp_path, "w.tsv", header, rows))
    assert report.created == 3
    assert Institution.objects.get(wikidata_id="Q23198").country == "CN"
    assert Institution.objects.get(wikidata_id="Q4013").kind == Institution.Kind.INTERNATIONAL
    assert Institution.objects.get(wikidata_id="Q1").country_name == "Unknown"


@pytest.mark.django_db
def test_it_updates_only_the_wikidata_rows_that_changed(tmp_path):
    ENTITY = "http://www.wikidata.org/entity/"
    header = "item\titemLabel\tcountryLabel\tofficial_website\tgeo"
    rows = [
        f"{ENTITY}Q4013\tHôtel-Dieu de Lyon\tFrance\t\tPoint(4.83 45.75)",
        f"{ENTITY}Q23198\tShanghai Tenth\tPeople's Republic of China\t\tPoint(121.4 31.2)",
        f"{ENTITY}Q1\tNowhere Hospital\t\t\tPoint(10 10)",
    ]
    run("wikidata-hospitals", write(tmp_path, "w.tsv", header, rows))
    rows[1] = rows[1].replace("Point(121.4 31.2)", "Point(121.5 31.2)")
    rows.append(f"{ENTITY}Q2\tNew Hospital\tFrance\t\tPoint(2.35 48.85)")
    report = run("wikidata-hospitals", write(tmp_path, "w.tsv", header, rows))
    assert (report.created, report.updated, report.unchanged) == (1, 1, 2)
    moved = Institution.objects.get(wikidata_id="Q23198")
    assert moved.longitude == 121.5 and moved.name == "Shanghai Tenth"
    report = run("wikidata-hospitals", write(tmp_path, "w.tsv", header, rows))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)


def test_it_lists_the_same_source_keys_in_the_cli_as_the_registry():
    assert list(cli_import.SOURCE_KEYS) == list(IMPORTERS)


def parse(argv):
    parser = argparse.ArgumentParser()
    cli_import.add_parser(parser.add_subparsers())
    return parser.parse_args(argv)


@pytest.mark.django_db
def test_it_exits_1_with_a_row_level_message_on_a_bad_file(tmp_path, capsys):
    path = write(
        tmp_path,
        "cms.csv",
        CMS_HEADER,
        [*CMS_ROWS, CMS_ROWS[0].replace("010001", "010002").replace(",4,", ",9,")],
    )
    args = parse(["import", "cms-hospitals", path])
    assert args.func(args) == 1
    error = capsys.readouterr().err
    assert 'cms.csv: row 5 (line 6), column "Hospital overall rating"' in error
    assert Institution.objects.count() == 0


@pytest.mark.django_db
def test_it_exits_0_and_prints_a_report(tmp_path, capsys):
    args = parse(["import", "cms-hospitals", write(tmp_path, "cms.csv", CMS_HEADER, CMS_ROWS)])
    assert args.func(args) == 0
    assert "cms-hospitals" in capsys.readouterr().out
    stats = parse(["stats", "--json"])
    assert stats.func(stats) == 0
    assert '"institutions": 4' in capsys.readouterr().out


def test_it_names_the_stream_in_a_carms_title():
    from medmatch.catalog.importers.carms import carms_title

    cmg = carms_title("Anesthesiology", "Ottawa", "CMG Stream for CMG")
    img = carms_title("Anesthesiology", "Ottawa", "IMG Stream for IMG")
    assert (cmg, img) == (
        "Anesthesiology — Ottawa (CMG Stream for CMG)",
        "Anesthesiology — Ottawa (IMG Stream for IMG)",
    )
    assert carms_title("Family Medicine", "", "") == "Family Medicine"


@pytest.mark.parametrize(
    ("published", "level"),
    [
        ("LEVEL I", 1),
        ("LEVEL IV", 4),
        ("LEVEL I ADULT, LEVEL II PEDIATRIC", 1),
        ("LEVEL II, LEVEL III PEDIATRIC, LEVEL II REHAB", 2),
        ("LEVEL I PEDIATRIC REHAB", None),
        ("TRH", None),
        ("NOT AVAILABLE", None),
    ],
)
def test_it_reads_the_best_trauma_level_hifld_names(published, level):
    from medmatch.catalog.importers.hospitals import trauma

    assert trauma(published)[1] == level
