"""Reads of the program's review: the cycle's dashboard, the inbox, and one submission's panel.

Each takes rows already limited to the user's programs by ``workspace.access``; nothing here
widens them. The inbox's page is one query: its ids, its rows and the count of all matching rows
together (the review count and "reviewed by me" are SQL subqueries, not a query per row; the mean
score is stored on the submission).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from medmatch.catalog.import_cache import per_import
from medmatch.catalog.models import Specialty
from medmatch.workspace.models import (
    DecisionChange,
    HolisticFlag,
    Invitation,
    Review,
    RubricCriterion,
    Submission,
)

# ---- specialty interests: one column, "|140|320|" ------------------------------------------------


def specialty_interests_column(keys: Iterable[str]) -> str:
    """The ``Submission.specialty_interests`` value for a version's canonical specialty keys (the
    goals JSON's ``"specialty"`` values, e.g. "140"): "|140|320|", or "" when there are none."""
    clean = [str(key).strip() for key in keys if str(key).strip() and "|" not in str(key)]
    return f"|{'|'.join(dict.fromkeys(clean))}|" if clean else ""


def specialty_interest_choices(program) -> list[tuple[str, str]]:
    """(key, name) of the specialty interests the program's applicants gave, by name: the only
    values the inbox's filter accepts."""
    # Plain SQL, as the inbox's page (see _PAGE_SQL): the ORM took ten times the query's time.
    with connections[Submission.objects.db].cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT specialty_interests FROM workspace_submission"
            " WHERE program_id = %s AND specialty_interests <> ''",
            [program.pk],
        )
        columns = [column for (column,) in cursor.fetchall()]
    keys = {key for column in columns for key in column.strip("|").split("|") if key}
    names = _specialty_names()
    return sorted(((key, names.get(key, key)) for key in keys), key=lambda pair: pair[1].casefold())


@per_import
def _specialty_names() -> dict[str, str]:
    """{ACGME code: name}: the canonical keys' names (only an import changes them)."""
    return dict(Specialty.objects.filter(system=Specialty.System.ACGME).values_list("code", "name"))


# ---- the dashboard ------------------------------------------------------------------------------

STAGES = [
    ("received", "Received"),
    ("unreviewed", "Not reviewed yet"),
    ("in_review", "In review"),
    ("invited", "Invite"),
    ("held", "Hold"),
    ("declined", "Decline"),
    ("interviewed", "Interviewed"),
    ("withdrawn", "Withdrawn"),
]


@dataclass
class Dashboard:
    program: object
    counts: dict = field(default_factory=dict)

    @property
    def bars(self) -> list[dict]:
        """Each stage with its count and its bar's width, a share of the submissions received."""
        top = max(self.counts.get("received", 0), 1)
        return [
            {
                "key": key,
                "label": label,
                "count": self.counts.get(key, 0),
                "width": round(100 * self.counts.get(key, 0) / top),
            }
            for key, label in STAGES
        ]


def dashboards(programs: QuerySet, *, now=None) -> list[Dashboard]:
    """The cycle of each program: two queries whatever the number of programs.

    received: every submission (withdrawn ones included); withdrawn: those withdrawn; of the
    others, not reviewed yet / in review (at least one review, no decision yet) / invite / hold /
    decline by the program's decision; interviewed: given a slot whose time has passed (and not
    cancelled) in an interview round.
    """
    now = now or timezone.now()
    current = Q(withdrawn_at__isnull=True)
    reviewed = Exists(Review.objects.filter(submission=OuterRef("pk")))
    undecided = current & Q(decision="")
    rows = (
        Submission.objects.filter(program__in=programs)
        .values("program")
        .annotate(
            received=Count("pk"),
            withdrawn=Count("pk", filter=~current),
            unreviewed=Count("pk", filter=undecided & ~reviewed),
            in_review=Count("pk", filter=undecided & reviewed),
            invited=Count("pk", filter=current & Q(decision=Submission.Decision.INVITE)),
            held=Count("pk", filter=current & Q(decision=Submission.Decision.HOLD)),
            declined=Count("pk", filter=current & Q(decision=Submission.Decision.DECLINE)),
        )
        .order_by()
    )
    counts = {row.pop("program"): row for row in rows}
    interviewed = (
        Invitation.objects.filter(
            round__program__in=programs,
            assigned_slot__starts_at__lt=now,
            cancelled_at__isnull=True,
        )
        .values("round__program")
        .annotate(n=Count("submission", distinct=True))
        .order_by()
    )
    for row in interviewed:
        counts.setdefault(row["round__program"], {})["interviewed"] = row["n"]
    return [Dashboard(program=program, counts=counts.get(program.pk, {})) for program in programs]


