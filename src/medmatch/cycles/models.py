"""A practice run: one rank list run in a sandbox market, kept with everything needed to show it
again (the market's seed and a snapshot of its programs, the list, the result and the lessons).

It belongs to one student and is fetched through ``get_owned_or_404``; deleting the account
deletes it.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from medmatch.catalog.models import Specialty
from medmatch.lib.models import OwnedQuerySet, iso_or_none


class PracticeRunQuerySet(OwnedQuerySet):
    owner_path = "student"


class PracticeRun(models.Model):
    class Market(models.TextChoices):
        GENERATED = "generated", "Generated for a specialty"
        HAND_MADE = "hand_made", "Small hand-made market"

    class Strength(models.TextChoices):
        STRONGER = "stronger", "Stronger than most applicants"
        AVERAGE = "average", "About average"
        WEAKER = "weaker", "Weaker than most applicants"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_runs"
    )
    market = models.CharField(max_length=10, choices=Market.choices)
    # The name is kept as it was: the catalog may rename or drop the specialty later.
    specialty = models.ForeignKey(Specialty, null=True, blank=True, on_delete=models.SET_NULL)
    specialty_name = models.CharField(max_length=200, blank=True)
    seed = models.PositiveIntegerField(help_text="Seed of the generated competitors.")
    strength = models.CharField(max_length=10, choices=Strength.choices, default=Strength.AVERAGE)
    couple = models.BooleanField(default=False)
    # Program ids best first, or a couple's rows of [yours, your partner's] (null: no match).
    ranking = models.JSONField()
    summary = models.JSONField(help_text="The market snapshot, the result and the lessons.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PracticeRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Practice run {self.pk} of {self.student}"

    def get_absolute_url(self) -> str:
        return reverse("cycles:practice_run", args=[self.pk])

    @property
    def program_names(self) -> dict[str, str]:
        return {pid: p["name"] for pid, p in self.summary["market"]["programs"].items()}

    @property
    def matched_name(self) -> str | None:
        matched = self.summary["result"]["matched"]
        return self.program_names.get(matched) if matched else None

    def to_export(self) -> dict:
        return {
            "created_at": iso_or_none(self.created_at),
            "market": self.market,
            "specialty": self.specialty_name,
            "seed": self.seed,
            "strength": self.strength,
            "couple": self.couple,
            "ranking": self.ranking,
            "summary": self.summary,
        }


# -- real match cycles (issue 16) ---------------------------------------------------------------
#
# A cycle is run by a match administrator; the administrator's rows (the cycle, its programs,
# regions, audit and runs) are reached only through ``cycles.access`` (role match_admin or site
# staff). A student's rows (their rank list, their couple link and joint list, their outcome) are
# owned and fetched through ``get_owned_or_404``; a program's rank list is the program staff's.


class MatchCycleQuerySet(models.QuerySet):
    def open_to_students(self):
        return self.filter(state__in=[MatchCycle.State.OPEN, MatchCycle.State.LOCKED])


class MatchCycle(models.Model):
    class Rules(models.TextChoices):
        NRMP = "nrmp", "NRMP (United States)"
        CARMS = "carms", "CaRMS (Canada)"
        JRMP = "jrmp", "JRMP (Japan)"
        UKFP = "ukfp", "UK Foundation Programme"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for rank lists"
        LOCKED = "locked", "Locked"
        RUN = "run", "Run"
        PUBLISHED = "published", "Published"

    # Which state may follow which: a cycle only moves forward.
    TRANSITIONS = {
        State.DRAFT: {State.OPEN},
        State.OPEN: {State.LOCKED},
        State.LOCKED: {State.RUN},
        State.RUN: {State.PUBLISHED},
        State.PUBLISHED: set(),
    }

    name = models.CharField(max_length=200)
    rules = models.CharField(max_length=10, choices=Rules.choices, default=Rules.NRMP)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    rank_lists_open_at = models.DateTimeField(help_text="When students and programs may rank.")
    certification_deadline = models.DateTimeField(help_text="Last moment to certify a list.")
    match_day = models.DateTimeField(help_text="When the result is published.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MatchCycleQuerySet.as_manager()

    class Meta:
        ordering = ["-match_day", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rank_lists_open_at__lt=models.F("certification_deadline"))
                & models.Q(certification_deadline__lte=models.F("match_day")),
                name="cycle_dates_in_order",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("cycles:cycle", args=[self.pk])

    def can_move_to(self, state: str) -> bool:
        return state in self.TRANSITIONS[self.State(self.state)]

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class CycleRegion(models.Model):
    """A JRMP region with a cap on the positions its programs may fill together."""

    cycle = models.ForeignKey(MatchCycle, on_delete=models.CASCADE, related_name="regions")
    name = models.CharField(max_length=100)
    cap = models.PositiveIntegerField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="cycle_region_unique_name")
        ]

    def __str__(self):
        return f"{self.name} (cap {self.cap})"


class CycleProgram(models.Model):
    cycle = models.ForeignKey(MatchCycle, on_delete=models.CASCADE, related_name="programs")
    program = models.ForeignKey(
        "catalog.Program", on_delete=models.PROTECT, related_name="cycle_entries"
    )
    quota = models.PositiveIntegerField(help_text="Positions offered in this cycle.")
    # Copied from the program when added: the catalog may change its track later.
    track = models.CharField(max_length=20, blank=True)
    revert_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="NRMP reversion: where this program's unfilled positions go.",
    )
    region = models.ForeignKey(
        CycleRegion, null=True, blank=True, on_delete=models.SET_NULL, related_name="programs"
    )

    class Meta:
        ordering = ["program__title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "program"], name="cycle_program_unique")
        ]

    def __str__(self):
        return f"{self.program} ({self.quota})"

    @property
    def is_advanced(self) -> bool:
        return self.track == "advanced"


class CycleAuditEntry(models.Model):
    """One change to a cycle: who, when, the state before and after, and what changed."""

    cycle = models.ForeignKey(MatchCycle, on_delete=models.CASCADE, related_name="audit")
    who = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    from_state = models.CharField(max_length=10, choices=MatchCycle.State.choices, blank=True)
    to_state = models.CharField(max_length=10, choices=MatchCycle.State.choices)
    note = models.CharField(max_length=500)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.cycle}: {self.note}"


class StudentRankListQuerySet(OwnedQuerySet):
    owner_path = "student"


class StudentRankList(models.Model):
    cycle = models.ForeignKey(MatchCycle, on_delete=models.CASCADE, related_name="student_lists")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cycle_rank_lists"
    )
    certified_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StudentRankListQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "student"], name="one_rank_list_per_cycle")
        ]

    def __str__(self):
        return f"Rank list of {self.student} in {self.cycle}"


class StudentRankEntryQuerySet(OwnedQuerySet):
    owner_path = "rank_list__student"


class StudentRankEntry(models.Model):
    """One program on a student's list. A supplemental entry (NRMP) ranks advanced programs'
    preliminary years; ``primary`` names the advanced program it belongs to."""

    rank_list = models.ForeignKey(StudentRankList, on_delete=models.CASCADE, related_name="entries")
    cycle_program = models.ForeignKey(CycleProgram, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField()
    primary = models.ForeignKey(
        CycleProgram, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = StudentRankEntryQuerySet.as_manager()

    class Meta:
        ordering = ["primary_id", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["rank_list", "primary", "cycle_program"],
                name="student_rank_entry_unique_program",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.rank}. {self.cycle_program}"


class CoupleLinkQuerySet(OwnedQuerySet):
    owner_path = "proposer"

    def for_student(self, user):
        # Both partners own the link.
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(proposer=user) | models.Q(partner=user))


class CoupleLink(models.Model):
    cycle = models.ForeignKey(MatchCycle, on_delete=models.CASCADE, related_name="couples")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    partner_accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoupleLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(proposer=models.F("partner")), name="couple_two_people"
            ),
            models.UniqueConstraint(
                fields=["cycle", "proposer"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_link_as_proposer",
            ),
            models.UniqueConstraint(
                fields=["cycle", "partner"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_link_as_partner",
            ),
        ]

    def __str__(self):
        return f"Couple {self.proposer} and {self.partner} in {self.cycle}"


class CoupleRankListQuerySet(CoupleLinkQuerySet):
    owner_path = "link__proposer"

    def for_student(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(link__proposer=user) | models.Q(link__partner=user))


class CoupleRankList(models.Model):
    """A couple's joint list of pairs, best first; None on a side means "no match" for it."""

    link = models.OneToOneField(CoupleLink, on_delete=models.CASCADE, related_name="rank_list")
    certified_at = models.DateTimeField(null=True, blank=True)
    # Each partner certifies the current version; ``certified_at`` (what the match reads) is set
    # when both have, and any change to the pairs clears all three.
    proposer_certified_at = models.DateTimeField(null=True, blank=True)
    partner_certified_at = models.DateTimeField(null=True, blank=True)

    objects = CoupleRankListQuerySet.as_manager()

    def __str__(self):
        return f"Joint list of link {self.link_id}"


