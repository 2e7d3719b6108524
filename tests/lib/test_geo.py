import gc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medmatch.lib import geo
from medmatch.lib.geo import PlaceNotFound, haversine_km, resolve_place


def test_it_resolves_a_zip_code_to_its_centroid():
    place = resolve_place("10032")
    assert (place.country, place.region, place.precision) == ("US", "NY", "postal_code")
    assert place.latitude == pytest.approx(40.84, abs=0.01)
    assert place.label == "10032 (New York, NY)"


def test_it_accepts_zip_plus_four():
    assert resolve_place("10032-1234").region == "NY"


def test_it_names_an_unknown_zip_code():
    with pytest.raises(PlaceNotFound, match="ZIP code 99999 is not a known US ZIP code"):
        resolve_place("99999")


def test_it_prefers_the_city_in_the_named_state():
    illinois = resolve_place("Springfield, IL")
    massachusetts = resolve_place("Springfield, MA")
    assert (illinois.region, massachusetts.region) == ("IL", "MA")
    assert haversine_km(
        illinois.latitude, illinois.longitude, massachusetts.latitude, massachusetts.longitude
    ) == pytest.approx(1_500, rel=0.1)


def test_it_takes_the_most_populous_city_of_a_name_abroad():
    place = resolve_place("Toronto")
    assert (place.country, place.precision) == ("CA", "city")


def test_it_says_what_it_tried_for_an_unknown_city():
    with pytest.raises(PlaceNotFound, match="Xyzzyville"):
        resolve_place("Xyzzyville")


def test_it_measures_great_circle_distances():
    # New York (JFK) to London (LHR) is about 5,540 km.
    assert haversine_km(40.6413, -73.7781, 51.4700, -0.4543) == pytest.approx(5_540, rel=0.01)


def test_it_keeps_its_tables_out_of_the_garbage_collectors_way():
    # ~30,000 cities under ~100,000 names: as dicts and lists they made every full collection
    # pause ~0.3 s in the middle of a request; as plain tuples the collector stops tracking them.
    geo._city_tables.cache_clear()
    geo._city_index.cache_clear()
    geo._city_grid.cache_clear()
    geo._zip_row.cache_clear()
    gc.collect()
    before = len(gc.get_objects())
    resolve_place("Lyon")
    resolve_place("60611")
    geo.nearest_city(45.76, 4.84)  # the cities by cell, built with the names
    gc.collect()
    assert len(gc.get_objects()) - before < 1_000


@pytest.mark.parametrize(
    "text",
    [
        "\uff11\uff10\uff10\uff13\uff12",  # 10032 in full-width digits
        "\u0661\u0660\u0660\u0663\u0662",  # 10032 in Arabic-Indic digits
        "\uff11\uff10\uff10\uff13\uff12-\uff11\uff12\uff13\uff14",
        "1003\u00b2",
    ],
)
def test_it_never_hands_other_scripts_digits_to_zipcodes(text):
    # zipcodes (Rust) panicked on these: a BaseException that no Django handler catches.
    with pytest.raises(PlaceNotFound):
        resolve_place(text)
    assert geo.zip_to_place(text) is None


def test_it_reads_a_canadian_province_after_the_city():
    for text in ("Toronto, ON", "Toronto, Ontario", "toronto, on"):
        place = resolve_place(text)
        assert (place.country, place.label) == ("CA", "Toronto, ON")


def test_it_reads_a_us_state_name_after_the_city():
    assert resolve_place("Springfield, Illinois").label == "Springfield, IL"


def test_it_asks_which_city_when_a_name_is_shared_by_cities_of_similar_size():
    with pytest.raises(geo.AmbiguousPlace) as caught:
        resolve_place("Springfield")
    candidates = caught.value.candidates
    assert {"Springfield, MO", "Springfield, MA", "Springfield, IL"} <= set(candidates)
    assert "pick one" in str(caught.value)
    # Each candidate, typed back, finds exactly that city.
    assert resolve_place(candidates[0]).label == candidates[0]


def test_it_takes_a_much_bigger_namesake_but_names_the_others():
    place = resolve_place("Boston")
    assert place.label == "Boston, MA"
    assert "Boston, GB" in place.alternatives


def test_it_keeps_picking_the_largest_city_for_importers():
    # The CaRMS importer places sites by name and must not stop at a shared one.
    assert geo.city_to_place("Springfield").label == "Springfield, MO"


def test_it_knows_state_and_province_names_and_codes():
    assert geo.region_code("Texas") == ("US", "TX")
    assert geo.region_code("ontario") == ("CA", "ON")
    assert geo.region_code("QC") == ("CA", "QC")
    assert geo.region_code("Bavaria") is None


def test_it_names_the_city_a_point_lies_in_from_its_coordinates():
    assert geo.nearest_city(45.7583, 4.8364)[0] == "Lyon"  # not the district "Lyon 02"
    assert geo.nearest_city(28.5666, 77.2115)[0] == "Delhi"
    assert geo.nearest_city(-41.29, 174.78)[0] == "Wellington"
    assert geo.nearest_city(0.0, -150.0) is None  # the open Pacific
    assert geo.nearest_city(95.0, 0.0) is None


