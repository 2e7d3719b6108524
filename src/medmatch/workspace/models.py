"""The program side: how a program takes applications in medmatch, what students send it, how its
staff review them, and the interview slots it offers.

Two kinds of rows live here and they never mix:

- a student's own: a :class:`Submission` (one per application sent to a program) and its frozen
  :class:`SubmissionVersion` snapshots. The student reaches them through ``get_owned_or_404``; the
  program's staff through ``workspace.access``.
- the program staff's: the :class:`Intake` (listing upkeep), the rubric, :class:`Review` rows,
  the decision on a submission and the interview rounds. Nothing of them reaches a student or
  another program: every view fetches them through ``workspace.access``, which limits them to the
  programs the user is a verified coordinator (or director) of. A student sees of the program's
  work only what the program sends: an invitation, and the slot they were given.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from medmatch.applications.models import Application
from medmatch.catalog.models import Program
from medmatch.interviews.models import Interview, validate_time_zone
from medmatch.letters.models import LetterRequest, private_storage
from medmatch.lib.models import OwnedQuerySet

# ERAS lets a program ask for up to four letters, and a student assign at most four.
MAX_LETTERS = 4


class Document(models.TextChoices):
    """What a program can ask for beyond the CV, statement and letters medmatch already holds;
    the student attaches each as a PDF when submitting."""

    MSPE = "mspe", "MSPE (Dean's letter)"
    TRANSCRIPT = "transcript", "Medical school transcript"
    EXAM_TRANSCRIPT = "exam_transcript", "Licensing exam transcript (USMLE / COMLEX / MCCQE)"
    PHOTO = "photo", "Photograph"
    LANGUAGE = "language", "Language certificate"
    OTHER = "other", "Other document (see the instructions)"


class Intake(models.Model):
    """How one program (one track of the catalog) takes applications in medmatch.

    No row, or ``is_open`` False: the program does not take applications here and the student's
    board offers no "submit". Positions are the program's ``seats`` fact, kept with the program's
    other reported facts (contributions), not copied here.
    """

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="intake")
    is_open = models.BooleanField("takes applications in medmatch", default=False)
    opens_on = models.DateField("applications open", null=True, blank=True)
    deadline = models.DateField("application deadline", null=True, blank=True)
    # Until this day (included) a student may withdraw; after it the rank lists are certified.
    rank_deadline = models.DateField("rank list deadline", null=True, blank=True)
    letters_required = models.PositiveSmallIntegerField(
        "letters required",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LETTERS)],
    )
    requires_statement = models.BooleanField("personal statement required", default=True)
    # Extra documents, each a ``Document`` value, in the order the program lists them.
    documents = models.JSONField("required documents", default=list, blank=True)
    uses_signals = models.BooleanField("takes preference signals", default=False)
    instructions = models.TextField(blank=True, max_length=4000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(letters_required__gte=1) & Q(letters_required__lte=MAX_LETTERS),
                name="workspace_letters_required_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(deadline__isnull=True)
                | Q(opens_on__lte=models.F("deadline")),
                name="workspace_intake_opens_before_deadline",
            ),
        ]

    def __str__(self):
        return f"Intake of {self.program}"

    def accepts_on(self, today) -> bool:
        """Whether a new submission is taken on ``today`` (an unknown opening or deadline does
        not close it)."""
        if not self.is_open:
            return False
        if self.opens_on is not None and today < self.opens_on:
            return False
        return self.deadline is None or today <= self.deadline

    def withdrawal_open_on(self, today) -> bool:
        return self.rank_deadline is None or today <= self.rank_deadline


class IntakeQuestion(models.Model):
    """A question the program asks every applicant (answered at submission)."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)
    required = models.BooleanField(default=True)
    max_words = models.PositiveSmallIntegerField(
        default=300, validators=[MinValueValidator(10), MaxValueValidator(2000)]
    )
    # A question is never deleted once answered (the answers quote it); it is retired instead.
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class SubmissionQuerySet(OwnedQuerySet):
    owner_path = "student"

    def current(self):
        return self.filter(withdrawn_at__isnull=True)


