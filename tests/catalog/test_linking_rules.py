"""The linking rules added for issue 11: exact names, brands, initials, campus suffixes, systems
and schools, and the city evidence for sponsors that no hospital places.

Names are the real NRMP, CMS and HIFLD spellings; the rivals are the real hospitals of the same
state that made each case hard.
"""

import pytest
from tests.catalog.test_linking import index

from medmatch.catalog.importers.linking import (
    Place,
    PlaceIndex,
    brand_of,
    is_school,
    is_system,
    normalise_name,
    without_brand,
)
from medmatch.catalog.importers.nrmp import (
    Worksite,
    _spell_state,
    campus_link,
    lca_city,
    majority_city,
    name_city,
    suffix_city,
)


def test_it_reads_kaiser_permanente_as_kaiser_foundation_hospital():
    assert normalise_name("Kaiser Permanente-San Diego") == normalise_name(
        "KAISER FOUNDATION HOSPITAL - SAN DIEGO"
    )


def test_it_drops_a_system_brand_only_when_a_named_hospital_remains():
    assert without_brand("northern light eastern maine medical center") == (
        "eastern maine medical center"
    )
    assert without_brand("hca florida northside hospital") == "northside hospital"
    assert without_brand("kaiser foundation hospital") == ""
    assert without_brand("memorial hospital") == ""
    assert brand_of(normalise_name("HCA Healthcare/USF Morsani")) == "hca healthcare"


def test_it_tells_schools_and_systems_from_hospitals():
    assert is_school(normalise_name("Medical College of Georgia"))
    assert is_school(normalise_name("Univ of Puerto Rico"))
    assert not is_school(normalise_name("U Iowa Hosps and Clinics"))
    assert not is_school(normalise_name("U Maryland Med Ctr"))
    assert is_system(normalise_name("Cone Health"))
    assert is_system(normalise_name("Geisinger Health System"))
    assert not is_system(normalise_name("Brookwood Baptist Medical Center"))


def test_it_spells_out_the_sponsors_own_state_code():
    assert _spell_state("Hosp of the Univ of PA", "PA") == "Hosp of the Univ of Pennsylvania"
    assert _spell_state("U Oklahoma COM-OK City", "OK") == "U Oklahoma COM-Oklahoma City"
    assert _spell_state("U Central FL/HCA Healthcare GME", "GA") == (
        "U Central FL/HCA Healthcare GME"
    )


MARYLAND = index(
    ("210002", ["UNIVERSITY OF MARYLAND MEDICAL CENTER"], "BALTIMORE", 39.29, -76.62),
    (
        "210038",
        ["UNIVERSITY OF MARYLAND MEDICAL CENTER MIDTOWN CAMPUS"],
        "BALTIMORE",
        39.30,
        -76.62,
    ),
    ("210032", ["UNIVERSITY OF MARYLAND CHARLES REGIONAL MEDICAL CENTER"], "LA PLATA", 38.5, -77.0),
    common=["md", "maryland"],
)


def test_it_links_a_name_of_only_generic_and_state_words_when_it_is_word_for_word_a_hospital():
    link = MARYLAND.link("U Maryland Med Ctr")
    assert (link.key, link.rule) == ("210002", "exact")
    assert MARYLAND.link("U Maryland").key is None


def test_it_prefers_the_cms_hospital_over_hifld_sites_of_the_same_name():
    places = index(
        (
            "340141",
            ["NOVANT HEALTH NEW HANOVER REGIONAL MEDICAL CENTER"],
            "WILMINGTON",
            34.2,
            -77.9,
        ),
        ("hifld:1", ["H:NEW HANOVER REGIONAL MEDICAL CENTER"], "WILMINGTON", 34.25, -77.85),
        common=["nc", "north", "carolina"],
    )
    assert places.link("New Hanover Reg Med Ctr").key == "340141"


def test_it_links_through_a_name_without_the_system_brand():
    maine = index(
        ("200033", ["NORTHERN LIGHT EASTERN MAINE MEDICAL CENTER"], "BANGOR", 44.8, -68.75),
        ("200034", ["NORTHERN LIGHT MERCY HOSPITAL"], "PORTLAND", 43.65, -70.28),
        common=["me", "maine"],
    )
    link = maine.link("Eastern Maine Med Ctr")
    assert (link.key, link.rule) == ("200033", "exact")


