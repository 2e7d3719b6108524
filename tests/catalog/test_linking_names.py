"""The linking rules of issue 11, part 3 ("better links, measured"): the other names a hospital
goes by (a benefactor's surname, the name without its city or campus, the brand and its city,
the name after a word of its own), the facility words a sponsor may leave out, and the cases
where a sponsor is a school, a system or an FQHC and must stay unlinked.

None of the names here is a row of the gold sets in ``data/linking_gold``: those measure the
rules, these pin them. Rivals are real or realistic hospitals of the same state.
"""

from tests.catalog.test_linking import index

from medmatch.catalog.importers.linking import (
    PlaceIndex,
    facility_core,
    normalise_name,
    shorter_names,
    without_given_names,
    without_operator,
)
from medmatch.catalog.importers.nrmp import (
    city_link,
    hospital_place,
    link_sponsor,
    read_hifld_places,
)
from medmatch.catalog.models import Institution


def state_index(state: str, *rows, common=()) -> PlaceIndex:
    built = index(*rows, common=common)
    return PlaceIndex(built.places.values(), common, state_codes=(state,))


def test_it_spells_out_st_pete():
    assert normalise_name("Bayfront Health St Pete") == "bayfront health saint petersburg"
    assert normalise_name("St Petersburg General") == "saint petersburg general"


def test_a_benefactors_hospital_goes_by_the_surname():
    assert without_given_names("LOUIS A WEISS MEMORIAL HOSPITAL") == "weiss memorial hospital"
    assert without_given_names("WILLIAM S MIDDLETON MEMORIAL VETERANS HOSPITAL") == (
        "middleton memorial veterans hospital"
    )
    assert without_given_names("MARY & JOHN Q PUBLIC CHILDRENS HOSPITAL") == (
        "public children hospital"
    )
    assert without_given_names("ST E JOSEPH HOSPITAL") == ""  # a saint, not a given name
    assert without_given_names("MERCY HOSPITAL") == ""
    # Through the CMS place, the surname is one more name of the hospital.
    weiss = Institution(
        ccn="140082",
        name="LOUIS A WEISS MEMORIAL HOSPITAL",
        region="IL",
        city="CHICAGO",
        latitude=41.96,
        longitude=-87.65,
    )
    state, place = hospital_place(weiss)
    illinois = PlaceIndex([place], ["il", "illinois"], state_codes=(state,))
    assert illinois.link("Weiss Memorial Hospital").key == "140082"


def test_a_name_without_its_city_or_campus_is_one_more_name_word_for_word():
    assert shorter_names("mercy medical center redding", "redding") == ["mercy medical center"]
    assert shorter_names("lakeview medical center east campus", "lakeview") == [
        "lakeview medical center"
    ]
    # Not a bare brand, which is every hospital of it.
    assert shorter_names("kaiser foundation hospital fresno", "fresno") == []
    california = state_index(
        "CA",
        ("050280", ["MERCY MEDICAL CENTER REDDING"], "REDDING", 40.57, -122.39),
        ("050766", ["SHASTA REGIONAL MEDICAL CENTER"], "REDDING", 40.58, -122.38),
        common=["ca", "california"],
    )
    assert california.link("Mercy Med Ctr").key == "050280"
    # Two hospitals that shorten to the same name: neither.
    two = state_index(
        "CA",
        ("050280", ["MERCY MEDICAL CENTER REDDING"], "REDDING", 40.57, -122.39),
        ("050108", ["MERCY MEDICAL CENTER MOUNT SHASTA"], "MOUNT SHASTA", 41.31, -122.31),
        common=["ca", "california"],
    )
    assert two.link("Mercy Med Ctr").key is None


def test_a_hospitals_own_name_outranks_another_hospitals_shorter_name():
    new_hampshire = state_index(
        "NH",
        ("300001", ["CONCORD HOSPITAL"], "CONCORD", 43.21, -71.55),
        ("301302", ["CONCORD HOSPITAL FRANKLIN"], "FRANKLIN", 43.44, -71.65),
        common=["nh", "new hampshire"],
    )
    assert new_hampshire.link("Concord Hospital").key == "300001"


def test_a_sponsor_may_say_medical_center_where_cms_says_hospital():
    assert facility_core("university kentucky hospital") == "university kentucky"
    assert facility_core("university kentucky") == ""  # names no facility
    north_carolina = state_index(
        "NC",
        ("340030", ["DUKE UNIVERSITY HOSPITAL"], "DURHAM", 36.01, -78.94),
        ("340155", ["DUKE REGIONAL HOSPITAL"], "DURHAM", 36.04, -78.90),
        common=["nc", "north carolina"],
    )
    link = north_carolina.link("Duke Univ Med Ctr")
    assert (link.key, link.rule) == ("340030", "core")
    # One word is not enough for this rule: "Mercy Med Ctr" is not MERCY HOSPITAL by its core.
    iowa = state_index(
        "IA",
        ("160029", ["MERCY HOSPITAL"], "IOWA CITY", 41.66, -91.53),
        common=["ia", "iowa"],
    )
    assert iowa._core_link(normalise_name("Mercy Med Ctr")) is None


