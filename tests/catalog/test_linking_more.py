"""The linking rules added when the second blind gold set became a tuning set (issue 11, part 3):
apostrophes, abbreviations and brands; a brand with its state, a health science center and a
community health centre stay unlinked; slash parts of CMS names; HIFLD sites joined to CMS
hospitals by their other names, legal names and distinctive words; a leading acronym nobody
bears; names equal but for their spaces; a word from a city of several words; a rare word.

The names are real NRMP, CMS and HIFLD spellings; rivals are real or realistic hospitals of the
same state. None of the expected answers is looked up by a sponsor's name or code.
"""

from tests.catalog.test_linking import index
from tests.catalog.test_linking_names import state_index

from medmatch.catalog.importers.linking import (
    PlaceIndex,
    is_health_center,
    is_health_science_center,
    kind_words,
    normalise_name,
    rare_words,
    slash_names,
    without_brand,
)
from medmatch.catalog.importers.nrmp import (
    hospital_place,
    legal_name_link,
    link_sponsor,
    read_hifld_places,
    without_unknown_acronym,
)
from medmatch.catalog.models import Institution


def test_it_joins_an_apostrophe_instead_of_splitting_the_word():
    assert normalise_name("OhioHealth-OBleness Hosp") == normalise_name(
        "OHIOHEALTH O'BLENESS HOSPITAL"
    )
    assert normalise_name("St Joseph\u2019s Hosp") == normalise_name("ST JOSEPH'S HOSPITAL")


def test_it_spells_out_the_new_abbreviations():
    assert normalise_name("MLK Jr Community Hospital") == normalise_name(
        "MARTIN LUTHER KING, JR. COMMUNITY HOSPITAL"
    )
    assert normalise_name("Wellspan Health Good Sam Hosp") == (
        "wellspan health good samaritan hospital"
    )
    assert normalise_name("PROV SACRED HRT MEDICAL CENTER") == (
        "providence sacred heart medical center"
    )
    assert normalise_name("Stony Brook Teach Hosps") == "stony brook teaching hospitals"


def test_it_drops_the_new_brands_longest_first():
    assert without_brand(normalise_name("UnityPoint Broadlawns")) == "broadlawns"
    assert without_brand(normalise_name("Penn State Hershey Med Ctr")) == ("hershey medical center")
    assert without_brand(normalise_name("PENN STATE HEALTH HOLY SPIRIT MEDICAL CENTER")) == (
        "holy spirit medical center"
    )


IOWA = state_index(
    "IA",
    ("160101", ["BROADLAWNS MEDICAL CENTER"], "DES MOINES", 41.62, -93.62),
    ("160082", ["UNITYPOINT HEALTH - DES MOINES IOWA METHODIST MEDI"], "DES MOINES", 41.59, -93.63),
    common=["ia", "iowa"],
)


def test_a_hospital_a_brand_names_is_linked_without_the_brand():
    link = IOWA.link("UnityPoint Broadlawns")
    assert (link.key, link.rule) == ("160101", "core")


def test_after_a_brand_a_city_is_the_brands_hospital_there_not_another_named_for_it():
    pennsylvania = state_index(
        "PA",
        ("390046", ["WELLSPAN YORK HOSPITAL"], "YORK", 39.95, -76.71),
        ("hifld:1", ["H:MEMORIAL HOSPITAL YORK"], "YORK", 39.97, -76.69),
        common=["pa", "pennsylvania"],
    )
    assert pennsylvania.link("Wellspan Health York Hosp").key == "390046"
    # The city's one hospital is the brand's there, though its name lacks the brand.
    new_york = state_index(
        "NY",
        ("330128", ["ELMHURST HOSPITAL CENTER"], "ELMHURST", 40.74, -73.88),
        ("330231", ["QUEENS HOSPITAL CENTER"], "JAMAICA", 40.72, -73.80),
        common=["ny", "new york"],
    )
    assert new_york.link("NYC Health+Hospitals/Elmhurst").key == "330128"