GEORGIA = index(
    ("110122", ["SGMC HEALTH"], "VALDOSTA", 30.85, -83.28),
    ("110029", ["NORTHEAST GEORGIA MEDICAL CENTER, INC"], "GAINESVILLE", 34.3, -83.82),
    ("110198", ["NGMC BARROW, LLC"], "WINDER", 33.99, -83.72),
    ("110034", ["WELLSTAR MCG HEALTH, AFFILIATED WITH MED COL"], "AUGUSTA", 33.47, -81.99),
    common=["ga", "georgia"],
)


def test_it_links_a_hospital_called_by_the_initials_of_the_sponsor():
    link = GEORGIA.link("South Georgia Med Ctr")
    assert (link.key, link.rule) == ("110122", "initials")


def test_it_does_not_take_a_site_with_a_word_of_its_own_for_the_initials():
    # "NGMC BARROW" is another hospital of the system; the full name says Gainesville.
    assert GEORGIA.link("Northeast Georgia Med Ctr").key == "110029"


def test_it_never_links_a_school_by_initials():
    assert GEORGIA.link("Medical College of Georgia").key is None


ILLINOIS = index(
    ("140182", ["ADVOCATE ILLINOIS MASONIC MEDICAL CENTER"], "CHICAGO", 41.94, -87.65),
    ("140223", ["ADVOCATE LUTHERAN GENERAL HOSPITAL"], "PARK RIDGE", 42.04, -87.85),
    ("140208", ["ADVOCATE CHRIST HOSPITAL & MEDICAL CENTER"], "OAK LAWN", 41.72, -87.73),
    ("140202", ["ADVOCATE CONDELL MEDICAL CENTER"], "LIBERTYVILLE", 42.27, -87.95),
    common=["il", "illinois"],
)


@pytest.mark.parametrize(
    "site, key", [("AIMMC", "140182"), ("ALGH", "140223"), ("Family Medicine/AIMMC", None)]
)
def test_it_reads_a_site_acronym_as_the_hospital_of_those_initials(site, key):
    assert ILLINOIS.link(site).key == key


def test_it_leaves_initials_that_two_hospitals_share_unlinked():
    # ACMC is Advocate Christ (Hospital &) Medical Center and Advocate Condell Medical Center.
    assert ILLINOIS.link("ACMC").key is None


NORTH_CAROLINA = index(
    (
        "340091",
        ["MOSES H. CONE MEMORIAL HOSPITAL, THE", "H:CONE HEALTH"],
        "GREENSBORO",
        36.09,
        -79.8,
    ),
    ("340142", ["SOUTHEASTERN REGIONAL MEDICAL CENTER"], "LUMBERTON", 34.6, -79.0),
    common=["nc", "north", "carolina"],
)
ALABAMA = index(
    ("010001", ["SOUTHEAST HEALTH MEDICAL CENTER"], "DOTHAN", 31.2, -85.4),
    ("010005", ["MARSHALL MEDICAL CENTERS"], "BOAZ", 34.2, -86.15),
    common=["al", "alabama"],
)


def test_it_does_not_take_a_health_system_for_the_hospital_that_bears_its_name_in_hifld():
    assert NORTH_CAROLINA.link("Cone Health").key is None


def test_it_links_a_one_hospital_system_to_the_hospital_of_its_name():
    link = ALABAMA.link("Southeast Health")
    assert (link.key, link.rule) == ("010001", "system hospital")


def state_index(state: str, *rows, common=()) -> PlaceIndex:
    built = index(*rows, common=common)
    return PlaceIndex(built.places.values(), common, state_codes=(state,))


