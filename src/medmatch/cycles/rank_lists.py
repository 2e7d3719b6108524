"""Rank lists of a match cycle: a student's list (with NRMP supplemental lists), a couple's joint
list of pairs and a program's list of applicants. Every write is atomic, happens only while the
cycle takes lists, and un-certifies the list it changes: a certified list counts in the match only
in the version that was certified.

When lists may change: the cycle is open, its rank lists have opened and the certification
deadline has not passed. Before, lists do not exist yet; after (or once locked) they are read-only.
A change refused for that reason raises ``ListClosed`` with a message for the user.
"""

import csv
import io
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from medmatch.cycles.models import (
    CoupleLink,
    CouplePair,
    CoupleProposal,
    CoupleRankList,
    CycleApplicant,
    CycleProgram,
    MatchCycle,
    ProgramRankEntry,
    ProgramRankList,
    StudentRankEntry,
    StudentRankList,
)

# Applicant codes: 8 characters without 0/O, 1/I/L, so a code read aloud or typed is unambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# The longest lists: NRMP allows 300 programs a list; a program ranks at most this many applicants.
MAX_STUDENT_LIST = 300
MAX_PAIRS = 300
MAX_PROGRAM_LIST = 5000


class ListClosed(Exception):
    """The list cannot change now; the message says why."""


def lists_editable(cycle: MatchCycle, now=None) -> bool:
    now = now or timezone.now()
    return (
        cycle.state == MatchCycle.State.OPEN
        and cycle.rank_lists_open_at <= now < cycle.certification_deadline
    )


def closed_reason(cycle: MatchCycle, now=None) -> str:
    """Why lists of ``cycle`` cannot change now ("" when they can)."""
    now = now or timezone.now()
    if lists_editable(cycle, now):
        return ""
    if cycle.state == MatchCycle.State.DRAFT:
        return "This cycle is not open yet."
    if cycle.state == MatchCycle.State.OPEN and now < cycle.rank_lists_open_at:
        opens = date_format(timezone.localtime(cycle.rank_lists_open_at), "j M Y, H:i")
        return f"Rank lists open on {opens}."
    if cycle.state == MatchCycle.State.OPEN:
        return "The certification deadline has passed: lists are read-only."
    return "The cycle is locked: lists are read-only."


def _require_editable(cycle: MatchCycle) -> None:
    # Read the state again under a row lock: the administrator may be locking the cycle right now.
    stored = MatchCycle.objects.select_for_update().get(pk=cycle.pk)
    reason = closed_reason(stored)
    if reason:
        raise ListClosed(reason)


LINK_ENDED = "This link has ended."


def _require_standing(link: CoupleLink) -> None:
    """A couple's joint list changes only while their link stands; read again from the table, after
    the cycle's row lock (either partner may be ending it right now)."""
    if not CoupleLink.objects.filter(pk=link.pk, ended_at__isnull=True).exists():
        raise ListClosed(LINK_ENDED)


# -- plain reordering, shared by the three kinds of list ------------------------------------------


def moved(order: list, index: int, offset: int) -> list:
    """``order`` with the item at ``index`` moved by ``offset`` places (clamped to the ends)."""
    order = list(order)
    item = order.pop(index)
    order.insert(max(0, min(len(order), index + offset)), item)
    return order


def order_from_numbers(numbers: dict) -> list:
    """Keys sorted by their rank numbers (ties keep the order given); only the order counts."""
    return [key for key, _ in sorted(numbers.items(), key=lambda item: item[1])]


# -- applicant codes -----------------------------------------------------------------------------


def applicant_code(*, cycle: MatchCycle, student) -> CycleApplicant:
    """The student's code in ``cycle``, made on first use (retried on the rare collision)."""
    found = CycleApplicant.objects.filter(cycle=cycle, student=student).first()
    if found:
        return found
    for _ in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return CycleApplicant.objects.create(cycle=cycle, student=student, code=code)
        except IntegrityError:
            found = CycleApplicant.objects.filter(cycle=cycle, student=student).first()
            if found:
                return found
    raise RuntimeError("Could not make a unique applicant code.")


