"""Issue 11 hospital data importers: CMS cost reports, DOL H-1B LCA filings, ODHF hospitals.

Each importer with a good file, its traps (two reports in one year, keying errors, one quarter of
LCA data, lower-cased names, mis-encoded accents, missing coordinates), a bad row (nothing
written), a dry run and a re-import that changes nothing.
"""

import pytest
from tests.catalog.factories import make_institution, make_program, make_source

from medmatch.catalog.importers import ImportFileError, import_sources
from medmatch.catalog.importers.hospital_data import recase, repair_accents
from medmatch.catalog.models import (
    CanadianHospital,
    CarmsStreamSite,
    CostReport,
    H1bFiling,
    Program,
    Source,
)

pytestmark = pytest.mark.django_db

HCRIS_HEADER = (
    "cost_report_year,rpt_rec_num,ccn,hospital_name,city,state,zip,county,cbsa,rural_urban,"
    "ccn_facility_type,provider_type,type_of_control,fy_begin,fy_end,resident_fte,"
    "fte_employees_on_payroll,beds,bed_days_available,discharges_total,ime_payment,"
    "dsh_adjustment,dsh_pct,wage_related_costs_interns_residents,"
    "wage_related_costs_teaching_physicians,residents_per_bed"
)


def hcris(year, ccn, name, begin, end, fte, beds, ime=""):
    return (
        f"{year},1,{ccn},{name},CHICAGO,IL,60612,COOK,16980,U,STH,1,2,{begin},{end},{fte},"
        f"1000,{beds},1,1,{ime},,,,,"
    )


HCRIS_ROWS = [
    hcris(2017, "140119", "RUSH UNIVERSITY MEDICAL CENTER", "2016-07-01", "2017-06-30", 565.2, 580),
    hcris(
        2021,
        "140119",
        "RUSH UNIVERSITY MEDICAL CENTER",
        "2020-07-01",
        "2021-06-30",
        615.7,
        575,
        51_600_000,
    ),
    # A fiscal-year change: a 2-month and a 12-month report for 2019 (FTEs prorated).
    hcris(2019, "040055", "SMALL HOSPITAL", "2018-11-01", "2018-12-31", 4.26, 320, 110913),
    hcris(2019, "040055", "SMALL HOSPITAL", "2019-01-01", "2019-12-31", 25.76, 280, 293025),
    # The README's keying error: 1,610.73 FTE on 162 beds.
    hcris(2017, "160067", "IOWA HOSPITAL", "2017-01-01", "2017-12-31", 13.2, 165),
    hcris(2018, "160067", "IOWA HOSPITAL", "2018-01-01", "2018-12-31", 1610.73, 162),
    hcris(2021, "160067", "IOWA HOSPITAL", "2021-01-01", "2021-12-31", 17.15, 162),
]

LCA_HEADER = (
    "fiscal_year_quarter,case_number,job_title,soc_code,soc_title,full_time_position,begin_date,"
    "end_date,employer_name,trade_name_dba,worksite_address1,worksite_city,worksite_county,"
    "worksite_state,worksite_postal_code,wage_rate_of_pay_from,wage_rate_of_pay_to,"
    "wage_unit_of_pay,pw_wage_level,wage_from_annualized,non_gme_title"
)


def lca(case, title, employer, zip_code, wage, state="IL", city="Chicago"):
    return (
        f"FY2025-Q2,I-200-25080-{case:06d},{title},29-1229.00,physicians,Y,2025-07-01 00:00:00,"
        f"2026-06-30 00:00:00,{employer},,1 Main St,{city},COOK,{state},{zip_code},{wage},,Year,"
        f"I,{wage},0"
    )


LCA_ROWS = [
    # ZIP 60612 has Rush and UI Hospital: the employer's distinctive word decides.
    lca(1, "Resident PGY-2", "Rush University Medical Center", "60612", 71000),
    lca(2, "Fellow - Cardiology", "Rush Medical Group", "60612", 88000),
    lca(3, "Resident/Fellow", "University of Illinois Chicago", "60612", 80000),
    # Worksite ZIP with no catalog hospital: matched by employer name + state.
    lca(4, "Resident", "Loyola Univ Med Ctr", "60153", 70000),
    # Neither key: unmatched, kept.
    lca(5, "Resident", "Nowhere Consortium", "99999", 65000, state="AK", city="Nome"),
]

