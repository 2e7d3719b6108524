"""Letters of recommendation: who writes them, what was asked, the uploaded letter, the upload
links recommenders use without an account, and the log of every use of those links.

Everything hangs off the student (``student`` on Recommender and LetterRequest) and cascades when
the account is deleted; the letter's file goes with its row (see ``signals``). Whether anyone may
read a letter's content is decided in one place, ``medmatch.letters.permissions``.
"""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from medmatch.applications.models import Application
from medmatch.catalog.models import Specialty
from medmatch.lib import tokens
from medmatch.lib.models import OwnedQuerySet


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT that have no public URL: nothing serves MEDIA_ROOT, and asking for
    a URL is a programming error. Letters leave the server only through a view that checks
    ``can_read_letter``. Files are readable by the server's user alone (0600, folders 0700),
    whatever the site-wide FILE_UPLOAD_PERMISSIONS says: another account on the machine must not
    read a confidential letter."""

    FILE_MODE = 0o600
    DIRECTORY_MODE = 0o700

    def __init__(self, **kwargs):
        # Defaults here, not as arguments at the call site: the migration's deconstructed
        # ``PrivateStorage()`` stays the same.
        kwargs.setdefault("file_permissions_mode", self.FILE_MODE)
        kwargs.setdefault("directory_permissions_mode", self.DIRECTORY_MODE)
        super().__init__(**kwargs)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a permission-checked view.")


private_storage = PrivateStorage()


def letter_path(instance, filename: str) -> str:
    # The recommender's file name never reaches the disk: it could say whose letter it is.
    return f"private/letters/{uuid.uuid4().hex}.pdf"


class Recommender(models.Model):
    class Role(models.TextChoices):
        PROFESSOR = "professor", "Professor"
        ATTENDING = "attending", "Attending physician"
        CLINICAL_SUPERVISOR = "clinical_supervisor", "Clinical supervisor"
        RESEARCH_MENTOR = "research_mentor", "Research mentor"
        OTHER = "other", "Other"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommenders"
    )
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True, help_text="e.g. Associate Professor")
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.ATTENDING)
    institution = models.CharField(max_length=300, blank=True)
    # A catalog specialty, so "a letter from the program's specialty" can be checked.
    specialty = models.ForeignKey(
        Specialty, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(blank=True)
    relationship = models.TextField(
        "how they know you",
        blank=True,
        help_text="e.g. Supervised me on a 4-week cardiology sub-internship.",
    )
    # None = not said; never 0.
    known_months = models.PositiveSmallIntegerField(
        "known you for (months)", null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    knows_well = models.PositiveSmallIntegerField(
        "how well they know your work (1 to 5)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(knows_well__isnull=True) | Q(knows_well__gte=1, knows_well__lte=5),
                name="letters_knows_well_1_to_5",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("letters:recommender_edit", args=[self.pk])

    def has_fixed_requests(self) -> bool:
        """Whether any request to this person has fixed terms: then their name and email are the
        ones the letter was asked under and can no longer change (see forms.RecommenderForm)."""
        return self.pk is not None and self.requests.filter(terms_fixed_at__isnull=False).exists()

    def to_export(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "role": self.role,
            "institution": self.institution,
            "specialty": self.specialty.name if self.specialty else None,
            "email": self.email,
            "relationship": self.relationship,
            "known_months": self.known_months,
            "knows_well": self.knows_well,
            "notes": self.notes,
        }


class LetterRequestQuerySet(OwnedQuerySet):
    def open(self):
        return self.filter(status__in=LetterRequest.WAITING)


class LetterRequest(models.Model):
    class Status(models.TextChoices):
        TO_ASK = "to_ask", "To ask"
        ASKED = "asked", "Asked"
        AGREED = "agreed", "Agreed"
        DECLINED = "declined", "Declined"
        SUBMITTED = "submitted", "Submitted"

    # Asked and not in yet: reminders go out and the planner watches the deadline.
    WAITING = frozenset({Status.ASKED, Status.AGREED})

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="letter_requests"
    )
    recommender = models.ForeignKey(Recommender, on_delete=models.CASCADE, related_name="requests")
    applications = models.ManyToManyField(
        Application, through="LetterAssignment", related_name="letter_requests"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TO_ASK)
    asked_on = models.DateField("date asked", null=True, blank=True)
    due_on = models.DateField("due date", null=True, blank=True)
    # ERAS and CaRMS let an applicant waive the right to read a letter; programs trust waived
    # letters more. The waiver and the recommender are the terms the recommender writes under:
    # they are fixed (``terms_fixed_at``) the moment an upload link exists or an email went to the
    # recommender, and never change afterwards (services.request_fix_terms, request_save).
    waived = models.BooleanField("I waive my right to see this letter", default=True)
    terms_fixed_at = models.DateTimeField(
        "waiver and recommender fixed at", null=True, blank=True, editable=False
    )
    talking_points = models.TextField(
        "points you would like the letter to speak to",
        blank=True,
        help_text="e.g. how I handled a difficult family meeting on night float.",
    )
    # ERAS: the Letter ID of the Letter Request Form made in MyERAS, which the recommender types
    # into the LoR Portal (medmatch.letters.routes).
    eras_letter_id = models.CharField("ERAS Letter ID", max_length=40, blank=True)
    # The student's record that the recommender uploaded the letter to ERAS, ResidencyCAS or
    # CaRMS: programs get letters only from there, and medmatch cannot see it happen.
    service_uploaded_on = models.DateField(
        "uploaded to ERAS / ResidencyCAS / CaRMS on", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LetterRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"Letter from {self.recommender} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("letters:request_detail", args=[self.pk])

    @property
    def letter_or_none(self):
        try:
            return self.letter
        except Letter.DoesNotExist:
            return None

    @property
    def is_in(self) -> bool:
        """Whether the letter is done: it arrived here, or was recorded as uploaded to the
        application service."""
        return self.service_uploaded_on is not None or self.letter_or_none is not None

    @property
    def terms_fixed(self) -> bool:
        return self.terms_fixed_at is not None

    @property
    def confidential(self) -> bool:
        """Whether what the recommender sends is kept from the student: the letter's own recorded
        waiver once a letter arrived (it is never less strict than the request's)."""
        letter = self.letter_or_none
        return self.waived or (letter is not None and letter.waived)


class LetterAssignmentQuerySet(OwnedQuerySet):
    owner_path = "request__student"


class LetterAssignment(models.Model):
    """The letter counts for this application (ERAS: "assign to program")."""

    request = models.ForeignKey(LetterRequest, on_delete=models.CASCADE)
    application = models.ForeignKey(Application, on_delete=models.CASCADE)
    assigned_at = models.DateTimeField(default=timezone.now)

    objects = LetterAssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "application"], name="letters_assign_once_per_application"
            ),
        ]

    def __str__(self):
        return f"Request {self.request_id} for application {self.application_id}"


