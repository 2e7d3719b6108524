"""A student's side of the match cycles: their rank order lists through the rank list page's
access helper (``get_student_list_or_404``: anyone else's is a 404) and its rows as the page
builds them (``rank_selectors.student_rows``: each program with the student's fit score,
shortlist rating and interview beside it; an advanced program with its supplemental list); the
couples they are a partner of with the joint list (``get_couple_link_or_404``: both partners and
nobody else); and their published match-day results with the reasons in words
(``result_access.get_own_outcome_or_404``: nothing before the administrator publishes).

A list is replaced and certified through the page's services (``rank_lists.student_list_write``,
``student_list_certify``) under the same rules: only while the cycle takes lists (else a 409 with
the page's reason), and any change un-certifies a certified list. A couple's joint list likewise
(``couple_pairs_write``, ``couple_list_certify``, as the couple page): either partner replaces
it, which un-certifies it for both; each certifies their side, and it counts once both have
certified the current version; an ended link takes neither (409, as the page says)."""

import datetime
from typing import Annotated

from django.db import transaction
from django.db.models import Count, Q
from ninja import Field, Query, Router, Schema

from medmatch.api.auth import student_auth
from medmatch.api.errors import ApiError
from medmatch.api.pagination import PageParams, keyset_page
from medmatch.api.schemas import responses
from medmatch.cycles import rank_lists as lists
from medmatch.cycles import rank_selectors as selectors
from medmatch.cycles.list_access import get_couple_link_or_404, get_student_list_or_404
from medmatch.cycles.models import CoupleLink, CoupleRankList, MatchOutcome, StudentRankList
from medmatch.cycles.result_access import (
    get_own_outcome_or_404,
    partner_outcome,
    published_cycles,
)
from medmatch.cycles.result_presenters import explanation_lines, program_names
from medmatch.lib.forms import MAX_INT

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


class SideOut(Schema):
    cycle_program_id: int
    program_id: int
    program: str
    institution: str
    track: str


class PairOut(Schema):
    rank: int
    mine: SideOut | None  # null: "no match" for you in this pair
    partner: SideOut | None  # null: "no match" for your partner


class CoupleOut(Schema):
    id: int
    cycle: CycleOut
    partner: str  # your partner's name
    ended_at: datetime.datetime | None  # null: the link stands
    certified_at: datetime.datetime | None  # null: not certified by both, so it does not count
    you_certified_at: datetime.datetime | None
    partner_certified_at: datetime.datetime | None
    editable: bool
    closed_reason: str
    length: int


class CoupleList(Schema):
    items: list[CoupleOut]
    next_cursor: str | None


class CoupleDetail(CoupleOut):
    pairs: list[PairOut]  # best first


class ReasonOut(Schema):
    choice: str  # the choice you ranked higher, in words
    why: str  # why it did not take you, in words; no other applicant is named


class MatchedOut(Schema):
    cycle_program_id: int
    program_id: int
    program: str
    institution: str
    track: str


class ResultOut(Schema):
    cycle: CycleOut
    matched: MatchedOut | None  # null: not matched in this cycle
    preliminary_program: str | None  # NRMP: the preliminary year with an advanced program
    choice_number: int | None  # which of your choices matched; null: none


class ResultList(Schema):
    items: list[ResultOut]
    next_cursor: str | None


class ResultDetail(ResultOut):
    partner_matched: MatchedOut | None  # a couple's partner's outcome; null otherwise
    reasons: list[ReasonOut]  # for every choice above the outcome


def _cycle(cycle) -> dict:
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "rules": cycle.rules,
        "state": cycle.state,
        "rank_lists_open_at": cycle.rank_lists_open_at,
        "certification_deadline": cycle.certification_deadline,
        "match_day": cycle.match_day,
    }


def _side(cycle_program) -> dict | None:
    if cycle_program is None:
        return None
    program = cycle_program.program
    return {
        "cycle_program_id": cycle_program.pk,
        "program_id": program.pk,
        "program": program.title,
        "institution": program.institution.name,
        "track": cycle_program.track,
    }


