"""Interview preparation and the interview schedule: a question bank (built-in topics with their
sources, plus the student's own questions), timed practice attempts with the checker's feedback,
interviews per application, and the impressions and thank-you note afterwards.

Everything but the built-in questions belongs to one student and is fetched through
``get_owned_or_404``; deleting the account (or the application) cascades to it.
"""

import datetime
import zoneinfo
from statistics import mean

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from medmatch.applications.models import Application
from medmatch.interviews.conflicts import Slot
from medmatch.lib.forms import validate_time_zone_name
from medmatch.lib.models import OwnedQuerySet, iso_or_none
from medmatch.writing.answer_check import check_answer, format_duration

RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def validate_time_zone(name: str) -> None:
    # Only names from the IANA list: ZoneInfo("America") raises IsADirectoryError, and a
    # 300-character name OSError, neither of which a ValueError handler would catch.
    validate_time_zone_name(name)


def _in_zone(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment


def _rating(label: str) -> models.PositiveSmallIntegerField:
    # None = not rated, never 0: an unrated part must not pull an average down.
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, validators=RATING_VALIDATORS
    )


class QuestionQuerySet(OwnedQuerySet):
    """``for_student`` gives the student's own questions; built-in ones belong to nobody."""

    owner_path = "student"

    def built_in(self):
        return self.filter(student__isnull=True)

    def visible_to(self, user):
        """The built-in bank plus the user's own questions (only the bank for anyone else)."""
        if not user.is_authenticated:
            return self.built_in()
        return self.filter(Q(student__isnull=True) | Q(student=user))


class Question(models.Model):
    class Category(models.TextChoices):
        # The categories of interview_question_bank_topics.csv, then ours.
        OPENING = "opening", "Opening"
        MOTIVATION = "motivation", "Motivation and career goals"
        FIT = "fit", "Why this program"
        SELF = "self", "About yourself"
        WELLBEING = "wellbeing", "Handling pressure and well-being"
        LEADERSHIP = "leadership", "Leadership"
        BEHAVIORAL = "behavioral", "Teamwork, conflict and mistakes"
        CLINICAL = "clinical", "Clinical experience"
        CAREER = "career", "Career plans"
        RESEARCH = "research", "Research"
        APPLICATION = "application", "Your application"
        SPECIALTY = "specialty", "The specialty"
        IMG = "img", "International graduates"
        ETHICS = "ethics", "Ethics"
        CLOSING = "closing", "Closing"
        UNUSUAL = "unusual", "Unusual questions"
        ASK = "ask", "Questions to ask them"

    # Behavioural questions are answered with a story, so the STAR and example checks apply.
    STORY_CATEGORIES = frozenset(
        {Category.BEHAVIORAL, Category.LEADERSHIP, Category.CLINICAL, Category.WELLBEING}
    )

    # Built-in questions have the id of their CSV row (Q001, A001) and no student.
    key = models.CharField(max_length=10, blank=True)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interview_questions",
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.CharField(max_length=500)
    source_label = models.CharField(max_length=200, blank=True)
    source_urls = models.TextField(blank=True, help_text="One URL a line.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(student__isnull=True),
                name="interviews_built_in_question_key_unique",
            )
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("interviews:practice", args=[self.pk])

    @property
    def is_built_in(self) -> bool:
        return self.student_id is None

    @property
    def expects_story(self) -> bool:
        return self.category in self.STORY_CATEGORIES

    @property
    def sources(self) -> list[tuple[str, str]]:
        """(site, url) pairs, the site being the URL's host without "www."."""
        pairs = []
        for url in self.source_urls.split():
            host = url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
            pairs.append((host, url))
        return pairs

    def to_export(self) -> dict:
        return {
            "category": self.category,
            "text": self.text,
            "created_at": iso_or_none(self.created_at, timespec="auto"),
        }


class PracticeAttemptQuerySet(OwnedQuerySet):
    owner_path = "student"


class PracticeAttempt(models.Model):
    RATINGS = ("clarity", "concision", "honesty", "structure")

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_attempts"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attempts")
    practised_at = models.DateTimeField(default=timezone.now)
    seconds_taken = models.PositiveIntegerField()
    time_limit_seconds = models.PositiveIntegerField(default=120)
    answer = models.TextField("outline or transcript", blank=True)
    clarity = _rating("clarity")
    concision = _rating("concision")
    honesty = _rating("honesty")
    structure = _rating("structure")
    notes = models.TextField(blank=True)
    # What the checker said when the attempt was saved (AnswerFeedback.to_dict()), kept so an
    # improved checker never rewrites the history the progress chart shows.
    feedback = models.JSONField(default=dict, blank=True)
    score = models.PositiveSmallIntegerField("checker score", null=True, blank=True)

    objects = PracticeAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-practised_at", "-pk"]

    def __str__(self):
        return f"{self.question} ({self.seconds_taken} s)"

    def get_absolute_url(self) -> str:
        return reverse("interviews:attempt", args=[self.pk])

    def run_check(self) -> None:
        result = check_answer(
            self.answer,
            seconds_taken=self.seconds_taken,
            time_limit_seconds=self.time_limit_seconds,
            expect_story=self.question.expects_story,
        )
        self.feedback = result.to_dict()
        self.score = result.score

    @property
    def duration_display(self) -> str:
        return format_duration(self.seconds_taken)

    @property
    def time_limit_display(self) -> str:
        return format_duration(self.time_limit_seconds)

    @property
    def estimated_display(self) -> str:
        return format_duration(self.feedback.get("estimated_speaking_seconds", 0))

    @property
    def self_ratings(self) -> list[tuple[str, int | None]]:
        return [(name, getattr(self, name)) for name in self.RATINGS]

    @property
    def mean_self_rating(self) -> float | None:
        given = [value for _, value in self.self_ratings if value is not None]
        return round(mean(given), 2) if given else None

    def to_export(self) -> dict:
        return {
            "question": self.question.text,
            "question_key": self.question.key,
            "practised_at": iso_or_none(self.practised_at, timespec="auto"),
            "seconds_taken": self.seconds_taken,
            "time_limit_seconds": self.time_limit_seconds,
            "answer": self.answer,
            **dict(self.self_ratings),
            "notes": self.notes,
            "feedback": self.feedback,
            "score": self.score,
        }