# ---- the inbox ----------------------------------------------------------------------------------

# Each sort: its label, and its ORDER BY over the submissions ``s`` (the id last: a total order,
# so pages neither repeat nor skip a row).
SORTS = {
    "newest": ("Newest first", "s.submitted_at DESC, s.id DESC"),
    "oldest": ("Oldest first", "s.submitted_at ASC, s.id ASC"),
    "score": ("Highest mean score", "s.mean_score DESC NULLS LAST, s.submitted_at DESC, s.id DESC"),
    "score_low": (
        "Lowest mean score",
        "s.mean_score ASC NULLS LAST, s.submitted_at DESC, s.id DESC",
    ),
}


@dataclass(frozen=True)
class InboxPage:
    number: int  # the page shown: the one asked for, or the last when that is past the end
    total: int  # submissions matching the filters, on every page
    rows: list  # this page's rows, as ``_rows`` makes them


# Why SQL written here and not the ORM: the inbox must answer within 5x a trivial view of the
# same server (issue 15, ``benchmarks/workspace_inbox.py``). Its one query, built by the ORM
# (filters as Exists, the rows' subqueries, a window for the count), took the page longer to
# build and compile than the database took to run it. The SQL is plain and the same on SQLite
# and PostgreSQL but for reading the name out of the profile's JSON; every value is a parameter.

_PAGE_SQL = """
SELECT s.id, s.submitted_at, s.withdrawn_at, s.graduation_year, s.needs_visa, s.signal,
       s.decision, s.mean_score, v.number, {name},
       (SELECT COUNT(*) FROM workspace_review r WHERE r.submission_id = s.id),
       EXISTS (SELECT 1 FROM workspace_review r
               WHERE r.submission_id = s.id AND r.reviewer_id = %s),
       page.total
FROM (
    SELECT s.id, (SELECT COUNT(*) FROM workspace_submission s WHERE {where}) AS total
    FROM workspace_submission s
    WHERE {where}
    ORDER BY {order}
    LIMIT %s OFFSET %s
) page
JOIN workspace_submission s ON s.id = page.id
LEFT JOIN workspace_submissionversion v ON v.id = s.current_version_id
ORDER BY {order}
"""
_PROFILE_NAME = {
    "postgresql": "v.profile ->> 'name'",
    "sqlite": "json_extract(v.profile, '$.name')",
}
_MINE = (
    "EXISTS (SELECT 1 FROM workspace_review r WHERE r.submission_id = s.id AND r.reviewer_id = %s)"
)
_ANY_REVIEW = "EXISTS (SELECT 1 FROM workspace_review r WHERE r.submission_id = s.id)"
# The flags are a JSON list of fixed values; each value is quoted in the stored text.
_FLAGGED = (
    "EXISTS (SELECT 1 FROM workspace_review r WHERE r.submission_id = s.id"
    " AND UPPER(CAST(r.flags AS TEXT)) LIKE UPPER(%s) ESCAPE '\\')"
)


def inbox_where(program, user, *, filters: dict, connection) -> tuple[str, list]:
    """The SQL condition over submissions ``s`` of the program's submissions matching the inbox
    form's cleaned ``filters``, with its parameters."""
    where, params = ["s.program_id = %s"], [program.pk]
    if not filters.get("withdrawn"):
        where.append("s.withdrawn_at IS NULL")
    if filters.get("specialty"):
        where.append("s.specialty_interests LIKE %s ESCAPE '\\'")
        params.append(f"%|{connection.ops.prep_for_like_query(filters['specialty'])}|%")
    visa = filters.get("visa")
    if visa == "unknown":
        where.append("s.needs_visa IS NULL")
    elif visa:
        where.append("s.needs_visa = %s")
        params.append(visa == "yes")
    if filters.get("year_from") is not None:
        where.append("s.graduation_year >= %s")
        params.append(filters["year_from"])
    if filters.get("year_to") is not None:
        where.append("s.graduation_year <= %s")
        params.append(filters["year_to"])
    if filters.get("signal"):
        where.append("s.signal = %s")
        params.append(filters["signal"] == "yes")
    if filters.get("decision"):
        where.append("s.decision = %s")
        params.append("" if filters["decision"] == "undecided" else filters["decision"])
    if filters.get("reviewed") == "me":
        where.append(_MINE)
        params.append(user.pk)
    elif filters.get("reviewed") == "not_me":
        where.append(f"NOT {_MINE}")
        params.append(user.pk)
    elif filters.get("reviewed") == "nobody":
        where.append(f"NOT {_ANY_REVIEW}")
    if filters.get("flag"):
        where.append(_FLAGGED)
        params.append(f'%"{connection.ops.prep_for_like_query(filters["flag"])}"%')
    return " AND ".join(where), params


