"""Forms for applications and their checklists. Every error message starts with the field's name,
so a message read alone (in a summary, or by a screen reader) still says what to fix."""

from django import forms
from django.utils.formats import date_format

from medmatch.applications.cv_tailoring import MAX_TAG_LENGTH, MAX_TAGS, normalise_tags
from medmatch.applications.models import (
    CV_DESCRIPTION_GUIDANCE,
    CV_DESCRIPTION_MAX,
    CV_MOST_MEANINGFUL_MAX,
    STATEMENT_MAX_CHARS,
    Application,
    CVEntry,
    Requirement,
)
from medmatch.applications.services import TAILORED_ACTIONS
from medmatch.lib.forms import (
    BoundedDateField,
    BoundedIntegerField,
    IdField,
    bounded_formfield,
    one_line,
)

MAX_NOTES_LENGTH = 20_000
MAX_TITLE_LENGTH = 200
DATE_HELP = "Leave empty while unknown."


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date_field(label: str, name: str) -> forms.DateField:
    return BoundedDateField(
        label=label,
        required=False,
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={
            "invalid": f"{name}: not a date; use the form YYYY-MM-DD.",
            "out_of_range": f"{name}: %(value)s is not between 1900 and 2100; check the year.",
        },
    )


def _notes_field(help_text: str) -> forms.CharField:
    # No maxlength attribute: a browser would silently cut a long paste; the server says so instead.
    return forms.CharField(
        label="Notes",
        required=False,
        strip=False,
        # board.js reads data-max-length to stop a huge paste before it is sent.
        widget=forms.Textarea(attrs={"rows": 4, "data-max-length": MAX_NOTES_LENGTH}),
        help_text=f"{help_text} At most {MAX_NOTES_LENGTH:,} characters. Only you can see them.",
    )


def _clean_notes(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_NOTES_LENGTH:
        raise forms.ValidationError(
            f"notes: at most {MAX_NOTES_LENGTH:,} characters (this has {len(text):,}). "
            "Shorten it or keep the long text elsewhere and link to it."
        )
    return text


class ApplicationForm(forms.ModelForm):
    opens_on = _date_field("Applications open", "opens_on")
    deadline = _date_field("Submission deadline", "deadline")
    notes = _notes_field("What to remember about this application.")

    class Meta:
        model = Application
        formfield_callback = bounded_formfield
        fields = ["opens_on", "deadline", "notes"]

    def clean_notes(self):
        return _clean_notes(self.cleaned_data["notes"])

    def clean(self):
        cleaned = super().clean()
        opens_on, deadline = cleaned.get("opens_on"), cleaned.get("deadline")
        if opens_on and deadline and opens_on > deadline:
            self.add_error(
                "deadline",
                f"deadline: must be on or after the day applications open "
                f"({date_format(opens_on, 'j M Y')}); check both dates.",
            )
        return cleaned


class RequirementForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label="Kind",
        choices=Requirement.Kind.choices,
        error_messages={"invalid_choice": "kind: choose one of the listed kinds."},
    )
    title = forms.CharField(
        label="What is needed",
        max_length=MAX_TITLE_LENGTH,
        validators=[one_line("title")],
        error_messages={
            "required": "title: required — name it, e.g. “Letter from Dr Chen”.",
            "max_length": f"title: at most {MAX_TITLE_LENGTH} characters.",
        },
    )
    due_on = BoundedDateField(
        label="Due date",
        required=False,
        widget=DateInput(),
        help_text="Leave empty when it is due with the application.",
        error_messages={
            "invalid": "due_on: not a date; use the form YYYY-MM-DD.",
            "out_of_range": "due_on: %(value)s is not between 1900 and 2100; check the year.",
        },
    )
    amount = forms.DecimalField(
        label="Amount (fees)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text="Leave empty while unknown.",
        error_messages={
            "invalid": "amount: a number, e.g. 99 or 99.50.",
            "min_value": "amount: cannot be negative.",
            "max_digits": "amount: at most 999,999.99.",
            "max_whole_digits": "amount: at most 999,999.99.",
            "max_decimal_places": "amount: at most 2 decimal places.",
        },
    )
    currency = forms.CharField(
        label="Currency", required=False, max_length=3, help_text="e.g. USD, CAD, EUR."
    )
    notes = _notes_field("Who to ask, where to send it.")

    class Meta:
        model = Requirement
        formfield_callback = bounded_formfield
        fields = ["kind", "title", "due_on", "amount", "currency", "notes"]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if currency and not (len(currency) == 3 and currency.isalpha()):
            raise forms.ValidationError("currency: three letters, e.g. USD.")
        return currency

    def clean_notes(self):
        return _clean_notes(self.cleaned_data["notes"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("amount") is not None and not cleaned.get("currency"):
            self.add_error("currency", "currency: needed with an amount, e.g. USD.")
        return cleaned


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=Application.Status.choices,
        error_messages={
            "required": "status: required.",
            "invalid_choice": "status: “%(value)s” is not a status; choose one of "
            + ", ".join(Application.Status.values)
            + ".",
        },
    )
    # Set by the "move anyway" button after the warning that the checklist is not finished.
    confirm = forms.BooleanField(required=False)

    def error_text(self) -> str:
        return " ".join(message for messages in self.errors.values() for message in messages)


# ---- CV entries and personal statements ----------------------------------------------------
MONTH_HELP = "Month and year (YYYY-MM)."


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


def _month_field(label: str, name: str, help_text: str) -> forms.DateField:
    return BoundedDateField(
        label=label,
        required=False,
        widget=MonthInput(),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=help_text,
        error_messages={
            "invalid": f"{name}: not a month; use the form YYYY-MM, e.g. 2024-09.",
            "out_of_range": f"{name}: %(value)s is not between 1900 and 2100; check the year.",
        },
    )


def _hours_field(label: str, name: str, maximum: int) -> forms.IntegerField:
    return BoundedIntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=maximum,
        error_messages={
            "invalid": f"{name}: a whole number of hours.",
            "min_value": f"{name}: cannot be negative.",
            "max_value": f"{name}: at most {maximum:,}.",
        },
    )