def test_a_brand_and_its_state_is_the_brands_region_not_its_one_hospital_there():
    washington = state_index(
        "WA",
        ("500052", ["KAISER PERMANENTE CENTRAL HOSPITAL"], "SEATTLE", 47.62, -122.31),
        common=["wa", "washington"],
    )
    assert washington.link("Kaiser Permanente Washington").key is None
    assert washington.link("Kaiser Permanente Central Hospital").key == "500052"


def test_a_health_science_center_is_the_university_even_where_a_hospital_bears_its_name():
    assert is_health_science_center(normalise_name("U Texas HSC-Tyler"))
    assert not is_health_science_center(normalise_name("U Texas Med Branch-Galveston"))
    texas = state_index(
        "TX",
        (
            "450690",
            ["THE UNIVERSITY OF TEXAS HEALTH SCIENCE CENTER AT TYLER"],
            "TYLER",
            32.42,
            -95.21,
        ),
        common=["tx", "texas"],
    )
    assert texas.link("U Texas HSC Tyler").key is None
    assert texas.link("University of Texas Health Science Center at Tyler").key is None


def test_a_community_or_family_health_centre_is_linked_only_word_for_word():
    assert is_health_center(normalise_name("Shasta Community Health Ctr"))
    assert is_health_center(normalise_name("Grtr Lawrence Fam Hlth Ctr"))
    assert is_health_center(normalise_name("Borinquen Health Care Ctr"))
    assert not is_health_center(normalise_name("St Vincent Hlth Ctr"))  # a hospital in Erie
    assert not is_health_center(normalise_name("St Josephs Hospital Health Center"))
    california = state_index(
        "CA",
        ("050764", ["SHASTA REGIONAL MEDICAL CENTER"], "REDDING", 40.58, -122.39),
        common=["ca", "california"],
    )
    assert california.link("Shasta Community Health Ctr").key is None
    assert california.link("Shasta Regional Med Ctr").key == "050764"


def test_a_slash_part_of_a_cms_name_is_a_name_of_the_hospital_word_for_word_only():
    assert slash_names("SUNY/STONY BROOK UNIVERSITY HOSPITAL") == [
        "stony brook university hospital"
    ]
    assert slash_names("CAROLINAS MEDICAL CENTER/BEHAV HEALTH") == ["carolinas medical center"]
    assert slash_names("HALIFAX HEALTH /UF HEALTH MEDICAL CENTER OF DELTON") == [
        "uf health medical center delton"
    ]
    assert slash_names("NEW YORK-PRESBYTERIAN/QUEENS") == []  # names no facility

    def hospital(ccn, name, lat, lon):
        return Institution(
            ccn=ccn, name=name, region="WA", city="SEATTLE", latitude=lat, longitude=lon
        )

    places = [
        hospital_place(hospital("500027", "SWEDISH MEDICAL CENTER", 47.609, -122.322))[1],
        hospital_place(hospital("500025", "SWEDISH MEDICAL CENTER / CHERRY HILL", 47.61, -122.31))[
            1
        ],
    ]
    washington = PlaceIndex(places, ["wa", "washington"], state_codes=("WA",))
    # The hospital's own name comes before another's slash part.
    assert washington.link("Swedish Med Ctr").key == "500027"
    north_carolina = PlaceIndex(
        [
            hospital_place(
                Institution(
                    ccn="340113",
                    name="CAROLINAS MEDICAL CENTER/BEHAV HEALTH",
                    region="NC",
                    city="CHARLOTTE",
                    latitude=35.20,
                    longitude=-80.84,
                )
            )[1]
        ],
        ["nc", "north carolina"],
        state_codes=("NC",),
    )
    link = north_carolina.link("Carolinas Med Ctr")
    assert (link.key, link.rule) == ("340113", "exact")


def _hospitals(*rows):
    return {
        ccn: Institution(
            ccn=ccn, name=name, region=state, city=city, latitude=lat, longitude=lon, hifld_id=hid
        )
        for ccn, name, state, city, lat, lon, hid in rows
    }


