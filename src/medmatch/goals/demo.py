"""The demo student: a ready-made account with filled goals, so a new user sees recommendations
at once. Marked ``is_demo``; every page it sees says the account is fictional.

The apps above goals (shortlist, applications, letters, interviews) fill in the rest of the
journey through ``register_demo_seeder`` from their ``AppConfig.ready()``, so the demo shows every
stage without goals importing them. A seeder takes the demo user and must be idempotent.
"""

from collections.abc import Callable

from django.db import transaction

from medmatch.accounts.models import User
from medmatch.goals.models import GoalProfile

DEMO_USERNAME = "demo"
DEMO_EMAIL = "demo@medmatch.invalid"
# Printed on the terminal and shown in the docs: the demo holds nothing private.
DEMO_PASSWORD = "medmatch-demo"

# An exploring student interested in internal medicine and pediatrics, near Boston.
DEMO_GOALS = {
    "format": "medmatch-goals/1",
    "objective": {"value": "exploring", "weight": 3, "dealbreaker": False},
    "specialties": {
        "interests": [{"specialty": "140", "weight": 5}, {"specialty": "320", "weight": 4}],
        "exploring": True,
        "weight": 5,
        "dealbreaker": False,
    },
    "setting": {"value": "academic", "weight": 2, "dealbreaker": False},
    "teaching": {"value": "high", "weight": 2, "dealbreaker": False},
    "area": {"value": "city", "weight": 1, "dealbreaker": False},
    "rent": {"max_monthly": 2200, "weight": 2, "dealbreaker": False},
    "location": {
        "places": [
            {
                "latitude": 42.3601,
                "longitude": -71.0589,
                "radius_km": 250,
                "label": "Boston, MA",
            }
        ],
        "weight": 4,
        "dealbreaker": False,
    },
    "countries": {"codes": ["US", "CA"], "weight": 0, "dealbreaker": True},
    "hours": {"pace": "steady", "max_weekly_hours": 70, "weight": 2, "dealbreaker": False},
    "residency": {"specialty": None, "affiliation": True, "weight": 2, "dealbreaker": False},
}
DEMO_STEPS = ["objective", "specialties", "place", "schedule", "practical", "residency"]

_SEEDERS: list[Callable[[User], None]] = []


def register_demo_seeder(seeder: Callable[[User], None]) -> None:
    """Add an idempotent ``seeder(user)`` run by every ``create_demo`` after the goals."""
    if seeder not in _SEEDERS:
        _SEEDERS.append(seeder)


@transaction.atomic
def create_demo() -> tuple[User, bool]:
    """Create or refresh the demo student and its goals; returns (user, created)."""
    user, created = User.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"email": DEMO_EMAIL, "first_name": "Demo", "last_name": "Student"},
    )
    if not user.is_demo and not created:
        raise ValueError(
            f"A real account called {DEMO_USERNAME!r} exists; the demo will not overwrite it."
        )
    user.is_demo = True
    user.role = User.Role.STUDENT
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    profile, _ = GoalProfile.objects.get_or_create(student=user)
    profile.data = dict(DEMO_GOALS)
    profile.completed_steps = list(DEMO_STEPS)
    profile.full_clean()
    profile.save()
    for seeder in _SEEDERS:
        seeder(user)
    return user, created


def ensure_demo() -> None:
    """On first start (no user yet), create the demo student and say how to log in."""
    if User.objects.exists():
        return
    create_demo()
    print(
        f"Created the demo student: log in as “{DEMO_USERNAME}” with the password "
        f"“{DEMO_PASSWORD}” to see recommendations at once."
    )
