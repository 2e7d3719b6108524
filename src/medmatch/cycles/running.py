"""A match cycle's run: the certified lists read from the database into an engine instance,
solved under the cycle's rules, checked by the independent checker, explained, and stored at
once (``run_match``, which the worker runs through ``cycles.tasks``).

Who takes part: every student with a certified rank list, and every couple whose link was
accepted, not ended, and whose joint list is certified — a couple's members then match by the
joint list only (their own lists are not used; under JRMP, which has no couples, they match
alone by their own lists). A program ranks only through a certified list; the applicants it
ranks who take no part are left out. Only the features the cycle's rules have are read:
tracks, reversion and supplemental lists under NRMP, regions and their caps under JRMP.

An NRMP student may make one supplemental list per advanced program (``primary``). The engine's
own supplemental list is one per applicant, so such a student goes to the engine as a couple of
two selves — the student and their "preliminary year" — whose rows are, for each program of
the primary list in order, (advanced, each preliminary program of its list), then (advanced, no
match); a program not advanced is (program, no match). That is how the NRMP itself treats
supplemental lists (Roth & Peranson 1999), and keeps each list with its own program. A
preliminary program that ranks the student ranks both selves, the student first.

Reading takes a handful of queries of plain values (``values_list``); no model object is made
per row. Ids given to the engine: ``s<user id>`` for a student, ``s<user id>~year`` for a
student's preliminary-year self, ``p<cycle program id>``, ``c<couple link id>``, ``x<user id>``
for the couple of two selves.
"""

import json
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from medmatch.cycles.models import (
    CoupleLink,
    CouplePair,
    CycleAuditEntry,
    CycleProgram,
    CycleRegion,
    MatchCycle,
    MatchOutcome,
    MatchRun,
    ProgramRankEntry,
    StudentRankEntry,
    StudentRankList,
)
from medmatch.matching import check, explain_all, get_rules, solve
from medmatch.matching.compact import CompactInstance, pausing_gc, to_compact
from medmatch.matching.instance import (
    TRACKS,
    Applicant,
    Couple,
    Instance,
    InstanceError,
    Program,
    Region,
)

YEAR = "~year"

logger = logging.getLogger(__name__)


def student_id(user_id: int) -> str:
    return f"s{user_id}"


def _pk(engine_id: str) -> int:
    # "s12", "p7", "s12~year" -> 12, 7, 12
    return int(engine_id[1:].removesuffix(YEAR))


@dataclass(frozen=True)
class Market:
    """The engine instance of a cycle and what the run needs to map its answer back."""

    instance: Instance
    compact: CompactInstance  # the instance's compact form, for the solver and explanations
    students: tuple[int, ...]  # every taking part, by user id
    two_selves: frozenset[int]  # students entered as a couple of two selves (supplemental)
    couples: dict[int, tuple[int, int]]  # couple link id -> (proposer, partner)
    # For each program id, the place on the program's own certified list (1-based, counting
    # applicants who took no part) of each entry of its engine ranking.
    list_places: dict[str, list[int]]


def _rows(queryset) -> list[tuple]:
    # The queryset's own SQL, fetched in one go: at NRMP scale (a million list entries) the
    # ORM's row-by-row iteration cost seconds.
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter such as pk__in=[]: no query needed
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _names(ids, prefix: str) -> dict[int, str]:
    return {pk: f"{prefix}{pk}" for pk in ids}