def test_a_hifld_site_is_a_campus_by_the_hospitals_other_names_legal_name_or_words(tmp_path):
    path = tmp_path / "hifld.csv"
    path.write_text(
        "ID,NAME,CITY,STATE,STATUS,LATITUDE,LONGITUDE,ALT_NAME\n"
        # the CMS name without its brand, though only the city remains
        "0001,RAPID CITY HOSPITAL,RAPID CITY,SD,OPEN,44.06,-103.23,NOT AVAILABLE\n"
        # the legal name of the row joined to MOUNT SINAI WEST
        "0002,MOUNT SINAI WEST,NEW YORK,NY,OPEN,40.769,-73.986,"
        "ST LUKE'S ROOSEVELT HOSPITAL CENTER\n"
        "0003,MOUNT SINAI MORNINGSIDE,NEW YORK,NY,OPEN,40.805,-73.961,"
        "ST LUKE'S ROOSEVELT HOSPITAL CENTER\n"
        # the same distinctive word, "halifax", and a facility word
        "0004,HALIFAX HOSPITAL MEDICAL CENTER,DAYTONA BEACH,FL,OPEN,29.20,-81.05,NOT AVAILABLE\n"
        # the same word, but no facility word: a site that may be a clinic
        "0005,HALIFAX,DAYTONA BEACH,FL,OPEN,29.20,-81.04,NOT AVAILABLE\n"
        # the city's word is no evidence ("miami" in Miami)
        "0006,MIAMI HOSPITAL,MIAMI,FL,OPEN,25.79,-80.21,NOT AVAILABLE\n"
    )
    hospitals = _hospitals(
        ("430077", "MONUMENT HEALTH RAPID CITY HOSPITAL", "SD", "RAPID CITY", 44.06, -103.22, ""),
        ("330046", "MOUNT SINAI WEST", "NY", "NEW YORK", 40.769, -73.986, "0002"),
        ("100017", "HALIFAX HEALTH MEDICAL CENTER", "FL", "DAYTONA BEACH", 29.20, -81.04, ""),
        ("100022", "SOUTH MIAMI HOSPITAL", "FL", "MIAMI", 25.70, -80.29, ""),
    )
    found = read_hifld_places(path, hospitals)
    campus = {key: facility.ccn for key, facility in found.facilities.items()}
    assert campus == {
        "hifld:0001": "430077",
        "hifld:0003": "330046",
        "hifld:0004": "100017",
        "hifld:0005": "",
        "hifld:0006": "",
    }


def test_a_leading_acronym_no_place_bears_is_dropped_when_a_hospital_name_follows():
    new_york = state_index(
        "NY",
        ("330233", ["BROOKDALE HOSPITAL MEDICAL CENTER"], "BROOKLYN", 40.65, -73.91),
        ("330056", ["BROOKLYN HOSPITAL CENTER"], "BROOKLYN", 40.69, -73.98),
        common=["ny", "new york"],
    )
    assert new_york.link("OBH Brookdale Univ Hosp Med Ctr").key is None
    link = link_sponsor("OBH Brookdale Univ Hosp Med Ctr", new_york)
    assert link.key == "330233"
    # A town alone after the acronym is the school's programme there, not the town's hospital.
    illinois = state_index(
        "IL",
        ("140164", ["MEMORIAL HOSPITAL OF CARBONDALE"], "CARBONDALE", 37.73, -89.22),
        common=["il", "illinois"],
    )
    assert without_unknown_acronym("SIU Carbondale", illinois) == ""
    assert not link_sponsor("SIU Carbondale", illinois).key
    # An acronym a place bears is part of the name.
    assert (
        without_unknown_acronym(
            "HCA Florida Northside Hosp",
            index(
                ("100238", ["HCA FLORIDA NORTHSIDE HOSPITAL"], "SAINT PETERSBURG", 27.8, -82.7),
            ),
        )
        == ""
    )


def test_names_equal_but_for_their_spaces_are_one_name():
    new_mexico = state_index(
        "NM",
        ("320085", ["MOUNTAIN VIEW REGIONAL MEDICAL CENTER"], "LAS CRUCES", 32.33, -106.76),
        ("320018", ["MEMORIAL MEDICAL CENTER"], "LAS CRUCES", 32.29, -106.75),
        common=["nm", "new mexico"],
    )
    link = new_mexico.link("MountainView Reg Med Ctr")
    assert (link.key, link.rule) == ("320085", "exact")