class Submission(models.Model):
    """A student's application as sent to a program: one per application, with its versions.

    ``decision`` and ``decided_*`` are the program's and never shown to the student. What the
    student sees of the program's side is ``invited_at`` (the program invited them to interview)
    and the interview rounds they were invited to.
    """

    class Decision(models.TextChoices):
        UNDECIDED = "", "Not decided"
        INVITE = "invite", "Invite"
        HOLD = "hold", "Hold"
        DECLINE = "decline", "Decline"

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="submission"
    )
    # Kept on the row (they equal the application's) so the inbox filters without joins.
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="submissions")
    current_version = models.ForeignKey(
        "SubmissionVersion", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Copied from the current version for the inbox's filters.
    graduation_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # None = the student did not say (unknown, not "no").
    needs_visa = models.BooleanField(null=True, blank=True)
    signal = models.BooleanField(default=False)
    # The current version's specialty interests as canonical keys ("|140|320|", as the goals
    # JSON writes them), so the inbox filters on one column; "" = the student did not say.
    specialty_interests = models.CharField(max_length=300, blank=True)
    # The program's side.
    decision = models.CharField(
        max_length=10, choices=Decision.choices, default=Decision.UNDECIDED, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    # The mean of its reviews' ``weighted_score`` (those that scored; None when none did): kept
    # on the row so the inbox sorts by it and shows it without reading the reviews. The review
    # services rewrite it in the transaction that changes a review or the rubric's weights, and a
    # receiver when a review is deleted (``review_services.mean_scores_refresh``).
    mean_score = models.FloatField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["program", "-submitted_at"], name="workspace_inbox"),
            models.Index(fields=["program", "decision"], name="workspace_inbox_decision"),
            # The inbox's rows (not withdrawn, newest first) and their count read this index
            # alone, filtered or not: it carries every column the filters test but the reviews.
            models.Index(
                fields=[
                    "program",
                    "withdrawn_at",
                    "-submitted_at",
                    "decision",
                    "needs_visa",
                    "graduation_year",
                    "signal",
                    "specialty_interests",
                ],
                name="workspace_inbox_filters",
            ),
            # Sorted by mean score, the first page is the index's first rows (SQLite, whose
            # descending order puts the unscored last as the inbox does; without it, every
            # current row is read and sorted for fifty).
            models.Index(
                fields=["program", "withdrawn_at", "-mean_score", "-submitted_at"],
                name="workspace_inbox_score",
            ),
            # The specialty filter's choices (distinct values) read this one alone.
            models.Index(
                fields=["program", "specialty_interests"], name="workspace_inbox_specialty"
            ),
        ]

    def __str__(self):
        return f"{self.student} → {self.program}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class SubmissionVersionQuerySet(OwnedQuerySet):
    owner_path = "submission__student"


def submission_file_path(instance, filename: str) -> str:
    return f"private/submissions/{uuid.uuid4().hex}.pdf"


class SubmissionVersion(models.Model):
    """What the student sent, frozen: later edits of the CV, statement or answers make a new
    version (``number`` 2, 3, …) and the program sees which it is reading."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    # The student as they presented themselves: name, email, school, graduation year, visa
    # need, specialty interest (plain JSON, frozen).
    profile = models.JSONField(default=dict)
    cv_pdf = models.FileField(
        upload_to=submission_file_path, storage=private_storage, max_length=200, blank=True
    )
    cv_sha256 = models.CharField(max_length=64, blank=True)
    # The CV entries the PDF was made from, for reading on the page.
    cv_entries = models.JSONField(default=list)
    statement_title = models.CharField(max_length=200, blank=True)
    statement_text = models.TextField(blank=True)
    # [{"question_id", "question", "answer"}], in the program's order.
    answers = models.JSONField(default=list)
    note = models.CharField("what changed", max_length=300, blank=True)

    objects = SubmissionVersionQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="workspace_version_numbers_unique"
            ),
        ]

    def __str__(self):
        return f"{self.submission} v{self.number}"


class SubmissionDocumentQuerySet(OwnedQuerySet):
    owner_path = "version__submission__student"


class SubmissionDocument(models.Model):
    """One of the program's required documents (``Intake.documents``), attached as a PDF."""

    version = models.ForeignKey(
        SubmissionVersion, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=Document.choices)
    file = models.FileField(upload_to=submission_file_path, storage=private_storage, max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    objects = SubmissionDocumentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="workspace_one_document_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.version}"


class SubmissionLetterQuerySet(OwnedQuerySet):
    owner_path = "version__submission__student"


class SubmissionLetter(models.Model):
    """A letter the student assigned to this version (at most ``MAX_LETTERS``). The program reads
    the letter once it is in; a waived letter goes to the program and never back to the student."""

    version = models.ForeignKey(SubmissionVersion, on_delete=models.CASCADE, related_name="letters")
    request = models.ForeignKey(
        LetterRequest, on_delete=models.PROTECT, related_name="submission_letters"
    )
    position = models.PositiveSmallIntegerField(default=0)
    # Frozen with the version: whom the letter is from and whether it was waived.
    recommender_name = models.CharField(max_length=200)
    waived = models.BooleanField()

    objects = SubmissionLetterQuerySet.as_manager()

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "request"], name="workspace_letter_once_per_version"
            ),
        ]

    def __str__(self):
        return f"Letter from {self.recommender_name} in {self.version}"


# ---- The program staff's own rows (never a student's) -------------------------------------------


