"""Time the recommendations page on the full built-in catalog (target: p95 under 200 ms).

    uv run python benchmarks/recommendations_page.py            # a temp SQLite file, imported
    uv run python benchmarks/recommendations_page.py --requests 400
    DATABASE_URL=postgres://... uv run python benchmarks/recommendations_page.py

Without DATABASE_URL the built-in catalog is imported into a fresh SQLite file in /tmp (about
40 s). A student with answers to most questions is logged in through the Django test Client, and
the page is requested with varied filters, what-if weights and pages; the server time of each
request (the Client runs the whole middleware and view stack in process) is recorded. Also
printed: the time to build the fit features from the catalog (once per process and catalog
version) and the time of a cached lookup.
"""

import argparse
import random
import statistics
import sys
import time

from _catalog_site import set_up_site

GOALS = {
    "format": "medmatch-goals/1",
    "objective": {"value": "clinical", "weight": 3},
    "specialties": {
        "interests": [{"specialty": "140", "weight": 5}, {"specialty": "320", "weight": 3}],
        "weight": 5,
    },
    "setting": {"value": "academic", "weight": 2},
    "location": {
        "places": [
            {"latitude": 42.3601, "longitude": -71.0589, "radius_km": 300, "label": "Boston, MA"}
        ],
        "weight": 4,
    },
    "countries": {"codes": ["US", "CA"], "weight": 0, "dealbreaker": True},
    "international": {"home_country": "US", "openness": "home", "weight": 1},
    "length": {"min_months": 12, "max_months": 48, "weight": 1},
    "hours": {"pace": "steady", "max_weekly_hours": 70, "weight": 2, "dealbreaker": True},
    "stipend": {"min_amount": 55000, "weight": 2},
    "visa": {"needed": "j1", "weight": 3},
    "residency": {"specialty": "140", "affiliation": True, "weight": 2},
}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    set_up_site()
    from django.test import Client

    from medmatch.accounts.models import User
    from medmatch.goals import fitting
    from medmatch.goals.models import GoalProfile

    fitting.clear_cache()
    built = fitting.catalog_features_with_timing()
    started = time.perf_counter()
    for _ in range(20):
        fitting.catalog_features()
    cached = (time.perf_counter() - started) / 20
    print(f"features build: {built.seconds * 1000:.0f} ms for {len(built.features)} programs")
    print(f"features lookup when cached (version check): {cached * 1000:.1f} ms")

    user, _ = User.objects.get_or_create(
        username="bench-student", defaults={"email": "bench-student@example.invalid"}
    )
    GoalProfile.objects.update_or_create(student=user, defaults={"data": GOALS})
    client = Client()
    client.force_login(user)

    rng = random.Random(4)
    specialties = ["", "", "", "140", "320", "040"]
    countries = ["", "", "US", "CA"]
    types = ["", "", "", "residency"]
    weights = ["specialties", "location", "setting", "hours", "visa", "stipend"]
    times = []
    for n in range(args.requests):
        params = {}
        if rng.random() < 0.5:
            params["specialty"] = rng.choice(specialties)
            params["country"] = rng.choice(countries)
            params["program_type"] = rng.choice(types)
        if rng.random() < 0.5:
            params[f"w_{rng.choice(weights)}"] = str(rng.randint(0, 5))
        if rng.random() < 0.2:
            params["page"] = str(rng.randint(2, 5))
        headers = {"HX-Request": "true", "HX-Target": "results"} if n % 2 else {}
        started = time.perf_counter()
        response = client.get("/goals/", params, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            print(f"request {n} {params}: HTTP {response.status_code}", file=sys.stderr)
            return 1
    median, p95 = statistics.median(times), percentile(times, 0.95)
    print(
        f"recommendations page, {len(times)} requests: median {median:.0f} ms, "
        f"p95 {p95:.0f} ms, max {max(times):.0f} ms (target p95 < 200 ms: "
        f"{'met' if p95 < 200 else 'MISSED'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
