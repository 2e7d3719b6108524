"""The interview form's time zones: the IANA list a person chooses from, and the zone of a
program's place from its state, province or country."""

import zoneinfo

import pytest

from medmatch.interviews.time_zones import (
    CANADA_PROVINCE_ZONES,
    US_STATE_ZONES,
    time_zone_choices,
    zone_for_place,
)


@pytest.mark.parametrize(
    ("country", "region", "zone"),
    [
        ("US", "IL", "America/Chicago"),
        ("", "ma", "America/New_York"),  # no country: a US state code is enough
        ("US", "AZ", "America/Phoenix"),
        ("US", "HI", "Pacific/Honolulu"),
        ("CA", "ON", "America/Toronto"),
        ("CA", "BC", "America/Vancouver"),
        ("IE", "", "Europe/Dublin"),  # one zone in the country
        ("IN", "", "Asia/Kolkata"),
        ("AU", "", None),  # several zones and no state: the student chooses
        ("US", "", None),
        ("", "", None),
    ],
)
def test_it_tells_the_zone_of_a_place(country, region, zone):
    assert zone_for_place(country=country, region=region) == zone


def test_it_only_names_real_zones_and_offers_them_all():
    choices = time_zone_choices()
    assert list(choices[:-1]) == sorted(choices[:-1]) and choices[-1] == "UTC"
    for zone in [*US_STATE_ZONES.values(), *CANADA_PROVINCE_ZONES.values()]:
        zoneinfo.ZoneInfo(zone)
        assert zone in choices
    assert "US/Eastern" not in choices and "Etc/GMT+5" not in choices
