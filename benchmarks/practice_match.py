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
the list builder through the Django test Client (form, run, save, redirect). Medians (and the
slowest round) are printed in wall time, and the median CPU time of this process: its own work,
which other programs on a shared machine do not stretch.
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
    labels = {
        "catalog": "reading the tracks",
        "market": "generating the competitors",
        "run": "run + explanation + reruns",
        "total": "market + run + reruns",
        "post": "whole POST (form, run, save)",
    }
    wall: dict[str, list[float]] = {name: [] for name in labels}
    cpu: dict[str, list[float]] = {name: [] for name in labels}

    def clocks() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    for round_number in range(args.rounds + 1):  # round 0 warms imports and caches
        seed = 1000 + round_number
        started = clocks()
        programs, notes = market_programs(specialty, seed=seed)
        read = clocks()
        market = generated_market(programs, seed=seed, strength="average", notes=notes)
        built = clocks()
        ranking = [p.id for p in random.Random(seed).sample(programs, MAX_LIST)]
        summary = run_single(market, ranking)
        done = clocks()
        data = {"market": "generated", "specialty": specialty.pk, "seed": seed}
        data.update({f"rank_{pid}": rank for rank, pid in enumerate(ranking, start=1)})
        posted = clocks()
        response = client.post("/match/practice/new/", data)
        answered = clocks()
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
        for name, (first, last) in (
            ("catalog", (started, read)),
            ("market", (read, built)),
            ("run", (built, done)),
            ("total", (started, done)),
            ("post", (posted, answered)),
        ):
            wall[name].append(last[0] - first[0])
            cpu[name].append(last[1] - first[1])
    print(f"medians of {args.rounds} markets, wall time and this process's CPU time:")
    for name, label in labels.items():
        print(
            f"  {label:<30} wall {statistics.median(wall[name]) * 1000:7.1f} ms "
            f"(slowest {max(wall[name]) * 1000:7.1f})   "
            f"CPU {statistics.median(cpu[name]) * 1000:7.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
