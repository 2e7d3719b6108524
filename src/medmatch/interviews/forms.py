"""Forms for the question bank, practice, the schedule and the after-interview pages. Every error
message starts with the field's name, so a message read alone still says what to fix."""

import datetime
import zoneinfo

from django import forms
from django.utils import timezone

from medmatch.applications.models import Application
from medmatch.interviews.models import Impression, Interview, PracticeAttempt, Question
from medmatch.interviews.time_zones import time_zone_choices, zone_for_program
from medmatch.lib.forms import (
    BoundedDateField,
    BoundedIntegerField,
    IdField,
    TimeZoneField,
    bounded_formfield,
    clean_one_line,
)

MAX_TEXT_LENGTH = 20_000
MAX_SECONDS = 60 * 60
TIME_LIMITS = [(60, "1 minute"), (90, "1½ minutes"), (120, "2 minutes"), (180, "3 minutes")]
RATING_CHOICES = [("", "not rated")] + [(n, str(n)) for n in range(1, 6)]


def _text_field(label: str, help_text: str = "", rows: int = 4) -> forms.CharField:
    # No maxlength attribute: a browser would silently cut a long paste; the server says so.
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _check_length(name: str, text: str) -> str:
    if len(text) > MAX_TEXT_LENGTH:
        raise forms.ValidationError(
            f"{name}: at most {MAX_TEXT_LENGTH:,} characters (this has {len(text):,})."
        )
    return text


def _rating_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class QuestionForm(forms.ModelForm):
    text = forms.CharField(
        label="Your question",
        max_length=500,
        error_messages={
            "required": "text: write the question.",
            "max_length": "text: at most 500 characters.",
        },
    )

    class Meta:
        model = Question
        formfield_callback = bounded_formfield
        fields = ["category", "text"]


class PracticeForm(forms.ModelForm):
    seconds_taken = BoundedIntegerField(
        label="Time taken (seconds)",
        min_value=1,
        max_value=MAX_SECONDS,
        help_text="The timer fills this in; without it, type how long you spoke.",
        error_messages={
            "required": "seconds_taken: say how long the answer took, in seconds.",
            "min_value": "seconds_taken: at least 1 second.",
            "max_value": f"seconds_taken: at most {MAX_SECONDS:,} seconds (an hour).",
            "invalid": "seconds_taken: a whole number of seconds.",
        },
    )
    time_limit_seconds = forms.TypedChoiceField(
        label="Aim for", choices=TIME_LIMITS, coerce=int, initial=120
    )
    answer = _text_field(
        "Outline or transcript",
        "What you said, or its outline. The checker reads it; only you can see it.",
        rows=8,
    )
    clarity = _rating_field("Clarity")
    concision = _rating_field("Concision")
    honesty = _rating_field("Honesty")
    structure = _rating_field("Structure")
    notes = _text_field("Notes", "What to do differently next time.", rows=3)

    class Meta:
        model = PracticeAttempt
        formfield_callback = bounded_formfield
        fields = [
            "seconds_taken",
            "time_limit_seconds",
            "answer",
            "clarity",
            "concision",
            "honesty",
            "structure",
            "notes",
        ]

    def rating_fields(self):
        return [self[name] for name in PracticeAttempt.RATINGS]

    def clean_answer(self):
        return _check_length("answer", self.cleaned_data["answer"])

    def clean_notes(self):
        return _check_length("notes", self.cleaned_data["notes"])