@pausing_gc
def read_market(cycle: MatchCycle) -> Market:
    """Read the cycle's certified lists (see the module's docstring) into an engine instance.

    The database's constraints already hold what the engine's ``validate`` checks (unique ids
    and entries, non-negative quotas and caps, a couple of two people); what they do not hold —
    an entry, a pair or a reversion naming a program outside the cycle, a program reverting to
    itself — is refused here with the engine's ``InstanceError`` naming the record and field.
    A couple's row listed twice counts once, at its first place.
    """
    rules = get_rules(cycle.rules)
    programs = _rows(
        CycleProgram.objects.filter(cycle=cycle)
        .order_by("pk")
        .values_list("pk", "quota", "track", "revert_to_id", "region_id")
    )
    tracks = {pk: track for pk, _, track, _, _ in programs}
    pid = _names(tracks, "p")

    def name(program: int | None, record: str, field: str) -> str | None:
        if program is None:
            return None
        try:
            return pid[program]
        except KeyError:
            raise InstanceError(record, field, f"unknown id 'p{program}'") from None

    couples: dict[int, tuple[int, int]] = {}
    if rules.couples:
        couples = {
            pk: (proposer, partner)
            for pk, proposer, partner in _rows(
                CoupleLink.objects.filter(
                    cycle=cycle,
                    partner_accepted_at__isnull=False,
                    ended_at__isnull=True,
                    rank_list__certified_at__isnull=False,
                )
                .order_by("pk")
                .values_list("pk", "proposer_id", "partner_id")
            )
        }
    in_couples = {member for pair in couples.values() for member in pair}
    certified = StudentRankList.objects.filter(cycle=cycle, certified_at__isnull=False)
    singles = sorted({row[0] for row in _rows(certified.values_list("student_id"))} - in_couples)
    primary_lists: dict[int, list[int]] = defaultdict(list)
    supplemental: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    entries = _rows(
        StudentRankEntry.objects.filter(rank_list__in=certified)
        .order_by("rank_list_id", "rank", "pk")
        .values_list("rank_list__student_id", "cycle_program_id", "primary_id")
    )
    for student, group in groupby(entries, key=itemgetter(0)):
        if student in in_couples:
            continue
        rows = list(group)
        primary_lists[student] = [program for _, program, primary in rows if primary is None]
        if rules.supplemental and len(rows) > len(primary_lists[student]):
            for _, program, primary in rows:
                if primary is not None:
                    supplemental[student][primary].append(program)
    del entries
    two_selves = frozenset(
        student
        for student, lists in supplemental.items()
        if any(tracks.get(p) == "advanced" and lists.get(p) for p in primary_lists[student])
    )
    taking_part = set(singles) | in_couples
    sid = _names(taking_part, "s")
    applicants = []
    for s in singles:
        if s in two_selves:
            continue
        ranking = primary_lists.get(s, ())
        try:
            applicants.append(Applicant(sid[s], tuple(map(pid.__getitem__, ranking))))
        except KeyError:
            for program in ranking:
                name(program, f"applicant 's{s}'", "ranking")
    rows_of: dict[int, list] = defaultdict(list)
    for link, first, second in _rows(
        CouplePair.objects.filter(rank_list__link_id__in=list(couples))
        .order_by("rank_list__link_id", "rank")
        .values_list("rank_list__link_id", "proposer_program_id", "partner_program_id")
    ):
        record = f"couple 'c{link}'"
        rows_of[link].append((name(first, record, "ranking"), name(second, record, "ranking")))
    couple_records = [
        Couple(f"c{link}", (sid[a], sid[b]), tuple(dict.fromkeys(rows_of[link])))
        for link, (a, b) in couples.items()
    ]
    for s in sorted(two_selves):
        rows = []
        record = f"applicant 's{s}'"
        for p in primary_lists[s]:
            if tracks.get(p) == "advanced":
                rows.extend(
                    (pid[p], name(q, record, "supplemental")) for q in supplemental[s].get(p, ())
                )
            rows.append((name(p, record, "ranking"), None))
        couple_records.append(Couple(f"x{s}", (sid[s], sid[s] + YEAR), tuple(dict.fromkeys(rows))))
    ranked: dict[int, list[str]] = {}
    places: dict[int, list[int]] = {}
    preliminary = {pk for pk, track in tracks.items() if track == "preliminary"}
    program_entries = _rows(
        ProgramRankEntry.objects.filter(
            rank_list__cycle_program__cycle=cycle, rank_list__certified_at__isnull=False
        )
        .order_by("rank_list_id", "rank", "pk")
        .values_list("rank_list__cycle_program_id", "student_id")
    )
    for program, group in groupby(program_entries, key=itemgetter(0)):
        year = program in preliminary and two_selves
        if not year:
            # The common case in C loops: map each ranked student to their engine id, then
            # leave out those who take no part (None).
            persons = list(map(sid.get, map(itemgetter(1), group)))
            if None not in persons:
                ranked[program] = persons
                places[program] = list(range(1, len(persons) + 1))
                continue
            ranked[program] = [person for person in persons if person is not None]
            places[program] = [n for n, person in enumerate(persons, 1) if person is not None]
            continue
        ranking = ranked[program] = []
        place = places[program] = []
        for number, (_, student) in enumerate(group, 1):
            person = sid.get(student)
            if person is None:
                continue
            ranking.append(person)
            place.append(number)
            if year and student in two_selves:
                ranking.append(person + YEAR)
                place.append(number)
    del program_entries
    regions = ()
    if rules.regions:
        regions = tuple(
            Region(f"r{pk}", cap)
            for pk, cap in _rows(
                CycleRegion.objects.filter(cycle=cycle).order_by("pk").values_list("pk", "cap")
            )
        )
    region_ids = {region.id for region in regions}
    for pk, _, _, revert, region in programs:
        if rules.regions and region is not None and f"r{region}" not in region_ids:
            raise InstanceError(f"program 'p{pk}'", "region", f"unknown id 'r{region}'")
        if rules.reversion and revert is not None:
            name(revert, f"program 'p{pk}'", "revert_to")
            if revert == pk:
                raise InstanceError(f"program 'p{pk}'", "revert_to", "reverts to itself")
    instance = Instance(
        applicants=tuple(applicants),
        programs=tuple(
            Program(
                pid[pk],
                quota,
                tuple(ranked.get(pk, ())),
                region=f"r{region}" if rules.regions and region else None,
                track=track if rules.supplemental and track in TRACKS else "categorical",
                revert_to=pid[revert] if rules.reversion and revert else None,
            )
            for pk, quota, track, revert, region in programs
        ),
        couples=tuple(couple_records),
        regions=regions,
    )
    return Market(
        instance,
        to_compact(instance),
        tuple(sorted(taking_part)),
        two_selves,
        couples,
        {pid[pk]: positions for pk, positions in places.items()},
    )