ODHF_HEADER = (
    "odhf_index,facility_name,source_facility_type,odhf_facility_type,provider,unit,street_no,"
    "street_name,postal_code,city,province,csd_name,csd_uid,province_uid,latitude,longitude"
)
ODHF_ROWS = [
    "1,red deer regional hospital centre,general,Hospitals,Public Health Agency of Canada,,3942,"
    "50a ave,T4N4E7,red deer,AB,Red Deer,4808011,48,52.2645,-113.8152",
    # Kingston: one row with coordinates, and Kingston General from CIHI without: two hospitals.
    "2,hotel dieu hospital,general,Hospitals,Public Health Agency of Canada,,166,brock st,K7L5G2,"
    "kingston,ON,Kingston,3510010,35,44.2312,-76.4860",
    "3,kingston general hospital,active acute hospital,Hospitals,Canadian Institute for Health "
    "Information,,,,K7L2V7,kingston,ON,Kingston,,35,,",
    # Mis-encoded accents (Mac Roman) and a longitude that lost its minus sign.
    "4,hÙpital montfort hospital,hospital - site,Hospitals,Province of Ontario,,713,montreal rd,"
    "K1K0T2,ottawa,ON,Ottawa,3506008,35,45.4460,75.6390",
    "5,the ottawa hospital - civic campus,hospital - site,Hospitals,Province of Ontario,,1053,"
    "carling ave,K1Y4E9,ottawa,ON,Ottawa,3506008,35,45.3925,-75.7215",
]

# Under their shipped names, for tests that import every source (test_import_writes.data_dir).
HOSPITAL_DATA_FILES = {
    "teaching/cms_hcris_teaching_hospitals_fy2017_2021.csv": (HCRIS_HEADER, HCRIS_ROWS),
    "visa/dol_lca_fy2025q2_physician_trainees.csv": (LCA_HEADER, LCA_ROWS),
    "canada/statcan_odhf_v1_hospitals.csv": (ODHF_HEADER, ODHF_ROWS),
}


def write(tmp_path, name, header, rows):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(key, path, **options):
    [report] = import_sources(key, path, **options)
    return report


@pytest.fixture
def hospitals(db):
    cms = make_source(key="cms-hospitals", name="CMS hospitals (test)")
    rush = make_institution(
        "RUSH UNIVERSITY MEDICAL CENTER",
        ccn="140119",
        region="IL",
        country="US",
        postal_code="60612",
        is_teaching=True,
        source=cms,
    )
    ui = make_institution(
        "UNIVERSITY OF ILLINOIS HOSPITAL",
        ccn="140150",
        region="IL",
        country="US",
        postal_code="60612",
        is_teaching=True,
        source=cms,
    )
    loyola = make_institution(
        "Loyola Univ Med Ctr-IL", nrmp_code="1150", region="IL", country="US", source=cms
    )
    return {"rush": rush, "ui": ui, "loyola": loyola}


# --- Cost reports ------------------------------------------------------------------------------


def test_cost_reports_keep_the_longer_report_of_a_year_and_match_by_ccn(hospitals, tmp_path):
    report = run("cms-cost-reports", write(tmp_path, "hcris.csv", HCRIS_HEADER, HCRIS_ROWS))
    assert CostReport.objects.count() == 6
    year = CostReport.objects.get(ccn="040055", year=2019)
    # The 12-month report, not the 2-month one, and not their sum (4.26 + 25.76).
    assert (year.resident_fte, year.beds, year.reports_in_year) == (25.76, 280, 2)
    assert report.skipped["second report of a CCN-year (shorter period)"] == 1
    assert CostReport.objects.get(ccn="140119", year=2021).institution == hospitals["rush"]
    assert CostReport.objects.get(ccn="040055", year=2019).institution is None
    assert report.figures["CCNs matched to a CMS hospital by CCN"] == "1 of 3"