# -- a student's list ----------------------------------------------------------------------------


@transaction.atomic
def student_list_start(*, cycle: MatchCycle, student) -> StudentRankList:
    if not lists_editable(cycle):
        raise ListClosed(closed_reason(cycle) or "This cycle does not take lists.")
    rank_list, _ = StudentRankList.objects.get_or_create(cycle=cycle, student=student)
    applicant_code(cycle=cycle, student=student)
    return rank_list


def student_order(rank_list: StudentRankList, primary_id: int | None = None) -> list[int]:
    """The cycle program ids of the main list (or of one supplemental list), best first."""
    return list(
        rank_list.entries.filter(primary_id=primary_id)
        .order_by("rank", "pk")
        .values_list("cycle_program_id", flat=True)
    )


def _uncertify_student(rank_list: StudentRankList) -> bool:
    was = rank_list.certified_at is not None
    rank_list.certified_at = None
    rank_list.save(update_fields=["certified_at", "updated_at"])
    return was


@transaction.atomic
def student_list_write(
    *, rank_list: StudentRankList, order: list[int], primary: CycleProgram | None = None
) -> bool:
    """Replace the main list (or ``primary``'s supplemental list) by the cycle program ids in
    ``order``, best first. Returns True when this un-certified a certified list.

    Only programs of the cycle can be ranked; a supplemental list belongs to an advanced program
    on the main list and ranks preliminary programs. Taking an advanced program off the main list
    drops its supplemental list too.
    """
    _require_editable(rank_list.cycle)
    if len(order) != len(set(order)):
        raise ValueError("A program is on the list twice.")
    limit = MAX_STUDENT_LIST
    if len(order) > limit:
        raise ValueError(f"A list holds at most {limit} programs.")
    programs = CycleProgram.objects.filter(cycle=rank_list.cycle, pk__in=order).in_bulk()
    if len(programs) != len(order):
        raise ValueError("Only programs of this cycle can be ranked.")
    if primary is not None:
        if not primary.is_advanced or primary.pk not in student_order(rank_list):
            raise ValueError("A supplemental list belongs to an advanced program on your list.")
        if any(programs[pk].track != "preliminary" for pk in order):
            raise ValueError("A supplemental list ranks preliminary programs only.")
    primary_id = primary.pk if primary else None
    rank_list.entries.filter(primary_id=primary_id).delete()
    if primary is None:
        rank_list.entries.exclude(primary_id=None).exclude(primary_id__in=order).delete()
    StudentRankEntry.objects.bulk_create(
        StudentRankEntry(rank_list=rank_list, cycle_program_id=pk, rank=rank, primary=primary)
        for rank, pk in enumerate(order, start=1)
    )
    return _uncertify_student(rank_list)


@transaction.atomic
def student_list_certify(*, rank_list: StudentRankList) -> None:
    _require_editable(rank_list.cycle)
    if not rank_list.entries.filter(primary=None).exists():
        raise ValueError("Rank at least one program before certifying.")
    rank_list.certified_at = timezone.now()
    rank_list.save(update_fields=["certified_at", "updated_at"])


# -- couples ------------------------------------------------------------------------------------


def active_link(cycle: MatchCycle, student) -> CoupleLink | None:
    return (
        CoupleLink.objects.for_student(student)
        .filter(cycle=cycle, ended_at=None, partner_accepted_at__isnull=False)
        .select_related("proposer", "partner")
        .first()
    )


