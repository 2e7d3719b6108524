"""Time zones for the interview form: the IANA names a person would choose from, and the zone a
program's interviews are most likely given in, from where the program is.

The program's zone comes from a small table: a US state or Canadian province → the zone most of
its people live in (a state split between zones, such as Texas or Tennessee, gets its larger
part's zone, so the student should check it), then a country with a single zone in the IANA
``zone.tab`` (Ireland → Europe/Dublin). A country with several zones and no state known gives
None: the student chooses."""

from __future__ import annotations

import zoneinfo
from functools import cache
from importlib import resources

# The first part of an IANA name a person would pick a place's zone under; the others
# (Etc/GMT+5, US/Eastern, EST5EDT) are aliases or offsets kept for old systems.
_AREAS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Arctic/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)

US_STATE_ZONES = {
    "AL": "America/Chicago",
    "AK": "America/Anchorage",
    "AZ": "America/Phoenix",
    "AR": "America/Chicago",
    "CA": "America/Los_Angeles",
    "CO": "America/Denver",
    "CT": "America/New_York",
    "DE": "America/New_York",
    "DC": "America/New_York",
    "FL": "America/New_York",
    "GA": "America/New_York",
    "HI": "Pacific/Honolulu",
    "ID": "America/Boise",
    "IL": "America/Chicago",
    "IN": "America/Indiana/Indianapolis",
    "IA": "America/Chicago",
    "KS": "America/Chicago",
    "KY": "America/New_York",
    "LA": "America/Chicago",
    "ME": "America/New_York",
    "MD": "America/New_York",
    "MA": "America/New_York",
    "MI": "America/Detroit",
    "MN": "America/Chicago",
    "MS": "America/Chicago",
    "MO": "America/Chicago",
    "MT": "America/Denver",
    "NE": "America/Chicago",
    "NV": "America/Los_Angeles",
    "NH": "America/New_York",
    "NJ": "America/New_York",
    "NM": "America/Denver",
    "NY": "America/New_York",
    "NC": "America/New_York",
    "ND": "America/Chicago",
    "OH": "America/New_York",
    "OK": "America/Chicago",
    "OR": "America/Los_Angeles",
    "PA": "America/New_York",
    "RI": "America/New_York",
    "SC": "America/New_York",
    "SD": "America/Chicago",
    "TN": "America/Chicago",
    "TX": "America/Chicago",
    "UT": "America/Denver",
    "VT": "America/New_York",
    "VA": "America/New_York",
    "WA": "America/Los_Angeles",
    "WV": "America/New_York",
    "WI": "America/Chicago",
    "WY": "America/Denver",
    "PR": "America/Puerto_Rico",
    "GU": "Pacific/Guam",
    "VI": "America/St_Thomas",
}
CANADA_PROVINCE_ZONES = {
    "AB": "America/Edmonton",
    "BC": "America/Vancouver",
    "MB": "America/Winnipeg",
    "NB": "America/Moncton",
    "NL": "America/St_Johns",
    "NS": "America/Halifax",
    "NT": "America/Yellowknife",
    "NU": "America/Iqaluit",
    "ON": "America/Toronto",
    "PE": "America/Halifax",
    "QC": "America/Toronto",
    "SK": "America/Regina",
    "YT": "America/Whitehorse",
}
REGION_ZONES = {"US": US_STATE_ZONES, "CA": CANADA_PROVINCE_ZONES}


@cache
def time_zone_choices() -> tuple[str, ...]:
    """The IANA zones a person picks from (by area, e.g. America/Chicago), sorted, and UTC."""
    names = zoneinfo.available_timezones()
    return (*sorted(n for n in names if n.startswith(_AREAS)), "UTC")


@cache
def _country_zones() -> dict[str, tuple[str, ...]]:
    try:
        text = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    zones: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _, name = line.split("\t")[:3]
        zones.setdefault(code, []).append(name)
    return {code: tuple(names) for code, names in zones.items()}


def zone_for_place(*, country: str, region: str) -> str | None:
    """The zone of a place from its ISO country code and its state or province code (either
    may be blank); None when it cannot be told (a country with several zones and no state)."""
    country, region = country.strip().upper(), region.strip().upper()
    if region in US_STATE_ZONES and country in ("", "US"):
        return US_STATE_ZONES[region]
    if region in REGION_ZONES.get(country, {}):
        return REGION_ZONES[country][region]
    zones = _country_zones().get(country, ())
    return zones[0] if len(zones) == 1 else None


def zone_for_program(program) -> str | None:
    """The zone a program's interview times are most likely given in: its own place (a CaRMS
    site) or else its institution's."""
    institution = program.institution
    for country, region in (
        (program.country, program.region),
        (institution.country, institution.region),
    ):
        if country or region:
            zone = zone_for_place(country=country, region=region)
            if zone:
                return zone
    return None
