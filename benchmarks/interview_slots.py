"""Interview slot assignment benchmark: 1,000 invited students, 400 slots, then cancellations.

Run: ``uv run --group bench python benchmarks/interview_slots.py [--students N] [--slots M]
[--runs R] [--strict]``

Prints the median in-process time of ``assign`` (validation, the engine instance, deferred
acceptance, waitlists) and of ``cancel`` (one student cancels, the chain of moves follows) over
cancellations of 25 assigned students drawn with the seed, each from the same assigned state.
Target (issue 15): the assignment in under a second; the line says OK or MISSED, and ``--strict``
exits 1 on a miss. The result is checked stable by the engine's checker, outside the timing.

Synthetic round, fixed seed: slots are spread over interview days of 20 slots each (9:00 onward,
every 20 minutes; capacity 1); each student can come on 1-4 days and ranks 40-90% of the slots of
those days (median list about 30 slots), the morning slots of each day more often and higher,
so the popular slots are contested.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from medmatch.matching.checker import check
from medmatch.matching.result import STABLE, Result
from medmatch.matching.slots import Slot, SlotRound, assign, cancel, to_instance

SLOTS_PER_DAY = 20
TARGET_SECONDS = 1.0


def make_round(students: int, slots: int, seed: int) -> SlotRound:
    """A synthetic round (see the module docstring)."""
    rng = random.Random(seed)
    first_day = datetime(2027, 1, 4, 9, tzinfo=UTC)
    records = []
    for j in range(slots):
        day, index = divmod(j, SLOTS_PER_DAY)
        starts = first_day + timedelta(days=day, minutes=20 * index)
        records.append(Slot(f"slot-{j:04d}", 1, starts))
    days = [records[d : d + SLOTS_PER_DAY] for d in range(0, slots, SLOTS_PER_DAY)]
    priority = [f"student-{i:05d}" for i in range(students)]
    rng.shuffle(priority)
    rankings = {}
    for student in priority:
        chosen = rng.sample(days, min(len(days), rng.randint(1, 4)))
        candidates = [slot for day in chosen for slot in day]
        share = rng.uniform(0.4, 0.9)
        kept = [slot for slot in candidates if rng.random() < share]
        # morning first, with noise: sort by start hour plus a random jitter of up to 3 hours
        kept.sort(key=lambda slot: slot.starts_at.hour + rng.uniform(0, 3))
        rankings[student] = tuple(slot.id for slot in kept)
    return SlotRound(tuple(records), tuple(priority), rankings)


def _median(function, runs: int) -> tuple[float, object]:
    times = []
    value = None
    for _ in range(runs):
        began = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1_000)
    parser.add_argument("--slots", type=int, default=400)
    parser.add_argument("--runs", type=int, default=7, help="assignment runs (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args()

    round_ = make_round(args.students, args.slots, args.seed)
    lengths = sorted(len(ranking) for ranking in round_.rankings.values())
    assign_seconds, state = _median(lambda: assign(round_), args.runs)

    rng = random.Random(args.seed)
    chosen = rng.sample(sorted(state.assignment), min(25, len(state.assignment)))
    cancel_times = []
    chains = []
    for student in chosen:
        began = time.perf_counter()
        _, moves = cancel(state, student)
        cancel_times.append(time.perf_counter() - began)
        chains.append(len(moves) - 1)
    cancel_seconds = statistics.median(cancel_times) if cancel_times else 0.0

    capacities = {slot.id: slot.capacity for slot in round_.slots}
    assignment = {s: state.assignment.get(s) for s in round_.priority}
    stable = check(to_instance(round_), Result("nrmp", STABLE, assignment, capacities)).ok
    ok = assign_seconds < TARGET_SECONDS
    print(
        f"interview slots: {args.students} students, {args.slots} slots, ranked lists "
        f"median {lengths[len(lengths) // 2] if lengths else 0} "
        f"(min {lengths[0] if lengths else 0}, max {lengths[-1] if lengths else 0})"
    )
    print(
        f"  assign: median {assign_seconds * 1000:.1f} ms of {args.runs} runs; "
        f"{len(state.assignment)} assigned, {len(state.unassigned)} unassigned; stable {stable}"
    )
    slowest = max(cancel_times, default=0.0)
    print(
        f"  cancel: median {cancel_seconds * 1000:.1f} ms, max {slowest * 1000:.1f} ms over "
        f"{len(cancel_times)} cancellations; chain of moves median "
        f"{statistics.median(chains) if chains else 0:g}, max {max(chains, default=0)}"
    )
    print(f"  {'OK' if ok else 'MISSED'} (target: assignment < {TARGET_SECONDS:g} s)")
    if args.strict and not (ok and stable):
        sys.exit(1)


if __name__ == "__main__":
    main()
