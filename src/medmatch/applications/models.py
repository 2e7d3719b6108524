"""A student's applications: one per (student, program), its status history and its checklist.

Everything here belongs to one student and is fetched through ``get_owned_or_404``; deleting the
account cascades to it. A *deadline* is not a model of its own: it is the application's submission
deadline, or a requirement's own due date. A requirement without a due date of its own is due with
the application (and so, like the application's deadline, may be unknown — never "no deadline").
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from medmatch.catalog.models import Program
from medmatch.lib import tokens
from medmatch.lib.models import OwnedQuerySet
from medmatch.lib.models import iso_or_none as _iso

# A deadline within this many days (today included) is "due soon".
DUE_SOON_DAYS = 14


class ApplicationQuerySet(OwnedQuerySet):
    owner_path = "student"

    def with_program(self):
        return self.select_related("program__institution", "program__specialty")

    def with_progress(self):
        return self.annotate(
            requirements_total=Count("requirements", distinct=True),
            requirements_done=Count(
                "requirements", filter=Q(requirements__done=True), distinct=True
            ),
        )


class Application(models.Model):
    class Status(models.TextChoices):
        # In the order an application moves through them; the last three end it.
        RESEARCHING = "researching", "Researching"
        PREPARING = "preparing", "Preparing"
        SUBMITTED = "submitted", "Submitted"
        INTERVIEW_INVITED = "interview_invited", "Interview invited"
        INTERVIEWED = "interviewed", "Interviewed"
        RANKED = "ranked", "Ranked"
        MATCHED = "matched", "Matched"
        NOT_MATCHED = "not_matched", "Not matched"
        WITHDRAWN = "withdrawn", "Withdrawn"

    CLOSED = frozenset({Status.MATCHED, Status.NOT_MATCHED, Status.WITHDRAWN})
    # Until it is submitted, the application's own deadline is the one that matters.
    BEFORE_SUBMISSION = frozenset({Status.RESEARCHING, Status.PREPARING})

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    # PROTECT, not CASCADE: a catalog clean-up must never silently take a student's checklist,
    # notes and history with it. Deleting a program someone applies to fails loudly instead.
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RESEARCHING)
    # Kept on the row (the history is in StatusChange) so the board shows "since" without a join.
    status_changed_at = models.DateTimeField(default=timezone.now)
    opens_on = models.DateField("applications open", null=True, blank=True)
    # None = not known yet (shown as unknown and asked about), never "no deadline".
    deadline = models.DateField("submission deadline", null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "program"], name="applications_one_per_program"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(deadline__isnull=True)
                | Q(opens_on__lte=models.F("deadline")),
                name="applications_opens_before_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.program.title} ({self.get_status_display()}, {self.student})"

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED

    def deadline_state(self, today: datetime.date) -> str:
        """ "overdue", "soon", "later", "unknown" or "" (past submission: the deadline is moot)."""
        if self.status not in self.BEFORE_SUBMISSION:
            return ""
        return date_state(self.deadline, today)

    def unfinished_submission(self, status: str) -> tuple[int, int] | None:
        """(done, total) of the checklist when moving to ``status`` would submit this application
        with items still open; None when the move is not a submission or the checklist is done."""
        if status != self.Status.SUBMITTED or self.status not in self.BEFORE_SUBMISSION:
            return None
        counts = self.requirements.aggregate(
            total=Count("pk"), done=Count("pk", filter=Q(done=True))
        )
        if counts["done"] >= counts["total"]:
            return None
        return counts["done"], counts["total"]

    def to_export(self) -> dict:
        program = self.program
        return {
            "program_id": program.pk,
            "nrmp_code": program.nrmp_code,
            "carms_stream_id": program.carms_stream_id,
            "title": program.title,
            "institution": program.institution.name,
            "status": self.status,
            "status_changed_at": _iso(self.status_changed_at),
            "opens_on": _iso(self.opens_on),
            "deadline": _iso(self.deadline),
            "notes": self.notes,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
            "status_history": [change.to_export() for change in self.status_changes.all()],
            "requirements": [requirement.to_export() for requirement in self.requirements.all()],
        }


class StatusChangeQuerySet(OwnedQuerySet):
    owner_path = "application__student"


class StatusChange(models.Model):
    """One move on the board. ``from_status`` is blank for the application's creation."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=Application.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Application.Status.choices)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.from_status or 'new'} → {self.to_status}"

    def to_export(self) -> dict:
        return {"from": self.from_status, "to": self.to_status, "at": _iso(self.changed_at)}


