"""Forms for applications and their checklists. Every error message starts with the field's name,
so a message read alone (in a summary, or by a screen reader) still says what to fix."""

from django import forms
from django.utils.formats import date_format

from medmatch.applications.models import Application, Requirement

MAX_NOTES_LENGTH = 20_000
MAX_TITLE_LENGTH = 200
DATE_HELP = "Leave empty while unknown."


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _date_field(label: str, name: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        help_text=DATE_HELP,
        error_messages={"invalid": f"{name}: not a date; use the form YYYY-MM-DD."},
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
        error_messages={
            "required": "title: required — name it, e.g. “Letter from Dr Chen”.",
            "max_length": f"title: at most {MAX_TITLE_LENGTH} characters.",
        },
    )
    due_on = forms.DateField(
        label="Due date",
        required=False,
        widget=DateInput(),
        help_text="Leave empty when it is due with the application.",
        error_messages={"invalid": "due_on: not a date; use the form YYYY-MM-DD."},
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

    def error_text(self) -> str:
        return " ".join(message for messages in self.errors.values() for message in messages)
