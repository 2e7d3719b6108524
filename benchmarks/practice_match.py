"""Time a practice match in the generated market of the largest specialty (target: well under a
second for building the market, the run and its reruns).

    uv run python benchmarks/practice_match.py                 # a temp SQLite file, imported
    DATABASE_URL=postgres://... uv run python benchmarks/practice_match.py --rounds 9

Without DATABASE_URL the built-in catalog is imported into a fresh SQLite file in /tmp (about
40 s). The specialty with the most residency tracks is used (Internal Medicine: a sample of 500
tracks, about 3,000 positions and 3,600 generated competitors); a student ranks 20 of its tracks
(the practice list's longest), drawn with a fixed seed, and each round uses a new market seed.
Each round times, in process: reading the tracks from the catalog, generating the competitors,
the run with its 20 reruns (19 programs moved to the top, the top third), and the whole POST of
the list builder through the Django test Client (form, run, save, redirect). Medians and the
slowest round are printed, in wall time and, for market + run + reruns, in CPU time too (the
process's own work, which other programs on a shared machine do not stretch).
"""

import argparse
import random
import statistics
import sys
import time

from _catalog_site import set_up_site


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="markets to time")
    args = parser.parse_args()
    set_up_site()
    from django.db.models import Count
    from django.test import Client

    from medmatch.accounts.models import User
    from medmatch.catalog.models import Specialty
    from medmatch.cycles.forms import MAX_LIST
    from medmatch.cycles.markets import generated_market
    from medmatch.cycles.practice import run_single
    from medmatch.cycles.selectors import market_programs, residency_tracks

    top = (
        residency_tracks()
        .filter(specialty__isnull=False)
        .values("specialty")
        .annotate(tracks=Count("pk"))
        .order_by("-tracks")
        .first()
    )
    if top is None:
        print("the catalog has no residency tracks", file=sys.stderr)
        return 1
    specialty = Specialty.objects.get(pk=top["specialty"])
    user, _ = User.objects.get_or_create(
        username="practice-bench", defaults={"email": "practice-bench@example.org"}
    )
    client = Client()
    client.force_login(user)
    figures: dict[str, list[float]] = {
        "catalog": [],
        "market": [],
        "run": [],
        "total": [],
        "total_cpu": [],
        "post": [],
    }
    for round_number in range(args.rounds + 1):  # round 0 warms imports and caches
        seed = 1000 + round_number
        started, started_cpu = time.perf_counter(), time.process_time()
        programs, notes = market_programs(specialty, seed=seed)
        read = time.perf_counter()
        market = generated_market(programs, seed=seed, strength="average", notes=notes)
        built = time.perf_counter()
        ranking = [p.id for p in random.Random(seed).sample(programs, MAX_LIST)]
        summary = run_single(market, ranking)
        done, done_cpu = time.perf_counter(), time.process_time()
        data = {"market": "generated", "specialty": specialty.pk, "seed": seed}
        data.update({f"rank_{pid}": rank for rank, pid in enumerate(ranking, start=1)})
        posted = time.perf_counter()
        response = client.post("/match/practice/new/", data)
        answered = time.perf_counter()
        if response.status_code != 302:
            print(f"POST: HTTP {response.status_code}", file=sys.stderr)
            return 1
        if round_number == 0:
            print(
                f"{specialty.name}: {len(programs)} programs, {market.positions} positions, "
                f"{len(market.rivals)} competitors; a list of {len(ranking)}, "
                f"{summary['reruns']} reruns; moving up never hurt: {summary['never_worse']}"
            )
            continue
        for name, seconds in (
            ("catalog", read - started),
            ("market", built - read),
            ("run", done - built),
            ("total", done - started),
            ("total_cpu", done_cpu - started_cpu),
            ("post", answered - posted),
        ):
            figures[name].append(seconds)
    labels = {
        "catalog": "reading the tracks",
        "market": "generating the competitors",
        "run": "run + explanation + reruns",
        "total": "market + run + reruns",
        "total_cpu": "the same, CPU time of the process",
        "post": "whole POST (form, run, save)",
    }
    print(f"medians of {args.rounds} markets (slowest in brackets):")
    for name, values in figures.items():
        print(
            f"  {labels[name]:<36} {statistics.median(values) * 1000:7.1f} ms "
            f"({max(values) * 1000:.1f} ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