class RequirementQuerySet(OwnedQuerySet):
    owner_path = "application__student"


class Requirement(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        FEE = "fee", "Fee"
        EXAM = "exam", "Exam or transcript"
        LETTER = "letter", "Letter of recommendation"
        INTERVIEW = "interview", "Interview"
        OTHER = "other", "Other"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="requirements"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)
    title = models.CharField(max_length=200)
    # None = due with the application (whose deadline may itself be unknown).
    due_on = models.DateField("due date", null=True, blank=True)
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    # For fees; None = amount not known yet, never 0.
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    notes = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    @property
    def effective_due_on(self) -> datetime.date | None:
        return self.due_on or self.application.deadline

    def due_state(self, today: datetime.date) -> str:
        """ "done", "overdue", "soon", "later" or "unknown"; "" once the application is closed."""
        if self.done:
            return "done"
        if self.application.is_closed:
            return ""
        return date_state(self.effective_due_on, today)

    def set_done(self, done: bool) -> None:
        self.done = done
        self.done_at = timezone.now() if done else None

    def to_export(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "due_on": _iso(self.due_on),
            "done": self.done,
            "done_at": _iso(self.done_at),
            "amount": None if self.amount is None else str(self.amount),
            "currency": self.currency,
            "notes": self.notes,
        }


class CalendarFeedQuerySet(OwnedQuerySet):
    owner_path = "student"


class CalendarFeed(models.Model):
    """A private calendar subscription URL. Only a hash of its secret is stored, so the URL is
    shown once; revoking deletes the row and the old URL becomes a 404."""

    student = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CalendarFeedQuerySet.as_manager()

    def __str__(self):
        return f"Calendar feed of {self.student}"

    hash_token = staticmethod(tokens.hash_token)
    new_token = staticmethod(tokens.new_token)


# ---- CV builder -----------------------------------------------------------------------------
# ERAS asks for at most 750 characters per experience description and lets an applicant mark up
# to three experiences as "most meaningful" (AAMC, "ERAS Experiences Guide"). 750 is guidance
# here (warned above, the student may write for another system); the hard cap only stops text
# that cannot be a CV entry.
CV_DESCRIPTION_GUIDANCE = 750
CV_DESCRIPTION_MAX = 2_000
CV_MOST_MEANINGFUL_MAX = 3


class CVEntryQuerySet(OwnedQuerySet):
    owner_path = "student"


