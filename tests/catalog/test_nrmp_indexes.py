"""The NRMP importers' look-ups read from indexes built once give what a scan of every place
gives: the places related to a sponsor (``RelatedPlaces``), the city of the hospitals a title's
suffix names (``named_hospitals_city``)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from medmatch.catalog.importers.linking import Place, PlaceIndex, normalise_name
from medmatch.catalog.importers.nrmp import (
    _FILLER,
    SITE_FROM_SPONSOR_KM,
    RelatedPlaces,
    Site,
    _town,
    named_hospitals_city,
)
from medmatch.catalog.models import Institution
from medmatch.lib.geo import city_to_place, haversine_km

_WORDS = st.sampled_from(["mercy", "baptist", "saint", "mary", "hospital", "medical", "center"])
_NAMES = st.lists(_WORDS, min_size=1, max_size=4).map(" ".join)
# Around Chicago: 2 degrees are ~220 km, so a sponsor has places within reach and beyond.
_LATITUDES = st.one_of(st.none(), st.floats(40.5, 42.5))
_LONGITUDES = st.floats(-88.5, -86.5)


@st.composite
def _places(draw) -> list[Place]:
    found = []
    for number in range(draw(st.integers(0, 12))):
        latitude = draw(_LATITUDES)
        found.append(
            Place(
                f"{number:06d}",
                tuple((name, "cms") for name in draw(st.lists(_NAMES, min_size=1, max_size=2))),
                draw(st.sampled_from(["chicago", "evanston", "oak park"])),
                latitude,
                None if latitude is None else draw(_LONGITUDES),
            )
        )
    return found


def _related_by_scan(index: PlaceIndex, words: set[str], latitude, longitude) -> set[str]:
    """The places related to a sponsor as ``SiteFinder`` found them before: each place asked."""
    return {
        key
        for key, place in index.places.items()
        if words & index._name_words(place)
        or (
            latitude is not None
            and place.latitude is not None
            and haversine_km(latitude, longitude, place.latitude, place.longitude)
            < SITE_FROM_SPONSOR_KM
        )
    }


@settings(max_examples=300, deadline=None)
@given(_places(), st.sets(_WORDS, max_size=3), _LATITUDES, _LONGITUDES)
def test_it_finds_the_places_related_to_a_sponsor_as_a_scan_does(
    places, words, latitude, longitude
):
    index = PlaceIndex(places, ["illinois", "il"])
    found = RelatedPlaces(index).keys(words, latitude, longitude if latitude is not None else None)
    assert found == _related_by_scan(index, words, latitude, longitude)


def _named_hospitals_city_by_scan(suffix: str, institution, index: PlaceIndex) -> Site | None:
    """``named_hospitals_city`` as it was: every place of the state asked for the suffix."""
    words = set(normalise_name(suffix).split()) - index.common
    sponsor = set(normalise_name(institution.name).split()) - index.common - _FILLER
    if not words or not sponsor:
        return None
    cities = {
        place.city
        for place in index.places.values()
        if any(
            words <= set(name.split()) and sponsor & set(name.split()) for name, _ in place.names
        )
    }
    if len(cities) != 1 or not (city_name := next(iter(cities))):
        return None
    state = institution.region
    city = city_to_place(city_name, "US", state)
    if city is None or normalise_name(city.label.split(",")[0]) != city_name:
        city = _town(city_name.title(), state) if " " in city_name or len(city_name) >= 6 else None
    if city is None:
        return None
    label = city.label.split(",")[0]
    return Site(
        f"{suffix} ({label}, {state})",
        label,
        city.latitude,
        city.longitude,
        Institution.CoordinatePrecision.CITY,
        "city",
    )


@settings(max_examples=300, deadline=None)
@given(_places(), _NAMES, _NAMES)
def test_it_places_a_suffix_at_the_city_a_scan_of_the_hospitals_finds(places, suffix, sponsor):
    index = PlaceIndex(places, ["illinois", "il"])
    institution = Institution(name=sponsor, region="IL")
    assert named_hospitals_city(suffix, institution, index) == _named_hospitals_city_by_scan(
        suffix, institution, index
    )