def test_a_rare_word_borne_by_one_hospital_of_the_state_links_it():
    rows = (
        ("050438", ["HUNTINGTON HOSPITAL"], "PASADENA", 34.13, -118.15),
        ("050526", ["HUNTINGTON BEACH HOSPITAL"], "HUNTINGTON BEACH", 33.69, -117.99),
        ("050557", ["MEMORIAL MEDICAL CENTER"], "MODESTO", 37.66, -121.0),
    )
    built = index(*rows, common=["ca", "california"])
    rare = rare_words(["huntington hospital", "huntington beach hospital"])
    california = PlaceIndex(
        built.places.values(), ["ca", "california"], state_codes=("CA",), rare_words=rare
    )
    # HUNTINGTON BEACH HOSPITAL bears the word from its city, which the sponsor does not name.
    link = california.link("Huntington Memorial Hosp")
    assert (link.key, link.rule) == ("050438", "core")
    # Without knowing the word is rare (one "Mercy" may not be the sponsor's Mercy): no link.
    plain = PlaceIndex(built.places.values(), ["ca", "california"], state_codes=("CA",))
    assert plain.link("Huntington Memorial Hosp").key is None
    assert "mercy" not in rare_words([f"mercy hospital {n}" for n in range(10)])


def test_a_general_hospital_that_names_its_childrens_hospital_is_of_no_kind():
    assert kind_words(normalise_name("PROV SACRED HRT MED CTR & CHILDS HOSP.")) == set()
    assert kind_words(normalise_name("ST CHRISTOPHER'S HOSPITAL FOR CHILDREN")) == {"children"}
    assert kind_words(normalise_name("VALLEY CHILDREN'S HOSPITAL")) == {"children"}
    assert kind_words(normalise_name("SACRED HEART HOSPITAL")) == set()
    assert kind_words(normalise_name("HEART HOSPITAL OF AUSTIN")) == {"heart"}
    washington = state_index(
        "WA",
        (
            "500054",
            ["PROV SACRED HRT MED CTR & CHILDS HOSP.", "H:SACRED HEART MEDICAL CENTER"],
            "SPOKANE",
            47.65,
            -117.41,
        ),
        ("500014", ["PROVIDENCE REGIONAL MEDICAL CENTER EVERETT"], "EVERETT", 47.99, -122.2),
        common=["wa", "washington"],
    )
    assert washington.link("Providence Sacred Heart Med Ctr").key == "500054"


def test_a_sponsor_named_as_the_legal_entity_of_one_general_hospital_is_that_hospital(tmp_path):
    path = tmp_path / "hifld.csv"
    path.write_text(
        "ID,NAME,CITY,STATE,STATUS,LATITUDE,LONGITUDE,ALT_NAME,TYPE\n"
        "0001,KAWEAH HEALTH MEDICAL CENTER,VISALIA,CA,OPEN,36.33,-119.30,"
        "KAWEAH DELTA HEALTH CARE DISTRICT,GENERAL ACUTE CARE\n"
        "0002,KAWEAH HEALTH MENTAL HEALTH HOSPITAL,VISALIA,CA,OPEN,36.32,-119.35,"
        "KAWEAH DELTA HEALTH CARE DISTRICT,PSYCHIATRIC\n"
        "0003,JOHN MUIR MEDICAL CENTER - WALNUT CREEK,WALNUT CREEK,CA,OPEN,37.90,-122.06,"
        "JOHN MUIR HEALTH,GENERAL ACUTE CARE\n"
        "0004,JOHN MUIR MEDICAL CENTER - CONCORD,CONCORD,CA,OPEN,37.96,-122.06,"
        "JOHN MUIR HEALTH,GENERAL ACUTE CARE\n"
        "0005,CONE HEALTH,GREENSBORO,NC,OPEN,36.09,-79.80,"
        "THE MOSES H. CONE MEMORIAL HOSP OPERATING CORPORATION,GENERAL ACUTE CARE\n"
    )
    hospitals = _hospitals(
        ("050057", "KAWEAH HEALTH MEDICAL CENTER", "CA", "VISALIA", 36.33, -119.30, "0001"),
        (
            "050180",
            "JOHN MUIR MEDICAL CENTER-WALNUT CREEK",
            "CA",
            "WALNUT CREEK",
            37.9,
            -122.06,
            "0003",
        ),
        ("050496", "JOHN MUIR MEDICAL CENTER-CONCORD", "CA", "CONCORD", 37.96, -122.06, "0004"),
        ("340091", "MOSES H CONE MEMORIAL HOSPITAL", "NC", "GREENSBORO", 36.09, -79.80, "0005"),
    )
    hifld = read_hifld_places(path, hospitals)
    link = legal_name_link("Kaweah Delta Health Care District", "CA", hifld)
    assert (link.key, link.rule) == ("050057", "legal name")
    assert legal_name_link("John Muir Health", "CA", hifld) is None  # two general hospitals
    assert legal_name_link("Cone Health", "NC", hifld) is None  # a NAME, not the legal name