# A stored reason is a list in this order (a list, not an object: 52,000 outcomes' reasons are
# written in one insert, and the keys would triple their size).
REASON_FIELDS = ("choice", "kind", "program", "capacity", "last_rank", "your_rank")


def _reasons(
    explanation, list_places: dict[str, list[int]], pks: dict[str | None, int | None]
) -> list[list]:
    """An explanation as stored for the student's page: program ids and figures only, never
    another applicant (the engine's text names the lowest one a program took). Ranks become
    places on the program's own list (a lottery's draws stay draws). ``pks``: each program's
    engine id to its cycle program's pk, and None to None."""
    out = []
    for reason in explanation.reasons:
        last, yours = reason.last_rank, reason.your_rank
        if reason.kind != "lottery" and reason.program in list_places:
            place = list_places[reason.program]
            last = place[last - 1] if last else last
            yours = place[yours - 1] if yours else yours
        out.append(
            [
                list(map(pks.__getitem__, reason.choice)),
                reason.kind,
                pks[reason.program],
                reason.capacity,
                last,
                yours,
            ]
        )
    return out


def _set_progress(run_pk: int, progress: int, **fields) -> None:
    # Outside the run's transaction, so the page sees each phase as it ends.
    MatchRun.objects.filter(pk=run_pk).update(progress=progress, **fields)


