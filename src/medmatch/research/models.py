"""A student's research on programs: the shortlist (catalog programs saved with a note, tags and a
personal rating), contacts and the conversations with them (their insights and follow-up
reminders), residents' reviews of programs, and the open questions per program.

Everything but reviews belongs to one student and is fetched through ``get_owned_or_404``; a review
has an author, is shown to others once staff approve it, and is not owned in that sense. Deleting
the account cascades to all of it.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from medmatch.catalog.models import Institution, Program
from medmatch.lib.models import OwnedQuerySet

RATING_CHOICES = [(n, f"{n} of 5") for n in range(1, 6)]


class TagQuerySet(OwnedQuerySet):
    owner_path = "student"


class Tag(models.Model):
    """A student's own label for shortlisted programs ("reach", "near family"); stored lowercase."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlist_tags"
    )
    name = models.CharField(max_length=40)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "student", Lower("name"), name="research_tag_unique_name_per_student"
            ),
        ]

    def __str__(self):
        return self.name


class ShortlistItemQuerySet(OwnedQuerySet):
    owner_path = "student"

    def with_program(self):
        return self.select_related("program__institution", "program__specialty").prefetch_related(
            "tags"
        )

    def tagged(self, name: str):
        return self.filter(tags__name=name) if name else self

    def sorted_by(self, sort: str):
        """Rated first for "rating" (an unrated program is unknown, not 0), then by name."""
        orderings = {
            ShortlistItem.Sort.ADDED: ["-created_at", "-pk"],
            ShortlistItem.Sort.RATING: [
                models.F("rating").desc(nulls_last=True),
                "program__title",
                "pk",
            ],
            ShortlistItem.Sort.NAME: ["program__title", "program__institution__name", "pk"],
        }
        return self.order_by(*orderings[sort])


class ShortlistItem(models.Model):
    class Sort(models.TextChoices):
        ADDED = "added", "Recently added"
        RATING = "rating", "Your rating"
        NAME = "name", "Program name"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shortlist_items"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="shortlist_items")
    note = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="items")
    # None = not rated yet; never shown or sorted as 0.
    rating = models.PositiveSmallIntegerField(null=True, blank=True, choices=RATING_CHOICES)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ShortlistItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "program"], name="research_shortlist_unique_program"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="research_shortlist_rating_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.program.title} (shortlisted by {self.student})"

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags.all()]

    def to_export(self) -> dict:
        program = self.program
        return {
            "program_id": program.pk,
            "nrmp_code": program.nrmp_code,
            "carms_stream_id": program.carms_stream_id,
            "title": program.title,
            "institution": program.institution.name,
            "note": self.note,
            "tags": self.tag_names,
            "rating": self.rating,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "updated_at": self.updated_at.isoformat(timespec="seconds"),
        }


# --- contacts, conversations and insights (issue 7, part 1) ----------------------------------


class Aspect(models.TextChoices):
    """What a conversation or a review can tell about a program."""

    TEACHING = "teaching", "Teaching"
    MENTORSHIP = "mentorship", "Mentorship"
    WORKLOAD = "workload", "Workload"
    CULTURE = "culture", "Culture"
    AUTONOMY = "autonomy", "Autonomy"


# A review rates these four; an insight may also be about autonomy.
REVIEW_ASPECTS = [Aspect.TEACHING, Aspect.MENTORSHIP, Aspect.WORKLOAD, Aspect.CULTURE]


class ContactQuerySet(OwnedQuerySet):
    owner_path = "student"

    def at_program(self, program: Program):
        """Contacts at this program, or at its institution when no program is named."""
        return self.filter(
            models.Q(program=program)
            | models.Q(program__isnull=True, institution=program.institution_id)
        )


