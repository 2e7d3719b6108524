"""Place data: RUCA, ZIP->county, FMR and SAFMR importers (traps, errors, dry run, re-import),
the bulk place lookup and the Setting / Rent facts on the pages."""

import pytest
from django.urls import reverse
from tests.catalog.factories import make_institution, make_program, make_source

from medmatch.catalog import places
from medmatch.catalog.cli_import import place_stats
from medmatch.catalog.importers import ImportFileError, import_sources
from medmatch.catalog.models import Source
from medmatch.catalog.models_places import AreaRent, ZipArea, ZipCounty, ZipRent

RUCA_HEADER = "zip,state,zip_type,po_name,ruca_primary,ruca_secondary,ruca_class"
RUCA_ROWS = [
    "60612,IL,ZIP Code Area,Chicago,1,1,urban",
    "62301,IL,ZIP Code Area,Quincy,7,7.1,small_rural_town",
    "02114,MA,ZIP Code Area,Boston,1,1,urban",
    "02115,MA,ZIP Code Area,Boston,1,1,urban",
    "02601,MA,ZIP Code Area,Hyannis,4,4,large_rural_town",
    "06510,CT,ZIP Code Area,New Haven,1,1,urban",
    "05701,VT,ZIP Code Area,Rutland,4,4,large_rural_town",
    "99950,AK,ZIP Code Area,Ketchikan,99,,",
]
COUNTY_HEADER = (
    "zip,county_fips5,usps_city,state,share_of_addresses,share_of_residential,n_counties"
)
COUNTY_ROWS = [
    "60612,17031,CHICAGO,IL,1.0,1.0,1",
    "62301,17001,QUINCY,IL,0.98,0.99,2",
    "02114,25025,BOSTON,MA,1.0,1.0,1",
    "02115,25025,BOSTON,MA,1.0,1.0,1",
    "02601,25001,HYANNIS,MA,1.0,1.0,1",
    "06510,09170,NEW HAVEN,CT,1.0,1.0,1",
    "05701,50021,RUTLAND,VT,1.0,1.0,1",
]
FMR_HEADER = (
    "state,state_fips,county_fips5,fips10,is_town_level,county_name,county_town_name,"
    "hud_area_code,hud_area_name,metro,population_2023,fmr_0,fmr_1,fmr_2,fmr_3,fmr_4"
)
FMR_ROWS = [
    'IL,17,17031,1703199999,0,Cook County,,METRO16980M16980,"Chicago, IL HMFA",1,5087072,'
    "1400,1500,1700,2100,2400",
    'IL,17,17001,1700199999,0,Adams County,,NCNTY17001N17001,"Adams County, IL",0,64000,'
    "700,1140,1420,1800,2000",
    "MA,25,25025,2502507000,1,Suffolk County,Boston city,METRO14460MM1120,"
    '"Boston-Cambridge-Quincy, MA-NH HMFA",1,650000,2500,2700,3200,3900,4200',
    "MA,25,25001,2500103690,1,Barnstable County,Barnstable Town city,METRO12700M12700,"
    '"Barnstable Town, MA MSA",1,49232,1834,1846,2422,2985,3428',
    "MA,25,25001,2500107175,1,Barnstable County,Bourne town,METRO12700M12700,"
    '"Barnstable Town, MA MSA",1,20093,1834,1846,2422,2985,3428',
    "CT,09,09170,0917052000,1,South Central Connecticut Planning Region,New Haven town,"
    'METRO35300M35300,"New Haven-Meriden, CT HMFA",1,135000,1300,1500,1850,2300,2600',
    "VT,50,50021,5002161225,1,Rutland County,Rutland city,NCNTY50021N50021,"
    '"Rutland County, VT",0,15800,900,1010,1300,1600,1800',
    "VT,50,50021,5002161300,1,Rutland County,Rutland town,NCNTY50021N50021,"
    '"Rutland County, VT",0,4000,900,1000,1290,1600,1800',
]
SAFMR_HEADER = "zip,hud_area_code,hud_area_name,safmr_0,safmr_1,safmr_2,safmr_3,safmr_4"
SAFMR_ROWS = [
    '60612,METRO16980M16980,"Chicago, IL HMFA",1450,1560,1770,2200,2500',
    # 02114 crosses two HUD areas: the one of its county's (town's) FMR wins, not the higher.
    '02114,METRO14460MM1120,"Boston-Cambridge-Quincy, MA-NH HMFA",2900,3100,3600,4300,4700',
    '02114,METRO99999M99999,"Elsewhere, MA HMFA",3000,3300,3900,4500,4900',
    # 06510 crosses two areas, neither the county's: the higher rent wins.
    '06510,METRO11111M11111,"First, CT HMFA",1100,1200,1500,1800,2000',
    '06510,METRO22222M22222,"Second, CT HMFA",1300,1400,1700,2000,2200',
]