class RubricCriterion(models.Model):
    """One line of a program's scoring rubric; each reviewer scores it from 1 to ``max_score``."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rubric")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    max_score = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name


class HolisticFlag(models.TextChoices):
    """Holistic review (AAMC): what a score does not carry."""

    DISTANCE_TRAVELED = "distance_traveled", "Distance travelled"
    MISSION_FIT = "mission_fit", "Fits our mission"
    SERVICE = "service", "Service to communities"
    RESEARCH = "research", "Research strength"
    LEADERSHIP = "leadership", "Leadership"
    LANGUAGE = "language", "Speaks our patients' languages"
    CONCERN = "concern", "Concern to discuss"


class Review(models.Model):
    """One reviewer's scores, flags and note on one submission: private to the program's staff."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # {criterion id (as text): score}
    scores = models.JSONField(default=dict)
    flags = models.JSONField(default=list)
    note = models.TextField(blank=True, max_length=4000)
    # The scores weighted by the active rubric, as a percentage of the highest possible (None:
    # no active criterion scored). Kept on the row so the inbox sorts by the mean in SQL; the
    # review service writes it, and rewrites it when the rubric's weights change.
    weighted_score = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "reviewer"], name="workspace_one_review_per_reviewer"
            ),
        ]

    def __str__(self):
        return f"Review of {self.submission_id} by {self.reviewer_id}"


class DecisionChange(models.Model):
    """The history of a submission's decision (who, when, from what)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="decision_changes"
    )
    previous = models.CharField(max_length=10, blank=True)
    decision = models.CharField(max_length=10, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    # The invitation to an interview round went out with this change (``Submission.invited_at``).
    invited = models.BooleanField(default=False)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.previous or 'undecided'} → {self.decision or 'undecided'}"


class SlotRound(models.Model):
    """A set of interview slots a program publishes, the students it invites to them, and the
    window in which they rank the slots. At ``window_closes_at`` the worker assigns the slots
    (``matching.slots.assign``); ``state`` keeps the assignment with its waitlists, so a
    cancellation offers the slot down the waitlist (``matching.slots.cancel``)."""

    class Format(models.TextChoices):
        VIRTUAL = "virtual", "Virtual"
        IN_PERSON = "in_person", "In person"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="slot_rounds")
    title = models.CharField(max_length=120)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.VIRTUAL)
    place = models.CharField("place or address", max_length=300, blank=True)
    city = models.CharField(max_length=200, blank=True)
    link = models.URLField("video link", max_length=500, blank=True)
    window_opens_at = models.DateTimeField(null=True, blank=True)
    window_closes_at = models.DateTimeField()
    assigned_at = models.DateTimeField(null=True, blank=True)
    # The serialised matching.slots.SlotAssignment after assignment and every cancellation.
    state = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["window_closes_at", "pk"]

    def __str__(self):
        return f"{self.title} ({self.program})"


class InterviewSlot(models.Model):
    round = models.ForeignKey(SlotRound, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"Slot at {self.starts_at:%Y-%m-%d %H:%M} ({self.round_id})"


class InvitationQuerySet(OwnedQuerySet):
    owner_path = "submission__student"


class Invitation(models.Model):
    """A student invited to a round: their place in the program's order (``priority``, 1 =
    first), the slots they ranked, and what they were given. The student sees their own
    invitation, its slots and its outcome; never their priority or anyone else's."""

    round = models.ForeignKey(SlotRound, on_delete=models.CASCADE, related_name="invitations")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="invitations")
    priority = models.PositiveIntegerField()
    invited_at = models.DateTimeField(default=timezone.now)
    ranked_at = models.DateTimeField(null=True, blank=True)
    assigned_slot = models.ForeignKey(
        InterviewSlot, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The interview the assignment wrote into the student's own interviews (and calendar).
    interview = models.OneToOneField(
        Interview, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submission"], name="workspace_invite_once_per_round"
            ),
            models.UniqueConstraint(fields=["round", "priority"], name="workspace_priority_unique"),
        ]

    def __str__(self):
        return f"Invitation {self.priority} to round {self.round_id}"


class SlotPreferenceQuerySet(OwnedQuerySet):
    owner_path = "invitation__submission__student"


class SlotPreference(models.Model):
    """The student's rank of one slot (1 = most preferred); slots they cannot attend are absent."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="preferences")
    slot = models.ForeignKey(InterviewSlot, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    objects = SlotPreferenceQuerySet.as_manager()

    class Meta:
        ordering = ["invitation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "slot"], name="workspace_rank_slot_once"),
            models.UniqueConstraint(fields=["invitation", "rank"], name="workspace_rank_once"),
        ]

    def __str__(self):
        return f"Rank {self.rank}: slot {self.slot_id}"


class SlotEmailQuerySet(OwnedQuerySet):
    owner_path = "invitation__submission__student"


class SlotEmail(models.Model):
    """An email about a round that went out to an invited student: the invitation, the reminder
    before the window closes, and each outcome (``key`` names it: ``slot-<id>`` for a slot,
    ``none`` for no slot). The unique constraint, written in the transaction that sends the email,
    makes sending idempotent (restarts, retries and two workers never send one twice); a slot the
    student moves to later is a new key, so it earns its own email."""

    class Kind(models.TextChoices):
        INVITED = "invited", "Invitation"
        REMINDER = "reminder", "Reminder to rank"
        OUTCOME = "outcome", "Assignment or move"

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=40, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    objects = SlotEmailQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "kind", "key"], name="workspace_slot_email_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key} for invitation {self.invitation_id}"