@transaction.atomic
def couple_propose(*, cycle: MatchCycle, proposer, email: str) -> CoupleProposal:
    """A proposal to whoever owns ``email``. It is made whether or not the address is a
    participant's, so the answer tells the proposer nothing about it."""
    _require_editable(cycle)
    if email.strip().lower() == (proposer.email or "").lower():
        raise ValueError("That is your own email address.")
    if active_link(cycle, proposer):
        raise ValueError("You are already linked with a partner in this cycle: end that first.")
    if CoupleProposal.objects.filter(cycle=cycle, proposer=proposer, status="pending").exists():
        raise ValueError("You already have a proposal waiting: withdraw it first.")
    return CoupleProposal.objects.create(cycle=cycle, proposer=proposer, email=email.strip())


@transaction.atomic
def couple_proposal_withdraw(*, proposal: CoupleProposal) -> None:
    _require_editable(proposal.cycle)
    proposal.status = CoupleProposal.Status.WITHDRAWN
    proposal.answered_at = timezone.now()
    proposal.save(update_fields=["status", "answered_at"])


@transaction.atomic
def couple_proposal_answer(*, proposal: CoupleProposal, partner, accept: bool) -> CoupleLink | None:
    """The partner accepts (a link and an empty joint list are made) or declines."""
    _require_editable(proposal.cycle)
    proposal.answered_at = timezone.now()
    if not accept:
        proposal.status = CoupleProposal.Status.DECLINED
        proposal.save(update_fields=["status", "answered_at"])
        return None
    for who in (proposal.proposer, partner):
        if active_link(proposal.cycle, who):
            raise ValueError("One of you is already linked with someone in this cycle.")
    link = CoupleLink.objects.create(
        cycle=proposal.cycle,
        proposer=proposal.proposer,
        partner=partner,
        partner_accepted_at=proposal.answered_at,
    )
    CoupleRankList.objects.create(link=link)
    # Both partners take part in the cycle from now on: each has a list and a code.
    for who in (proposal.proposer, partner):
        StudentRankList.objects.get_or_create(cycle=proposal.cycle, student=who)
        applicant_code(cycle=proposal.cycle, student=who)
    proposal.status = CoupleProposal.Status.ACCEPTED
    proposal.link = link
    proposal.save(update_fields=["status", "answered_at", "link"])
    return link


@transaction.atomic
def couple_link_end(*, link: CoupleLink) -> None:
    """Either partner ends the link before the lock; the joint list no longer counts."""
    _require_editable(link.cycle)
    link.ended_at = timezone.now()
    link.save(update_fields=["ended_at"])
    CoupleRankList.objects.filter(link=link).update(
        certified_at=None, proposer_certified_at=None, partner_certified_at=None
    )


def joint_list(link: CoupleLink) -> CoupleRankList:
    return CoupleRankList.objects.get_or_create(link=link)[0]


def pair_order(joint: CoupleRankList) -> list[tuple[int | None, int | None]]:
    return list(
        joint.pairs.order_by("rank").values_list("proposer_program_id", "partner_program_id")
    )


@transaction.atomic
def couple_pairs_write(
    *, joint: CoupleRankList, pairs: list[tuple[int | None, int | None]]
) -> bool:
    """Replace the joint list by ``pairs`` (proposer's program id, partner's; None = no match
    for that side), best first. Returns True when it un-certified a (partly) certified list."""
    _require_editable(joint.link.cycle)
    _require_standing(joint.link)
    if len(pairs) != len(set(pairs)):
        raise ValueError("A pair is on the list twice.")
    if len(pairs) > MAX_PAIRS:
        raise ValueError(f"A joint list holds at most {MAX_PAIRS} pairs.")
    if any(a is None and b is None for a, b in pairs):
        raise ValueError("“No match” for both of you is not a pair.")
    ids = {pk for pair in pairs for pk in pair if pk is not None}
    if CycleProgram.objects.filter(cycle=joint.link.cycle, pk__in=ids).count() != len(ids):
        raise ValueError("Only programs of this cycle can be ranked.")
    joint.pairs.all().delete()
    CouplePair.objects.bulk_create(
        CouplePair(rank_list=joint, rank=rank, proposer_program_id=a, partner_program_id=b)
        for rank, (a, b) in enumerate(pairs, start=1)
    )
    was = any([joint.certified_at, joint.proposer_certified_at, joint.partner_certified_at])
    joint.certified_at = joint.proposer_certified_at = joint.partner_certified_at = None
    joint.save(update_fields=["certified_at", "proposer_certified_at", "partner_certified_at"])
    return was