def test_cost_reports_flag_a_keying_error_instead_of_showing_it(hospitals, tmp_path):
    run("cms-cost-reports", write(tmp_path, "hcris.csv", HCRIS_HEADER, HCRIS_ROWS))
    flagged = CostReport.objects.get(ccn="160067", year=2018)
    assert flagged.residents_per_bed == pytest.approx(9.9428, abs=1e-3)
    assert "keying error" in flagged.flagged_reason
    assert not CostReport.objects.get(ccn="160067", year=2017).flagged_reason


def test_cost_report_bad_row_names_row_and_column_and_writes_nothing(hospitals, tmp_path):
    rows = [*HCRIS_ROWS, HCRIS_ROWS[0].replace("565.2", "lots")]
    with pytest.raises(ImportFileError) as error:
        run("cms-cost-reports", write(tmp_path, "bad.csv", HCRIS_HEADER, rows))
    assert (error.value.row, error.value.column) == (8, "resident_fte")
    assert "“lots” is not a number" in str(error.value)
    assert CostReport.objects.count() == 0
    assert not Source.objects.filter(key="cms-cost-reports").exists()


def test_cost_reports_dry_run_writes_nothing_and_reimport_is_a_no_op(hospitals, tmp_path):
    path = write(tmp_path, "hcris.csv", HCRIS_HEADER, HCRIS_ROWS)
    dry = run("cms-cost-reports", path, dry_run=True)
    assert dry.created == 6 and CostReport.objects.count() == 0
    run("cms-cost-reports", path)
    source = Source.objects.get(key="cms-cost-reports")
    again = run("cms-cost-reports", path)
    assert (again.created, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 6)
    assert again.write_transactions == 0
    assert Source.objects.get(key="cms-cost-reports").imported_at == source.imported_at


def test_cost_reports_delete_rows_a_new_file_no_longer_has(hospitals, tmp_path):
    run("cms-cost-reports", write(tmp_path, "hcris.csv", HCRIS_HEADER, HCRIS_ROWS))
    report = run("cms-cost-reports", write(tmp_path, "two.csv", HCRIS_HEADER, HCRIS_ROWS[:2]))
    assert report.deleted == 4
    assert set(CostReport.objects.values_list("key", flat=True)) == {"140119-2017", "140119-2021"}


# --- H-1B LCA filings --------------------------------------------------------------------------


def test_lca_filings_match_by_worksite_zip_then_name_and_state(hospitals, tmp_path):
    report = run("dol-lca-trainees", write(tmp_path, "lca.csv", LCA_HEADER, LCA_ROWS))
    filings = {f.case_number[-1]: f for f in H1bFiling.objects.all()}
    assert filings["1"].institution == hospitals["rush"]
    assert filings["1"].match_key == "worksite_zip"
    assert filings["2"].institution == hospitals["rush"]  # "Rush Medical Group", same ZIP
    assert filings["3"].institution == hospitals["ui"]
    assert (filings["4"].institution, filings["4"].match_key) == (hospitals["loyola"], "name_state")
    assert filings["5"].institution is None and filings["5"].match_key == ""
    assert [f.role for f in (filings["1"], filings["2"], filings["3"])] == [
        "resident",
        "fellow",
        "fellow",  # "Resident/Fellow" counts as a fellow, as the by-employer summary does
    ]
    assert report.figures["filings matched to a catalog institution"] == "4 of 5"
    assert report.figures["matched by"] == "worksite ZIP: 3, name + state: 1, unmatched: 1"


def test_lca_bad_wage_and_duplicate_case_are_row_errors(hospitals, tmp_path):
    rows = [*LCA_ROWS, lca(6, "Resident", "Rush", "60612", 71)]
    with pytest.raises(ImportFileError) as error:
        run("dol-lca-trainees", write(tmp_path, "bad.csv", LCA_HEADER, rows))
    assert (error.value.row, error.value.column) == (6, "wage_from_annualized")
    rows = [*LCA_ROWS, LCA_ROWS[0]]
    with pytest.raises(ImportFileError, match="appears twice"):
        run("dol-lca-trainees", write(tmp_path, "twice.csv", LCA_HEADER, rows))
    assert H1bFiling.objects.count() == 0