MISSOURI = state_index(
    "MO",
    ("260179", ["ST LUKES HOSPITAL"], "CHESTERFIELD", 38.65, -90.50),
    ("260176", ["ST LUKE'S DES PERES HOSPITAL"], "SAINT LOUIS", 38.60, -90.43),
    ("260138", ["SAINT LUKE'S HOSPITAL OF KANSAS CITY"], "KANSAS CITY", 39.05, -94.59),
    common=["mo", "missouri"],
)
CALIFORNIA = state_index(
    "CA",
    ("050510", ["KAISER FOUNDATION HOSPITAL"], "SAN RAFAEL", 37.95, -122.53),
    ("050075", ["KAISER FOUNDATION HOSPITAL - OAKLAND/RICHMOND"], "OAKLAND", 37.82, -122.26),
    ("050072", ["KAISER FOUNDATION HOSPITAL - WALNUT CREEK"], "WALNUT CREEK", 37.91, -122.07),
    common=["ca", "california"],
)
FLORIDA = state_index(
    "FL",
    ("100238", ["HCA FLORIDA NORTHSIDE HOSPITAL"], "SAINT PETERSBURG", 27.83, -82.71),
    ("100077", ["NORTHSIDE HOSPITAL"], "JACKSONVILLE", 30.4, -81.7),
    ("100087", ["HCA FLORIDA LARGO HOSPITAL"], "LARGO", 27.9, -82.79),
    common=["fl", "florida"],
)


def test_it_reads_a_campus_suffix_as_the_hospitals_around_that_city():
    link = campus_link("St Lukes Hospital-St Louis", MISSOURI)
    assert (link.key, link.rule) == ("260179", "campus")


def test_it_reads_a_kaiser_campus_as_the_hospital_in_that_city_not_the_bare_name():
    assert CALIFORNIA.link("Kaiser Permanente-Oakland").key is None
    assert campus_link("Kaiser Permanente-Oakland", CALIFORNIA).key == "050075"


def test_it_reads_a_brand_and_a_site_as_the_brands_hospital_of_that_name():
    link = campus_link("HCA Healthcare/USF Morsani-Northside", FLORIDA)
    assert (link.key, link.rule) == ("100238", "brand site")


def test_it_does_not_place_a_school_at_a_hospital_of_its_campus_city():
    texas = state_index(
        "TX",
        ("450068", ["BAYLOR ST LUKES MEDICAL CENTER"], "HOUSTON", 29.71, -95.4),
        common=["tx", "texas"],
    )
    assert campus_link("Baylor Coll Med-Houston", texas) is None


def test_it_finds_the_city_a_name_ends_with():
    assert suffix_city("U Kansas SOM-Wichita", "KS").label.startswith("Wichita")
    assert suffix_city("Kaiser Permanente-Orange Co", "CA") is None
    assert suffix_city("Mayo Clinic", "MN") is None


def test_it_finds_a_city_the_name_spells_out_but_not_a_universitys_or_an_affiliations():
    assert name_city("Henry Ford Jackson Hospital", "MI").label.startswith("Jackson")
    assert name_city("HCA Florida JFK Hosp-U Miami", "FL") is None
    assert name_city("Wake Forest Univ SOM", "NC") is None
    assert name_city("Baystate Franklin Med Ctr", "MA") is None


def test_it_finds_a_town_too_small_for_geonames_at_its_zip_codes_centre():
    hershey = name_city("Penn State Hershey Med Ctr", "PA")  # ~14,000 people
    assert hershey.label == "Hershey, PA"
    assert hershey.latitude == pytest.approx(40.26, abs=0.05)
    assert hershey.longitude == pytest.approx(-76.65, abs=0.05)
    assert name_city("Stony Brook Teach Hosps", "NY").label == "Stony Brook, NY"


def test_it_places_a_sponsor_at_the_one_city_of_its_employers_h1b_worksites():
    worksites = {
        "MN": [Worksite(frozenset({"mayo"}), "Rochester", "55905")],
        "NY": [
            Worksite(frozenset({"northwell"}), "New Hyde Park", "11040"),
            Worksite(frozenset({"northwell"}), "Staten Island", "10305"),
        ],
    }
    assert lca_city("Mayo Clinic School of Grad Med Educ", "MN", worksites).label.startswith(
        "Rochester"
    )
    assert lca_city("Zucker SOM-Northwell NS/LIJ", "NY", worksites) is None


