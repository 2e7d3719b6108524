"""Reads for the rank list pages: what a student knows about each program they could rank (the
interview and its impression, the shortlist rating and note, the fit score), the rows of a list
with those facts beside them, and a program's interviewed applicants. A fact nobody supplied is
None and shown as unknown, never as 0."""

from dataclasses import dataclass

from django.db.models import Q

from medmatch.cycles.models import (
    CoupleProposal,
    CycleApplicant,
    CycleProgram,
    StudentRankList,
)
from medmatch.cycles.rank_lists import pair_order, program_order, student_order
from medmatch.goals.fitting import rank_for_user
from medmatch.interviews.models import Interview
from medmatch.lib.models import iso_or_none
from medmatch.research.models import ShortlistItem
from medmatch.workspace.models import Invitation

SEARCH_LIMIT = 30


@dataclass
class Known:
    """What the student has on one program."""

    cycle_program: CycleProgram
    interview: Interview | None = None
    shortlist: ShortlistItem | None = None
    fit: float | None = None  # 0..100; None: no goals, or the program is not in the catalog
    fit_excluded: bool = False

    @property
    def impression(self):
        return getattr(self.interview, "impression", None) if self.interview else None


class Fits:
    """The student's fit scores, ranked at most once per page (ranking the catalog against the
    goals is the expensive part): ``explain(ids)`` as ``goals.fitting.explain_for_user``."""

    def __init__(self, user):
        self.user = user
        self._ranking = None
        self._ranked = False

    def explain(self, program_ids) -> dict:
        if not self._ranked:
            # Fits(None) ranks nothing: the export has no fit scores.
            ranking = rank_for_user(self.user) if self.user is not None else None
            self._ranking, self._ranked = ranking, True
        if self._ranking is None:
            return {}
        return self._ranking.explain_many(program_ids)


def _known(user, cycle_programs: list[CycleProgram], fits: Fits | None = None) -> dict[int, Known]:
    """``{cycle program id: Known}`` for ``cycle_programs`` (three queries and the fit)."""
    program_ids = {cp.program_id for cp in cycle_programs}
    interviews = {}
    for interview in (
        Interview.objects.for_student(user)
        .filter(application__program_id__in=program_ids)
        .select_related("application", "impression")
        .order_by("starts_at")
    ):
        interviews[interview.application.program_id] = interview
    shortlist = {
        item.program_id: item
        for item in ShortlistItem.objects.for_student(user).filter(program_id__in=program_ids)
    }
    explanations = (fits or Fits(user)).explain(program_ids) if program_ids else {}
    known = {}
    for cp in cycle_programs:
        explanation = explanations.get(cp.program_id)
        known[cp.pk] = Known(
            cycle_program=cp,
            interview=interviews.get(cp.program_id),
            shortlist=shortlist.get(cp.program_id),
            fit=None if explanation is None else round(explanation.total),
            fit_excluded=bool(explanation and explanation.excluded),
        )
    return known


def _cycle_programs(ids) -> dict[int, CycleProgram]:
    return CycleProgram.objects.filter(pk__in=ids).select_related("program__institution").in_bulk()


@dataclass
class ListRow:
    rank: int
    known: Known
    supplemental: list["ListRow"] | None = None


def student_rows(rank_list: StudentRankList, fits: Fits | None = None) -> list[ListRow]:
    """The main list in order, each advanced program with its supplemental list."""
    main = student_order(rank_list)
    supplements = {}
    for entry in rank_list.entries.exclude(primary=None).order_by("rank", "pk"):
        supplements.setdefault(entry.primary_id, []).append(entry.cycle_program_id)
    every = set(main) | {pk for ids in supplements.values() for pk in ids}
    programs = _cycle_programs(every)
    known = _known(rank_list.student, list(programs.values()), fits)
    rows = []
    for rank, pk in enumerate(main, start=1):
        row = ListRow(rank=rank, known=known[pk])
        if programs[pk].is_advanced:
            row.supplemental = [
                ListRow(rank=r, known=known[s]) for r, s in enumerate(supplements.get(pk, []), 1)
            ]
        rows.append(row)
    return rows


def student_candidates(
    rank_list: StudentRankList, query: str = "", fits: Fits | None = None
) -> tuple[list[Known], bool]:
    """Programs of the cycle not yet on the main list that the student interviewed at or
    shortlisted (interviewed first), or, with ``query``, those whose title or institution
    matches it. Returns (candidates, more): ``more`` says the search found more than shown."""
    cycle_programs = CycleProgram.objects.filter(cycle=rank_list.cycle).exclude(
        pk__in=student_order(rank_list)
    )
    if query:
        cycle_programs = cycle_programs.filter(
            Q(program__title__icontains=query) | Q(program__institution__name__icontains=query)
        )
    else:
        user = rank_list.student
        interviewed = Interview.objects.for_student(user).values("application__program_id")
        shortlisted = ShortlistItem.objects.for_student(user).values("program_id")
        cycle_programs = cycle_programs.filter(
            Q(program_id__in=interviewed) | Q(program_id__in=shortlisted)
        )
    found = list(
        cycle_programs.select_related("program__institution").order_by(
            "program__title", "program__institution__name", "pk"
        )[: SEARCH_LIMIT + 1]
    )
    more = len(found) > SEARCH_LIMIT
    known = _known(rank_list.student, found[:SEARCH_LIMIT], fits)
    rows = list(known.values())
    rows.sort(key=lambda k: (k.interview is None, k.shortlist is None))
    return rows, more