def test_lca_reimport_changes_nothing(hospitals, tmp_path):
    path = write(tmp_path, "lca.csv", LCA_HEADER, LCA_ROWS)
    run("dol-lca-trainees", path)
    again = run("dol-lca-trainees", path)
    assert (again.created, again.updated, again.unchanged, again.write_transactions) == (
        0,
        0,
        5,
        0,
    )


# --- ODHF hospitals and CaRMS streams ----------------------------------------------------------


def test_odhf_names_are_recased_and_accents_and_signs_repaired(db, tmp_path):
    report = run("odhf-hospitals", write(tmp_path, "odhf.csv", ODHF_HEADER, ODHF_ROWS))
    montfort = CanadianHospital.objects.get(odhf_index="4")
    assert montfort.name == "Hôpital Montfort Hospital"
    assert montfort.longitude == -75.6390
    assert montfort.coordinates_precision == "address"
    assert CanadianHospital.objects.get(odhf_index="3").coordinates_precision == ""
    assert report.figures["longitudes missing their minus sign (repaired)"] == 1
    assert repair_accents("centre de santÈ") == "centre de santé"
    assert repair_accents("Bogotá") == "Bogotá"  # correct text is left alone
    assert recase("the ottawa hospital - civic campus") == "The Ottawa Hospital - Civic Campus"


def test_odhf_bad_latitude_names_the_row(db, tmp_path):
    rows = [*ODHF_ROWS, ODHF_ROWS[0].replace("1,red deer", "9,red deer").replace("52.2645", "x")]
    with pytest.raises(ImportFileError) as error:
        run("odhf-hospitals", write(tmp_path, "bad.csv", ODHF_HEADER, rows))
    assert (error.value.row, error.value.column) == (6, "latitude")
    assert CanadianHospital.objects.count() == 0


@pytest.fixture
def carms_streams(db):
    carms = make_source(key="carms-programs", name="CaRMS (test)")
    alberta = make_institution(
        "University of Alberta", carms_school_id="ALBERTA", region="AB", country="CA", source=carms
    )
    ottawa = make_institution(
        "University of Ottawa", carms_school_id="OTTAWA", region="ON", country="CA", source=carms
    )
    queens = make_institution(
        "Queen\u2019s University", carms_school_id="QUEENS", region="ON", country="CA", source=carms
    )

    def stream(stream_id, institution, site, region):
        return make_program(
            f"Family Medicine — {site}",
            institution=institution,
            carms_stream_id=stream_id,
            site=site,
            city=site,
            region=region,
            country="CA",
            latitude=1.0,
            longitude=1.0,
            coordinates_precision="city",
            source=carms,
        )

    return {
        "red_deer": stream("100", alberta, "Rural - Red Deer", "AB"),
        "kingston": stream("101", queens, "Kingston", "ON"),
        "montfort": stream("102", ottawa, "Montfort - Bilingual", "ON"),
        "ottawa": stream("103", ottawa, "Ottawa", "ON"),
    }


def test_carms_streams_are_placed_only_on_strong_evidence(carms_streams, tmp_path):
    report = run("odhf-hospitals", write(tmp_path, "odhf.csv", ODHF_HEADER, ODHF_ROWS))
    sites = {s.program_id: s for s in CarmsStreamSite.objects.select_related("hospital")}
    red_deer = carms_streams["red_deer"]
    assert sites[red_deer.pk].hospital.name == "Red Deer Regional Hospital Centre"
    assert "only acute hospital" in sites[red_deer.pk].evidence
    red_deer.refresh_from_db()
    assert (red_deer.latitude, red_deer.longitude) == (52.2645, -113.8152)
    assert red_deer.coordinates_precision == "address"
    assert sites[carms_streams["montfort"].pk].hospital.name == "Hôpital Montfort Hospital"
    # Kingston has two hospitals (one without coordinates), Ottawa several: left at the city.
    assert carms_streams["kingston"].pk not in sites
    assert carms_streams["ottawa"].pk not in sites
    assert report.figures["CaRMS streams placed at an ODHF hospital"].startswith("2 of 4")