def test_it_places_a_sponsor_where_most_programs_of_its_name_are():
    programs = {
        "CA": [
            (" ucla ", "Los Angeles|34.05|-118.24"),
            (" ucla ", "Los Angeles|34.05|-118.24"),
            (" ucla ", "Los Angeles|34.05|-118.24"),
            (" los angeles county harbor ucla ", "Torrance|33.83|-118.34"),
        ],
        "VA": [
            (" university virginia ", "Charlottesville|38.03|-78.48"),
            (" virginia commonwealth university ", "Richmond|37.54|-77.43"),
        ],
    }
    assert majority_city("UCLA Med Ctr", "CA", programs).key.startswith("Los Angeles")
    # A phrase, not a bag of words: VCU is no "University of Virginia".
    assert majority_city("University of Virginia", "VA", programs).key.startswith("Charlottesville")
    programs["CA"].append((" ucla ", "Sylmar|34.3|-118.46"))
    programs["CA"].append((" ucla ", "Torrance|33.83|-118.34"))
    assert majority_city("UCLA Med Ctr", "CA", programs) is None  # 3 to 2: no majority
    assert majority_city("California Hosp Med Ctr", "CA", programs) is None


def test_a_place_keeps_its_own_names_in_a_subset():
    subset = ILLINOIS.subset(lambda place: place.city == "chicago")
    assert list(subset.places) == ["140182"]
    assert isinstance(subset.places["140182"], Place)
    assert subset.link("AIMMC").key == "140182"


def test_it_finds_a_small_town_by_its_zip_codes_only_as_two_words_or_a_hospitals_name():
    assert name_city("Stony Brook Teach Hosps", "NY").label == "Stony Brook, NY"
    assert name_city("Penn State Hershey Med Ctr", "PA").label == "Hershey, PA"
    assert name_city("Harvard South Shore", "MA") is None  # VA Boston, Brockton
    assert name_city("Mississippi State Hospital", "MS") is None  # Whitfield
    assert name_city("VCU-Shenandoah Valley", "VA") is None  # Front Royal


def test_a_subset_reads_its_parents_tables_as_tables_of_its_own():
    from medmatch.catalog.importers.linking import _TABLES

    index = PlaceIndex(
        [
            Place("140001", (("mercy hospital", "cms"),), "springfield", 39.80, -89.64),
            Place("140002", (("hshs saint john hospital", "cms"),), "springfield", 39.81, -89.65),
            Place("140003", (("decatur memorial hospital", "cms"),), "decatur", 39.84, -88.95),
            Place("hifld:1", (("mercy medical center", "hifld"),), "decatur", 39.85, -88.96),
        ],
        ["illinois", "il"],
    )
    subset = index.subset(lambda place: place.city == "springfield")
    built = PlaceIndex(subset.places.values(), ["illinois", "il"])
    for name in _TABLES:
        kept, own = getattr(subset, name), getattr(built, name)
        for token in [*getattr(index, name), "nowhere"]:
            assert kept.get(token) == own.get(token)
            assert kept.get(token, set()) == own.get(token, set())
            assert (token in kept) == (token in own)
            if token in own:
                assert kept[token] == own[token]
    assert subset.link("Mercy Hosp").key == built.link("Mercy Hosp").key == "140001"


def test_an_import_run_forgets_the_zip_code_rows_when_it_ends():
    """The HIFLD and NRMP importers share one read of the zipcodes package's 42,789 rows; a web
    process that ran an import must not keep them (170,000 objects every full collection walks)."""
    import zipcodes

    from medmatch.catalog.importers import nrmp
    from medmatch.catalog.importers.base import _one_run
    from medmatch.lib import geo

    with _one_run():
        assert name_city("Stony Brook Teach Hosps", "NY").label == "Stony Brook, NY"
        assert geo.zip_table(["11794"])["11794"] is not None
        assert geo.zip_rows.cache_info().currsize == 1
    assert geo.zip_rows.cache_info().currsize == 0
    assert nrmp._town_rows.cache_info().currsize == 0
    assert nrmp._town_centroid.cache_info().currsize == 0
    assert getattr(zipcodes, "_zips_cache", None) is None  # the package kept no list of its own
