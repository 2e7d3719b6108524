"""The NRMP importers' look-ups read from indexes built once give what a scan of every place
gives: the places related to a sponsor (``RelatedPlaces``), the city of the hospitals a title's
suffix names (``named_hospitals_city``), the names a system's name begins or a query ends
(``PlaceIndex._names_by_edge_word``) and the bearers of a system's words
(``PlaceIndex._places_by_word_or_pair``)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from medmatch.catalog.importers.linking import (
    _FACILITY_SUFFIX,
    _KIND_WORDS,
    _ONE_FACILITY,
    SYSTEM_BRANDS,
    Link,
    Place,
    PlaceIndex,
    _words_and_pairs,
    brand_of,
    initials,
    is_health_center,
    is_school,
    is_system,
    kind_words,
    normalise_name,
)
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


class _ScanningIndex(PlaceIndex):
    """The look-ups of ``PlaceIndex`` that now read its name indexes, as they were: each place
    of the state asked."""

    def _brand_of_several(self, query: str) -> bool:
        if not (self.one_kind and is_system(query)):
            return False
        prefix = f"{query} "
        groups = {
            place.group
            for place in self.places.values()
            if any(name.startswith(prefix) and origin == "cms" for name, origin in place.names)
        }
        return len(groups) >= 2

    def _suffix_link(self, query: str) -> Link | None:
        words = query.split()
        if not _ONE_FACILITY.search(query) or not set(words) - self.common - _KIND_WORDS:
            return None
        ending = f" {query}"
        keys = {
            key
            for key, place in self.places.items()
            for name, _ in place.names
            if name.endswith(ending) and len(name.split()) - len(words) <= 2
        }
        key = self._one_place(keys)
        if key is None or self._kinds(self.places[key], "") != kind_words(query):
            return None
        place = self.places[key]
        origin = next((o for n, o in place.names if n.endswith(ending)), "cms")
        return Link(key, 100.0, 0.0, key, "suffix", origin)

    def _system_hospital_link(self, query: str) -> Link | None:
        if not is_system(query):
            return None
        words = set(query.split())
        keys = {
            key
            for key, place in self.places.items()
            for name, origin in place.names
            if origin == "cms"
            and words < set(name.split())
            and set(name.split()) - words <= _FACILITY_SUFFIX
            and name.startswith(query)
        }
        key = self._one_place(keys)
        if key is None:
            return None
        return Link(key, 100.0, 0.0, key, "system hospital", "cms")

    def link_one_hospital_system(self, name, latitude, longitude, radius_km) -> Link | None:
        query = normalise_name(name)
        if not (self.one_kind and is_system(query)) or is_school(query):
            return None
        if is_health_center(query) or query in SYSTEM_BRANDS or brand_of(query):
            return None
        distinct = set(query.split()) - self.common - _KIND_WORDS
        if not distinct:
            return None
        kinds = kind_words(query)

        def near(place: Place) -> bool:
            return place.latitude is not None and (
                haversine_km(latitude, longitude, place.latitude, place.longitude) < radius_km
            )

        bearers = {
            key
            for key, place in self.places.items()
            if any(distinct <= _words_and_pairs(n) for n, _ in place.names)
        }
        if not bearers and len(distinct) == 1 and len(word := next(iter(distinct))) >= 3:
            bearers = {
                key
                for key, place in self.places.items()
                if any(initials(n) == word for n, _ in place.names if n.split()[-1] == "hospital")
            }
        hospitals = {
            key
            for key in bearers
            if not key.startswith("hifld:")
            and not self.places[key].hospital_key
            and near(self.places[key])
            and self._kinds(self.places[key], "") == kinds
        }
        key = self._one_place(hospitals)
        if key is None:
            return None
        place = self.places[key]
        rivals = {
            other
            for other, bearer in self.places.items()
            if any(distinct & _words_and_pairs(n) for n, _ in bearer.names)
            and not self._same_place(place, other)
            and (self._kinds(self.places[other], "") == kinds or near(self.places[other]))
        }
        if rivals:
            return None
        return Link(key, 100.0, 0.0, key, "one-hospital system", "cms")


_SYSTEM_WORDS = st.sampled_from(
    [
        *("cone", "de", "tar", "detar", "ozark", "mercy", "children", "va", "saint", "mary"),
        *("health", "healthcare", "system", "network", "hospital", "medical", "center"),
        *("regional", "nch", "naples", "community"),
    ]
)
_SYSTEM_NAMES = st.one_of(
    st.lists(_SYSTEM_WORDS, min_size=1, max_size=5).map(" ".join),
    # A system's hospitals: "cone health medical center", "mercy naples hospital".
    st.tuples(
        st.sampled_from(["cone health", "ozark healthcare", "mercy", "de tar"]),
        st.sampled_from(["", "naples", "saint mary", "children"]),
        st.sampled_from(["", "hospital", "medical center", "regional hospital"]),
    ).map(lambda parts: " ".join(filter(None, parts))),
)


@st.composite
def _system_places(draw) -> list[Place]:
    return [
        Place(
            draw(st.sampled_from([f"{number:06d}", f"hifld:{number}"])),
            tuple(
                (name, draw(st.sampled_from(["cms", "hifld"])))
                for name in draw(st.lists(_SYSTEM_NAMES, min_size=1, max_size=2))
            ),
            draw(st.sampled_from(["naples", "harrison", ""])),
            draw(st.floats(41.0, 41.5)),
            -87.5,
        )
        for number in range(draw(st.integers(0, 10)))
    ]


def _queries(places: list[Place]) -> list[str]:
    """Runs of words of the places' names, alone and as a system's name: queries that begin,
    end or are part of a name, which random words seldom are."""
    found = []
    for place in places:
        for name, _ in place.names:
            words = name.split()
            for start in range(len(words)):
                for stop in range(start + 1, len(words) + 1):
                    run = " ".join(words[start:stop])
                    found += [run, f"{run} health", f"{run} health system"]
    return found


@settings(max_examples=500, deadline=None)
@given(_system_places(), st.data())
def test_its_name_indexes_give_what_a_scan_of_every_place_gives(places, data):
    queries = _queries(places)
    query = data.draw(st.sampled_from(queries) if queries else _SYSTEM_NAMES)
    index = PlaceIndex(places, ["illinois", "il"])
    scanning = _ScanningIndex(places, ["illinois", "il"])
    assert index._brand_of_several(query) == scanning._brand_of_several(query)
    assert index._suffix_link(query) == scanning._suffix_link(query)
    assert index._system_hospital_link(query) == scanning._system_hospital_link(query)
    assert index.link_one_hospital_system(query, 41.2, -87.5, 30.0) == (
        scanning.link_one_hospital_system(query, 41.2, -87.5, 30.0)
    )
    assert index.link(query) == scanning.link(query)