class Contact(models.Model):
    class Role(models.TextChoices):
        RESIDENT = "resident", "Current resident"
        ALUMNUS = "alumnus", "Alumnus or alumna"
        FACULTY = "faculty", "Faculty mentor"
        COORDINATOR = "coordinator", "Program coordinator"
        OTHER = "other", "Other"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="research_contacts"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RESIDENT)
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    institution = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    how_met = models.CharField("how you met", max_length=300, blank=True)
    email = models.EmailField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    @property
    def where(self) -> str:
        if self.program_id:
            return f"{self.program.title}, {self.program.institution.name}"
        return self.institution.name if self.institution_id else ""

    def to_export(self) -> dict:
        return {
            "name": self.name,
            "role": self.role,
            "program_id": self.program_id,
            "institution_id": self.institution_id,
            "how_met": self.how_met,
            "email": self.email,
            "notes": self.notes,
            "created_at": self.created_at.isoformat(timespec="seconds"),
            "conversations": [c.to_export() for c in self.conversations.all()],
        }


class ConversationQuerySet(OwnedQuerySet):
    owner_path = "contact__student"

    def follow_ups_due(self):
        return self.filter(follow_up_on__isnull=False, follow_up_done=False).order_by(
            "follow_up_on", "pk"
        )


class Conversation(models.Model):
    class Channel(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        MESSAGE = "message", "Message"
        EVENT = "event", "Event or open day"

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="conversations")
    date = models.DateField()
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.VIDEO)
    summary = models.TextField(blank=True)
    follow_up_on = models.DateField("follow up on", null=True, blank=True)
    follow_up_done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_channel_display()} with {self.contact.name} on {self.date}"

    def to_export(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "channel": self.channel,
            "summary": self.summary,
            "follow_up_on": self.follow_up_on.isoformat() if self.follow_up_on else None,
            "follow_up_done": self.follow_up_done,
            "insights": [insight.to_export() for insight in self.insights.all()],
        }


class FollowUpReminderQuerySet(OwnedQuerySet):
    owner_path = "conversation__contact__student"


class FollowUpReminder(models.Model):
    """The email sent on a conversation's follow-up date. The unique constraint makes sending
    idempotent (restarts and two workers send it once); the date is part of the key so moving
    the follow-up to another day earns a new email."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="follow_up_reminders"
    )
    follow_up_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    objects = FollowUpReminderQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "follow_up_on"], name="research_one_follow_up_reminder"
            )
        ]

    def __str__(self):
        return f"Follow-up reminder for {self.conversation_id} on {self.follow_up_on}"


class InsightQuerySet(OwnedQuerySet):
    owner_path = "conversation__contact__student"

    def about(self, program: Program):
        """Insights from contacts at this program (or at its institution, no program named)."""
        return self.filter(
            models.Q(conversation__contact__program=program)
            | models.Q(
                conversation__contact__program__isnull=True,
                conversation__contact__institution=program.institution_id,
            )
        ).select_related("conversation__contact")

    def doubtful(self):
        """Low confidence or a low rating: worth checking with someone else."""
        return self.filter(
            models.Q(confidence=Insight.Confidence.LOW) | models.Q(rating__lte=LOW_RATING)
        )


LOW_RATING = 2


class Insight(models.Model):
    """What a conversation taught about one aspect of a program, rated 1-5 with a note."""

    class Confidence(models.TextChoices):
        LOW = "low", "Low: hearsay or one remark"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High: first-hand and specific"

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="insights"
    )
    aspect = models.CharField(max_length=20, choices=Aspect.choices)
    rating = models.PositiveSmallIntegerField(choices=RATING_CHOICES)
    note = models.TextField(blank=True)
    confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )

    objects = InsightQuerySet.as_manager()

    class Meta:
        ordering = ["aspect", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "aspect"], name="research_insight_one_per_aspect"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5),
                name="research_insight_rating_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.get_aspect_display()} {self.rating}/5"

    @property
    def doubtful(self) -> bool:
        return self.confidence == self.Confidence.LOW or self.rating <= LOW_RATING

    def to_export(self) -> dict:
        return {
            "aspect": self.aspect,
            "rating": self.rating,
            "note": self.note,
            "confidence": self.confidence,
        }


# --- testimonials (issue 7, part 2) ------------------------------------------------------------


class ReviewQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Review.Status.APPROVED)

    def visible_to(self, user):
        """Approved reviews, plus the user's own in any state; staff moderate in the admin."""
        if not user.is_authenticated:
            return self.approved()
        return self.filter(models.Q(status=Review.Status.APPROVED) | models.Q(author=user))