@transaction.atomic
def couple_list_certify(*, joint: CoupleRankList, student) -> bool:
    """``student`` certifies the current pairs; returns True when the list now counts (both
    partners have certified this version)."""
    _require_editable(joint.link.cycle)
    _require_standing(joint.link)
    if not joint.pairs.exists():
        raise ValueError("Add at least one pair before certifying.")
    now = timezone.now()
    if student.pk == joint.link.proposer_id:
        joint.proposer_certified_at = now
    else:
        joint.partner_certified_at = now
    if joint.proposer_certified_at and joint.partner_certified_at:
        joint.certified_at = now
    joint.save(update_fields=["certified_at", "proposer_certified_at", "partner_certified_at"])
    return joint.certified_at is not None


def implied_pairs(link: CoupleLink, limit: int = 40) -> list[tuple[int | None, int | None]]:
    """The pairs the partners' individual lists imply, as suggestions: every (proposer's program,
    partner's program) ordered by the sum of the two ranks (then the proposer's rank), followed by
    each program with "no match" for the other side in the same way; at most ``limit``."""
    mine = _main_list_of(link.cycle, link.proposer)
    theirs = _main_list_of(link.cycle, link.partner)
    both = [
        (ra + rb, ra, (a, b))
        for ra, a in enumerate(mine, start=1)
        for rb, b in enumerate(theirs, start=1)
    ]
    alone = [(r, 0, (a, None)) for r, a in enumerate(mine, start=1)]
    alone += [(r, 1, (None, b)) for r, b in enumerate(theirs, start=1)]
    return [pair for *_, pair in sorted(both)][:limit] + [pair for *_, pair in sorted(alone)][
        : max(0, limit - len(both))
    ]


def _main_list_of(cycle: MatchCycle, student) -> list[int]:
    rank_list = StudentRankList.objects.filter(cycle=cycle, student=student).first()
    return student_order(rank_list) if rank_list else []


# -- a program's list ---------------------------------------------------------------------------


def program_list(cycle_program: CycleProgram) -> ProgramRankList:
    return ProgramRankList.objects.get_or_create(cycle_program=cycle_program)[0]


def program_order(plist: ProgramRankList) -> list[int]:
    return list(plist.entries.order_by("rank", "pk").values_list("student_id", flat=True))


@transaction.atomic
def program_list_write(*, plist: ProgramRankList, order: list[int]) -> bool:
    """Replace the program's list by the student ids in ``order``, best first; each must hold an
    applicant code in the cycle. Returns True when it un-certified a certified list."""
    cycle = plist.cycle_program.cycle
    _require_editable(cycle)
    if len(order) != len(set(order)):
        raise ValueError("An applicant is on the list twice.")
    if len(order) > MAX_PROGRAM_LIST:
        raise ValueError(f"A program's list holds at most {MAX_PROGRAM_LIST} applicants.")
    known = CycleApplicant.objects.filter(cycle=cycle, student_id__in=order).count()
    if known != len(order):
        raise ValueError("Only applicants of this cycle can be ranked.")
    plist.entries.all().delete()
    ProgramRankEntry.objects.bulk_create(
        ProgramRankEntry(rank_list=plist, student_id=pk, rank=rank)
        for rank, pk in enumerate(order, start=1)
    )
    was = plist.certified_at is not None
    plist.certified_at = None
    plist.certified_by = None
    plist.save(update_fields=["certified_at", "certified_by"])
    return was


