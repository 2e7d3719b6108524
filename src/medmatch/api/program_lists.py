"""A program's rank list in a match cycle, for the program's verified staff (token scope area
``program``): the lists they prepare, one list with its applicants best first and the applicants
the program interviewed who are not on it, replacing the list, and certifying it.

As on the pages (``cycles.program_list_views``): the entry comes through
``get_ranking_cycle_program_or_404`` (another program's list is a 404 for everyone), the writes
through ``rank_lists.program_list_write`` and ``program_list_certify`` — only while the cycle takes
lists (else a 409 with the page's reason), any change un-certifies the list, and only a program
director certifies (``workspace.access.can_rank``; a coordinator gets a 403 saying so).

An applicant is named by their applicant code in the cycle, or by ``student_id`` when already on
the list or interviewed by the program (the page's add form allows exactly these)."""

import datetime
from typing import Annotated

from django.db import transaction
from django.db.models import Count
from ninja import Field, Query, Router, Schema

from medmatch.accounts.models import User
from medmatch.api.auth import student_auth
from medmatch.api.errors import ApiError
from medmatch.api.match import CycleOut, _cycle
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import responses
from medmatch.contributions.coordinators import director_programs
from medmatch.cycles import rank_lists as lists
from medmatch.cycles import rank_selectors as selectors
from medmatch.cycles.access import staff_cycle_programs
from medmatch.cycles.list_access import get_ranking_cycle_program_or_404, visible_cycles
from medmatch.cycles.models import CycleApplicant, ProgramRankList
from medmatch.lib.forms import MAX_INT
from medmatch.workspace.access import can_rank

router = Router(tags=["program"], auth=student_auth("program"))


class ProgramListOut(Schema):
    id: int  # the program's entry in the cycle
    cycle: CycleOut
    program_id: int
    program: str
    institution: str
    certified_at: datetime.datetime | None  # null: not certified, so it does not count
    editable: bool
    closed_reason: str  # why it cannot change now; "" while it can
    can_certify: bool  # you are a program director of this program
    length: int


class ProgramListList(Schema):
    items: list[ProgramListOut]
    next_cursor: str | None


class ApplicantOut(Schema):
    student_id: int
    name: str
    code: str | None  # null: no applicant code in this cycle yet


class RankedOut(ApplicantOut):
    rank: int


class ProgramListDetail(ProgramListOut):
    rows: list[RankedOut]
    interviewed: list[ApplicantOut]  # interviewed by the program, not on the list


class ProgramListWritten(ProgramListDetail):
    uncertified: bool  # this change un-certified a certified list


def _stored(entry) -> ProgramRankList | None:
    # A read makes nothing: the page's get_or_create waits for a write.
    return ProgramRankList.objects.filter(cycle_program=entry).first()


def _out(request, entry, plist, length: int, *, directing: set | None = None) -> dict:
    program = entry.program
    can_certify = can_rank(request.user, program) if directing is None else program.pk in directing
    return {
        "id": entry.pk,
        "cycle": _cycle(entry.cycle),
        "program_id": program.pk,
        "program": program.title,
        "institution": program.institution.name,
        "certified_at": plist.certified_at if plist else None,
        "editable": lists.lists_editable(entry.cycle),
        "closed_reason": lists.closed_reason(entry.cycle),
        "can_certify": can_certify,
        "length": length,
    }


def _applicant(applicant) -> dict:
    return {"student_id": applicant.student_id, "name": applicant.name, "code": applicant.code}


def _detail(request, entry) -> dict:
    plist = _stored(entry)
    rows = selectors.program_rows(plist) if plist else []
    order = [applicant.student_id for _, applicant in rows]
    return {
        **_out(request, entry, plist, len(rows)),
        "rows": [{**_applicant(applicant), "rank": rank} for rank, applicant in rows],
        "interviewed": [
            _applicant(a) for a in selectors.interviewed_applicants(entry, exclude=order)
        ],
    }


@router.get(
    "/program-rank-lists", response=responses(ProgramListList), url_name="program_rank_lists"
)
def list_program_lists(request, filters: Query[PageParams]):
    """The rank lists of your programs in the match cycles open to view, by id."""
    entries = staff_cycle_programs(request.user, visible_cycles())
    page = keyset_page(entries, filters, name="program-rank-lists", key="pk")
    stored = {
        plist.cycle_program_id: plist
        for plist in ProgramRankList.objects.filter(cycle_program__in=page.items).annotate(
            length=Count("entries")
        )
    }
    # Two queries for the page, not two per list: the lengths above, the directorships here.
    directing = set(
        director_programs(request.user)
        .filter(pk__in=[entry.program_id for entry in page.items])
        .values_list("pk", flat=True)
    )
    items = []
    for entry in page.items:
        plist = stored.get(entry.pk)
        out = _out(request, entry, plist, plist.length if plist else 0, directing=directing)
        items.append(out)
    return {"items": items, "next_cursor": page.next_cursor}