class CVEntry(models.Model):
    class Section(models.TextChoices):
        # In the order a CV lists them by default.
        EDUCATION = "education", "Education"
        HONOURS = "honours", "Honours and academic achievements"
        RESEARCH = "research", "Research projects"
        PUBLICATIONS = "publications", "Publications and presentations"
        CLINICAL = "clinical", "Clinical experience"
        VOLUNTEERING = "volunteering", "Volunteering and community work"
        LEADERSHIP = "leadership", "Leadership"
        TEACHING = "teaching", "Teaching"
        SKILLS = "skills", "Skills"
        LANGUAGES = "languages", "Languages"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cv_entries"
    )
    section = models.CharField(max_length=20, choices=Section.choices)
    title = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=120, blank=True)
    # Month precision: stored as the first of the month.
    start_date = models.DateField(null=True, blank=True)
    # None with a start date = ongoing.
    end_date = models.DateField(null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    total_hours = models.PositiveIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    # Normalised slugs ("internal-medicine", "ultrasound"): specialties and skills.
    tags = models.JSONField(default=list, blank=True)
    most_meaningful = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CVEntryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "CV entry"
        verbose_name_plural = "CV entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="applications_cv_entry_starts_before_end",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_ongoing(self) -> bool:
        return self.start_date is not None and self.end_date is None

    @property
    def over_guidance(self) -> bool:
        return len(self.description) > CV_DESCRIPTION_GUIDANCE

    @property
    def tag_labels(self) -> list[str]:
        return [tag.replace("-", " ") for tag in self.tags]

    def to_export(self) -> dict:
        return {
            "id": self.pk,
            "section": self.section,
            "title": self.title,
            "organisation": self.organisation,
            "location": self.location,
            "start_date": _iso(self.start_date),
            "end_date": _iso(self.end_date),
            "hours_per_week": self.hours_per_week,
            "total_hours": self.total_hours,
            "description": self.description,
            "tags": list(self.tags),
            "most_meaningful": self.most_meaningful,
            "position": self.position,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
        }


class TailoredCVQuerySet(OwnedQuerySet):
    owner_path = "application__student"


class TailoredCV(models.Model):
    """The CV sent with one application: which entries, in which order. Created on demand from
    the relevance ranking (``cv_relevance``); ``entry_ids`` is then the student's to change.
    Entries added to the CV later are offered, not silently included."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="tailored_cv"
    )
    # Included entries, in order. Ids of deleted entries are skipped when read.
    entry_ids = models.JSONField(default=list)
    # Every entry that existed when the ranking (or the student) last decided; entries not in
    # it are new since and shown as such.
    known_ids = models.JSONField(default=list)
    adjusted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TailoredCVQuerySet.as_manager()

    class Meta:
        verbose_name = "tailored CV"

    def __str__(self):
        return f"CV for {self.application.program.title}"

    def to_export(self) -> dict:
        return {
            "program_id": self.application.program_id,
            "entry_ids": list(self.entry_ids),
            "known_ids": list(self.known_ids),
            "adjusted": self.adjusted,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
        }


# ---- Personal statements --------------------------------------------------------------------
STATEMENT_MAX_CHARS = 10_000
STATEMENT_DEFAULT_WORDS = 650


class StatementQuerySet(OwnedQuerySet):
    owner_path = "student"


class Statement(models.Model):
    """A personal statement: the base one (no application) or a variant for one application.
    Its text lives in its versions; the latest is the current text."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="statements"
    )
    title = models.CharField(max_length=200)
    # SET_NULL, not CASCADE: stopping tracking an application must not delete what was written
    # for it; the variant becomes a statement of its own.
    application = models.ForeignKey(
        Application,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="variants"
    )
    word_limit = models.PositiveIntegerField(null=True, blank=True, default=STATEMENT_DEFAULT_WORDS)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("applications:statement", args=[self.pk])

    @property
    def is_base(self) -> bool:
        return self.application_id is None

    def latest_version(self):
        return self.versions.order_by("-created_at", "-pk").first()

    def current_body(self) -> str:
        latest = self.latest_version()
        return latest.body if latest else ""

    def to_export(self) -> dict:
        return {
            "id": self.pk,
            "title": self.title,
            "program_id": self.application.program_id if self.application_id else None,
            "based_on": self.based_on_id,
            "word_limit": self.word_limit,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
            "versions": [version.to_export() for version in self.versions.all()],
        }


class StatementVersionQuerySet(OwnedQuerySet):
    owner_path = "statement__student"


class StatementVersion(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="versions")
    body = models.TextField(blank=True)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = StatementVersionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.statement.title} at {self.created_at:%Y-%m-%d %H:%M}"

    def to_export(self) -> dict:
        return {"body": self.body, "note": self.note, "created_at": _iso(self.created_at)}


def date_state(day: datetime.date | None, today: datetime.date) -> str:
    if day is None:
        return "unknown"
    if day < today:
        return "overdue"
    if day <= today + datetime.timedelta(days=DUE_SOON_DAYS):
        return "soon"
    return "later"