def run_match(run_pk: int) -> dict:
    """Run the queued ``MatchRun`` ``run_pk`` (the worker's task): read, solve, check, explain
    and store, setting ``progress`` after each phase; a run no longer queued (cancelled, or
    replaced) is skipped. A failure stores the error on the run, marks it failed and writes
    nothing else; the administrator may run again. Returns the seconds each phase took (wall
    clock) and, under ``processor``, this process's processor seconds of each (the worker shares
    its machine: the two tell waiting from working)."""
    # Take the run only while it is still queued: the administrator may have cancelled it, or a
    # newer run replaced it, before this worker got to it.
    claimed = MatchRun.objects.filter(pk=run_pk, status=MatchRun.Status.QUEUED).update(
        progress=5, status=MatchRun.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        logger.info("Match run %s is no longer queued (cancelled or replaced): skipped", run_pk)
        return {"skipped": "no longer queued"}
    run = MatchRun.objects.select_related("cycle").get(pk=run_pk)
    cycle = run.cycle
    seconds: dict = {}
    processor: dict[str, float] = {}
    clock = cpu = 0.0

    def phase_ended(name: str, progress: int) -> None:
        nonlocal clock, cpu
        seconds[name] = time.perf_counter() - clock
        processor[name] = time.process_time() - cpu
        _set_progress(run_pk, progress)
        clock, cpu = time.perf_counter(), time.process_time()

    try:
        clock, cpu = time.perf_counter(), time.process_time()
        market = read_market(cycle)
        phase_ended("read", 30)
        result = solve(market.compact, cycle.rules, seed=cycle.pk)
        phase_ended("solve", 55)
        # Reading, checking, explaining and storing make a million objects without cycles
        # while the market is alive: with the cyclic collector running, its collections
        # traverse the whole market again and again (a second of processor time).
        report = pausing_gc(check)(market.instance, result)
        phase_ended("check", 75)
        ids = [student_id(s) for s in market.students]
        explanations = explain_all(market.instance, result, ids, compact=market.compact)
        phase_ended("explain", 85)
        store_result(run_pk, market, result, report, explanations)
        seconds["store"] = time.perf_counter() - clock
        processor["store"] = time.process_time() - cpu
    except Exception as error:
        # The run's row says what went wrong; the worker's log has the traceback.
        logger.exception("Match run %s of cycle %s failed", run_pk, cycle.pk)
        _fail(run_pk, error)
        return {"failed": str(error)}
    seconds["processor"] = processor
    return seconds


def _fail(run_pk: int, error: Exception) -> None:
    with transaction.atomic():
        run = MatchRun.objects.select_related("cycle", "started_by").get(pk=run_pk)
        run.status = MatchRun.Status.FAILED
        run.finished_at = timezone.now()
        run.error = f"{type(error).__name__}: {error}"[:2000]
        run.save(update_fields=["status", "finished_at", "error"])
        CycleAuditEntry.objects.create(
            cycle=run.cycle,
            who=run.started_by,
            from_state=run.cycle.state,
            to_state=run.cycle.state,
            note=f"Run {run.pk} failed: {run.error}"[:500],
        )


def _summary(market: Market, result, report) -> tuple[dict, dict]:
    persons = {student_id(s) for s in market.students}
    matched = sum(1 for person in persons if result.assignment.get(person) is not None)
    filled: dict[str, int] = defaultdict(int)
    for program in result.assignment.values():
        if program is not None:
            filled[program] += 1
    for program in result.supplemental.values():
        filled[program] += 1
    summary = {
        "rules": result.rules,
        "status": result.status,
        "message": result.message,
        "applicants": len(persons),
        "matched": matched,
        "couples": len(market.couples),
        "positions": sum(result.capacities.values()),
        "filled": sum(filled.values()),
        # Capacity as the run used it (after reversion or regional caps) and filled, per program.
        "programs": {
            str(_pk(p)): [capacity, filled.get(p, 0)] for p, capacity in result.capacities.items()
        },
    }
    check_report = {
        "valid": report.valid,
        "stable": report.stable,
        "violations": list(report.violations[:50]),
        "violation_count": len(report.violations),
        "blocking_count": len(report.blocking),
        # Blocking pairs name students; only the administrator sees the run's report.
        "blocking": [[b.unit, list(b.row), b.reason] for b in report.blocking[:50]],
    }
    return summary, check_report


OUTCOME_COLUMNS = (
    "run_id",
    "student_id",
    "cycle_program_id",
    "preliminary_program_id",
    "explanation",
)


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Many rows of plain values (JSON already encoded) in one statement: COPY on PostgreSQL,
    executemany elsewhere. A whole market's outcomes as model objects through ``bulk_create``
    cost more than the rest of the run (Django builds each object, then psycopg adapts each
    value of an UNNEST array); COPY sends the rows as they are."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


@pausing_gc
def store_result(run_pk: int, market: Market, result, report, explanations) -> None:
    """Write the outcomes (one bulk insert) and the run's summary and check report, in one
    transaction; the cycle moves from locked to run. Nothing is written if any step fails."""
    summary, check_report = _summary(market, result, report)
    assignment = result.assignment
    second_members = {partner for _, partner in market.couples.values()}
    dumps = json.JSONEncoder().encode  # what the JSONField writes, without its per-row work
    pks: dict[str | None, int | None] = {p.id: _pk(p.id) for p in market.instance.programs}
    pks[None] = None
    outcomes = []
    for s in market.students:
        person = student_id(s)
        program = assignment.get(person)
        year = assignment.get(person + YEAR) if s in market.two_selves else None
        year = year or result.supplemental.get(person)
        explanation = explanations[person]
        outcomes.append(
            (
                run_pk,
                s,
                _pk(program) if program else None,
                _pk(year) if year else None,
                dumps(
                    {
                        "choice_number": explanation.choice_number,
                        "couple": explanation.couple is not None and s not in market.two_selves,
                        "me": 1 if s in second_members else 0,
                        # For a couple of two selves the "partner" is the student's preliminary
                        # year.
                        "year": s in market.two_selves,
                        "reasons": _reasons(explanation, market.list_places, pks),
                    }
                ),
            )
        )
    with transaction.atomic():
        run = (
            MatchRun.objects.select_for_update(of=("self",))
            .select_related("cycle", "started_by")
            .get(pk=run_pk)
        )
        cycle = MatchCycle.objects.select_for_update().get(pk=run.cycle_id)
        _insert(MatchOutcome, OUTCOME_COLUMNS, outcomes)
        run.result = summary
        run.check_report = check_report
        run.status = MatchRun.Status.DONE
        run.progress = 100
        run.finished_at = timezone.now()
        run.error = ""
        run.save()
        before = cycle.state
        if cycle.state == MatchCycle.State.LOCKED:
            cycle.state = MatchCycle.State.RUN
            cycle.save(update_fields=["state"])
        verdict = "checked: stable" if report.ok else "checked: NOT stable or not valid"
        CycleAuditEntry.objects.create(
            cycle=cycle,
            who=run.started_by,
            from_state=before,
            to_state=cycle.state,
            note=(
                f"Run {run.pk} finished: {summary['matched']} of {summary['applicants']} "
                f"applicants matched, {summary['filled']} of {summary['positions']} positions "
                f"filled; {verdict}."
            ),
        )


def filled_counts(run: MatchRun) -> dict[int, int]:
    """Filled positions per cycle program of a finished run, from its outcomes."""
    counts = dict(
        MatchOutcome.objects.filter(run=run, cycle_program__isnull=False)
        .values_list("cycle_program")
        .annotate(n=Count("pk"))
        .values_list("cycle_program", "n")
    )
    for program, n in (
        MatchOutcome.objects.filter(run=run, preliminary_program__isnull=False)
        .values_list("preliminary_program")
        .annotate(n=Count("pk"))
        .values_list("preliminary_program", "n")
    ):
        counts[program] = counts.get(program, 0) + n
    return counts