@router.get(
    "/program-rank-lists/{int:pk}",
    response=responses(ProgramListDetail),
    url_name="program_rank_list",
)
def show_program_list(request, pk: int):
    """One of your programs' lists, best first, as the program list page shows it."""
    return _detail(request, get_ranking_cycle_program_or_404(request.user, pk))


class ApplicantIn(Schema):
    code: str | None = Field(
        None, max_length=lists.CODE_LENGTH + 4, description="The applicant's code in the cycle."
    )
    student_id: Annotated[int, Field(ge=1, le=MAX_INT)] | None = Field(
        None, description="An applicant already on the list, or interviewed by the program."
    )


class ProgramListIn(Schema):
    applicants: list[ApplicantIn] = Field(
        ..., max_length=lists.MAX_PROGRAM_LIST, description="The whole list, best first."
    )


def _order(entry, payload: ProgramListIn, on_list: list[int]) -> list[int]:
    """The student ids of ``payload``, each named by a code of the cycle or as the page's add
    form allows; every applicant at fault is named by its place."""
    codes = {(given.code or "").strip().upper() for given in payload.applicants if given.code}
    known = dict(
        CycleApplicant.objects.filter(cycle=entry.cycle, code__in=codes).values_list(
            "code", "student_id"
        )
    )
    allowed = set(on_list) | {
        a.student_id for a in selectors.interviewed_applicants(entry, exclude=on_list)
    }
    order, fields = [], []
    for index, given in enumerate(payload.applicants):
        code = (given.code or "").strip().upper()
        if bool(code) == (given.student_id is not None):
            reason = "give either an applicant code or a student_id"
            fields.append({"field": f"applicants.{index}", "reason": reason})
        elif code and code not in known:
            reason = f"no applicant of this cycle has code {code}"
            fields.append({"field": f"applicants.{index}.code", "reason": reason})
        elif not code and given.student_id not in allowed:
            reason = "not on the list nor interviewed by the program: give their code"
            fields.append({"field": f"applicants.{index}.student_id", "reason": reason})
        else:
            order.append(known[code] if code else given.student_id)
    if fields:
        raise ApiError(422, "The list was not saved.", fields)
    return order


@router.put(
    "/program-rank-lists/{int:pk}",
    response=responses(ProgramListWritten),
    url_name="program_rank_list_edit",
)
def replace_program_list(request, pk: int, payload: ProgramListIn):
    """Replace the program's list, best first, through the page's service (all or nothing); a
    certified list is un-certified. 409 while the cycle takes no lists."""
    entry = get_ranking_cycle_program_or_404(request.user, pk)
    try:
        with transaction.atomic():
            plist = lists.program_list(entry)
            order = _order(entry, payload, lists.program_order(plist))
            # An interviewed applicant without a code gets one, as the page's add does.
            for student in User.objects.filter(pk__in=order).exclude(
                cycle_codes__cycle=entry.cycle
            ):
                lists.applicant_code(cycle=entry.cycle, student=student)
            uncertified = lists.program_list_write(plist=plist, order=order)
    except lists.ListClosed as refusal:
        raise ApiError(409, str(refusal), [{"field": "", "reason": str(refusal)}]) from None
    except ValueError as refusal:
        raise ApiError(
            422, str(refusal), [{"field": "applicants", "reason": str(refusal)}]
        ) from None
    return {**_detail(request, entry), "uncertified": uncertified}


@router.post(
    "/program-rank-lists/{int:pk}/certify",
    response=responses(ProgramListDetail),
    url_name="program_rank_list_certify",
)
def certify_program_list(request, pk: int):
    """Certify the list as it is now (a program director only: 403 for a coordinator). 409
    while the cycle takes no lists, or when the list is empty."""
    entry = get_ranking_cycle_program_or_404(request.user, pk)
    if not can_rank(request.user, entry.program):
        raise ApiError(403, "Only a program director of this program can certify its list.")
    try:
        lists.program_list_certify(plist=lists.program_list(entry), director=request.user)
    except (lists.ListClosed, ValueError) as refusal:
        raise ApiError(409, str(refusal), [{"field": "", "reason": str(refusal)}]) from None
    return _detail(request, entry)
