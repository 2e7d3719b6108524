"""City-level placement of programs that no hospital link places: the city a CaRMS site names
among other words, and the city of a sponsoring school (hand-checked table)."""

import pytest
from tests.catalog.test_import import run, us_catalog, write  # noqa: F401  (fixture)

from medmatch.catalog.facts import program_location
from medmatch.catalog.importers.carms import site_city
from medmatch.catalog.importers.nrmp import SCHOOL_CITIES, named_hospitals_city, school_city
from medmatch.catalog.models import Institution, Program


@pytest.mark.parametrize(
    ("site", "province", "key", "city"),
    [
        ("Rural - Lethbridge", "AB", "CALGARY", "Lethbridge, AB"),
        ("Saskatoon - Urban", "SK", "SASKATCHEWAN", "Saskatoon, SK"),
        ("Saint-Joseph (Trois-Rivières)", "QC", "MONTREAL", "Trois-Rivières, QC"),
        ("Greater Toronto Area", "ON", "TORONTO", "Toronto, ON"),
        ("Vancouver - St. Paul's", "BC", "UBC", "Vancouver, BC"),
        # Dalhousie trains in New Brunswick too.
        ("Saint John - Community", "NS", "DAL", "Saint John, NB"),
    ],
)
def test_it_reads_the_one_city_a_carms_site_names(site, province, key, city):
    assert site_city(site, province, key).label == city


@pytest.mark.parametrize(
    ("site", "province", "key"),
    [
        ("Barrie or Newmarket", "ON", "TORONTO"),  # two cities
        ("Kitchener-Waterloo", "ON", "MCMASTER"),
        ("East (Sudbury & North Bay)", "ON", "NOSM"),  # Sudbury by another of its names
        ("Vancouver Island - Strathcona", "BC", "UBC"),  # an island, not the city
        ("Interior", "BC", "UBC"),
        ("Rural Parkland", "MB", "MANITOBA"),  # Parkland County is in Alberta
        ("Saint John - Community", "NS", "MCGILL"),  # not in a province McGill trains in
    ],
)
def test_it_leaves_a_carms_site_of_no_or_several_cities_unplaced(site, province, key):
    assert site_city(site, province, key) is None


@pytest.mark.django_db
def test_it_places_a_carms_stream_at_the_city_its_site_names_and_says_so(tmp_path):
    run("acgme-specialties", write(tmp_path, "spec.csv", "acgmeSpecialtyCode,name", []))
    run(
        "carms-disciplines",
        write(tmp_path, "disc.csv", "discipline_id,discipline", ["11,Family Medicine"]),
    )
    header = (
        "discipline_id,discipline_name,school_id,school_name,program_stream_id,"
        "program_stream_name,program_site,program_stream,program_name,program_url"
    )
    rows = [
        "11,Family Medicine,1,University of Calgary,26001,Rural - Lethbridge,Rural - Lethbridge,"
        "CMG Stream for CMG,University of Calgary / Family Medicine / Rural - Lethbridge,",
        "11,Family Medicine,2,University of Toronto,26002,Barrie or Newmarket,Barrie or Newmarket,"
        "CMG Stream for CMG,University of Toronto / Family Medicine / Barrie or Newmarket,",
    ]
    report = run("carms-programs", write(tmp_path, "carms.csv", header, rows))
    lethbridge = Program.objects.get(carms_stream_id="26001")
    assert lethbridge.city == "Lethbridge"
    assert lethbridge.coordinates_precision == "city"
    assert lethbridge.latitude == pytest.approx(49.7, abs=0.1)
    latitude, _, note, _ = program_location(lethbridge)
    assert latitude == lethbridge.latitude
    assert "city centroid of Lethbridge, the city of its site “Rural - Lethbridge”" in note
    two_cities = Program.objects.get(carms_stream_id="26002")
    assert two_cities.latitude is None and two_cities.city == ""
    assert report.figures["of which at the one city a longer site name names"] == 1


def test_every_school_city_is_a_known_city_of_its_state():
    for (name, state), (city, evidence) in SCHOOL_CITIES.items():
        place = school_city(name, state)
        assert place is not None, name
        assert place.label == f"{city}, {state}"
        assert evidence  # each row says where its city comes from
    assert school_city("SIU SOM & Affil Hosps", "IL").label == "Springfield, IL"
    assert school_city("SIU SOM & Affil Hosps", "MO") is None  # the table is by state


@pytest.mark.django_db
def test_it_places_an_unlinked_school_at_its_city_and_says_so(us_catalog, tmp_path):  # noqa: F811
    rows = ["SIU SOM & Affil Hosps-IL,3001", "Univ of Missouri-KC Programs-MO,3002"]
    report = run("nrmp-institutions", write(tmp_path, "inst3.csv", "name,institutionCode", rows))
    siu = Institution.objects.get(nrmp_code="3001")
    assert siu.hospital is None
    assert siu.city == "Springfield"
    assert siu.coordinates_precision == "city"
    assert siu.coordinates_source.key == "medmatch-school-cities"
    assert Institution.objects.get(nrmp_code="3002").city == "Kansas City"
    assert report.figures["placed at a city (the school's city, hand-checked table)"] == 2
    run("nrmp-programs", write(tmp_path, "tracks3.csv", "name,code", ["Internal Med,3001140C0"]))
    program = Program.objects.get(nrmp_code="3001140C0")
    latitude, _, note, source = program_location(program)
    assert latitude == siu.latitude
    assert "city of the school or education centre that sponsors it" in note
    assert source.key == "medmatch-school-cities"


