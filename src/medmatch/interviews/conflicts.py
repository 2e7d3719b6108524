"""Clashes in an interview schedule, from plain data (no ORM), so they can be tested alone.

Three kinds, most serious first:

- ``overlap``: two interviews whose times overlap (compared in UTC, so time zones cannot hide it);
- ``same_day``: two interviews on the same local day (each in its own time zone), which leaves
  little room for a late start, a tour or a social event;
- ``travel``: two in-person interviews on consecutive local days in cities more than
  ``TRAVEL_KM`` apart (great-circle distance) — a flight or a long drive in between. When a city
  could not be located the distance is unknown, and two *different* city names are still flagged
  (unknown is not "close").

A pair is reported once, under its most serious kind.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from itertools import combinations

from medmatch.lib.geo import haversine_km

# Further than this between consecutive days' in-person interviews is a travel day; 300 km is
# about three hours by road, or a flight.
TRAVEL_KM = 300


@dataclass(frozen=True)
class Slot:
    id: int
    label: str
    starts_at: datetime.datetime  # aware
    ends_at: datetime.datetime  # aware
    time_zone: str
    in_person: bool = False
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @property
    def local_day(self) -> datetime.date:
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone)).date()


@dataclass(frozen=True)
class Conflict:
    kind: str  # "overlap", "same_day" or "travel"
    first: Slot
    second: Slot
    message: str
    distance_km: float | None = None

    def involves(self, slot_id: int) -> bool:
        return slot_id in (self.first.id, self.second.id)

    def other(self, slot_id: int) -> Slot:
        return self.second if self.first.id == slot_id else self.first


def distance_km(a: Slot, b: Slot) -> float | None:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return None
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)


def _same_city(a: Slot, b: Slot) -> bool:
    return a.city.casefold() == b.city.casefold()


def _conflict(a: Slot, b: Slot, travel_km: float) -> Conflict | None:
    if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
        return Conflict("overlap", a, b, f"The times of “{a.label}” and “{b.label}” overlap.")
    if a.local_day == b.local_day:
        day = f"{a.local_day.day} {a.local_day:%b %Y}"
        message = f"“{a.label}” and “{b.label}” are on the same day ({day})."
        distance = distance_km(a, b) if a.in_person and b.in_person else None
        if distance is not None and distance > travel_km:
            message += f" They are {distance:,.0f} km apart."
        return Conflict("same_day", a, b, message, distance)
    if not (a.in_person and b.in_person) or abs((a.local_day - b.local_day).days) != 1:
        return None
    if not a.city or not b.city or _same_city(a, b):
        return None
    distance = distance_km(a, b)
    first, second = (a, b) if a.local_day < b.local_day else (b, a)
    if distance is None:
        how_far = "an unknown distance"
    elif distance > travel_km:
        how_far = f"{distance:,.0f} km"
    else:
        return None
    return Conflict(
        "travel",
        first,
        second,
        f"Travel: “{first.label}” in {first.city} and “{second.label}” in {second.city} the next "
        f"day are {how_far} apart.",
        distance,
    )


def find_conflicts(slots, *, travel_km: float = TRAVEL_KM) -> list[Conflict]:
    """Every clashing pair of ``slots`` (in any order), sorted by the earlier start; each pair
    once, under its most serious kind."""
    ordered = sorted(slots, key=lambda slot: (slot.starts_at, slot.id))
    found = [_conflict(a, b, travel_km) for a, b in combinations(ordered, 2)]
    return [conflict for conflict in found if conflict is not None]