def test_a_city_named_hospital_is_the_brands_hospital_of_that_city():
    texas = state_index(
        "TX",
        ("450775", ["HCA HOUSTON HEALTHCARE KINGWOOD"], "KINGWOOD", 30.05, -95.23),
        ("670093", ["ASPIRE HOSPITAL"], "CONROE", 30.31, -95.46),
        common=["tx", "texas"],
    )
    link = texas.link("Kingwood Med Ctr")
    assert (link.key, link.rule) == ("450775", "core")
    assert texas.link("Kingwood Clinic").key is None  # a practice, not the hospital


def test_a_brand_and_a_city_is_the_one_hospital_of_the_brand_there():
    florida = state_index(
        "FL",
        ("100025", ["ASCENSION ST ANNE HOSPITAL"], "PENSACOLA", 30.47, -87.21),
        ("100026", ["BAPTIST HOSPITAL"], "PENSACOLA", 30.43, -87.23),
        ("101308", ["ASCENSION ST ANNE GULF"], "PORT SAINT JOE", 29.81, -85.30),
        common=["fl", "florida"],
    )
    link = link_sponsor("Ascension Pensacola", florida)
    assert (link.key, link.rule) == ("100025", "brand city")
    second = state_index(
        "FL",
        ("100025", ["ASCENSION ST ANNE HOSPITAL"], "PENSACOLA", 30.47, -87.21),
        ("100999", ["ASCENSION WEST FLORIDA HOSPITAL"], "PENSACOLA", 30.50, -87.20),
        common=["fl", "florida"],
    )
    assert link_sponsor("Ascension Pensacola", second).key is None


def test_a_name_after_a_word_of_the_hospitals_own_is_that_hospital_when_only_one_has_it():
    illinois = state_index(
        "IL",
        ("140122", ["ADVENTIST HINSDALE HOSPITAL"], "HINSDALE", 41.80, -87.92),
        ("140065", ["ADVENTIST LA GRANGE MEMORIAL HOSPITAL"], "LA GRANGE", 41.80, -87.87),
        common=["il", "illinois"],
    )
    link = illinois.link("Hinsdale Hospital")
    assert (link.key, link.rule) == ("140122", "suffix")
    two = state_index(
        "IL",
        ("140122", ["ADVENTIST HINSDALE HOSPITAL"], "HINSDALE", 41.80, -87.92),
        ("149999", ["AMITA HINSDALE HOSPITAL"], "WILLOWBROOK", 41.77, -87.94),
        common=["il", "illinois"],
    )
    assert two.link("Hinsdale Hospital").key is None


def test_a_system_that_brands_several_hospitals_is_none_of_them():
    florida = state_index(
        "FL",
        ("100012", ["LEE HEALTH"], "FORT MYERS", 26.58, -81.87),
        ("100244", ["LEE HEALTH CAPE CORAL HOSPITAL"], "CAPE CORAL", 26.64, -81.94),
        ("100220", ["LEE HEALTH GULF COAST MEDICAL CENTER"], "FORT MYERS", 26.50, -81.81),
        common=["fl", "florida"],
    )
    assert florida.link("Lee Health").key is None
    idaho = state_index(
        "ID",
        ("130049", ["KOOTENAI HEALTH"], "COEUR D ALENE", 47.69, -116.79),
        common=["id", "idaho"],
    )
    assert idaho.link("Kootenai Health").key == "130049"  # one hospital: its name


def test_a_school_or_a_system_is_never_linked_by_a_similar_name():
    pennsylvania = state_index(
        "PA",
        ("390174", ["THOMAS JEFFERSON UNIVERSITY HOSPITAL"], "PHILADELPHIA", 39.95, -75.16),
        common=["pa", "pennsylvania"],
    )
    assert pennsylvania.link("Thomas Jefferson Univ").key is None
    louisiana = state_index(
        "LA",
        ("190111", ["WILLIS KNIGHTON MEDICAL CENTER"], "SHREVEPORT", 32.48, -93.77),
        ("190236", ["WILLIS KNIGHTON BOSSIER HEALTH CENTER"], "BOSSIER CITY", 32.53, -93.69),
        common=["la", "louisiana"],
    )
    assert louisiana.link("Willis-Knighton Health System").key is None


def test_a_hospital_name_followed_by_its_operator_is_the_hospital():
    assert without_operator(normalise_name("St Marys Med Ctr SCL Health")) == (
        "saint mary medical center"
    )
    assert without_operator(normalise_name("St Marys Med Ctr")) == ""
    colorado = state_index(
        "CO",
        ("060023", ["ST MARY'S MEDICAL CENTER"], "GRAND JUNCTION", 39.09, -108.56),
        common=["co", "colorado"],
    )
    assert colorado.link("St Marys Med Ctr SCL Health").key == "060023"


