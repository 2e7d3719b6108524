"""Facts from the people who know: proposals staff review, coordinators staff verify, and the
history of every change to a program's own facts.

Nothing here is shown as a fact until staff approved it or a verified coordinator entered it; a
pending proposal is seen by its author and by staff only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from medmatch.catalog.models import Institution, Program
from medmatch.contributions.fields import FACT_CHOICES, FACT_FIELDS, display


class Reviewed(models.Model):
    """Who on the staff decided, when, and why: the review fields a coordinator request and a
    fact proposal share."""

    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    def mark_reviewed(self, *, by, reason: str | None = None, at=None) -> list[str]:
        """Record the decision by ``by`` at ``at`` (default now); returns the fields to save.
        ``reason=None`` keeps the reason already there."""
        self.reviewed_by, self.reviewed_at = by, at or timezone.now()
        fields = ["reviewed_by", "reviewed_at"]
        if reason is not None:
            self.review_reason = reason
            fields.append("review_reason")
        return fields

    def clear_review(self) -> list[str]:
        self.reviewed_by, self.reviewed_at, self.review_reason = None, None, ""
        return ["reviewed_by", "reviewed_at", "review_reason"]


class CoordinatorshipQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Coordinatorship.Status.VERIFIED, user__is_active=True)


class Coordinatorship(Reviewed):
    """A user's request to speak for an institution's programs, with the evidence staff judge it
    by. Only ``verified`` ones (set by staff in the admin) give any right."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    class Strength(models.TextChoices):
        WEBSITE = "website", "Email domain is the institution's website domain"
        UNIVERSITY = "university", "Email domain is a university with the institution's name"
        NAME = "name", "Academic email domain named like the institution (weaker)"
        NONE = "none", "No domain evidence"

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", "Program coordinator"
        DIRECTOR = "director", "Program director (also certifies rank lists)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinatorships"
    )
    # Set by staff when they verify the person (a director's title alone proves nothing).
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.COORDINATOR)
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="coordinatorships"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    role_title = models.CharField(max_length=120, help_text="Their title, as they gave it.")
    message = models.TextField(blank=True, max_length=2000)
    # Computed when the request was made, from the address the account had then.
    email_at_request = models.EmailField()
    evidence_strength = models.CharField(max_length=12, choices=Strength.choices)
    evidence = models.JSONField(default=list, help_text="Lines of evidence, for staff.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoordinatorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution"], name="contributions_one_request_per_institution"
            ),
        ]

    def __str__(self):
        return f"{self.user} for {self.institution}"


class FactProposalQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A proposal is its author's (and staff's) until approved; nobody else lists it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(proposer=user)


class FactProposal(Reviewed):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="fact_proposals")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fact_proposals"
    )
    field = models.CharField(max_length=30, choices=FACT_CHOICES)
    value = models.JSONField(help_text="The proposed value, as canonical text per program field.")
    # The field's value when the proposal was made: approval refuses to apply over a change.
    base_value = models.JSONField()
    source_url = models.URLField(max_length=500)
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Set when staff tried to approve but the field had changed (or the program reported it).
    conflict = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FactProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_field_display()} for {self.program.title}"

    @property
    def shown_value(self) -> str:
        return display(self.field, self.value)

    @property
    def shown_base_value(self) -> str:
        return display(self.field, self.base_value) or "unknown"

    def to_export(self) -> dict:
        return {
            "program": self.program_id,
            "field": self.field,
            "value": self.value,
            "source_url": self.source_url,
            "note": self.note,
            "status": self.status,
            "review_reason": self.review_reason,
            "created_at": self.created_at.isoformat(timespec="seconds"),
        }


LISTING = "listing"  # FactChange.field of a listing's creation: the listing itself, not a fact


class FactChange(models.Model):
    """One change of one program fact: who, when, on what source, from what to what. Written in
    the same transaction as the change to the program row. A listing created through medmatch
    starts its history with one ``CREATED`` change of the field ``listing`` (what it was created
    as: title, type, specialty, place)."""

    class Kind(models.TextChoices):
        PROGRAM = "program", "Reported by the program"
        APPROVED_PROPOSAL = "approved_proposal", "Proposed by a user, approved by staff"
        CREATED = "created", "Created by the program"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="fact_changes")
    field = models.CharField(max_length=30, choices=[*FACT_CHOICES, (LISTING, "The listing")])
    previous_value = models.JSONField()
    new_value = models.JSONField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The history outlives an account: the public label stays, the person link goes.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_by_label = models.CharField(max_length=400)  # what the public sees: a role
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposal = models.ForeignKey(
        FactProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    source_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["program", "field", "-changed_at"])]

    def __str__(self):
        return f"{self.get_field_display()} of {self.program_id} at {self.changed_at:%Y-%m-%d}"

    @property
    def label(self) -> str:
        return "The listing" if self.field == LISTING else FACT_FIELDS[self.field].label

    @property
    def shown_previous(self) -> str:
        if self.field == LISTING:
            return ""
        return display(self.field, self.previous_value)

    @property
    def shown_new(self) -> str:
        if self.field == LISTING:  # already words: "Observership", "Berlin, DE"
            return "\n".join(text for text in self.new_value.values() if text)
        return display(self.field, self.new_value)