@pytest.fixture(autouse=True)
def own_import_lock(settings, tmp_path):
    """The import lock file in tmp_path, not in the data directory an import may be using."""
    settings.DATA_DIR = tmp_path


def write(tmp_path, name, header, rows):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


def import_all(tmp_path, **overrides):
    files = {
        "usda-ruca-2020": ("ruca.csv", RUCA_HEADER, RUCA_ROWS),
        "hud-usps-zip-county": ("county.csv", COUNTY_HEADER, COUNTY_ROWS),
        "hud-fmr-fy2026": ("fmr.csv", FMR_HEADER, FMR_ROWS),
        "hud-safmr-fy2024": ("safmr.csv", SAFMR_HEADER, SAFMR_ROWS),
    }
    reports = {}
    for key, (name, header, rows) in files.items():
        path = write(tmp_path, name, header, overrides.get(key, rows))
        reports[key] = import_sources(key, path)[0]
    return reports


@pytest.fixture
def catalog(db):
    """Sponsors without a ZIP linked to hospitals with one, and hospitals on each trap."""
    cms = make_source(key="cms-test", name="CMS (test)")

    def hospital(name, city, state, code):
        return make_institution(
            name, city=city, region=state, postal_code=code, country="US", source=cms
        )

    rush = hospital("RUSH UNIVERSITY MEDICAL CENTER", "CHICAGO", "IL", "60612")
    sponsor = make_institution(
        "Rush University Med Ctr", region="IL", country="US", hospital=rush, source=cms
    )
    blessing = hospital("BLESSING HOSPITAL", "QUINCY", "IL", "62301-1234")
    mgh = hospital("MASSACHUSETTS GENERAL HOSPITAL", "BOSTON", "MA", "02114")
    brigham = hospital("BRIGHAM AND WOMEN'S HOSPITAL", "BOSTON", "MA", "02115")
    cape = hospital("CAPE COD HOSPITAL", "HYANNIS", "MA", "02601")
    yale = hospital("YALE-NEW HAVEN HOSPITAL", "NEW HAVEN", "CT", "06510")
    rutland = hospital("RUTLAND REGIONAL MEDICAL CENTER", "RUTLAND", "VT", "05701")
    ketchikan = hospital("PEACEHEALTH KETCHIKAN", "KETCHIKAN", "AK", "99950")
    unknown_zip = hospital("NOWHERE HOSPITAL", "NOWHERE", "IL", "60000")
    berlin = make_institution("Charité", city="Berlin", postal_code="10117", country="DE")
    loose = make_institution("Lone Sponsor", region="IL", country="US", source=cms)
    programs = {
        "rush": make_program("Internal Medicine", institution=sponsor),
        "blessing": make_program("Family Medicine", institution=blessing),
        "mgh": make_program("Internal Medicine", institution=mgh),
        "brigham": make_program("Surgery", institution=brigham),
        "cape": make_program("Family Medicine", institution=cape),
        "yale": make_program("Pediatrics", institution=yale),
        "rutland": make_program("Family Medicine", institution=rutland),
        "ketchikan": make_program("Family Medicine", institution=ketchikan),
        "unknown_zip": make_program("Family Medicine", institution=unknown_zip),
        "berlin": make_program("Innere Medizin", institution=berlin),
        "loose": make_program("Psychiatry", institution=loose),
    }
    return {"programs": programs, "rush": rush, "sponsor": sponsor}


def lookup(catalog):
    from medmatch.catalog.models import Program

    found = places.program_places(
        Program.objects.select_related("institution__hospital").filter(
            pk__in=[p.pk for p in catalog["programs"].values()]
        )
    )
    return {name: found[program.pk] for name, program in catalog["programs"].items()}