@transaction.atomic
def program_list_certify(*, plist: ProgramRankList, director) -> None:
    """The caller has checked that ``director`` may rank for the program (``can_rank``)."""
    _require_editable(plist.cycle_program.cycle)
    if not plist.entries.exists():
        raise ValueError("Rank at least one applicant before certifying.")
    plist.certified_at = timezone.now()
    plist.certified_by = director
    plist.save(update_fields=["certified_at", "certified_by"])


@dataclass
class ImportRow:
    line: int
    rank: int
    code: str
    student_id: int | None = None
    name: str = ""


@dataclass
class ImportResult:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _rank_number(text: str) -> int | None:
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return None
    number = int(text)
    return number if 1 <= number <= MAX_PROGRAM_LIST else None


def parse_program_csv(cycle: MatchCycle, text: str) -> ImportResult:
    """Read a program's list from CSV text: a header row with a ``code`` column (the applicant
    codes students see on their list page) and optionally a ``rank`` column; without ranks the
    rows' order is the list. Every bad row is reported by its line number and reason."""
    result = ImportResult()
    problems = _read_rows(text, result.rows)
    codes = {row.code for row in result.rows}
    applicants = {
        a.code: a
        for a in CycleApplicant.objects.filter(cycle=cycle, code__in=codes).select_related(
            "student"
        )
    }
    for row in result.rows:
        applicant = applicants.get(row.code)
        if applicant is None:
            problems.append((row.line, f"no applicant of this cycle has code {row.code}"))
        else:
            row.student_id = applicant.student_id
            row.name = applicant.student.get_full_name() or applicant.student.username
    result.rows.sort(key=lambda row: row.rank)
    if not result.rows and not problems:
        problems.append((0, "the file names no applicant"))
    result.errors = [
        f"Line {line}: {reason}." if line else f"{reason[:1].upper()}{reason[1:]}."
        for line, reason in sorted(problems, key=lambda problem: problem[0])
    ]
    return result


def _read_rows(text: str, rows: list[ImportRow]) -> list[tuple[int, str]]:
    """Append the well-formed rows of ``text`` to ``rows``; return (line, reason) for the rest."""
    problems: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        lines = list(enumerate(reader, start=2))
    except csv.Error as error:
        return [(reader.line_num, f"not CSV ({error})")]
    if not header:
        return [(0, "the file is empty: it needs a header row with a “code” column")]
    if "code" not in header:
        return [(1, "the header row needs a “code” column")]
    code_at = header.index("code")
    rank_at = header.index("rank") if "rank" in header else None
    seen_codes: dict[str, int] = {}
    seen_ranks: dict[int, int] = {}
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= MAX_PROGRAM_LIST:
            problems.append((line, f"more than {MAX_PROGRAM_LIST} applicants"))
            break
        code = cells[code_at].strip().upper() if code_at < len(cells) else ""
        if not code:
            problems.append((line, "no applicant code"))
            continue
        if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
            problems.append((line, f"“{code[:20]}” is not an applicant code"))
            continue
        if code in seen_codes:
            problems.append((line, f"{code} is already on line {seen_codes[code]}"))
            continue
        if rank_at is None:
            rank = len(rows) + 1
        else:
            rank = _rank_number(cells[rank_at]) if rank_at < len(cells) else None
            if rank is None:
                problems.append(
                    (line, f"the rank must be a whole number from 1 to {MAX_PROGRAM_LIST}")
                )
                continue
            if rank in seen_ranks:
                problems.append((line, f"rank {rank} is already on line {seen_ranks[rank]}"))
                continue
            seen_ranks[rank] = line
        seen_codes[code] = line
        rows.append(ImportRow(line=line, rank=rank, code=code))
    return problems


@transaction.atomic
def program_list_import(*, plist: ProgramRankList, text: str, dry_run: bool) -> ImportResult:
    """Read ``text`` and, unless ``dry_run`` or a row is wrong, replace the program's list with it
    (all rows or none)."""
    result = parse_program_csv(plist.cycle_program.cycle, text)
    if not dry_run and not result.errors:
        program_list_write(plist=plist, order=[row.student_id for row in result.rows])
    return result
