"""A whole NRMP-scale match cycle in the database: read, solved, checked, explained and written
back, as the worker runs it (``cycles.running.run_match``). Target: under 15 s on PostgreSQL.

Run: ``uv run --group bench python benchmarks/match_cycle_db.py --postgres URL`` (``make bench``
passes ``BENCH_DATABASE_URL``; the tables are migrated there); without ``--postgres`` a fresh
SQLite file in /tmp. ``--applicants``, ``--couples``, ``--programs`` and ``--runs`` change the
size (default 52,000 applicants, 1,100 couples, 6,000 programs, 3 runs).

Set-up, not timed: the independent NRMP-like market of ``_nrmp_market.py`` (the engine
benchmark's, never the package's generator) written as rows — users, a locked cycle, its
programs (a few specialties advanced or preliminary), every single's certified rank list, every
couple's accepted link and certified joint list, every program's certified list — by COPY on
PostgreSQL (bulk inserts on SQLite). Advanced programs' applicants get a supplemental list of
three preliminary programs each, which rank them.

Timed, each run of the same locked cycle (each writes its own outcomes, as a re-run does): the
phases ``run_match`` reports — read (the lists into the engine's instance), solve (NRMP rules),
check (the independent checker), explain (every applicant's reasons), store (the outcomes in
one COPY, the run's summary and audit, one transaction) — and the total, wall clock, median of
``--runs``, with the processor time of this process per phase and that of the PostgreSQL
server process serving the run, per phase and in all (read from /proc when the server is on
this machine; its parallel query workers are not counted). The machine is shared: wall clock
is processor time plus waiting, so both are printed, with the load average. Before the runs
the tables are analysed (PostgreSQL), as autovacuum does after so many inserts.

Each run must finish valid, with the same outcomes; whether it is stable is printed. With
1,100 couples a stable matching need not exist (Roth 1984): in this market one couple's rows
and the singles between its members on one program's list form such a cycle; the engine holds
that couple and reports the result unstable, with that couple's blocking pair.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from _nrmp_market import SPECIALTIES, generate

ADVANCED = {"420", "060"}  # diagnostic radiology, dermatology: PGY-2 starts
PRELIMINARY = {"142", "442"}  # preliminary medicine and surgery
TARGET_SECONDS = 15.0


def set_up_django(postgres: str | None) -> None:
    if postgres:
        os.environ["DATABASE_URL"] = postgres
    else:
        path = Path(tempfile.mkdtemp(prefix="medmatch-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-production-use-0123")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medmatch.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Many rows at once: COPY on PostgreSQL, executemany in chunks elsewhere."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        for chunk in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[chunk : chunk + 50_000])


def write_cycle(market, seed: int):
    """The market as database rows of one locked cycle; returns the cycle."""
    from django.db import transaction
    from django.utils import timezone

    from medmatch.accounts.models import User
    from medmatch.catalog.models import Institution, Program, Source
    from medmatch.cycles.models import (
        CoupleLink,
        CouplePair,
        CoupleRankList,
        CycleProgram,
        MatchCycle,
        ProgramRankEntry,
        ProgramRankList,
        StudentRankEntry,
        StudentRankList,
    )

    rng = np.random.default_rng(seed)
    now = timezone.now()
    tag = f"bench{time.time_ns()}"
    codes = [code for code, _ in SPECIALTIES]
    specialty = [pid[4:7] for pid in market.program_ids]
    track = [
        "advanced" if s in ADVANCED else "preliminary" if s in PRELIMINARY else "categorical"
        for s in specialty
    ]
    assert set(specialty) <= set(codes)
    with transaction.atomic():
        source = Source.objects.create(
            key=tag,
            name="Benchmark",
            publisher="medmatch",
            url="https://example.org/bench.csv",
            license="Public domain",
            retrieved_on=datetime.date(2026, 1, 1),
        )
        institutions = Institution.objects.bulk_create(
            Institution(name=f"Benchmark Hospital {i}", source=source) for i in range(600)
        )
        programs = Program.objects.bulk_create(
            (
                Program(
                    title=f"Program {pid}",
                    institution=institutions[p % len(institutions)],
                    source=source,
                    track_type=track[p],
                )
                for p, pid in enumerate(market.program_ids)
            ),
            batch_size=2_000,
        )
        cycle = MatchCycle.objects.create(
            name=f"Benchmark cycle {tag}",
            state=MatchCycle.State.LOCKED,
            rank_lists_open_at=now - datetime.timedelta(days=60),
            certification_deadline=now - datetime.timedelta(days=1),
            match_day=now + datetime.timedelta(days=7),
        )
        entries = CycleProgram.objects.bulk_create(
            (
                CycleProgram(cycle=cycle, program=program, quota=market.capacity[p], track=track[p])
                for p, program in enumerate(programs)
            ),
            batch_size=2_000,
        )
        cp = [entry.pk for entry in entries]
        users = User.objects.bulk_create(
            (
                User(username=f"{tag}-{person}", email=f"{person}@{tag}.example", password="!")
                for person in market.applicant_ids
            ),
            batch_size=5_000,
        )
        uid = [user.pk for user in users]
        singles = range(market.n_singles)
        lists = StudentRankList.objects.bulk_create(
            (StudentRankList(cycle=cycle, student_id=uid[a], certified_at=now) for a in singles),
            batch_size=5_000,
        )
        # Supplemental lists: three preliminary programs for each advanced program ranked; those
        # programs rank the applicant (appended to their lists).
        preliminary = np.flatnonzero(np.array(track) == "preliminary")
        program_rankings = [list(ranking) for ranking in market.program_rankings]
        rows = []
        supplemental_lists = 0
        for a, rank_list in enumerate(lists):
            ranking = market.applicant_rankings[a]
            rows.extend((rank_list.pk, cp[p], rank, None) for rank, p in enumerate(ranking, 1))
            for p in ranking:
                if track[p] == "advanced":
                    chosen = rng.choice(preliminary, size=3, replace=False).tolist()
                    supplemental_lists += 1
                    for rank, q in enumerate(chosen, 1):
                        rows.append((rank_list.pk, cp[q], rank, cp[p]))
                        if a not in program_rankings[q]:
                            program_rankings[q].append(a)
        insert(StudentRankEntry, ["rank_list_id", "cycle_program_id", "rank", "primary_id"], rows)
        links = CoupleLink.objects.bulk_create(
            CoupleLink(
                cycle=cycle,
                proposer_id=uid[market.n_singles + 2 * c],
                partner_id=uid[market.n_singles + 2 * c + 1],
                partner_accepted_at=now,
            )
            for c in range(len(market.couple_ids))
        )
        joint = CoupleRankList.objects.bulk_create(
            CoupleRankList(link=link, certified_at=now) for link in links
        )
        insert(
            CouplePair,
            ["rank_list_id", "rank", "proposer_program_id", "partner_program_id"],
            [
                (
                    joint[c].pk,
                    rank,
                    cp[first] if first >= 0 else None,
                    cp[second] if second >= 0 else None,
                )
                for c, couple_rows in enumerate(market.couple_rows)
                for rank, (first, second) in enumerate(couple_rows, 1)
            ],
        )
        program_lists = ProgramRankList.objects.bulk_create(
            (ProgramRankList(cycle_program_id=pk, certified_at=now) for pk in cp), batch_size=2_000
        )
        insert(
            ProgramRankEntry,
            ["rank_list_id", "student_id", "rank"],
            [
                (program_lists[p].pk, uid[a], rank)
                for p, ranking in enumerate(program_rankings)
                for rank, a in enumerate(ranking, 1)
            ],
        )
    return cycle, supplemental_lists, sum(len(r) for r in program_rankings)


_backend_pid: list[int] = []


def backend_seconds() -> float | None:
    """Processor seconds of this connection's PostgreSQL server process so far (user and
    system, from /proc; its parallel workers are not counted), or None when it cannot be read
    (SQLite, a server on another machine)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    if not _backend_pid:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            _backend_pid.append(cursor.fetchone()[0])
    pid = _backend_pid[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime are the 14th and 15th fields; the split dropped the first two.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database URL")
    parser.add_argument("--applicants", type=int, default=52_000)
    parser.add_argument("--couples", type=int, default=1_100)
    parser.add_argument("--programs", type=int, default=6_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    set_up_django(args.postgres)
    from django.db import connection

    from medmatch.cycles import running
    from medmatch.cycles.models import MatchRun
    from medmatch.cycles.running import run_match

    # The server's processor seconds at the end of each phase: run_match reports each phase's
    # end through _set_progress (before that update is sent).
    marks: list[float] = []
    set_progress = running._set_progress

    def noting_progress(*args, **kwargs):
        seconds = backend_seconds()
        if seconds is not None:
            marks.append(seconds)
        return set_progress(*args, **kwargs)

    running._set_progress = noting_progress

    clock = time.perf_counter()
    market = generate(args.applicants, args.programs, args.couples, seed=args.seed)
    cycle, supplemental_lists, program_entries = write_cycle(market, args.seed)
    if connection.vendor == "postgresql":
        # What autovacuum does soon after so many rows arrive (a real cycle's lists arrive over
        # weeks): without statistics the planner takes the 540,000-entry join for a thousand
        # rows and sorts it on disk.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    set_up = time.perf_counter() - clock
    print(
        f"Match cycle in the database ({connection.vendor}): {args.applicants:,} applicants "
        f"({args.couples:,} couples), {args.programs:,} programs, "
        f"{sum(market.capacity):,} positions; {market.list_entries:,} applicant list entries, "
        f"{supplemental_lists:,} supplemental lists, {program_entries:,} program list entries"
        f" (set-up, not timed: {set_up:.1f} s). Load: {os.getloadavg()[0]:.2f}"
    )
    phases: dict[str, list[float]] = {}
    phase_processor: dict[str, list[float]] = {}
    phase_server: dict[str, list[float]] = {}
    totals = []
    processor = []
    server = []
    first = None
    for _ in range(args.runs):
        run = MatchRun.objects.create(cycle=cycle)
        backend = backend_seconds()
        marks.clear()
        clock, cpu = time.perf_counter(), time.process_time()
        seconds = run_match(run.pk)
        totals.append(time.perf_counter() - clock)
        processor.append(time.process_time() - cpu)
        if backend is not None:
            end = backend_seconds()
            server.append(end - backend)
            # marks: each phase's end but the store's (each phase's progress update, sent
            # after its mark, counts in the next phase).
            starts, ends = [backend, *marks], [*marks, end]
            for phase, a, b in zip(seconds["processor"], starts, ends, strict=True):
                phase_server.setdefault(phase, []).append(b - a)
        run.refresh_from_db()
        if run.status != MatchRun.Status.DONE:
            raise SystemExit(f"run {run.pk} failed: {run.error}")
        if not run.check_report["valid"]:
            raise SystemExit(f"run {run.pk} is not valid: {run.check_report['violations']}")
        outcome = sorted(run.outcomes.values_list("student_id", "cycle_program_id"))
        if first is not None and outcome != first:
            raise SystemExit("a second run of the same locked cycle gave another result")
        first = outcome
        for phase, value in seconds.pop("processor", {}).items():
            phase_processor.setdefault(phase, []).append(value)
        for phase, value in seconds.items():
            phases.setdefault(phase, []).append(value)
    report = run.check_report
    stable = (
        "stable"
        if report["stable"]
        else f"NOT stable: the engine says {run.result['status']}, the checker finds "
        f"{report['blocking_count']} blocking pair(s), of "
        f"{', '.join(sorted({unit for unit, _, _ in report['blocking']})[:5])}"
    )
    print(
        f"  matched {run.result['matched']:,} of {run.result['applicants']:,}; "
        f"{run.result['filled']:,} of {run.result['positions']:,} positions filled; "
        f"valid, {stable}; every run identical"
    )
    print("  phase      wall  processor (this process, database server process)")
    for phase, values in phases.items():
        cpu = statistics.median(phase_processor.get(phase, [float("nan")]))
        by_server = statistics.median(phase_server.get(phase, [float("nan")]))
        print(f"  {phase:<8} {statistics.median(values):6.2f} s {cpu:6.2f} s {by_server:6.2f} s")
    total = statistics.median(totals)
    verdict = "met" if total < TARGET_SECONDS else "NOT met"
    backend = (
        f"; the database server process's {statistics.median(server):.2f} s"
        if server
        else "; the database server's processor time unknown (not on this machine)"
    )
    print(
        f"  total    {total:6.2f} s {statistics.median(processor):6.2f} s  (median of "
        f"{args.runs}; target < {TARGET_SECONDS:.0f} s on PostgreSQL: {verdict}{backend}). "
        f"Load after: {os.getloadavg()[0]:.2f}"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
