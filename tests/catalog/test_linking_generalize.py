"""The linking rules of the third tuning round (issue 11, part 3), written to hold on sponsors no
gold set has: refusal when two hospitals are equally good matches, a legal owner of another type
that does not make a facility its campus, and evidence that does not depend on spelling.

Every name here is invented (towns, hospitals, brands of no gold set), so a rule passes these
tests by what it does, not by knowing the answer for a particular sponsor.
"""

from tests.catalog.test_linking_more import _hospitals
from tests.catalog.test_linking_names import state_index

from medmatch.catalog.importers.nrmp import read_hifld_places


def test_a_name_two_hospitals_bear_but_for_one_citys_name_is_refused():
    arkansas = state_index(
        "AR",
        ("040001", ["MERCY HOSPITAL"], "FAIRVIEW", 35.1, -92.1),
        ("040002", ["MERCY HOSPITAL OF LAKETON"], "LAKETON", 36.0, -93.0),
        ("040003", ["OAKDALE HOSPITAL"], "OAKDALE", 34.5, -91.5),
        ("040004", ["OAKDALE HOSPITAL - PINEVILLE"], "PINEVILLE", 34.9, -91.9),
        common=["ar", "arkansas"],
    )
    # Word for word one hospital's name, and the other's without its city: no pick.
    assert arkansas.link("Mercy Hospital").key is None
    assert arkansas.link("Mercy Hosp").key is None
    # The city settles it: "Oakdale Hospital" names Oakdale, where the one so called is.
    assert arkansas.link("Oakdale Hospital").key == "040003"
    assert arkansas.link("Mercy Hospital of Laketon").key == "040002"


def test_a_core_two_hospitals_share_with_generic_words_only_picks_neither():
    carolina = state_index(
        "NC",
        ("340901", ["OZARK RIDGE REGIONAL HOSPITAL"], "PINE TOWN", 35.9, -82.0),
        ("340902", ["OZARK RIDGE HEALTHCARE HOSPITALS, INC"], "MILLTOWN", 35.7, -81.6),
        common=["nc", "north carolina"],
    )
    assert carolina.link("Novant Health Ozark Ridge").key is None
    # A campus of the one hospital named so is no rival.
    alone = state_index(
        "NC",
        ("340901", ["OZARK RIDGE REGIONAL HOSPITAL"], "PINE TOWN", 35.9, -82.0),
        ("hifld:9", ["H:OZARK RIDGE REGIONAL HOSPITAL EAST CAMPUS"], "ELK FALLS", 35.8, -81.9),
        common=["nc", "north carolina"],
    )
    assert alone.link("Novant Health Ozark Ridge").key == "340901"


def test_a_facility_of_another_type_is_no_campus_of_the_hospital_that_legally_owns_it(tmp_path):
    path = tmp_path / "hifld.csv"
    path.write_text(
        "ID,NAME,CITY,STATE,STATUS,LATITUDE,LONGITUDE,ALT_NAME,TYPE\n"
        "0001,GREENFIELD GENERAL HOSPITAL,GREENFIELD,NY,OPEN,40.60,-73.90,"
        "THE GREENFIELD GENERAL HOSPITAL,GENERAL ACUTE CARE\n"
        # legally the general hospital, but a psychiatric facility under its own name
        "0002,ASHGROVE MEDICAL CENTER,GREENFIELD,NY,OPEN,40.62,-73.92,"
        "THE GREENFIELD GENERAL HOSPITAL,PSYCHIATRIC\n"
        # a general site of the same legal entity is still a campus
        "0003,GREENFIELD GENERAL HOSPITAL NORTH,GREENFIELD,NY,OPEN,40.64,-73.91,"
        "THE GREENFIELD GENERAL HOSPITAL,GENERAL ACUTE CARE\n"
    )
    hospitals = _hospitals(
        ("330901", "GREENFIELD GENERAL HOSPITAL", "NY", "GREENFIELD", 40.60, -73.90, "0001"),
    )
    found = read_hifld_places(path, hospitals)
    assert {key: f.ccn for key, f in found.facilities.items()} == {
        "hifld:0002": "",
        "hifld:0003": "330901",
    }
    # The owner's name is not one of the facility's own names, so it does not compete.
    names = {place.key: [n for n, _ in place.names] for _, place in found.places}
    assert names["hifld:0002"] == ["ashgrove medical center"]
