"""Small factories for the fit engine tests: plain rows and goals, no database."""

from medmatch.fit import (
    Goals,
    Hours,
    Location,
    Place,
    Setting,
    Specialties,
    SpecialtyInterest,
    build_features,
)

BOSTON = Place(42.3601, -71.0589, 300, "Boston, MA")
NAMES = {"cardio": "Cardiology", "im": "Internal Medicine", "surg": "Surgery", "peds": "Pediatrics"}


def make_row(program_id, **facts):
    """A program row with only the given facts known (everything else unknown)."""
    return {"id": program_id, **facts}


def make_features(*rows):
    return build_features(rows, NAMES)


def make_goals(**answers):
    """Goals for a cardiology-minded student who wants an academic setting near Boston."""
    defaults = {
        "specialties": Specialties(interests=(SpecialtyInterest("cardio", 5),), weight=5),
        "setting": Setting("academic", weight=2),
        "location": Location(places=(BOSTON,), weight=3),
        "hours": Hours(max_weekly_hours=60, weight=2),
    }
    defaults.update(answers)
    return Goals(**{k: v for k, v in defaults.items() if v is not None})
