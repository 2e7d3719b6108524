"""Places known by city only (an NRMP sponsor placed at its city, no ZIP, no linked hospital):
setting and rent only where every ZIP of the city agrees."""

from django.urls import reverse
from tests.catalog.factories import make_institution, make_program
from tests.catalog.test_places import (
    COUNTY_ROWS,
    FMR_ROWS,
    RUCA_ROWS,
    SAFMR_ROWS,
    import_all,
    own_import_lock,  # noqa: F401 (autouse fixture)
)

from medmatch.catalog import places
from medmatch.catalog.models import Program

RUCA = [
    *RUCA_ROWS,
    "60611,IL,ZIP Code Area,Chicago,2,2,urban",
    "63110,MO,ZIP Code Area,Saint Louis,1,1,urban",
    "63122,MO,ZIP Code Area,Saint Louis,1,1,urban",
    "62305,IL,ZIP Code Area,Quincy,10,10,isolated_rural",
]
COUNTY = [
    *COUNTY_ROWS,
    "60611,17031,CHICAGO,IL,1.0,1.0,1",
    "63110,29510,SAINT LOUIS,MO,1.0,1.0,1",
    "63122,29189,SAINT LOUIS,MO,1.0,1.0,1",
    "62305,17001,QUINCY,IL,1.0,1.0,1",
]
FMR = [
    *FMR_ROWS,
    'MO,29,29510,2951099999,0,St. Louis city,,METRO41180M41180,"St. Louis, MO-IL HMFA",1,'
    "280000,900,1000,1200,1500,1700",
    'MO,29,29189,2918999999,0,St. Louis County,,METRO41180M41180,"St. Louis, MO-IL HMFA",1,'
    "990000,900,1000,1200,1500,1700",
]


def sponsor_program(city, state):
    sponsor = make_institution(f"{city} Sponsor", city=city, region=state, country="US")
    return make_program("Internal Medicine", institution=sponsor)


def test_it_places_a_sponsor_known_by_city_where_every_zip_agrees(db, tmp_path):
    programs = {
        "chicago": sponsor_program("Chicago", "IL"),
        "st_louis": sponsor_program("St. Louis", "MO"),
        "quincy": sponsor_program("Quincy", "IL"),
        "boston": sponsor_program("Boston", "MA"),
        "nowhere": sponsor_program("Nowhere", "IL"),
    }
    import_all(
        tmp_path,
        **{
            "usda-ruca-2020": RUCA,
            "hud-usps-zip-county": COUNTY,
            "hud-fmr-fy2026": FMR,
            "hud-safmr-fy2024": SAFMR_ROWS,
        },
    )
    found = places.program_places(Program.objects.select_related("institution__hospital"))
    chicago = found[programs["chicago"].pk]
    assert (chicago.zip, chicago.whose, chicago.zip_label) == ("", "city", "Chicago, IL (city)")
    assert (chicago.setting.label, chicago.setting.codes) == ("urban", "1\N{EN DASH}2")
    assert chicago.setting.detail == "all 2 ZIPs of CHICAGO, IL"
    # One county: its FY2026 rent; never a ZIP-level rent, which differs within a city.
    assert (chicago.rent.level, chicago.rent.area_label, chicago.rent.fiscal_year) == (
        "county",
        "Cook County, IL",
        "FY2026",
    )
    st_louis = found[programs["st_louis"].pk]  # "St." is the crosswalk's "SAINT"
    assert st_louis.setting.label == "urban"
    # Two counties of one HUD area with one rent: the area's rent.
    assert (st_louis.rent.level, st_louis.rent.area_label) == ("HUD area", "St. Louis, MO-IL HMFA")
    quincy = found[programs["quincy"].pk]  # one ZIP small-town, one isolated: unknown
    assert quincy.setting is None
    assert quincy.rent.area_label == "Adams County, IL"
    boston = found[programs["boston"].pk]  # New England: the town by name
    assert (boston.rent.level, boston.rent.area_label) == ("town", "Boston city, MA")
    nowhere = found[programs["nowhere"].pk]
    assert nowhere.setting is None and nowhere.rent is None


def test_it_says_on_the_page_that_a_place_is_known_by_city_only(client, db, tmp_path):
    program = sponsor_program("Chicago", "IL")
    import_all(
        tmp_path, **{"usda-ruca-2020": RUCA, "hud-usps-zip-county": COUNTY, "hud-fmr-fy2026": FMR}
    )
    html = client.get(reverse("catalog:program", args=[program.pk])).content.decode()
    assert "Urban (RUCA 1\N{EN DASH}2: all 2 ZIPs of CHICAGO, IL)" in html
    assert 'Place: Chicago, IL (city)</span><span class="fact-period">2020</span>' in html
    assert "the program&#x27;s ZIP is unknown" in html
    assert 'Place: Cook County, IL</span><span class="fact-period">FY2026</span>' in html
    assert "no HUD rent of its own" not in html