class CVEntryForm(forms.ModelForm):
    section = forms.ChoiceField(
        label="Section",
        choices=CVEntry.Section.choices,
        error_messages={"invalid_choice": "section: choose one of the listed sections."},
    )
    title = forms.CharField(
        label="Title",
        max_length=MAX_TITLE_LENGTH,
        validators=[one_line("title")],
        help_text="The degree, award, project, role or skill, "
        "e.g. “Student clinician, free clinic”.",
        error_messages={
            "required": "title: required — name the degree, role, project or award.",
            "max_length": f"title: at most {MAX_TITLE_LENGTH} characters.",
        },
    )
    organisation = forms.CharField(
        label="Organisation", required=False, max_length=200, validators=[one_line("organisation")]
    )
    location = forms.CharField(
        label="Location", required=False, max_length=120, validators=[one_line("location")]
    )
    start_date = _month_field("Start", "start_date", MONTH_HELP)
    end_date = _month_field("End", "end_date", "Leave empty while it is ongoing.")
    hours_per_week = _hours_field("Hours per week", "hours_per_week", 168)
    total_hours = _hours_field("Total hours", "total_hours", 100_000)
    description = forms.CharField(
        label="Description",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-max-length": CV_DESCRIPTION_MAX}),
        help_text=(
            f"What you did and what came of it. ERAS allows {CV_DESCRIPTION_GUIDANCE} characters "
            f"per experience; at most {CV_DESCRIPTION_MAX:,} here."
        ),
    )
    tags_text = forms.CharField(
        label="Tags",
        required=False,
        max_length=1_000,
        help_text="Specialties and skills, separated by commas, "
        "e.g. “internal medicine, ultrasound”. "
        "The tailored CV puts entries tagged with a program's specialty first.",
        error_messages={"max_length": "tags: at most 1,000 characters in all."},
    )
    most_meaningful = forms.BooleanField(
        label="One of my 3 most meaningful experiences",
        required=False,
        help_text="As ERAS asks: at most three.",
    )

    class Meta:
        model = CVEntry
        formfield_callback = bounded_formfield
        fields = [
            "section",
            "title",
            "organisation",
            "location",
            "start_date",
            "end_date",
            "hours_per_week",
            "total_hours",
            "description",
            "most_meaningful",
        ]

    field_order = [
        "section",
        "title",
        "organisation",
        "location",
        "start_date",
        "end_date",
        "hours_per_week",
        "total_hours",
        "description",
        "tags_text",
        "most_meaningful",
    ]

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.student = student
        if self.instance.pk and not self.is_bound:
            self.initial["tags_text"] = ", ".join(self.instance.tag_labels)

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_description(self):
        text = self.cleaned_data["description"].strip()
        if len(text) > CV_DESCRIPTION_MAX:
            raise forms.ValidationError(
                f"description: at most {CV_DESCRIPTION_MAX:,} characters (this has {len(text):,}). "
                f"ERAS takes {CV_DESCRIPTION_GUIDANCE}; keep the essentials. Your text is still "
                "in the box."
            )
        return text

    def clean_tags_text(self):
        tags = normalise_tags(self.cleaned_data["tags_text"])
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(f"tags: at most {MAX_TAGS} (this has {len(tags)}).")
        long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
        if long:
            raise forms.ValidationError(
                f"tags: each at most {MAX_TAG_LENGTH} characters; “{long[0]}” is longer."
            )
        return tags

    def clean_most_meaningful(self):
        meaningful = self.cleaned_data["most_meaningful"]
        if meaningful:
            others = CVEntry.objects.filter(student=self.student, most_meaningful=True)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.count() >= CV_MOST_MEANINGFUL_MAX:
                titles = "; ".join(f"“{entry.title}”" for entry in others[:3])
                raise forms.ValidationError(
                    f"most_meaningful: at most {CV_MOST_MEANINGFUL_MAX}, as ERAS allows. "
                    f"Untick one of {titles} first."
                )
        return meaningful

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                f"end_date: must be on or after the start ({date_format(start, 'M Y')}); "
                "check both dates.",
            )
        if end and not start:
            self.add_error("start_date", "start_date: needed with an end date.")
        return cleaned

    def save(self, commit=True):
        self.instance.student = self.student
        self.instance.tags = self.cleaned_data["tags_text"]
        return super().save(commit)