class Review(models.Model):
    """A resident's or alumnus's review of a program. Shown to others only once staff approve it.

    ``verified`` is set only when someone checked the stated relation (see
    ``medmatch.research.reviews.email_matches_institution``), never from the reviewer's word.
    """

    class Relation(models.TextChoices):
        RESIDENT = "resident", "Current resident"
        ALUMNUS = "alumnus", "Alumnus or alumna"
        OTHER = "other", "Other (visiting student, applicant, staff)"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_reviews"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reviews")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    teaching = models.PositiveSmallIntegerField(choices=RATING_CHOICES)
    mentorship = models.PositiveSmallIntegerField(choices=RATING_CHOICES)
    workload = models.PositiveSmallIntegerField(
        choices=RATING_CHOICES, help_text="5 = sustainable, 1 = crushing."
    )
    culture = models.PositiveSmallIntegerField(choices=RATING_CHOICES)
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderated_at = models.DateTimeField(null=True, blank=True)
    verified = models.BooleanField(default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_how = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "program"], name="research_review_one_per_author_program"
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{aspect}__gte": 1, f"{aspect}__lte": 5}),
                    name=f"research_review_{aspect}_1_to_5",
                )
                for aspect in ("teaching", "mentorship", "workload", "culture")
            ),
        ]

    def __str__(self):
        return f"Review of {self.program.title} by {self.author}"

    def ratings(self) -> list[tuple[str, int]]:
        return [(aspect.label, getattr(self, aspect.value)) for aspect in REVIEW_ASPECTS]

    def to_export(self) -> dict:
        return {
            "program_id": self.program_id,
            "relation": self.relation,
            **{aspect.value: getattr(self, aspect.value) for aspect in REVIEW_ASPECTS},
            "text": self.text,
            "status": self.status,
            "verified": self.verified,
            "verified_how": self.verified_how,
            "created_at": self.created_at.isoformat(timespec="seconds"),
        }


# --- open questions (issue 7, part 3) ----------------------------------------------------------


class OpenQuestionQuerySet(OwnedQuerySet):
    owner_path = "student"

    def answered_facts(self):
        """Answered fact questions with a typed value: what counts as the student's own facts."""
        return self.filter(answered=True, insight__isnull=True).exclude(
            answer_number__isnull=True, answer_flag__isnull=True, answer_choice=""
        )


class OpenQuestion(models.Model):
    """Something the student does not know yet about a program: a fact nobody published, or an
    insight worth checking. Answered with a typed value, a fact becomes the student's own
    information and counts in their fit score (``medmatch.goals.fitting.student_facts``)."""

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="open_questions"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    # A key of ``medmatch.research.questions.FACTS``, or "insight" for a question about one.
    fact_key = models.CharField(max_length=30)
    insight = models.ForeignKey(
        Insight, null=True, blank=True, on_delete=models.CASCADE, related_name="questions"
    )
    question = models.TextField()
    answered = models.BooleanField(default=False)
    answer = models.TextField(blank=True)
    answer_number = models.FloatField(null=True, blank=True)
    answer_flag = models.BooleanField(null=True, blank=True)
    answer_choice = models.CharField(max_length=20, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OpenQuestionQuerySet.as_manager()

    SOURCE = "your own information"

    class Meta:
        ordering = ["answered", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "program", "fact_key"],
                condition=models.Q(insight__isnull=True),
                name="research_question_one_per_fact",
            ),
            models.UniqueConstraint(
                fields=["student", "insight"],
                condition=models.Q(insight__isnull=False),
                name="research_question_one_per_insight",
            ),
        ]

    def __str__(self):
        return self.question

    @property
    def typed_value(self):
        """The answer as the fit engine takes it: a number, True/False, a choice or None."""
        if self.answer_number is not None:
            return self.answer_number
        if self.answer_flag is not None:
            return self.answer_flag
        return self.answer_choice or None

    def to_export(self) -> dict:
        return {
            "program_id": self.program_id,
            "fact_key": self.fact_key,
            "question": self.question,
            "answered": self.answered,
            "answer": self.answer,
            "value": self.typed_value,
            "source": self.SOURCE if self.answered else "",
            "answered_on": self.answered_on.isoformat() if self.answered_on else None,
        }
