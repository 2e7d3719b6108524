"""A student's own rank order lists in the match cycles, read only: each list through the rank
list page's access helper (``get_student_list_or_404``: anyone else's is a 404) and its rows as
the page builds them (``rank_selectors.student_rows``: each program with the student's fit score,
shortlist rating and interview beside it; an advanced program with its supplemental list)."""

import datetime

from django.db.models import Count, Q
from ninja import Query, Router, Schema

from medmatch.api.auth import student_auth
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import responses
from medmatch.cycles import rank_lists as lists
from medmatch.cycles import rank_selectors as selectors
from medmatch.cycles.list_access import get_student_list_or_404
from medmatch.cycles.models import StudentRankList

router = Router(tags=["match"], auth=student_auth("match"))


class CycleOut(Schema):
    id: int
    name: str
    rules: str  # nrmp, carms, jrmp, ukfp
    state: str  # open, locked, run, published
    rank_lists_open_at: datetime.datetime
    certification_deadline: datetime.datetime
    match_day: datetime.datetime


class RankListOut(Schema):
    id: int
    cycle: CycleOut
    certified_at: datetime.datetime | None  # null: not certified, so it does not count
    updated_at: datetime.datetime
    editable: bool
    closed_reason: str  # why it cannot change now; "" while it can
    length: int  # programs on the main list


class RankListList(Schema):
    items: list[RankListOut]
    next_cursor: str | None


class SupplementalRowOut(Schema):
    rank: int
    cycle_program_id: int
    program_id: int
    program: str
    institution: str
    track: str
    fit: float | None  # 0..100; null: no goals, or not in the ranked catalog
    fit_excluded: bool
    shortlist_rating: int | None  # null: not shortlisted or not rated
    interview_id: int | None  # null: no interview there


class RowOut(SupplementalRowOut):
    supplemental: list[SupplementalRowOut] | None  # an advanced program's list; null otherwise


class RankListDetail(RankListOut):
    rows: list[RowOut]


def _list(rank_list: StudentRankList, length: int) -> dict:
    cycle = rank_list.cycle
    return {
        "id": rank_list.pk,
        "cycle": {
            "id": cycle.pk,
            "name": cycle.name,
            "rules": cycle.rules,
            "state": cycle.state,
            "rank_lists_open_at": cycle.rank_lists_open_at,
            "certification_deadline": cycle.certification_deadline,
            "match_day": cycle.match_day,
        },
        "certified_at": rank_list.certified_at,
        "updated_at": rank_list.updated_at,
        "editable": lists.lists_editable(cycle),
        "closed_reason": lists.closed_reason(cycle),
        "length": length,
    }


def _row(row) -> dict:
    known = row.known
    cycle_program = known.cycle_program
    program = cycle_program.program
    row_out = {
        "rank": row.rank,
        "cycle_program_id": cycle_program.pk,
        "program_id": program.pk,
        "program": program.title,
        "institution": program.institution.name,
        "track": cycle_program.track,
        "fit": known.fit,
        "fit_excluded": known.fit_excluded,
        "shortlist_rating": known.shortlist.rating if known.shortlist else None,
        "interview_id": known.interview.pk if known.interview else None,
    }
    if row.supplemental is not None:
        row_out["supplemental"] = [_row(supplement) for supplement in row.supplemental]
    else:
        row_out["supplemental"] = None
    return row_out


@router.get("/rank-lists", response=responses(RankListList), url_name="rank_lists")
def list_rank_lists(request, filters: Query[PageParams]):
    """Your rank order lists, one per match cycle you rank in, oldest first."""
    rank_lists = (
        StudentRankList.objects.for_student(request.user)
        .select_related("cycle")
        .annotate(main_length=Count("entries", filter=Q(entries__primary__isnull=True)))
    )
    page = keyset_page(rank_lists, filters, name="rank-lists", key="pk")
    return {
        "items": [_list(r, r.main_length) for r in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/rank-lists/{int:pk}", response=responses(RankListDetail), url_name="rank_list")
def show_rank_list(request, pk: int):
    """One of your rank lists, best first, as the rank list page shows it."""
    rank_list = get_student_list_or_404(request.user, pk)
    rows = selectors.student_rows(rank_list, selectors.Fits(request.user))
    return {**_list(rank_list, len(rows)), "rows": [_row(row) for row in rows]}