def test_a_hospital_after_a_school_and_a_dash_is_that_hospital_unless_another_brands_it():
    new_york = state_index(
        "NY",
        ("330119", ["LENOX HILL HOSPITAL"], "NEW YORK", 40.77, -73.96),
        common=["ny", "new york"],
    )
    assert link_sponsor("Zucker SOM-Northwell Lenox Hill Hosp", new_york).key == "330119"
    michigan = state_index(
        "MI",
        ("230029", ["TRINITY HEALTH OAKLAND HOSPITAL"], "PONTIAC", 42.65, -83.29),
        common=["mi", "michigan"],
    )
    link = link_sponsor("Ascension Macomb-Oakland Hosp", michigan)
    assert link is None or link.key is None


def test_beside_a_school_the_other_part_is_its_hospital_without_the_facility_words():
    new_york = state_index(
        "NY",
        ("330285", ["STRONG MEMORIAL HOSPITAL"], "ROCHESTER", 43.12, -77.62),
        ("330125", ["ROCHESTER GENERAL HOSPITAL"], "ROCHESTER", 43.19, -77.59),
        common=["ny", "new york"],
    )
    assert link_sponsor("U Rochester/Strong Memorial", new_york).key == "330285"
    # Without a school beside it, a bare name is linked word for word only.
    assert link_sponsor("Rochester Regional/Strong", new_york).key is None


def test_the_city_of_the_programs_of_its_name_picks_among_the_hospitals_there():
    florida = state_index(
        "FL",
        ("100032", ["ORLANDO HEALTH BAYFRONT HOSPITAL"], "SAINT PETERSBURG", 27.76, -82.64),
        ("100075", ["BAYFRONT HEALTH PORT CHARLOTTE"], "PORT CHARLOTTE", 26.99, -82.10),
        ("100007", ["BAYCARE ALLIANT HOSPITAL"], "DUNEDIN", 28.02, -82.78),
        common=["fl", "florida"],
    )
    programs = {"FL": [(" bayfront ", "Saint Petersburg|27.77|-82.64")] * 3}
    assert florida.link("Bayfront Med Ctr").key is None  # two Bayfronts in the state
    link = city_link("Bayfront Med Ctr", "FL", florida, programs)
    assert (link.key, link.rule) == ("100032", "city")
    # A community health centre (an FQHC) or a system is in a city, not one of its hospitals.
    programs["FL"] += [(" bayfront community ", "Saint Petersburg|27.77|-82.64")] * 3
    assert city_link("Bayfront Community Health Ctr", "FL", florida, programs) is None
    assert city_link("Bayfront Health System", "FL", florida, programs) is None


def test_a_hifld_site_named_like_a_cms_hospital_but_the_facility_words_is_a_campus_of_it(
    tmp_path,
):
    path = tmp_path / "hifld.csv"
    path.write_text(
        "ID,NAME,CITY,STATE,STATUS,LATITUDE,LONGITUDE,ALT_NAME\n"
        "0001,UPMC KANE,KANE,PA,OPEN,41.66,-78.81,NOT AVAILABLE\n"
        "0002,UPMC KANE,ERIE,PA,OPEN,42.12,-80.08,NOT AVAILABLE\n"
        "0003,MERCY,KANE,PA,OPEN,41.66,-78.80,NOT AVAILABLE\n"
    )
    hospitals = {
        ccn: Institution(
            ccn=ccn, name=name, region="PA", city=city, latitude=lat, longitude=lon, hifld_id=""
        )
        for ccn, name, city, lat, lon in [
            ("390104", "UPMC KANE HOSPITAL", "KANE", 41.67, -78.81),
            ("390999", "MERCY HOSPITAL", "KANE", 41.66, -78.79),
        ]
    }
    found = read_hifld_places(path, hospitals)
    campus = {key: facility.ccn for key, facility in found.facilities.items()}
    # Near it, the site without "hospital" is a campus; far away it is not, and one word
    # ("mercy") is too little to tell.
    assert campus == {"hifld:0001": "390104", "hifld:0002": "", "hifld:0003": ""}


def test_a_hifld_legal_name_of_another_kind_and_no_shared_word_is_not_the_hospitals(tmp_path):
    path = tmp_path / "hifld.csv"
    path.write_text(
        "ID,NAME,CITY,STATE,STATUS,LATITUDE,LONGITUDE,ALT_NAME\n"
        "0001,CARE ONE AT MORRISTOWN GENERAL HOSPITAL,MORRISTOWN,NJ,OPEN,40.79,-74.47,"
        "THE REHABILITATION HOSPITAL AT SOMERSET\n"
        "0002,KESSLER INSTITUTE,WEST ORANGE,NJ,OPEN,40.78,-74.25,"
        "KESSLER REHABILITATION INSTITUTE\n"
    )
    found = read_hifld_places(path, {})
    names = {place.key: [name for name, _ in place.names] for _, place in found.places}
    assert names["hifld:0001"] == ["care one morristown general hospital"]
    # A legal name that shares a word is the same facility's, kind and all.
    assert names["hifld:0002"] == ["kessler institute", "kessler rehabilitation institute"]