def test_it_imports_the_four_files_and_places_each_program(catalog, tmp_path):
    reports = import_all(tmp_path)
    assert (ZipArea.objects.count(), ZipCounty.objects.count()) == (8, 7)
    assert (AreaRent.objects.count(), ZipRent.objects.count()) == (8, 5)
    assert ZipArea.objects.get(zip="02114").zip == "02114"  # leading zero kept: text
    found = lookup(catalog)
    rush = found["rush"]
    assert (rush.zip, rush.whose) == ("60612", "linked hospital")
    assert rush.setting.label == "urban" and rush.setting.ruca_primary == 1
    assert (rush.rent.level, rush.rent.area_label, rush.rent.fiscal_year) == (
        "ZIP",
        "ZIP 60612",
        "FY2024",
    )
    assert (rush.rent.one_bedroom, rush.rent.two_bedroom) == (1560, 1770)
    assert rush.rent.source.key == "hud-safmr-fy2024"
    # The FY2026 county rent is kept beside the ZIP one, never blended into it.
    assert (rush.area_rent.area_label, rush.area_rent.one_bedroom) == ("Cook County, IL", 1500)
    blessing = found["blessing"]  # a ZIP+4 postal code still finds its ZIP
    assert (blessing.setting.label, blessing.setting.ruca_primary) == ("small rural town", 7)
    assert (blessing.rent.level, blessing.rent.area_label, blessing.rent.fiscal_year) == (
        "county",
        "Adams County, IL",
        "FY2026",
    )
    assert (blessing.rent.one_bedroom, blessing.rent.two_bedroom) == (1140, 1420)
    figures = reports["hud-fmr-fy2026"].figures
    assert "county (ZIP → county): 2" in figures["programs matched (11)"]
    assert "no US ZIP: 2" in figures["programs matched (11)"]


def test_it_keeps_ruca_99_as_an_unknown_setting(catalog, tmp_path):
    import_all(tmp_path)
    area = ZipArea.objects.get(zip="99950")
    assert (area.ruca_primary, area.ruca_class) == (99, "")
    assert lookup(catalog)["ketchikan"].setting is None


def test_it_takes_the_counties_hud_area_for_a_zip_in_two_areas_else_the_higher(catalog, tmp_path):
    reports = import_all(tmp_path)
    found = lookup(catalog)
    assert found["mgh"].rent.one_bedroom == 3100  # the county's (town's) area, not the higher
    assert "county's area" in found["mgh"].rent.match
    assert found["yale"].rent.one_bedroom == 1400  # neither is the county's: the higher
    assert "higher rent" in found["yale"].rent.match
    figures = reports["hud-safmr-fy2024"].figures
    assert figures["ZIPs with rows in two or more HUD areas"] == 2
    line = figures["programs matched (11)"]
    assert "in two HUD areas, the county's area: 1" in line
    assert "in two HUD areas, the higher rent: 1" in line


def test_it_matches_new_england_towns_by_city_and_falls_back_to_the_hud_area(catalog, tmp_path):
    reports = import_all(tmp_path)
    found = lookup(catalog)
    brigham = found["brigham"]  # no SAFMR row: the town's FY2026 rent
    assert (brigham.rent.level, brigham.rent.area_label) == ("town", "Boston city, MA")
    assert brigham.rent.match == "NE town name"
    # Connecticut's planning-region county code (09170) joins the crosswalk to the town rows.
    assert found["yale"].area_rent.area_label == "New Haven town, CT"
    # Rutland city and Rutland town share the key "rutland": the city wins.
    assert found["rutland"].rent.area_label == "Rutland city, VT"
    assert found["rutland"].rent.one_bedroom == 1010
    cape = found["cape"]  # Hyannis is a village: the county's one HUD area
    assert (cape.rent.level, cape.rent.area_label) == ("HUD area", "Barnstable Town, MA MSA")
    line = reports["hud-fmr-fy2026"].figures["programs matched (11)"]
    assert "NE town name: 4" in line and "HUD area fallback: 1" in line


def test_it_leaves_unknown_places_unknown(catalog, tmp_path):
    import_all(tmp_path)
    found = lookup(catalog)
    assert found["loose"] is places.NO_PLACE  # no ZIP, no linked hospital
    assert found["berlin"] is places.NO_PLACE  # a 5-digit postal code outside the US
    missing = found["unknown_zip"]  # a ZIP none of the files lists
    assert missing.zip == "60000" and missing.setting is None and missing.rent is None


def test_it_looks_up_every_program_in_a_fixed_number_of_queries(
    catalog, tmp_path, django_assert_max_num_queries
):
    import_all(tmp_path)
    from medmatch.catalog.models import Program

    programs = list(Program.objects.select_related("institution__hospital"))
    # Six, and the import stamp when the copy of the Source rows is cold (import_cache).
    with django_assert_max_num_queries(7):
        found = places.program_places(programs)
    assert len(found) == len(programs)