def test_it_places_streams_whatever_the_order_of_the_hospitals(carms_streams, tmp_path):
    from itertools import permutations

    from medmatch.catalog.importers.hospital_data import StreamPlacer, placement_rows

    run("odhf-hospitals", write(tmp_path, "odhf.csv", ODHF_HEADER, ODHF_ROWS))
    rows = placement_rows()
    assert [row.pk for row in rows] == sorted(CanadianHospital.objects.values_list("pk", flat=True))
    sites = [(program.site, program.region) for program in carms_streams.values()]

    def placed(hospitals):
        placer = StreamPlacer(hospitals)
        return [placer.place(site, region) for site, region in sites]

    expected = placed(rows)
    assert [found and found[0].name for found in expected] == [
        "Red Deer Regional Hospital Centre",
        None,
        "Hôpital Montfort Hospital",
        None,
    ]
    assert all(placed(list(order)) == expected for order in permutations(rows))


def test_odhf_reimport_changes_nothing(carms_streams, tmp_path):
    path = write(tmp_path, "odhf.csv", ODHF_HEADER, ODHF_ROWS)
    run("odhf-hospitals", path)
    again = run("odhf-hospitals", path)
    assert (again.created, again.updated, again.deleted, again.write_transactions) == (0, 0, 0, 0)


CARMS_HEADER = (
    "discipline_id,discipline_name,school_name,program_stream_id,program_site,program_stream,"
    "program_name,program_url"
)


def test_carms_reimport_keeps_a_placed_streams_hospital_coordinates(db, tmp_path):
    carms_file = write(
        tmp_path,
        "carms.csv",
        CARMS_HEADER,
        ["1,Family Medicine,University of Alberta,100,Red Deer,,Family Medicine - Red Deer,"],
    )
    run("carms-programs", carms_file)
    run("odhf-hospitals", write(tmp_path, "odhf.csv", ODHF_HEADER, ODHF_ROWS))
    program = Program.objects.get(carms_stream_id="100")
    assert program.latitude == 52.2645
    again = run("carms-programs", carms_file)
    assert (again.created, again.updated) == (0, 0)
    program.refresh_from_db()
    assert (program.latitude, program.coordinates_precision) == (52.2645, "address")


def test_a_stream_whose_hospital_left_the_file_goes_back_to_its_city(carms_streams, tmp_path):
    from medmatch.lib import geo

    run("odhf-hospitals", write(tmp_path, "odhf.csv", ODHF_HEADER, ODHF_ROWS))
    report = run("odhf-hospitals", write(tmp_path, "odhf2.csv", ODHF_HEADER, ODHF_ROWS[1:]))
    assert report.deleted == 1  # the Red Deer hospital (its placement goes with it)
    red_deer = Program.objects.get(pk=carms_streams["red_deer"].pk)
    assert not CarmsStreamSite.objects.filter(program=red_deer).exists()
    place = geo.city_to_place("Rural - Red Deer", country="CA")
    assert red_deer.latitude == (place.latitude if place else None)
    assert red_deer.coordinates_precision == ("city" if place else "")


def test_a_placed_streams_page_names_its_hospital_and_how_it_was_placed(
    client, carms_streams, tmp_path
):
    from django.urls import reverse

    run("odhf-hospitals", write(tmp_path, "odhf.csv", ODHF_HEADER, ODHF_ROWS))
    response = client.get(reverse("catalog:program", args=[carms_streams["red_deer"].pk]))
    facts = {fact.label: fact for fact in response.context["sheet"].facts}
    hospital = facts["Training hospital"]
    assert hospital.value == "Red Deer Regional Hospital Centre, 3942 50a Ave, Red Deer, AB"
    assert hospital.scope == "institution" and hospital.source.key == "odhf-hospitals"
    assert "the only acute hospital the ODHF lists in Red Deer, AB" in response.text
    assert "H-1B evidence" not in facts  # no US data about a Canadian stream: nothing, not "none"
    response = client.get(reverse("catalog:program", args=[carms_streams["ottawa"].pk]))
    assert "Training hospital" not in {fact.label for fact in response.context["sheet"].facts}