class CouplePairQuerySet(CoupleLinkQuerySet):
    owner_path = "rank_list__link__proposer"

    def for_student(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(rank_list__link__proposer=user) | models.Q(rank_list__link__partner=user)
        )


class CouplePair(models.Model):
    rank_list = models.ForeignKey(CoupleRankList, on_delete=models.CASCADE, related_name="pairs")
    rank = models.PositiveIntegerField()
    proposer_program = models.ForeignKey(
        CycleProgram, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    partner_program = models.ForeignKey(
        CycleProgram, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    objects = CouplePairQuerySet.as_manager()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["rank_list", "rank"], name="couple_pair_unique_rank"),
            models.CheckConstraint(
                condition=models.Q(proposer_program__isnull=False)
                | models.Q(partner_program__isnull=False),
                name="couple_pair_not_both_unmatched",
            ),
        ]

    def __str__(self):
        return f"{self.rank}. {self.proposer_program} / {self.partner_program}"


class ProgramRankList(models.Model):
    cycle_program = models.OneToOneField(
        CycleProgram, on_delete=models.CASCADE, related_name="rank_list"
    )
    certified_at = models.DateTimeField(null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"Rank list of {self.cycle_program}"


class ProgramRankEntry(models.Model):
    rank_list = models.ForeignKey(ProgramRankList, on_delete=models.CASCADE, related_name="entries")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveIntegerField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["rank_list", "student"], name="program_rank_entry_unique_student"
            )
        ]

    def __str__(self):
        return f"{self.rank}. {self.student}"