@pytest.mark.parametrize(
    ("key", "header", "rows", "row", "column", "reason"),
    [
        ("usda-ruca-2020", RUCA_HEADER, [RUCA_ROWS[0], "6061,IL,x,y,1,1,urban"], 2, "zip", "ZIP"),
        ("usda-ruca-2020", RUCA_HEADER, ["60612,IL,x,y,1,1,rural"], 1, "ruca_class", "expected"),
        ("usda-ruca-2020", RUCA_HEADER, ["60612,IL,x,y,11,11,"], 1, "ruca_primary", "1 to 10"),
        ("usda-ruca-2020", RUCA_HEADER, [RUCA_ROWS[0], RUCA_ROWS[0]], 2, "zip", "twice"),
        ("hud-usps-zip-county", COUNTY_HEADER, ["60612,17031,C,IL,1.4,1,1"], 1, "share", "0 to"),
        ("hud-fmr-fy2026", FMR_HEADER, [FMR_ROWS[0].replace(",1500,", ",-5,")], 1, "fmr_1", ""),
        ("hud-safmr-fy2024", SAFMR_HEADER, [SAFMR_ROWS[0], SAFMR_ROWS[0]], 2, "zip", "twice"),
        # Bad values in the columns parsed a column at a time (Table.parsed): the same row,
        # column and reason as a line-by-line parse gives.
        (
            "usda-ruca-2020",
            RUCA_HEADER,
            [*RUCA_ROWS[:3], "60613,Il,x,y,1,1,urban"],
            4,
            "state",
            "2-",
        ),
        ("usda-ruca-2020", RUCA_HEADER, ["60612,IL,x,y,1,1.23,urban"], 1, "ruca_secondary", "10.1"),
        (
            "usda-ruca-2020",
            RUCA_HEADER,
            [RUCA_ROWS[0], "62301,IL,x,y, ,,"],
            2,
            "ruca_primary",
            "“”",
        ),
        (
            "hud-usps-zip-county",
            COUNTY_HEADER,
            [*COUNTY_ROWS[:2], "60613,1703,C,IL,1,1,1"],
            3,
            "c",
            "F",
        ),
        ("hud-usps-zip-county", COUNTY_HEADER, ["60612,17031,C,IL,1,1,0"], 1, "n_counties", "1 or"),
        ("hud-usps-zip-county", COUNTY_HEADER, ["60612,17031,C,IL,nan,1,1"], 1, "share_of_a", "0"),
        (
            "hud-fmr-fy2026",
            FMR_HEADER,
            [FMR_ROWS[0].replace("1703199999", "17031")],
            1,
            "fips10",
            "",
        ),
        (
            "hud-safmr-fy2024",
            SAFMR_HEADER,
            [SAFMR_ROWS[0].replace("METRO", "metro")],
            1,
            "hud_a",
            "",
        ),
        (
            "hud-safmr-fy2024",
            SAFMR_HEADER,
            [SAFMR_ROWS[0], SAFMR_ROWS[1].replace('"Boston-Cambridge-Quincy, MA-NH HMFA"', " ")],
            2,
            "hud_area_name",
            "a value is required here",
        ),
        # The first bad row is named, whatever the column: a bad last column in row 1 before a
        # bad first column in row 2, a repeated ZIP in row 2 before a bad rent in row 3.
        (
            "hud-safmr-fy2024",
            SAFMR_HEADER,
            [SAFMR_ROWS[0].replace(",2500", ",0"), SAFMR_ROWS[1].replace("02114", "2114")],
            1,
            "safmr_4",
            "monthly rent",
        ),
        (
            "hud-safmr-fy2024",
            SAFMR_HEADER,
            [SAFMR_ROWS[0], SAFMR_ROWS[0], SAFMR_ROWS[1].replace(",3100,", ",x,")],
            2,
            "zip",
            "twice",
        ),
    ],
)
def test_it_names_the_row_and_column_of_a_bad_value_and_writes_nothing(
    db, tmp_path, key, header, rows, row, column, reason
):
    path = write(tmp_path, "bad.csv", header, rows)
    with pytest.raises(ImportFileError) as raised:
        import_sources(key, path)
    assert raised.value.row == row
    assert raised.value.column.startswith(column)
    assert reason in raised.value.reason
    assert not Source.objects.filter(key=key).exists()
    assert not ZipArea.objects.exists() and not ZipRent.objects.exists()


def test_it_skips_blank_lines_and_names_a_line_of_another_width(db, tmp_path):
    rows = [RUCA_ROWS[0], "", ",,,,,,", " , ,,,,,", RUCA_ROWS[1]]
    report = import_sources("usda-ruca-2020", write(tmp_path, "ruca.csv", RUCA_HEADER, rows))[0]
    assert report.created == 2
    narrow = [*COUNTY_ROWS[:2], "", COUNTY_ROWS[2].rsplit(",", 1)[0], "6061,x,C,IL,1,1,1"]
    with pytest.raises(ImportFileError) as raised:
        import_sources("hud-usps-zip-county", write(tmp_path, "county.csv", COUNTY_HEADER, narrow))
    assert str(raised.value) == "county.csv: row 4 (line 5): 6 values where the header has 7"