def student_list_labels(rank_list: StudentRankList) -> list[tuple[int, str]]:
    """(cycle program id, "Title, Institution") of the main list in order, for its rank numbers."""
    order = student_order(rank_list)
    programs = _cycle_programs(order)
    return [(pk, str(programs[pk].program)) for pk in order]


def preliminary_programs(cycle) -> list[CycleProgram]:
    return list(
        CycleProgram.objects.filter(cycle=cycle, track="preliminary").select_related(
            "program__institution"
        )
    )


def joint_rows(joint) -> list[tuple[int, CycleProgram | None, CycleProgram | None]]:
    pairs = pair_order(joint)
    programs = _cycle_programs({pk for pair in pairs for pk in pair if pk})
    return [
        (rank, programs.get(a) if a else None, programs.get(b) if b else None)
        for rank, (a, b) in enumerate(pairs, start=1)
    ]


def named_pairs(pairs) -> list[tuple[CycleProgram | None, CycleProgram | None]]:
    programs = _cycle_programs({pk for pair in pairs for pk in pair if pk})
    return [(programs.get(a) if a else None, programs.get(b) if b else None) for a, b in pairs]


# -- the program side --------------------------------------------------------------------------


@dataclass
class Applicant:
    student_id: int
    name: str
    code: str | None  # None: the student has no code in this cycle yet
    interviewed_on: object = None


def _name(user) -> str:
    return user.get_full_name() or user.username


def program_rows(plist) -> list[tuple[int, Applicant]]:
    order = program_order(plist)
    codes = {
        a.student_id: a
        for a in CycleApplicant.objects.filter(
            cycle=plist.cycle_program.cycle, student_id__in=order
        ).select_related("student")
    }
    return [
        (rank, Applicant(pk, _name(codes[pk].student), codes[pk].code))
        for rank, pk in enumerate(order, start=1)
        if pk in codes
    ]


def interviewed_applicants(cycle_program: CycleProgram, exclude=()) -> list[Applicant]:
    """Students the program interviewed through the workspace's slot rounds (an assigned slot,
    not cancelled), not on the list yet, with their code in the cycle when they have one."""
    invitations = (
        Invitation.objects.filter(
            submission__program_id=cycle_program.program_id,
            assigned_slot__isnull=False,
            cancelled_at=None,
        )
        .exclude(submission__student_id__in=exclude)
        .select_related("submission__student", "assigned_slot")
        .order_by("assigned_slot__starts_at", "pk")
    )
    seen, rows = set(), []
    for invitation in invitations:
        student = invitation.submission.student
        if student.pk in seen:
            continue
        seen.add(student.pk)
        rows.append(Applicant(student.pk, _name(student), None, invitation.assigned_slot.starts_at))
    codes = dict(
        CycleApplicant.objects.filter(
            cycle=cycle_program.cycle_id, student_id__in=seen
        ).values_list("student_id", "code")
    )
    for row in rows:
        row.code = codes.get(row.student_id)
    return rows


# -- "download all my data" --------------------------------------------------------------------


def rank_lists_export(user) -> dict:
    """The student's own rank lists (with supplemental lists), applicant codes and the couple
    proposals they made, for the account export."""
    codes = dict(CycleApplicant.objects.for_student(user).values_list("cycle_id", "code"))
    exported = []
    for rank_list in StudentRankList.objects.for_student(user).select_related("cycle"):
        rows = student_rows(rank_list, Fits(None))
        exported.append(
            {
                "cycle": rank_list.cycle.name,
                "applicant_code": codes.get(rank_list.cycle_id),
                "certified_at": iso_or_none(rank_list.certified_at),
                "programs": [
                    {
                        "rank": row.rank,
                        "program": str(row.known.cycle_program.program),
                        "supplemental": [
                            str(sub.known.cycle_program.program) for sub in row.supplemental or []
                        ],
                    }
                    for row in rows
                ],
            }
        )
    proposals = [
        {
            "cycle": p.cycle.name,
            "email": p.email,
            "status": p.status,
            "created_at": iso_or_none(p.created_at),
        }
        for p in CoupleProposal.objects.for_student(user).select_related("cycle")
    ]
    return {"rank_lists": exported, "couple_proposals": proposals}