def test_a_city_and_hospital_words_name_the_citys_one_hospital():
    new_york = state_index(
        "NY",
        ("330393", ["SUNY/STONY BROOK UNIVERSITY HOSPITAL"], "STONY BROOK", 40.91, -73.12),
        ("hifld:1", ["H:STONY BROOK SOUTHAMPTON HOSPITAL"], "SOUTHAMPTON", 40.89, -72.39),
        ("330013", ["ALBANY MEDICAL CENTER HOSPITAL"], "ALBANY", 42.65, -73.78),
        ("330003", ["ALBANY MEMORIAL HOSPITAL"], "ALBANY", 42.67, -73.73),
        ("33003F", ["ALBANY VA MEDICAL CENTER"], "ALBANY", 42.65, -73.77),
        common=["ny", "new york"],
    )
    link = new_york.link("Stony Brook Teach Hosps")
    assert (link.key, link.rule) == ("330393", "city hospital")
    # Albany has two general hospitals (and a VA): the city's name does not pick one.
    assert new_york._city_hospital_link(normalise_name("Albany Med Ctr")) is None
    # A clinic or a system of a city is not its hospital.
    assert new_york._city_hospital_link(normalise_name("Stony Brook Clinic")) is None
    assert new_york._city_hospital_link(normalise_name("Stony Brook Health System")) is None


def test_a_brand_a_city_and_hospital_words_name_the_brands_hospital_of_that_city():
    michigan = state_index(
        "MI",
        ("230092", ["HENRY FORD ALLEGIANCE HEALTH"], "JACKSON", 42.25, -84.39),
        ("230053", ["HENRY FORD HOSPITAL"], "DETROIT", 42.37, -83.08),
        common=["mi", "michigan"],
    )
    link = michigan.link_brand_city("Henry Ford Jackson Hospital")
    assert (link.key, link.rule) == ("230092", "brand city")
    assert michigan.link_brand_city("Henry Ford Lansing Hospital") is None


def test_a_joined_hifld_name_of_another_kind_does_not_make_the_hospital_that_kind(tmp_path):
    path = tmp_path / "hifld.csv"
    path.write_text(
        "ID,NAME,CITY,STATE,STATUS,LATITUDE,LONGITUDE,ALT_NAME\n"
        "0001,JFK JOHNSON REHABILITATION INSTITUTE,EDISON,NJ,OPEN,40.55,-74.35,"
        "COMMUNITY HOSPITAL GROUP JFK MEDICAL CENTER\n"
    )
    hospitals = _hospitals(
        ("310108", "JFK UNIVERSITY MEDICAL CENTER", "NJ", "EDISON", 40.55, -74.35, "0001"),
    )
    found = read_hifld_places(path, hospitals)
    names = [name for _, place in found.places for name, _ in place.names]
    assert names == ["community hospital group jfk medical center"]
    new_jersey = PlaceIndex(
        [hospital_place(hospitals["310108"])[1], *(place for _, place in found.places)],
        ["nj", "new jersey"],
        state_codes=("NJ",),
    )
    assert new_jersey.link("JFK Med Ctr").key == "310108"