def test_it_writes_nothing_on_a_dry_run(db, tmp_path):
    path = write(tmp_path, "ruca.csv", RUCA_HEADER, RUCA_ROWS)
    report = import_sources("usda-ruca-2020", path, dry_run=True)[0]
    assert report.created == len(RUCA_ROWS)
    assert not ZipArea.objects.exists() and not Source.objects.exists()


def test_it_reimports_without_writing_and_deletes_rows_gone_from_the_file(catalog, tmp_path):
    import_all(tmp_path)
    stamps = dict(Source.objects.values_list("key", "imported_at"))
    again = import_all(tmp_path)
    for report in again.values():
        assert (report.created, report.updated, report.deleted) == (0, 0, 0)
        assert report.write_transactions == 0
    assert dict(Source.objects.values_list("key", "imported_at")) == stamps
    changed = [RUCA_ROWS[0].replace(",1,1,urban", ",2,2,urban"), *RUCA_ROWS[1:-1]]
    report = import_all(tmp_path, **{"usda-ruca-2020": changed})["usda-ruca-2020"]
    assert (report.created, report.updated, report.deleted) == (0, 1, 1)
    assert not ZipArea.objects.filter(zip="99950").exists()
    assert ZipArea.objects.get(zip="60612").ruca_primary == 2
    # A town-level row whose one-bedroom rent is no longer published: updated in place.
    boston = FMR_ROWS[2].replace(",2500,2700,", ",2500,,")
    report = import_all(tmp_path, **{"hud-fmr-fy2026": [*FMR_ROWS[:2], boston, *FMR_ROWS[3:]]})
    assert (report["hud-fmr-fy2026"].created, report["hud-fmr-fy2026"].updated) == (0, 1)
    row = AreaRent.objects.get(fips10="2502507000")
    assert (row.is_town_level, row.town_key, row.rent_1, row.rent_2) == (True, "boston", None, 3200)


def test_it_shows_setting_and_rent_with_scope_and_year_on_the_pages(client, catalog, tmp_path):
    import_all(tmp_path)
    page = client.get(reverse("catalog:program", args=[catalog["programs"]["rush"].pk]))
    html = page.content.decode()
    assert "Urban (RUCA 1: metropolitan core)" in html
    assert 'Place: ZIP 60612</span><span class="fact-period">2020</span>' in html
    assert "$1,560/month for one bedroom, $1,770 for two" in html
    assert 'Place: ZIP 60612</span><span class="fact-period">FY2024</span>' in html
    assert "HUD Small Area Fair Market Rents FY2024" in html  # the source is cited
    page = client.get(reverse("catalog:program", args=[catalog["programs"]["blessing"].pk]))
    html = page.content.decode()
    assert "Small rural town (RUCA 7: small town core)" in html
    assert "$1,140/month for one bedroom, $1,420 for two" in html
    assert 'Place: Adams County, IL</span><span class="fact-period">FY2026</span>' in html
    page = client.get(reverse("catalog:institution", args=[catalog["rush"].pk]))
    assert "Rent near the hospital" in page.content.decode()
    page = client.get(reverse("catalog:program", args=[catalog["programs"]["cape"].pk]))
    html = page.content.decode()
    assert 'Place: Barnstable Town, MA MSA</span><span class="fact-period">FY2026</span>' in html
    assert "the hospital&#x27;s town has no HUD rent of its own" in html


def test_it_shows_setting_and_rent_as_unknown_without_data(client, catalog):
    page = client.get(reverse("catalog:program", args=[catalog["programs"]["rush"].pk]))
    html = page.content.decode()
    assert "Is the program in a city, a town or a rural area?" in html
    assert "What does a one-bedroom apartment near the program cost?" in html


def test_it_counts_programs_with_a_setting_and_a_rent_by_level(catalog, tmp_path):
    import_all(tmp_path)
    stats = place_stats()
    assert stats["tables"]["zip_rents (SAFMR)"] == 5
    programs = stats["programs"]
    assert (programs["total"], programs["with_zip"], programs["setting"]) == (11, 9, 7)
    assert programs["rent_by_level"] == {"HUD area": 1, "ZIP": 3, "county": 1, "town": 2}
    assert programs["rent_by_fiscal_year"] == {"FY2024": 3, "FY2026": 4}
