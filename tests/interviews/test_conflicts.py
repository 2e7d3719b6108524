"""find_conflicts() on plain slots: overlap, same local day, travel between far cities on
consecutive days (unknown distance still flagged), each pair once."""

import datetime

from medmatch.interviews.conflicts import Slot, find_conflicts
from tests.interviews.conftest import at

DAY = datetime.date(2025, 11, 3)
BOSTON = {"city": "Boston", "latitude": 42.36, "longitude": -71.06}
CAMBRIDGE = {"city": "Cambridge", "latitude": 42.37, "longitude": -71.11}
CHICAGO = {"city": "Chicago", "latitude": 41.88, "longitude": -87.63}


def slot(id_, start, minutes=60, zone="America/New_York", **fields) -> Slot:
    return Slot(
        id=id_,
        label=f"Program {id_}",
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=minutes),
        time_zone=zone,
        **fields,
    )


def _kinds(slots):
    return [(c.kind, c.first.id, c.second.id) for c in find_conflicts(slots)]


def test_it_flags_two_interviews_on_the_same_day():
    assert _kinds([slot(1, at(DAY, 9)), slot(2, at(DAY, 14))]) == [("same_day", 1, 2)]


def test_it_flags_overlapping_times_across_time_zones_once():
    # 10:00 in New York is 9:00 in Chicago: the two hours overlap.
    slots = [slot(1, at(DAY, 10)), slot(2, at(DAY, 9, "America/Chicago"), zone="America/Chicago")]
    assert _kinds(slots) == [("overlap", 1, 2)]


def test_it_uses_each_interviews_local_day():
    # 23:00 in Los Angeles is already the next day in UTC, but the same local day as 8:00 there.
    late = slot(1, at(DAY, 23, "America/Los_Angeles"), zone="America/Los_Angeles")
    early = slot(2, at(DAY, 8, "America/Los_Angeles"), zone="America/Los_Angeles")
    assert _kinds([late, early]) == [("same_day", 2, 1)]


def test_it_flags_travel_between_far_cities_on_consecutive_days():
    boston = slot(1, at(DAY, 9), in_person=True, **BOSTON)
    chicago = slot(2, at(DAY + datetime.timedelta(days=1), 9), in_person=True, **CHICAGO)
    (conflict,) = find_conflicts([chicago, boston])
    assert conflict.kind == "travel" and conflict.first is boston
    assert 1_300 < conflict.distance_km < 1_400
    assert "Boston" in conflict.message and "Chicago" in conflict.message


def test_it_does_not_flag_near_cities_virtual_interviews_or_a_free_day_between():
    next_day = DAY + datetime.timedelta(days=1)
    near = [
        slot(1, at(DAY, 9), in_person=True, **BOSTON),
        slot(2, at(next_day, 9), in_person=True, **CAMBRIDGE),
    ]
    virtual = [slot(1, at(DAY, 9), **BOSTON), slot(2, at(next_day, 9), in_person=True, **CHICAGO)]
    apart = [
        slot(1, at(DAY, 9), in_person=True, **BOSTON),
        slot(2, at(DAY + datetime.timedelta(days=2), 9), in_person=True, **CHICAGO),
    ]
    assert _kinds(near) == _kinds(virtual) == _kinds(apart) == []


def test_it_flags_travel_when_a_citys_distance_is_unknown():
    boston = slot(1, at(DAY, 9), in_person=True, **BOSTON)
    nowhere = slot(2, at(DAY + datetime.timedelta(days=1), 9), in_person=True, city="Smallville")
    (conflict,) = find_conflicts([boston, nowhere])
    assert conflict.kind == "travel" and conflict.distance_km is None
    assert "unknown distance" in conflict.message


def test_it_leaves_its_input_unchanged():
    slots = [slot(2, at(DAY, 14)), slot(1, at(DAY, 9))]
    find_conflicts(slots)
    assert [s.id for s in slots] == [2, 1]