def _statement_body_field() -> forms.CharField:
    return forms.CharField(
        label="Statement",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "data-max-length": STATEMENT_MAX_CHARS}),
        help_text=f"At most {STATEMENT_MAX_CHARS:,} characters. "
        "Saving keeps every earlier version.",
    )


def clean_statement_body(text: str) -> str:
    if len(text) > STATEMENT_MAX_CHARS:
        raise forms.ValidationError(
            f"body: at most {STATEMENT_MAX_CHARS:,} characters (this has {len(text):,}). "
            "Nothing was saved; your text is still in the box — shorten it and save again."
        )
    return text


class StatementCreateForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=MAX_TITLE_LENGTH,
        validators=[one_line("title")],
        error_messages={
            "required": "title: required — e.g. “Internal medicine, base”.",
            "max_length": f"title: at most {MAX_TITLE_LENGTH} characters.",
        },
    )
    application = forms.ModelChoiceField(
        label="For",
        queryset=None,
        required=False,
        empty_label="All programs (base statement)",
        help_text="A variant for one application is checked against that program.",
        error_messages={"invalid_choice": "application: choose one of your applications."},
    )

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = (
            Application.objects.for_student(student).with_program().order_by("program__title")
        )
        self.fields["application"].label_from_instance = lambda a: (
            f"{a.program.title} — {a.program.institution.name}"
        )

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())


class StatementForm(forms.Form):
    max_chars = STATEMENT_MAX_CHARS
    title = StatementCreateForm.base_fields["title"]
    word_limit = BoundedIntegerField(
        label="Word limit",
        required=False,
        min_value=1,
        max_value=5_000,
        help_text="Leave empty for none. Most programs expect about one page (650 words or fewer).",
        error_messages={
            "invalid": "word_limit: a whole number of words.",
            "min_value": "word_limit: at least 1, or leave it empty.",
            "max_value": "word_limit: at most 5,000.",
        },
    )
    body = _statement_body_field()
    note = forms.CharField(
        label="Note for this version",
        required=False,
        max_length=200,
        validators=[one_line("note")],
        help_text="Optional, e.g. “after Dr Chen's comments”.",
        error_messages={"max_length": "note: at most 200 characters."},
    )

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_body(self):
        return clean_statement_body(self.cleaned_data["body"])


class StatementAnalyzeForm(forms.Form):
    body = _statement_body_field()

    def clean_body(self):
        return clean_statement_body(self.cleaned_data["body"])

    def error_text(self) -> str:
        return " ".join(message for messages in self.errors.values() for message in messages)


class VersionDiffForm(forms.Form):
    """``?from=<id>&to=<id>``: two versions of one statement ("from" is a Python keyword, so the
    fields are added by name)."""

    def __init__(self, data, *, versions: dict):
        super().__init__(data)
        self.versions = versions
        for name in ("from", "to"):
            self.fields[name] = IdField()

    def clean(self):
        data = super().clean()
        if any(data.get(name) not in self.versions for name in ("from", "to")):
            raise forms.ValidationError("diff: choose two versions of this statement to compare.")
        return data

    def pair(self):
        return self.versions[self.cleaned_data["from"]], self.versions[self.cleaned_data["to"]]


class TailoredChangeForm(forms.Form):
    """One button of the tailored CV: an action, and the entry or section it moves."""

    action = forms.ChoiceField(
        choices=[(action, action) for action in TAILORED_ACTIONS],
        error_messages={
            "required": "action: not one of the tailored CV's buttons.",
            "invalid_choice": "action: not one of the tailored CV's buttons.",
        },
    )
    entry = IdField(
        required=False, error_messages={"invalid": "entry: not one of your CV entries."}
    )
    section = forms.CharField(required=False, max_length=40)

    def error_text(self) -> str:
        return " ".join(message for messages in self.errors.values() for message in messages)