def _michigan(*more):
    from tests.catalog.test_linking import index

    return index(
        ("230041", ["MCLAREN MACOMB"], "MOUNT CLEMENS", 42.59, -82.88),
        ("230207", ["H:MCLAREN OAKLAND"], "PONTIAC", 42.64, -83.29),
        ("230047", ["HENRY FORD MACOMB HOSPITAL"], "CLINTON TOWNSHIP", 42.58, -82.92),
        ("230105", ["MCLAREN BAY REGION"], "BAY CITY", 43.59, -83.89),
        ("230999", ["MCLAREN BAY SPECIAL CARE"], "BAY CITY", 43.59, -83.89),
        ("230301", ["ASCENSION ST JOHN HOSPITAL"], "DETROIT", 42.42, -82.92),
        ("230302", ["MCLAREN ST JOHN CLINIC"], "LANSING", 42.73, -84.55),
        *more,
        common=("mi", "michigan"),
    )


@pytest.mark.parametrize(
    ("suffix", "site"),
    [
        ("Macomb", "Macomb (Mount Clemens, MI)"),  # Henry Ford Macomb is no McLaren hospital
        ("Oakland", "Oakland (Pontiac, MI)"),
        ("Bay", "Bay (Bay City, MI)"),  # two McLaren sites, one city
    ],
)
def test_it_places_a_title_suffix_at_the_one_city_of_the_sponsors_hospitals_of_that_name(
    suffix, site
):
    sponsor = Institution(name="McLaren Health Care Corp", region="MI")
    found = named_hospitals_city(suffix, sponsor, _michigan())
    assert found.name == site
    assert found.kind == "city" and found.precision == "city"


def test_it_leaves_a_suffix_of_hospitals_in_two_cities_or_of_no_hospital_of_the_sponsor():
    sponsor = Institution(name="McLaren Health Care Corp", region="MI")
    # Only McLaren's St John counts (Ascension's is another system's): one city, Lansing.
    assert named_hospitals_city("St John", sponsor, _michigan()).city == "Lansing"
    two_cities = _michigan(("230303", ["MCLAREN ST JOHN"], "FLINT", 43.01, -83.69))
    assert named_hospitals_city("St John", sponsor, two_cities) is None
    assert named_hospitals_city("Petoskey", sponsor, _michigan()) is None  # no hospital of it
    other = Institution(name="Beaumont Health", region="MI")
    assert named_hospitals_city("Macomb", other, _michigan()) is None  # not the sponsor's


@pytest.mark.django_db
def test_a_title_site_city_is_only_for_a_program_placed_nowhere_else(us_catalog):  # noqa: F811
    # New York Presbyterian Hosp is linked: its tracks keep their hospital, whatever the title.
    program = Program.objects.get(nrmp_code="1001140C0")
    assert program.site == "" and program.coordinates_precision == "address"


def test_it_expands_an_abbreviated_saint_in_a_carms_site():
    assert site_city("St-Jean-sur-Richelieu", "QC", "SHERBROOKE").label.startswith(
        "Saint-Jean-sur-Richelieu"
    )


@pytest.mark.django_db
def test_it_places_a_region_site_at_the_faculty_campus_city_of_that_region(tmp_path):
    from medmatch.catalog.importers.carms import SITE_REGION_CITIES

    assert all(source for _, source in SITE_REGION_CITIES.values())
    run("acgme-specialties", write(tmp_path, "spec.csv", "acgmeSpecialtyCode,name", []))
    run("carms-disciplines", write(tmp_path, "disc.csv", "discipline_id,discipline", ["5,X"]))
    header = (
        "discipline_id,discipline_name,school_id,school_name,program_stream_id,"
        "program_stream_name,program_site,program_stream,program_name,program_url"
    )
    rows = [
        "5,Psychiatry,1,Toronto Metropolitan University,27684,Peel,"
        "Peel & Surrounding Communities,CMG Stream for CMG,TMU / Psychiatry / Peel,",
        "5,Psychiatry,2,University of Toronto,27685,Peel,"
        "Peel & Surrounding Communities,CMG Stream for CMG,UofT / Psychiatry / Peel,",
    ]
    report = run("carms-programs", write(tmp_path, "carms.csv", header, rows))
    tmu = Program.objects.get(carms_stream_id="27684")
    assert (tmu.city, tmu.coordinates_precision) == ("Brampton", "city")
    # The table is the faculty's: another faculty's "Peel" site stays unknown.
    assert Program.objects.get(carms_stream_id="27685").latitude is None
    assert report.figures["of which at the faculty's campus city of the region a site names"] == 1