class InterviewForm(forms.ModelForm):
    """The date and time are typed as the program gave them, in their time zone; they are stored
    as one aware datetime plus the zone's name."""

    application = forms.ModelChoiceField(
        queryset=Application.objects.none(),
        label="Application",
        error_messages={"required": "application: choose which application this is for."},
    )
    date = BoundedDateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "date: enter the interview's date.",
            "invalid": "date: not a date; use the form YYYY-MM-DD.",
            "out_of_range": "date: %(value)s is not between 1900 and 2100; check the year.",
        },
    )
    time = forms.TimeField(
        label="Start time",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": "time: enter the start time.",
            "invalid": "time: not a time; use the form HH:MM.",
        },
    )
    time_zone = TimeZoneField(
        label="Time zone",
        required=False,
        help_text="The zone the program gave the time in. Left at “the program's own”, it is "
        "taken from the program's state or country.",
        widget=forms.Select(),
    )
    # Set by the "save anyway" button shown with the clashes this interview would have.
    confirm_clash = forms.BooleanField(required=False, widget=forms.HiddenInput)
    interviewers = _text_field("Interviewers", "One name a line.", rows=3)
    notes = _text_field("Notes", "Anything to remember: parking, dress code, who to ask for.")

    class Meta:
        model = Interview
        formfield_callback = bounded_formfield
        fields = [
            "application",
            "format",
            "duration_minutes",
            "place",
            "city",
            "link",
            "interviewers",
            "notes",
        ]
        labels = {"duration_minutes": "Duration (minutes)"}
        help_texts = {
            "city": "For an in-person interview: used to spot travel between cities.",
            "link": "For a virtual interview.",
        }
        error_messages = {
            "link": {"invalid": "link: not a web address; start it with https://."},
            "duration_minutes": {
                "min_value": "duration_minutes: at least 5 minutes.",
                "max_value": "duration_minutes: at most a day (1,440 minutes).",
            },
        }

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = (
            Application.objects.for_student(student).with_program().order_by("program__title")
        )
        self.fields["application"].label_from_instance = lambda application: (
            f"{application.program.title} — {application.program.institution.name}"
        )
        zones = list(time_zone_choices())
        if self.instance.pk:
            local = self.instance.local_start
            self.initial.update(
                date=local.date(), time=local.time(), time_zone=self.instance.time_zone
            )
            if self.instance.time_zone not in zones:
                zones.insert(0, self.instance.time_zone)  # an alias typed before the list
        elif self.initial.get("application"):
            chosen = self.fields["application"].queryset.filter(pk=self.initial["application"])
            program = chosen.first().program if chosen.exists() else None
            self.initial["time_zone"] = (program and zone_for_program(program)) or ""
        self.fields["time_zone"].widget.choices = [("", "The program's own (from its address)")] + [
            (zone, zone.replace("_", " ")) for zone in zones
        ]

    def clean(self):
        data = super().clean()
        application = data.get("application")
        if not data.get("time_zone") and application and "time_zone" not in self.errors:
            data["time_zone"] = zone_for_program(application.program) or ""
            if not data["time_zone"]:
                self.add_error(
                    "time_zone",
                    "time_zone: choose the zone the program gave the time in; its address "
                    "does not tell it.",
                )
        if all(data.get(name) for name in ("date", "time", "time_zone")):
            local = datetime.datetime.combine(data["date"], data["time"])
            self.instance.starts_at = timezone.make_aware(
                local, zoneinfo.ZoneInfo(data["time_zone"])
            )
            self.instance.time_zone = data["time_zone"]
        if data.get("format") == Interview.Format.IN_PERSON and not data.get("city", "").strip():
            self.add_error("city", "city: an in-person interview needs its city.")
        return data

    def save(self, commit=True):
        interview = super().save(commit=False)
        interview.locate()
        if commit:
            interview.save()
        return interview

    def clean_place(self):
        return clean_one_line("place", self.cleaned_data["place"])

    def clean_city(self):
        return clean_one_line("city", self.cleaned_data["city"])

    def clean_interviewers(self):
        # One name a line: line breaks separate the names, other control characters are refused.
        text = self.cleaned_data["interviewers"]
        for line in text.splitlines():
            clean_one_line("interviewers", line)
        return text


class ImpressionForm(forms.ModelForm):
    teaching = _rating_field("Teaching")
    culture = _rating_field("Culture")
    fit = _rating_field("Fit for you")
    location = _rating_field("Location")
    overall = _rating_field("Overall")
    notes = _text_field("Notes", "What stood out: people, teaching, what residents said.", rows=5)

    class Meta:
        model = Impression
        formfield_callback = bounded_formfield
        fields = ["teaching", "culture", "fit", "location", "overall", "notes"]

    def __init__(self, *args, now: datetime.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        # Impressions of a day that has not come are made up, and saving them would move the
        # application to "Interviewed" on the board before the interview.
        self.too_early = not self.instance.interview.has_happened(now)

    @property
    def too_early_message(self) -> str:
        interview = self.instance.interview
        start = f"{interview.local_start:%-d %b %Y at %H:%M} ({interview.time_zone})"
        return f"Impressions can be written once the interview has started; it starts on {start}."

    def clean(self):
        if self.too_early:
            raise forms.ValidationError(f"{self.too_early_message} Nothing was saved.")
        return super().clean()

    def rating_fields(self):
        return [self[name] for name in Impression.RATINGS]

    def clean_notes(self):
        return _check_length("notes", self.cleaned_data["notes"])


class ThankYouForm(forms.ModelForm):
    thank_you_note = _text_field(
        "Thank-you note draft",
        "Edit it, then copy it into your email. medmatch never sends it.",
        rows=12,
    )

    class Meta:
        model = Interview
        formfield_callback = bounded_formfield
        fields = ["thank_you_note"]

    def clean_thank_you_note(self):
        return _check_length("thank_you_note", self.cleaned_data["thank_you_note"])


class ThankYouTopicForm(forms.Form):
    """What the student wants the program to read in a fresh draft: typed for the note, because
    the interview's notes and impressions are private and never copied into it."""

    topic = forms.CharField(
        label="One thing to mention (the program will read this)",
        required=False,
        help_text="E.g. the residents' journal club, a conversation with Dr. Lovelace.",
    )

    def clean_topic(self):
        # Checked here, not with max_length: a maxlength attribute would cut a paste silently.
        topic = clean_one_line("topic", self.cleaned_data["topic"])
        if len(topic) > 300:
            raise forms.ValidationError(f"topic: at most 300 characters (this has {len(topic):,}).")
        return topic

    def chosen_topic(self) -> str:
        return self.cleaned_data.get("topic", "") if self.is_valid() else ""


class ScheduleFilterForm(forms.Form):
    """``?application=<id>``: the schedule of one application, or the application a new interview
    is for."""

    application = IdField(required=False)

    def application_id(self) -> int | None:
        return self.cleaned_data.get("application") if self.is_valid() else None