def test_it_leaves_out_cities_that_only_once_had_the_name():
    with pytest.raises(geo.AmbiguousPlace) as caught:
        resolve_place("Portland")
    assert caught.value.candidates[:2] == ["Portland, OR", "Portland, ME"]
    assert "Sandusky, OH" not in caught.value.candidates  # GeoNames: formerly "Portland"
    assert resolve_place("Bombay").label == "Mumbai, IN"  # an old name alone still finds it


def test_it_names_the_cities_of_many_points_as_it_names_each():
    # The Wikidata import asks for 27,000 points at once; numpy narrows the choice, the city and
    # distance must still be exactly nearest_city's, ties and the edge of reach included.
    import random

    picker = random.Random(11)
    cities = [city for cells in geo._city_grid().values() for city in cells]
    points = [(picker.uniform(-90, 90), picker.uniform(-180, 180)) for _ in range(2_000)]
    for _, lat, lon, _ in picker.sample(cities, 3_000):  # beside and on cities
        points.append((lat + picker.uniform(-0.3, 0.3), lon + picker.uniform(-0.3, 0.3)))
        points.append((lat, lon))
    points += [(89.99, 10.0), (-89.5, 170.0), (0.0, 179.99), (0.0, -180.0), (95.0, 0.0)]
    points += [(float("nan"), 1.0), (45.7583, 4.8364), (28.5666, 77.2115)]
    for max_km in (geo.NEAREST_CITY_KM, 5.0, 100.0):
        one_by_one = [geo.nearest_city(lat, lon, max_km) for lat, lon in points]
        assert geo.nearest_cities(points, max_km) == one_by_one
    assert sum(found is None for found in one_by_one) > 100  # both kinds of answer are tested
    assert geo.nearest_cities([]) == []


def test_its_zip_table_answers_as_the_package_does():
    table = geo.zip_table()
    assert len(table) > 40_000
    for code in ["10032", "60611", "00501", "99950", "00000", "12345", "99999", "02115"]:
        assert geo.zip_to_place(code, table) == geo.zip_to_place(code)
    assert geo.zip_to_place("10032-1234", table).region == "NY"


def test_its_zip_table_of_some_codes_answers_for_them_as_the_whole_table_does():
    whole = geo.zip_table()
    codes = ["10032-1234", " 60611", "00501", "00000", "12345", "not a zip", ""]
    table = geo.zip_table(codes)
    assert set(table) == {"10032", "60611", "00501", "12345"}  # 00000 is no ZIP code
    for code in codes:
        assert geo.zip_to_place(code, table) == geo.zip_to_place(code, whole)


def test_its_index_of_one_country_is_the_whole_index_filtered():
    # The importers name the country; the index of its cities must answer as the whole one.
    whole, us = geo._city_index(""), geo._city_index("US")
    for key in ["springfield", "london", "portland", "boston", "paris", "new york city"]:
        assert us.get(key, ()) == tuple(city for city in whole[key] if city[3] == "US")
    assert set(us) == {key for key, cities in whole.items() if any(c[3] == "US" for c in cities)}
    assert geo.city_to_place("Birmingham").label == "Birmingham, GB"
    assert geo.city_to_place("Birmingham", "US").label == "Birmingham, AL"


def _beside_a_city(found: tuple[int, float, float]) -> tuple[float, float]:
    cities = geo._city_arrays()[0]  # read when the test runs, not when it is collected
    _, lat, lon, _ = cities[found[0] % len(cities)]
    return lat + found[1], lon + found[2]


_NEAR_A_CITY = st.tuples(st.integers(0, 10**6), st.floats(-0.5, 0.5), st.floats(-0.5, 0.5)).map(
    _beside_a_city
)
_ON_A_CELL_EDGE = st.tuples(
    st.integers(-90, 90), st.integers(-180, 180), st.sampled_from([0.0, 1e-12, -1e-12, 0.2698])
).map(lambda edge: (edge[0] + edge[2], edge[1] - edge[2]))
_ANYWHERE = st.tuples(st.floats(-91, 91), st.floats(-181, 181))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(_NEAR_A_CITY, _ON_A_CELL_EDGE, _ANYWHERE), max_size=300),
    st.sampled_from([geo.NEAREST_CITY_KM, 0.5, 5.0, 100.0, 400.0]),
)
def test_many_points_anywhere_are_named_as_nearest_city_names_each(points, max_km):
    assert geo.nearest_cities(points, max_km) == [
        geo.nearest_city(lat, lon, max_km) for lat, lon in points
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(-90, 90), min_size=1, max_size=50),
    st.sampled_from([geo.NEAREST_CITY_KM, 0.5, 5.0, 100.0, 400.0]),
)
def test_the_windows_worked_out_at_once_are_never_narrower_than_each_ones(latitudes, max_km):
    lat_limit, lon_limits = geo._search_windows(np.array(latitudes), max_km)
    for latitude, lon_limit in zip(latitudes, lon_limits.tolist(), strict=True):
        exact_lat_limit, exact_lon_limit = geo.search_window(latitude, max_km)
        assert lat_limit == exact_lat_limit
        assert lon_limit >= exact_lon_limit
