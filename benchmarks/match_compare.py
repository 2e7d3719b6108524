"""Compare medmatch's deferred acceptance with the `matching` library (daffidwilde).

Run: uv run --group bench python benchmarks/match_compare.py [--sizes 5000 20000] [--runs 5]

For generated NRMP-like instances without couples it solves the hospital/resident problem with
both libraries (`matching.games.HospitalResident`, resident-optimal), checks that the matchings
are identical, and prints median times and the speed ratio. The `matching` library gets
preference lists reduced to mutually acceptable pairs, which it requires.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import warnings


def _median_time(function, runs: int) -> tuple[float, object]:
    times = []
    value = None
    for _ in range(runs):
        began = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), value


def compare(applicants: int, runs: int, their_runs: int) -> dict:
    from medmatch.matching.compact import to_compact
    from medmatch.matching.generator import generate
    from medmatch.matching.solver import solve

    instance = generate(applicants, 0, seed=1)
    ci = to_compact(instance)
    ours_seconds, ours = _median_time(lambda: solve(ci, "nrmp"), runs)

    ranked_by = {p.id: set(p.ranking) for p in instance.programs}
    residents = {a.id: [p for p in a.ranking if a.id in ranked_by[p]] for a in instance.applicants}
    residents = {a: prefs for a, prefs in residents.items() if prefs}  # it needs non-empty lists
    wanted_by = {a.id: set(a.ranking) for a in instance.applicants if a.id in residents}
    hospitals = {
        p.id: [a for a in p.ranking if a in wanted_by and p.id in wanted_by[a]]
        for p in instance.programs
    }
    capacities = {p.id: p.capacity for p in instance.programs}

    from matching.games import HospitalResident

    def theirs_solve():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
            built = time.perf_counter()
            solution = game.solve(optimal="resident")
            return built, solution

    setup_times = []
    solve_times = []
    solution = None
    for _ in range(their_runs):
        began = time.perf_counter()
        built, solution = theirs_solve()
        ended = time.perf_counter()
        setup_times.append(built - began)
        solve_times.append(ended - built)
    theirs_assignment = dict.fromkeys(residents)
    for hospital, matched in solution.items():
        for resident in matched:
            theirs_assignment[resident.name] = hospital.name
    ours_listed = {a: p for a, p in ours.assignment.items() if a in residents}
    ours_rest = {p for a, p in ours.assignment.items() if a not in residents}
    identical = theirs_assignment == ours_listed and ours_rest <= {None}
    their_solve = statistics.median(solve_times)
    their_total = their_solve + statistics.median(setup_times)
    return {
        "applicants": applicants,
        "programs": len(instance.programs),
        "ours_solve_s": ours_seconds,
        "theirs_solve_s": their_solve,
        "theirs_with_setup_s": their_total,
        "ratio_solve": their_solve / ours_seconds,
        "ratio_with_setup": their_total / ours_seconds,
        "identical": identical,
    }


def _in_big_stack(function):
    # `matching` deep-copies its linked player objects recursively: give it room.
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 29)
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("value", function()))
    thread.start()
    thread.join()
    return box["value"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 20_000])
    parser.add_argument("--runs", type=int, default=5, help="medmatch runs (median)")
    parser.add_argument("--their-runs", type=int, default=1, help="matching-library runs")
    args = parser.parse_args()
    print("medmatch vs matching (daffidwilde) HospitalResident, resident-optimal, no couples")
    print(
        f"{'applicants':>10} {'programs':>8} {'medmatch s':>11} {'matching s':>11} "
        f"{'+setup s':>9} {'ratio':>8} {'+setup':>8} identical"
    )
    for size in args.sizes:
        row = _in_big_stack(lambda size=size: compare(size, args.runs, args.their_runs))
        print(
            f"{row['applicants']:>10} {row['programs']:>8} {row['ours_solve_s']:>11.4f} "
            f"{row['theirs_solve_s']:>11.2f} {row['theirs_with_setup_s']:>9.2f} "
            f"{row['ratio_solve']:>7.0f}x {row['ratio_with_setup']:>7.0f}x {row['identical']}"
        )


if __name__ == "__main__":
    main()
