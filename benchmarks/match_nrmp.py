"""The matching engine at the scale of the 2025 NRMP Main Match.

Run: uv run --group bench python benchmarks/match_nrmp.py [--runs 5]

2025 Main Match: 52,498 registered applicants, 6,626 program tracks, 43,237 positions, about 1,100
couples. For a generated instance of that size, with and without couples, prints medians over
``--runs`` runs of: in-process load / solve / statistics+write times, and whole-process
``medmatch match run`` wall time and peak memory (from os.wait4 of the child), plus the phase times
the command reports and whether the independent checker finds the result valid and stable.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APPLICANTS = 52_498
PROGRAMS = 6_626
POSITIONS = 43_237
COUPLES = 1_100


def _command() -> list[str]:
    script = shutil.which("medmatch") or str(Path(sys.executable).with_name("medmatch"))
    if Path(script).exists():
        return [script]
    return [sys.executable, "-m", "medmatch.matching"]


def _child(arguments: list[str], environment: dict) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak resident memory (MB) of one child process.

    Memory comes from /usr/bin/time when present: the rusage of a forked child would also count
    the memory of this (large) benchmark process before the exec."""
    timer = shutil.which("time") or "/usr/bin/time"
    wrapped = Path(timer).exists()
    command = [timer, "-f", "%M %U %S", *arguments] if wrapped else arguments
    began = time.perf_counter()
    child = subprocess.run(command, capture_output=True, text=True, env=environment)
    wall = time.perf_counter() - began
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(arguments)} exited {child.returncode}: {child.stderr}")
    if wrapped:
        memory_kb, user, system = child.stderr.strip().splitlines()[-1].split()
        return wall, float(user) + float(system), int(memory_kb) // 1024
    return wall, float("nan"), 0


def _median(values: list[float]) -> float:
    return statistics.median(values)


def measure(couples: int, runs: int, directory: Path) -> dict:
    from medmatch.matching.checker import check
    from medmatch.matching.compact import dump_compact, expand, load_any, to_compact
    from medmatch.matching.generator import generate
    from medmatch.matching.result import dump, to_dict, with_statistics
    from medmatch.matching.solver import solve

    instance = generate(
        APPLICANTS,
        couples,
        seed=1,
        programs=PROGRAMS,
        positions_per_applicant=POSITIONS / APPLICANTS,
    )
    path = directory / f"nrmp-{couples}.json"
    dump_compact(to_compact(instance), path)
    loads, solves, writes = [], [], []
    result = None
    for _ in range(runs):
        began = time.perf_counter()
        ci = load_any(path)
        loaded = time.perf_counter()
        result = solve(ci, "nrmp")
        solved = time.perf_counter()
        dump(to_dict(with_statistics(ci, result)), directory / "in-process.json")
        written = time.perf_counter()
        loads.append(loaded - began)
        solves.append(solved - loaded)
        writes.append(written - solved)
    began = time.perf_counter()
    report = check(expand(ci), result)
    check_seconds = time.perf_counter() - began

    out = directory / f"result-{couples}.json"
    arguments = [*_command(), "match", "run", str(path), "--rules", "nrmp", "--out", str(out)]
    # Two settings: the environment as it is (where PYTHONDONTWRITEBYTECODE=1, every process
    # compiles numpy from source), and with a private bytecode cache, as a normal install has.
    cached = {**os.environ, "PYTHONPYCACHEPREFIX": str(directory / "pycache")}
    cached.pop("PYTHONDONTWRITEBYTECODE", None)
    _child(arguments, cached)  # fills the cache
    measured = {}
    for setting, environment in (("as_is", dict(os.environ)), ("bytecode", cached)):
        walls, cpus, memories, phases = [], [], [], []
        for _ in range(runs):
            wall, cpu, memory = _child(arguments, environment)
            walls.append(wall)
            cpus.append(cpu)
            memories.append(memory)
            phases.append(json.loads(out.read_text())["statistics"])
        measured[setting] = (walls, cpus, memories, phases)
    walls, cpus, memories, phases = measured["bytecode"]
    cold_walls = measured["as_is"][0]
    stats = phases[-1]
    return {
        "couples": couples,
        "programs": len(instance.programs),
        "positions": sum(p.capacity for p in instance.programs),
        "list_entries": sum(len(a.ranking) for a in instance.applicants)
        + sum(len(c.ranking) for c in instance.couples),
        "status": result.status,
        "valid": report.valid,
        "stable": report.stable,
        "check_s": check_seconds,
        "load_s": _median(loads),
        "solve_s": _median(solves),
        "write_s": _median(writes),
        "process_wall_s": _median(walls),
        "process_wall_as_is_s": _median(cold_walls),
        "process_cpu_s": _median(cpus),
        "process_peak_mb": _median(memories),
        "cli_load_s": _median([p["load_seconds"] for p in phases]),
        "cli_solve_s": _median([p["solve_seconds"] for p in phases]),
        "cli_statistics_s": _median([p["statistics_seconds"] for p in phases]),
        "matched_percent": stats["matched_percent"],
        "filled_percent": stats["filled_percent"],
        "couples_placed": stats["couples_placed"],
        "file_mb": path.stat().st_size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        rows = [measure(c, args.runs, Path(temporary)) for c in (COUPLES, 0)]
    print(f"NRMP-scale instance: {APPLICANTS:,} applicants, medians over {args.runs} runs")
    print(f"command: {' '.join(_command())} match run INSTANCE --rules nrmp --out RESULT")
    for row in rows:
        print(
            f"\n{row['couples']:,} couples: {row['programs']:,} programs, {row['positions']:,} "
            f"positions, {row['list_entries']:,} list entries, compact file {row['file_mb']:.1f} MB"
        )
        print(
            f"  result: {row['status']}; checker: valid={row['valid']} stable={row['stable']} "
            f"({row['check_s']:.1f} s); matched {row['matched_percent']}%, filled "
            f"{row['filled_percent']}%, couples placed {row['couples_placed']:,}"
        )
        print(
            f"  in-process: load {row['load_s']:.3f} s, solve {row['solve_s']:.3f} s, "
            f"statistics+write {row['write_s']:.3f} s"
        )
        print(
            f"  whole process: wall {row['process_wall_s']:.3f} s (cpu {row['process_cpu_s']:.3f} "
            f"s), peak memory {row['process_peak_mb']} MB; inside it load "
            f"{row['cli_load_s']:.3f} s, solve {row['cli_solve_s']:.3f} s, statistics "
            f"{row['cli_statistics_s']:.3f} s"
        )
        print(
            f"  whole process without a bytecode cache (PYTHONDONTWRITEBYTECODE=1 here): wall "
            f"{row['process_wall_as_is_s']:.3f} s"
        )


if __name__ == "__main__":
    main()