def _list(rank_list: StudentRankList, length: int) -> dict:
    cycle = rank_list.cycle
    return {
        "id": rank_list.pk,
        "cycle": _cycle(cycle),
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


Id = Annotated[int, Field(ge=1, le=MAX_INT)]


class SupplementalIn(Schema):
    advanced: Id = Field(..., description="An advanced program on the list.")
    programs: list[Id] = Field(..., max_length=lists.MAX_STUDENT_LIST)


class RankListIn(Schema):
    programs: list[Id] = Field(
        ...,
        max_length=lists.MAX_STUDENT_LIST,
        description="Cycle program ids, best first: the whole main list.",
    )
    supplemental: list[SupplementalIn] | None = Field(
        None,
        max_length=lists.MAX_STUDENT_LIST,
        description="Supplemental lists to replace; those not named are kept (null: all kept) "
        "while their advanced program stays on the list.",
    )


class RankListWritten(RankListDetail):
    uncertified: bool  # this change un-certified a certified list: certify it again


def _closed(refusal: lists.ListClosed):
    return ApiError(409, str(refusal), [{"field": "", "reason": str(refusal)}])


def _refused(field: str, refusal: ValueError):
    return ApiError(422, str(refusal), [{"field": field, "reason": str(refusal)}])


def _detail(request, rank_list) -> dict:
    rank_list.refresh_from_db()
    rows = selectors.student_rows(rank_list, selectors.Fits(request.user))
    return {**_list(rank_list, len(rows)), "rows": [_row(row) for row in rows]}


@router.put("/rank-lists/{int:pk}", response=responses(RankListWritten), url_name="rank_list_edit")
def replace_rank_list(request, pk: int, payload: RankListIn):
    """Replace your list (and the supplemental lists named) in one change, through the list
    page's service: programs of the cycle only, each once; a supplemental list belongs to an
    advanced program on the list and ranks preliminary programs. A certified list is
    un-certified. 409 while the cycle takes no lists."""
    rank_list = get_student_list_or_404(request.user, pk)
    uncertified = False
    try:
        with transaction.atomic():
            uncertified = lists.student_list_write(rank_list=rank_list, order=payload.programs)
            for index, given in enumerate(payload.supplemental or []):
                primary = rank_list.cycle.programs.filter(pk=given.advanced).first()
                if primary is None:
                    raise _refused(
                        f"supplemental.{index}.advanced", ValueError("Not a program of this cycle.")
                    )
                try:
                    lists.student_list_write(
                        rank_list=rank_list, order=given.programs, primary=primary
                    )
                except ValueError as refusal:
                    raise _refused(f"supplemental.{index}", refusal) from None
    except lists.ListClosed as refusal:
        raise _closed(refusal) from None
    except ValueError as refusal:
        raise _refused("programs", refusal) from None
    return {**_detail(request, rank_list), "uncertified": uncertified}


@router.post(
    "/rank-lists/{int:pk}/certify", response=responses(RankListDetail), url_name="rank_list_certify"
)
def certify_rank_list(request, pk: int):
    """Certify your list as it is now, as the list page's button does: it then counts in the
    match. 409 while the cycle takes no lists, or when the list is empty."""
    rank_list = get_student_list_or_404(request.user, pk)
    try:
        lists.student_list_certify(rank_list=rank_list)
    except (lists.ListClosed, ValueError) as refusal:
        raise _closed(refusal) from None
    return _detail(request, rank_list)


def _couple(user, link: CoupleLink, joint: CoupleRankList | None, length: int) -> dict:
    me_first = user.pk == link.proposer_id
    partner = link.partner if me_first else link.proposer
    proposer_at = joint.proposer_certified_at if joint else None
    partner_at = joint.partner_certified_at if joint else None
    return {
        "id": link.pk,
        "cycle": _cycle(link.cycle),
        "partner": partner.get_full_name() or partner.username,
        "ended_at": link.ended_at,
        "certified_at": joint.certified_at if joint else None,
        "you_certified_at": proposer_at if me_first else partner_at,
        "partner_certified_at": partner_at if me_first else proposer_at,
        "editable": lists.lists_editable(link.cycle) and link.ended_at is None,
        "closed_reason": lists.LINK_ENDED if link.ended_at else lists.closed_reason(link.cycle),
        "length": length,
    }


@router.get("/couples", response=responses(CoupleList), url_name="couples")
def list_couples(request, filters: Query[PageParams]):
    """The couples you are a partner of (accepted links, ended ones too), oldest first."""
    links = (
        CoupleLink.objects.for_student(request.user)
        .filter(partner_accepted_at__isnull=False)
        .select_related("cycle", "proposer", "partner", "rank_list")
        .annotate(pair_count=Count("rank_list__pairs"))
    )
    page = keyset_page(links, filters, name="couples", key="pk")
    items = []
    for link in page.items:
        joint = getattr(link, "rank_list", None)
        items.append(_couple(request.user, link, joint, link.pair_count))
    return {"items": items, "next_cursor": page.next_cursor}


def _couple_detail(user, link: CoupleLink) -> dict:
    joint = CoupleRankList.objects.filter(link=link).first()
    rows = selectors.joint_rows(joint) if joint else []
    me_first = user.pk == link.proposer_id
    pairs = [
        {
            "rank": rank,
            "mine": _side(first if me_first else second),
            "partner": _side(second if me_first else first),
        }
        for rank, first, second in rows
    ]
    return {**_couple(user, link, joint, len(pairs)), "pairs": pairs}


@router.get("/couples/{int:pk}", response=responses(CoupleDetail), url_name="couple")
def show_couple(request, pk: int):
    """A couple's joint list, best first, each pair as (your program, your partner's), with
    null for "no match" on a side — as the couple page shows it."""
    return _couple_detail(request.user, get_couple_link_or_404(request.user, pk))


class PairIn(Schema):
    mine: Id | None = Field(..., description="Your cycle program id; null: no match for you.")
    partner: Id | None = Field(
        ..., description="Your partner's cycle program id; null: no match for your partner."
    )


class CoupleListIn(Schema):
    pairs: list[PairIn] = Field(
        ...,
        max_length=lists.MAX_PAIRS,
        description="The whole joint list, best first, as (your program, your partner's) pairs.",
    )


class CoupleWritten(CoupleDetail):
    uncertified: bool  # this change un-certified a (partly) certified list: both certify again


def _pair_faults(link: CoupleLink, pairs: list[PairIn]) -> list[dict]:
    """Each pair at fault, by its place: "no match" on both sides, or a program not of the
    couple's cycle (the service refuses both too, without saying which pair)."""
    given = {pk for pair in pairs for pk in (pair.mine, pair.partner) if pk is not None}
    of_cycle = set(link.cycle.programs.filter(pk__in=given).values_list("pk", flat=True))
    faults = []
    for index, pair in enumerate(pairs):
        if pair.mine is None and pair.partner is None:
            faults.append(
                {"field": f"pairs.{index}", "reason": "“No match” for both of you is not a pair."}
            )
        for side in ("mine", "partner"):
            value = getattr(pair, side)
            if value is not None and value not in of_cycle:
                faults.append(
                    {"field": f"pairs.{index}.{side}", "reason": "Not a program of this cycle."}
                )
    return faults


@router.put("/couples/{int:pk}/list", response=responses(CoupleWritten), url_name="couple_list")
def replace_couple_list(request, pk: int, payload: CoupleListIn):
    """Replace the joint list in one change, through the couple page's service: pairs of
    programs of the cycle, each pair once, "no match" on one side at most. Any change
    un-certifies the list for both partners. 409 while the cycle takes no lists, or once the
    link has ended."""
    link = get_couple_link_or_404(request.user, pk)  # an ended link: the service's 409
    faults = _pair_faults(link, payload.pairs)
    if faults:
        names = ", ".join(dict.fromkeys(fault["field"] for fault in faults))
        raise ApiError(422, f"Invalid input: {names}.", faults)
    me_first = request.user.pk == link.proposer_id
    pairs = [
        (pair.mine, pair.partner) if me_first else (pair.partner, pair.mine)
        for pair in payload.pairs
    ]
    try:
        uncertified = lists.couple_pairs_write(joint=lists.joint_list(link), pairs=pairs)
    except lists.ListClosed as refusal:
        raise _closed(refusal) from None
    except ValueError as refusal:
        raise _refused("pairs", refusal) from None
    return {**_couple_detail(request.user, link), "uncertified": uncertified}


@router.post(
    "/couples/{int:pk}/certify", response=responses(CoupleDetail), url_name="couple_certify"
)
def certify_couple(request, pk: int):
    """Certify your side of the joint list as it is now, as the couple page's button does; it
    counts (``certified_at``) once both partners have certified this version. 409 while the
    cycle takes no lists, once the link has ended, or when the list is empty."""
    link = get_couple_link_or_404(request.user, pk)  # an ended link: the service's 409
    try:
        lists.couple_list_certify(joint=lists.joint_list(link), student=request.user)
    except (lists.ListClosed, ValueError) as refusal:
        raise _closed(refusal) from None
    return _couple_detail(request.user, link)


def _result(outcome: MatchOutcome, names: dict[int, str]) -> dict:
    return {
        "cycle": _cycle(outcome.run.cycle),
        "matched": _side(outcome.cycle_program),
        "preliminary_program": names.get(outcome.preliminary_program_id),
        "choice_number": (outcome.explanation or {}).get("choice_number"),
    }


@router.get("/match-results", response=responses(ResultList), url_name="match_results")
def list_match_results(request, filters: Query[PageParams]):
    """Your results in the published match cycles, oldest first."""
    outcomes = (
        MatchOutcome.objects.for_student(request.user)
        .filter(run__cycle__in=published_cycles())
        .select_related("run__cycle", "cycle_program__program__institution")
    )
    page = keyset_page(outcomes, filters, name="match-results", key="pk")
    names = program_names([o.preliminary_program_id for o in page.items])
    return {
        "items": [_result(outcome, names) for outcome in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get(
    "/match-results/{int:cycle_id}", response=responses(ResultDetail), url_name="match_result"
)
def show_match_result(request, cycle_id: int):
    """Your result in one published cycle and, for every program you ranked higher, why it did
    not take you, in words (as the match-day page says it; nobody else is named)."""
    outcome = get_own_outcome_or_404(request.user, cycle_id)
    partner = partner_outcome(outcome) if outcome.explanation.get("couple") else None
    names = program_names([outcome.preliminary_program_id])
    return {
        **_result(outcome, names),
        "partner_matched": _side(partner.cycle_program) if partner else None,
        "reasons": [
            {"choice": line.choice, "why": line.why} for line in explanation_lines(outcome)
        ],
    }