# A queued run that no worker has taken within QUEUE_TIMEOUT (no ``medmatch worker`` running),
# or a run still "running" after RUN_TIMEOUT (its worker was restarted or crashed), no longer
# blocks a new run: the new one replaces it.
QUEUE_TIMEOUT = datetime.timedelta(minutes=10)
RUN_TIMEOUT = datetime.timedelta(minutes=30)


class MatchRunQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=[MatchRun.Status.QUEUED, MatchRun.Status.RUNNING])

    def stale(self, now):
        return self.filter(
            models.Q(status=MatchRun.Status.QUEUED, queued_at__lt=now - QUEUE_TIMEOUT)
            | models.Q(status=MatchRun.Status.RUNNING, started_at__lt=now - RUN_TIMEOUT)
        )


class MatchRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    cycle = models.ForeignKey(MatchCycle, on_delete=models.CASCADE, related_name="runs")
    # The administrator who pressed Run: the run's own audit entries (finished, failed) are
    # written by the worker in their name.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    result = models.JSONField(null=True, blank=True)
    check_report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="match_run_progress_at_most_100"
            )
        ]

    def __str__(self):
        return f"Run {self.pk} of {self.cycle} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def is_stale(self, now=None) -> bool:
        """Queued with no worker taking it, or running with its worker gone (see the timeouts)."""
        now = now or timezone.now()
        if self.status == self.Status.QUEUED:
            return self.queued_at < now - QUEUE_TIMEOUT
        if self.status == self.Status.RUNNING and self.started_at is not None:
            return self.started_at < now - RUN_TIMEOUT
        return False

    @property
    def stale(self) -> bool:
        return self.is_stale()


class MatchOutcomeQuerySet(OwnedQuerySet):
    owner_path = "student"


class MatchOutcome(models.Model):
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="outcomes")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_outcomes"
    )
    cycle_program = models.ForeignKey(
        CycleProgram, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # NRMP: the preliminary year of a student matched to an advanced program, from the
    # supplemental list they made for it (None: no preliminary year matched or none ranked).
    preliminary_program = models.ForeignKey(
        CycleProgram, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Why each choice above the outcome did not take the student, worked out at the run
    # (``matching.explain``): program ids and figures only, never another applicant.
    explanation = models.JSONField(default=dict)

    objects = MatchOutcomeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "student"], name="one_outcome_per_run")
        ]

    def __str__(self):
        return f"{self.student}: {self.cycle_program or 'unmatched'}"


# -- rank lists (issue 16, parts 2 and 3) -------------------------------------------------------


class CycleApplicantQuerySet(OwnedQuerySet):
    owner_path = "student"


class CycleApplicant(models.Model):
    """A student's applicant code in one cycle (as an NRMP ID): the student sees it on their list
    page and gives it to programs that rank by an imported file instead of the review workspace."""

    cycle = models.ForeignKey(MatchCycle, on_delete=models.CASCADE, related_name="applicants")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cycle_codes"
    )
    code = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CycleApplicantQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "student"], name="one_code_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "code"], name="code_unique_in_cycle"),
        ]

    def __str__(self):
        return f"{self.code} ({self.student} in {self.cycle})"


class CoupleProposalQuerySet(OwnedQuerySet):
    owner_path = "proposer"


class CoupleProposal(models.Model):
    """A student's proposal to link with whoever holds ``email``. It names an address, not an
    account, so the proposer learns nothing about the address until its owner answers; accepting
    it creates the ``CoupleLink``."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    cycle = models.ForeignKey(MatchCycle, on_delete=models.CASCADE, related_name="proposals")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    link = models.OneToOneField(
        CoupleLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = CoupleProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "proposer"],
                condition=models.Q(status="pending"),
                name="one_pending_proposal_per_cycle",
            )
        ]

    def __str__(self):
        return f"{self.proposer} proposes to {self.email} in {self.cycle}"
