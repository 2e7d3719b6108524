"""A track that trains in another town than its sponsor (walk, issue 11): "Family
Medicine/Quincy" of a Chicago sponsor shows Quincy's setting and rent near the program, never
Chicago's, and its own coordinates are filed as the program's, not the sponsor's."""

from html import unescape

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


def load_places(tmp_path):
    import_all(
        tmp_path,
        **{
            "usda-ruca-2020": RUCA_ROWS,
            "hud-usps-zip-county": COUNTY_ROWS,
            "hud-fmr-fy2026": FMR_ROWS,
            "hud-safmr-fy2024": SAFMR_ROWS,
        },
    )


def chicago_sponsor():
    return make_institution(
        "Chicago Sponsor", city="Chicago", region="IL", postal_code="60612", country="US"
    )


def test_a_track_in_another_town_gets_that_towns_place(db, tmp_path):
    sponsor = chicago_sponsor()
    away = make_program(
        "Family Medicine/Quincy",
        institution=sponsor,
        nrmp_code="1234120C1",
        city="Quincy",
        region="IL",
        country="US",
    )
    home = make_program(
        "Internal Medicine",
        institution=sponsor,
        nrmp_code="1234140C0",
        city="CHICAGO",
        region="IL",
        country="US",
    )
    unlisted = make_program(
        "Family Medicine/Nowhere",
        institution=sponsor,
        nrmp_code="1234120C2",
        city="Nowhere",
        region="IL",
        country="US",
    )
    load_places(tmp_path)
    found = places.program_places(Program.objects.select_related("institution__hospital"))
    programs = Program.objects.select_related("institution__hospital").in_bulk()
    quincy = places.site_town_place(programs[away.pk], found[away.pk])
    assert (quincy.whose, quincy.zip_label) == ("site", "Quincy, IL (city)")
    assert quincy.setting.label == "small rural town"
    assert quincy.rent.area_label == "Adams County, IL"
    # The sponsor's own town (any spelling): the sponsor's ZIP stands.
    assert places.site_town_place(programs[home.pk], found[home.pk]) is None
    # A town the crosswalk does not know: unknown, never the sponsor's Chicago.
    nowhere = places.site_town_place(programs[unlisted.pk], found[unlisted.pk])
    assert nowhere.setting is None and nowhere.rent is None


def test_the_program_page_shows_the_tracks_own_town_not_the_sponsors(client, db, tmp_path):
    program = make_program(
        "Family Medicine/Quincy",
        institution=chicago_sponsor(),
        nrmp_code="1234120C1",
        city="Quincy",
        region="IL",
        country="US",
        site="Quincy, IL",
        latitude=39.93,
        longitude=-91.41,
        coordinates_precision="city",
    )
    load_places(tmp_path)
    html = unescape(client.get(reverse("catalog:program", args=[program.pk])).content.decode())
    place_group = html[html.index("From its place") : html.index("Not known yet")]
    assert "Small rural town (RUCA 7" in place_group
    assert "Place: Quincy, IL (city)" in place_group
    assert "$1,140/month for one bedroom" in place_group  # Adams County, not Cook County
    assert "Cook County" not in place_group and "60612" not in place_group
    assert "the program's own town in the program list, not its sponsor's" in place_group
    # Its coordinates are the site's: the program's own fact, said once as a city centroid.
    start = html.index("From the program's own listing")
    own = html[start : html.index("</section>", start)]
    assert "<dt>Coordinates</dt>" in own
    assert "(city centroid)" in html and "city centroid; city centroid" not in html


def test_unknown_facts_are_one_short_list_that_says_what_unknown_means(client, db):
    program = make_program("Internal Medicine", institution=chicago_sponsor(), country="US")
    html = unescape(client.get(reverse("catalog:program", args=[program.pk])).content.decode())
    unknown = html[html.index('id="facts-unknown-h"') :]
    assert "Not known yet (" in unknown
    assert '<ul class="unknown-list">' in unknown and "<li>Stipend</li>" in unknown
    assert "no source we use publishes it for this program" in unknown


def test_stats_count_programs_whose_page_has_no_row_for_a_fact(db):
    from medmatch.catalog.fact_stats import NOT_ON_PAGE, program_fact_counts

    make_program("Internal Medicine", institution=chicago_sponsor(), country="US")
    toronto = make_institution("Toronto Faculty", city="Toronto", region="ON", country="CA")
    make_program("Internal Medicine", institution=toronto, country="CA")
    counts = program_fact_counts()
    # US teaching intensity: unknown for the US program, no row at all for the Canadian one.
    assert counts["Teaching intensity"]["unknown"] == 1
    assert counts["Teaching intensity"][NOT_ON_PAGE] == 1
    assert NOT_ON_PAGE not in counts["Program"]
    assert all(sum(by_scope.values()) == 2 for by_scope in counts.values())