class LetterQuerySet(OwnedQuerySet):
    owner_path = "request__student"


class Letter(models.Model):
    request = models.OneToOneField(LetterRequest, on_delete=models.CASCADE, related_name="letter")
    file = models.FileField(upload_to=letter_path, storage=private_storage, max_length=200)
    # The recommender's own file name: shown to those who may read the letter, nobody else.
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    replaced_count = models.PositiveSmallIntegerField(default=0)
    # The waiver the letter was written under, recorded when it arrived: the one that decides
    # whether the student may read it (permissions.can_read_letter). Once True it stays True.
    waived = models.BooleanField()

    objects = LetterQuerySet.as_manager()

    def __str__(self):
        return f"Letter for request {self.request_id}"


class UploadLinkQuerySet(OwnedQuerySet):
    owner_path = "request__student"


class UploadLink(models.Model):
    """A recommender's personal upload address for one request. Only a hash of its secret is
    stored, so the address is shown (or emailed) once; revoking keeps the row for the log."""

    request = models.ForeignKey(LetterRequest, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # "page" (made on the request page), "email" (sent with the request), "reminder".
    purpose = models.CharField(max_length=20, default="page")

    objects = UploadLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Upload link {self.pk} for request {self.request_id}"

    hash_token = staticmethod(tokens.hash_token)
    new_token = staticmethod(tokens.new_token)

    def state(self, now) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "active"


class AccessLogQuerySet(OwnedQuerySet):
    # Entries for an unknown token have no request and so no owner: no student sees them.
    owner_path = "request__student"


class AccessLog(models.Model):
    """One use of the upload portal. The IP address is truncated (/24, /48) before it is stored:
    enough to tell two places apart, not to identify a person."""

    class Action(models.TextChoices):
        VIEW = "view", "Opened the upload page"
        UPLOAD = "upload", "Uploaded a letter"
        REPLACE = "replace", "Replaced the letter"
        REFUSED = "refused", "Upload refused"

    request = models.ForeignKey(
        LetterRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="access_log"
    )
    link = models.ForeignKey(UploadLink, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(default=timezone.now)
    ip_prefix = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    # "ok", "unknown token", "expired", "revoked", or why an upload was refused.
    outcome = models.CharField(max_length=200)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.action} {self.outcome} at {self.at}"

    def outcome_for_student(self, *, confidential: bool) -> str:
        """What the student is shown of this entry. For a confidential letter only that an upload
        was refused, never why: the reason describes the recommender's file ("The file is
        6.0 MB...")."""
        if confidential and self.action == self.Action.REFUSED:
            return "Not accepted"
        return self.outcome


class ReminderSentQuerySet(OwnedQuerySet):
    owner_path = "student"


class ReminderSent(models.Model):
    """A reminder or digest that went out. The unique constraints make sending idempotent: a
    restarted worker (or two workers) cannot send the same reminder twice."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    request = models.ForeignKey(
        LetterRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    # "before_14", "before_7"... for recommenders; "digest" for the student's weekly digest.
    kind = models.CharField(max_length=20)
    # The request's due date the reminder was about (a new due date earns new reminders), or
    # the Monday of the digest's week.
    key_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ReminderSentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "key_date"],
                condition=Q(request__isnull=False),
                name="letters_one_reminder_per_due_date",
            ),
            models.UniqueConstraint(
                fields=["student", "kind", "key_date"],
                condition=Q(request__isnull=True),
                name="letters_one_digest_per_week",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.key_date}"