class InterviewQuerySet(OwnedQuerySet):
    owner_path = "application__student"

    def with_program(self):
        return self.select_related("application__program__institution", "impression")


class Interview(models.Model):
    class Format(models.TextChoices):
        VIRTUAL = "virtual", "Virtual"
        IN_PERSON = "in_person", "In person"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    starts_at = models.DateTimeField()
    # The local time the program gave, kept by name so the page shows it as they wrote it.
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    format = models.CharField(max_length=20, choices=Format.choices, default=Format.VIRTUAL)
    place = models.CharField("place or address", max_length=300, blank=True)
    city = models.CharField(max_length=200, blank=True)
    # From the city name via lib.geo; None = not found, so travel distance is unknown (not 0).
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    link = models.URLField("video link", max_length=500, blank=True)
    interviewers = models.TextField(blank=True, help_text="One name a line.")
    notes = models.TextField(blank=True)
    thank_you_note = models.TextField("thank-you note draft", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"Interview: {self.application.program.title} at {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("interviews:interview", args=[self.pk])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    # A row saved before the form bounded its date may lie at the end of the calendar
    # (9999-12-31): its end or its local time can be past datetime.max. Such a time stays as
    # it is (in UTC) rather than stopping every page that lists the interview.

    @property
    def local_start(self) -> datetime.datetime:
        return _in_zone(self.starts_at, self.zone)

    @property
    def ends_at(self) -> datetime.datetime:
        try:
            return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)
        except OverflowError:
            return self.starts_at

    @property
    def local_end(self) -> datetime.datetime:
        return _in_zone(self.ends_at, self.zone)

    @property
    def is_in_person(self) -> bool:
        return self.format == self.Format.IN_PERSON

    @property
    def interviewer_names(self) -> list[str]:
        return [line.strip() for line in self.interviewers.splitlines() if line.strip()]

    @property
    def where(self) -> str:
        if self.is_in_person:
            return ", ".join(part for part in (self.place, self.city) if part)
        return self.link

    def has_happened(self, now: datetime.datetime) -> bool:
        return self.starts_at <= now

    def locate(self) -> None:
        """Set the coordinates from the city name (None when no city or not found)."""
        from medmatch.lib.geo import PlaceNotFound, resolve_place

        self.latitude = self.longitude = None
        if self.is_in_person and self.city.strip():
            try:
                place = resolve_place(self.city)
            except PlaceNotFound:
                return
            self.latitude, self.longitude = place.latitude, place.longitude

    def to_slot(self) -> Slot:
        program = self.application.program
        return Slot(
            id=self.pk,
            label=f"{program.title}, {program.institution.name}",
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            time_zone=self.time_zone,
            in_person=self.is_in_person,
            city=self.city.strip(),
            latitude=self.latitude,
            longitude=self.longitude,
        )

    def to_export(self) -> dict:
        impression = getattr(self, "impression", None)
        program = self.application.program
        return {
            "program_id": program.pk,
            "program": program.title,
            "institution": program.institution.name,
            "starts_at": iso_or_none(self.starts_at, timespec="auto"),
            "time_zone": self.time_zone,
            "duration_minutes": self.duration_minutes,
            "format": self.format,
            "place": self.place,
            "city": self.city,
            "link": self.link,
            "interviewers": self.interviewers,
            "notes": self.notes,
            "thank_you_note": self.thank_you_note,
            "impression": impression.to_export() if impression else None,
        }


class ImpressionQuerySet(OwnedQuerySet):
    owner_path = "interview__application__student"


class Impression(models.Model):
    """How the interview day felt, written soon after it; later read by the rank order list."""

    RATINGS = ("teaching", "culture", "fit", "location", "overall")

    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="impression")
    teaching = _rating("teaching")
    culture = _rating("culture")
    fit = _rating("fit for you")
    location = _rating("location")
    overall = _rating("overall")
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ImpressionQuerySet.as_manager()

    def __str__(self):
        return f"Impression of {self.interview}"

    @property
    def ratings(self) -> list[tuple[str, str, int | None]]:
        return [
            (name, self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.RATINGS
        ]

    def to_export(self) -> dict:
        return {
            **{name: value for name, _, value in self.ratings},
            "notes": self.notes,
            "updated_at": iso_or_none(self.updated_at, timespec="auto"),
        }


class InterviewReminderQuerySet(OwnedQuerySet):
    owner_path = "interview__application__student"


class InterviewReminder(models.Model):
    """A reminder email that went out for an interview. The unique constraint makes sending
    idempotent (a restarted worker, or two, cannot send it twice); ``starts_at`` is part of the
    key so a rescheduled interview earns a new reminder."""

    class Kind(models.TextChoices):
        DAY_BEFORE = "day_before", "The day before"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    objects = InterviewReminderQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "kind", "starts_at"],
                name="interviews_one_reminder_per_start",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} reminder for {self.interview_id}"
