"""Interview slot round in the database: the assignment at the window's end and a cancellation,
as the worker runs them (``workspace.slot_rounds``), for 1,000 invited students and 400 slots.

Run: ``uv run --group bench python benchmarks/workspace_slot_round.py [--students N] [--slots M]
[--runs R]`` (a fresh SQLite file in /tmp; ``DATABASE_URL=postgres://…`` for PostgreSQL).

The round is the synthetic one of ``benchmarks/interview_slots.py`` (same seed, same rankings),
written as rows: users, applications, submissions marked invite, invitations in priority order,
slots and rankings. Prints, each the median of ``--runs`` runs measured side by side in this run:

- ``read``: the rows turned into the engine's data (``engine_round``);
- ``engine``: ``matching.slots.assign`` alone on that data;
- ``assign``: ``round_assign`` whole — lock, read, engine, the state saved, and every assigned slot
  written into its student's interviews (an ``Interview`` row each, the application moved on its
  board) — and its ratio to the engine alone;
- ``cancel``: ``invitation_cancel`` of one assigned student, the chain of moves written;

and the machine's load average, since the figures are wall-clock on a shared machine.

Each run is rolled back (a savepoint), so every run assigns the same fresh round; emails are not
sent (they go through the worker's queue after commit).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from interview_slots import make_round as synthetic_round


def set_up_django() -> None:
    if not os.environ.get("DATABASE_URL"):
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


def build_round(students: int, slots: int, seed: int):
    """The synthetic round as rows; returns the SlotRound."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from medmatch.accounts.models import User
    from medmatch.applications.models import Application
    from medmatch.catalog.models import Institution, Program, Source
    from medmatch.workspace.models import (
        InterviewSlot,
        Invitation,
        SlotPreference,
        SlotRound,
        Submission,
    )

    plain = synthetic_round(students, slots, seed)
    tag = f"bench-{time.time_ns()}"
    source = Source.objects.create(
        key=tag,
        name="Benchmark",
        publisher="medmatch",
        url="https://example.org/bench.csv",
        license="Public domain",
        retrieved_on=datetime.date(2026, 1, 1),
    )
    institution = Institution.objects.create(name="Benchmark Hospital", source=source)
    program = Program.objects.create(
        title="Internal Medicine", institution=institution, source=source
    )
    password = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"{tag}-{i}", email=f"{tag}-{i}@example.org", password=password)
        for i in range(students)
    )
    applications = Application.objects.bulk_create(
        Application(student=user, program=program, status=Application.Status.SUBMITTED)
        for user in users
    )
    now = timezone.now()
    submissions = Submission.objects.bulk_create(
        Submission(
            application=application,
            student=application.student,
            program=program,
            decision=Submission.Decision.INVITE,
            decided_at=now,
        )
        for application in applications
    )
    round_ = SlotRound.objects.create(
        program=program,
        title="Benchmark round",
        time_zone="America/Chicago",
        duration_minutes=20,
        window_opens_at=now - datetime.timedelta(hours=48),
        window_closes_at=now,
    )
    slot_rows = InterviewSlot.objects.bulk_create(
        InterviewSlot(round=round_, starts_at=slot.starts_at, capacity=slot.capacity)
        for slot in plain.slots
    )
    slot_by_id = {slot.id: row for slot, row in zip(plain.slots, slot_rows, strict=True)}
    by_student = dict(zip(sorted(plain.priority), submissions, strict=True))
    invitations = Invitation.objects.bulk_create(
        Invitation(round=round_, submission=by_student[student], priority=n, ranked_at=now)
        for n, student in enumerate(plain.priority, start=1)
    )
    invitation_of = dict(zip(plain.priority, invitations, strict=True))
    SlotPreference.objects.bulk_create(
        SlotPreference(invitation=invitation_of[student], slot=slot_by_id[slot_id], rank=rank)
        for student, ranking in plain.rankings.items()
        for rank, slot_id in enumerate(ranking, start=1)
    )
    return round_


def _timed(function) -> tuple[float, object]:
    began = time.perf_counter()
    value = function()
    return time.perf_counter() - began, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1_000)
    parser.add_argument("--slots", type=int, default=400)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    set_up_django()

    from django.db import connection, transaction
    from django.utils import timezone

    from medmatch.interviews.models import Interview
    from medmatch.matching import slots as engine
    from medmatch.workspace.models import Invitation
    from medmatch.workspace.slot_rounds import engine_round, invitation_cancel, round_assign

    round_ = build_round(args.students, args.slots, args.seed)
    rng = random.Random(args.seed)
    times: dict[str, list[float]] = {"read": [], "engine": [], "assign": [], "cancel": []}
    written = chain = 0
    for _ in range(args.runs):
        seconds, plain = _timed(lambda: engine_round(round_))
        times["read"].append(seconds)
        times["engine"].append(_timed(lambda plain=plain: engine.assign(plain))[0])
        with transaction.atomic():
            times["assign"].append(
                _timed(lambda: round_assign(round_pk=round_.pk, now=timezone.now()))[0]
            )
            written = Interview.objects.filter(invitation__round=round_).count()
            held = list(
                Invitation.objects.filter(round=round_, assigned_slot__isnull=False)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            seconds, moves = _timed(
                lambda held=held: invitation_cancel(
                    invitation_pk=rng.choice(held), now=timezone.now()
                )
            )
            times["cancel"].append(seconds)
            chain = max(chain, len(moves) - 1)
            transaction.set_rollback(True)

    median = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"slot round in the database ({connection.vendor}): {args.students} students, "
        f"{args.slots} slots; {written} interviews written per assignment; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    for name in ("read", "engine", "assign", "cancel"):
        print(f"  {name}: median {median[name] * 1000:.0f} ms of {args.runs} runs")
    print(
        f"  assign / engine alone: {median['assign'] / median['engine']:.1f}x; "
        f"longest cancellation chain {chain} move(s)"
    )
    verdict = "met" if median["assign"] < 1 else "NOT met"
    print(f"  target (assign under 1 s): {verdict}")


if __name__ == "__main__":
    main()