def inbox_page(program, user, *, filters: dict, number: int, size: int) -> InboxPage:
    """Page ``number`` (from 1) of ``size`` rows of the inbox under ``filters``, in the order of
    ``filters["sort"]``, with the number of matching submissions; a page past the end gives the
    last page, as ``Paginator.get_page`` does.

    One query: the page's ids, sorted and sliced by the database over narrow rows (from an index
    where it can), the count of every matching row (a subquery it runs once), and around them the
    page's rows with the review count and "mine" for these rows only. A page past the end finds
    no rows, so it alone takes two more queries: the count, then the last page."""
    connection = connections[Submission.objects.db]
    where, params = inbox_where(program, user, filters=filters, connection=connection)
    sql = _PAGE_SQL.format(
        name=_PROFILE_NAME[connection.vendor],
        order=SORTS[filters.get("sort") or "newest"][1],
        where=where,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *params, *params, size, (number - 1) * size])
        found = cursor.fetchall()
        if found or number == 1:
            return InboxPage(number=number, total=found[0][-1] if found else 0, rows=_rows(found))
        cursor.execute(f"SELECT COUNT(*) FROM workspace_submission s WHERE {where}", params)
        total = cursor.fetchone()[0]
        last = max(1, -(-total // size))
        cursor.execute(sql, [user.pk, *params, *params, size, (last - 1) * size])
        return InboxPage(number=last, total=total, rows=_rows(cursor.fetchall()))


def _rows(found) -> list[dict]:
    """The page query's tuples as plain values for the page, with the mean weighted score (None
    when nobody scored), the number of reviews and whether the user reviewed each. Plain dicts,
    because a dict lookup is the cheapest to read (``review_rows`` writes them)."""
    review_url = reverse("workspace:submission_staff", args=[0]).replace("/0/", "/{}/")
    labels = dict(Submission.Decision.choices)
    visa_words = {True: "yes", False: "no", None: None}
    zone = timezone.get_current_timezone()
    rows = []
    for row in found:
        pk, submitted, withdrawn, year, visa, signal, decision, mean, version, name, count, mine = (
            row[:12]
        )
        if isinstance(submitted, str):  # SQLite's text, as Django's own converter reads it
            submitted = parse_datetime(submitted)
        if submitted.tzinfo is None:  # stored in UTC (USE_TZ)
            submitted = submitted.replace(tzinfo=datetime.UTC)
        submitted = submitted.astimezone(zone)
        rows.append(
            {
                "pk": pk,
                "url": review_url.format(pk),
                "name": name or "Applicant",
                "version": version,
                "withdrawn": withdrawn is not None,
                "year": year,
                "visa": visa_words[visa],
                "signal": "yes" if signal else "no",
                "submitted_at": submitted,
                "submitted_iso": submitted.isoformat(timespec="minutes"),
                "submitted": f"{submitted:%b} {submitted.day}, {submitted.year}",
                "reviews": count or 0,
                "mine": bool(mine),
                "mean_score": mean,
                "score": None if mean is None else f"{mean:.0f}%",
                "decision": decision,
                "decision_label": labels[decision] if decision else "",
            }
        )
    return rows


# ---- one submission's review panel --------------------------------------------------------------


@dataclass(frozen=True)
class ReviewLine:
    review: Review
    scores: list  # (criterion, score or None) for each criterion shown, in the rubric's order
    flags: list  # labels


def panel(submission: Submission) -> dict:
    """What the panel shows of the program's review of ``submission``: the criteria (active, and
    retired ones someone scored), every reviewer's scores, flags and note, the mean weighted
    score, and the decision with its history. Five queries."""
    reviews = list(
        Review.objects.filter(submission=submission)
        .select_related("reviewer")
        .order_by("created_at", "pk")
    )
    scored = {key for review in reviews for key in review.scores}
    criteria = [
        criterion
        for criterion in RubricCriterion.objects.filter(program_id=submission.program_id)
        if not criterion.retired or str(criterion.pk) in scored
    ]
    flag_labels = dict(HolisticFlag.choices)
    lines = [
        ReviewLine(
            review=review,
            scores=[(criterion, review.scores.get(str(criterion.pk))) for criterion in criteria],
            flags=[flag_labels.get(flag, flag) for flag in review.flags],
        )
        for review in reviews
    ]
    weighted = [review.weighted_score for review in reviews if review.weighted_score is not None]
    history = list(
        DecisionChange.objects.filter(submission=submission)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )
    return {
        "criteria": criteria,
        "lines": lines,
        "mean_score": sum(weighted) / len(weighted) if weighted else None,
        "scored_reviews": len(weighted),
        "history": history,
    }
