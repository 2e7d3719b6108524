"""The linking rules of the third tuning round (issue 11, part 3), written to hold on sponsors no
gold set has: refusal when two hospitals are equally good matches, a legal owner of another type
that does not make a facility its campus, and evidence that does not depend on spelling.

Every name here is invented (towns, hospitals, brands of no gold set), so a rule passes these
tests by what it does, not by knowing the answer for a particular sponsor.
"""

from tests.catalog.test_linking_more import _hospitals
from tests.catalog.test_linking_names import state_index

from medmatch.catalog.importers.linking import normalise_name
from medmatch.catalog.importers.nrmp import link_sponsor, read_hifld_places


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


def test_a_system_named_for_its_one_hospital_is_that_hospital_where_its_programs_are():
    montana = state_index(
        "MT",
        ("270901", ["OZARK MEDICAL CENTER"], "GLENWOOD", 46.60, -112.00),
        ("270902", ["PINE VALLEY HOSPITAL"], "ASHFORD", 45.80, -108.50),
        ("270903", ["GLENWOOD GENERAL HOSPITAL"], "GLENWOOD", 46.61, -112.02),
        common=["mt", "montana"],
    )
    # The city of the system's programs (Glenwood) and the system's word in one hospital's name.
    link = montana.link_one_hospital_system("Ozark Healthcare System", 46.62, -112.03, 30.0)
    assert (link.key, link.rule) == ("270901", "one-hospital system")
    # The programs elsewhere: no hospital of the name there.
    assert montana.link_one_hospital_system("Ozark Healthcare System", 45.8, -108.5, 30.0) is None
    # The acronym of a hospital's name ("PVH" of PINE VALLEY HOSPITAL).
    assert montana.link_one_hospital_system("PVH Health System", 45.81, -108.52, 30.0).key == (
        "270902"
    )
    # A name that is no system's is left to the other rules.
    assert montana.link_one_hospital_system("Ozark Med Ctr", 46.62, -112.03, 30.0) is None


def test_a_system_whose_word_is_borne_by_another_place_is_a_system_of_several():
    montana = state_index(
        "MT",
        ("270901", ["OZARK MEDICAL CENTER"], "GLENWOOD", 46.60, -112.00),
        # the same word on a hospital in another town...
        ("270904", ["OZARK NORTH HOSPITAL"], "HILLCREST", 47.90, -110.00),
        common=["mt", "montana"],
    )
    assert montana.link_one_hospital_system("Ozark Health", 46.62, -112.03, 30.0) is None
    near = state_index(
        "MT",
        ("270901", ["OZARK MEDICAL CENTER"], "GLENWOOD", 46.60, -112.00),
        # ... or on a facility of another kind in the same city
        ("hifld:5", ["H:OZARK HEALTH BEHAVIORAL HOSPITAL"], "GLENWOOD", 46.65, -112.10),
        common=["mt", "montana"],
    )
    assert near.link_one_hospital_system("Ozark Health", 46.62, -112.03, 30.0) is None


def test_a_brand_and_its_state_is_the_brands_one_hospital_called_by_the_brand_alone():
    def montana(*rows):
        return state_index("MT", *rows, common=["mt", "montana"])

    alone = montana(("270950", ["KAISER FOUNDATION HOSPITAL"], "HELENA", 46.59, -112.04))
    link = alone.link("Kaiser Permanente Montana")
    assert (link.key, link.rule) == ("270950", "brand's one hospital")
    # A named site of the brand's region, or two hospitals of the brand: the region, no link.
    site = montana(("270951", ["KAISER PERMANENTE CENTRAL HOSPITAL"], "HELENA", 46.59, -112.04))
    assert site.link("Kaiser Permanente Montana").key is None
    two = montana(
        ("270950", ["KAISER FOUNDATION HOSPITAL"], "HELENA", 46.59, -112.04),
        ("270952", ["KAISER FOUNDATION HOSPITAL - BUTTE"], "BUTTE", 46.00, -112.53),
    )
    assert two.link("Kaiser Permanente Montana").key is None


def test_an_acronym_of_a_hospitals_name_up_to_hospital_after_its_system_names_it():
    vermont = state_index(
        "VT",
        ("470901", ["GREEN PRAIRIE MEMORIAL HOSPITAL MEDICAL CTR"], "ELMWOOD", 44.7, -73.4),
        ("470902", ["GRAND PEAK HOSPITAL"], "BIRCHDALE", 44.2, -72.6),
        common=["vt", "vermont"],
    )
    link = vermont.link("Lakeshore Health Network GPMH")
    assert (link.key, link.rule) == ("470901", "initials")
    # Words before the acronym that are no system's name must be in the hospital's name.
    assert vermont.link("Lakeshore Univ GPMH").key is None
    # Two hospitals with those initials ("GRAND PEAK MEDICAL HOSPITAL" is GPMH too): neither.
    twice = state_index(
        "VT",
        ("470901", ["GREEN PRAIRIE MEMORIAL HOSPITAL MEDICAL CTR"], "ELMWOOD", 44.7, -73.4),
        ("470903", ["GRAND PEAK MEDICAL HOSPITAL"], "BIRCHDALE", 44.2, -72.6),
        common=["vt", "vermont"],
    )
    assert twice.link("Lakeshore Health Network GPMH").key is None


def test_it_spells_out_point():
    assert normalise_name("Bayonne Pt Hosp") == "bayonne point hospital"


def test_a_universitys_name_in_front_of_a_hospitals_exact_name_is_its_affiliation():
    oregon = state_index(
        "OR",
        ("380901", ["PINE RIDGE HOSPITAL"], "BEND", 44.05, -121.31),
        ("380902", ["CEDAR HOSPITAL"], "SALEM", 44.94, -123.03),
        common=["or", "oregon"],
    )
    assert link_sponsor("U Lakeland Pine Ridge Hosp", oregon).key == "380901"
    # Generic words after the university name no hospital's: nothing.
    assert link_sponsor("U Lakeland Med Ctr Hosp", oregon).key is None


def test_an_acronym_after_a_dash_names_the_hospital_whose_initials_it_is():
    jersey = state_index(
        "NJ",
        ("310901", ["MARY GRANT UNIVERSITY HOSPITAL SOMERSET"], "SOMERVILLE", 40.57, -74.61),
        ("310902", ["MARY GRANT UNIVERSITY HOSPITAL"], "NEW BRUNSWICK", 40.49, -74.45),
        common=["nj", "new jersey"],
    )
    link = link_sponsor("Hudson School-MGUH Somerset", jersey)
    assert (link.key, link.rule) == ("310901", "initials")
