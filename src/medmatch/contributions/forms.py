"""Every value a person may give for a program fact, parsed and bounded like the Program field
it goes into; each error names the fact and the reason."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from medmatch.catalog.models import Institution, Program, Specialty
from medmatch.contributions.fields import FACT_CHOICES, FACT_FIELDS
from medmatch.lib.forms import BoundedDateField, BoundedIntegerField, IdField
from medmatch.lib.validators import validate_single_line

LONG_TEXT = 2000


def _integer(label: str, low: int, high: int, unit: str) -> BoundedIntegerField:
    return BoundedIntegerField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        error_messages={
            "invalid": f"{label}: enter a whole number of {unit} with the digits 0-9.",
            "min_value": f"{label}: at least {low} {unit}.",
            "max_value": f"{label}: at most {high} {unit}.",
        },
    )


def _date(label: str) -> BoundedDateField:
    return BoundedDateField(
        label=label,
        required=False,
        help_text="YYYY-MM-DD",
        error_messages={
            "invalid": f"{label}: enter a date as YYYY-MM-DD.",
            "out_of_range": f"{label}: %(value)s is not between 1900 and 2100; check the year.",
        },
    )


def _text(label: str, max_length: int, *, long: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput,
        validators=[] if long else [validate_single_line],
        error_messages={"max_length": f"{label}: at most {max_length} characters."},
    )


def _choice(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", "—"), *choices],
        error_messages={"invalid_choice": f"{label}: choose one of the listed options."},
    )


class AsciiDecimalField(forms.DecimalField):
    """``Decimal`` reads Arabic-Indic digits as a number: only 0-9 (and one point) count here."""

    def to_python(self, value):
        if isinstance(value, str) and not value.strip().isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class FactValuesForm(forms.Form):
    """One form field per Program field a fact may set; all optional (empty = unknown)."""

    length_months = _integer(FACT_FIELDS["length_months"].label, 1, 120, "months")
    weekly_hours = _integer(FACT_FIELDS["weekly_hours"].label, 1, 120, "hours")
    stipend_amount = AsciiDecimalField(
        label="Stipend (yearly amount)",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal("9999999.99"),
        max_digits=9,
        decimal_places=2,
        error_messages={
            "invalid": "Stipend: enter an amount with the digits 0-9, e.g. 68500.",
            "min_value": "Stipend: cannot be negative.",
            "max_value": "Stipend: at most 9,999,999.99 a year.",
            "max_digits": "Stipend: at most 9,999,999.99 a year.",
            "max_decimal_places": "Stipend: at most 2 decimals.",
            "max_whole_digits": "Stipend: at most 9,999,999.99 a year.",
        },
    )
    currency = forms.CharField(
        label="Currency",
        required=False,
        max_length=3,
        help_text="ISO 4217 code, e.g. USD, CAD, EUR.",
        error_messages={"max_length": "Currency: a three-letter code such as USD."},
    )
    seats = _integer(FACT_FIELDS["seats"].label, 1, 2000, "positions")
    visa_sponsorship = _choice(FACT_FIELDS["visa_sponsorship"].label, Program.Visa.choices)
    language = _text(FACT_FIELDS["language"].label, 40)
    application_opens = _date(FACT_FIELDS["application_opens"].label)
    application_deadline = _date(FACT_FIELDS["application_deadline"].label)
    emphasis = _choice(FACT_FIELDS["emphasis"].label, Program.Emphasis.choices)
    mentorship = _text(FACT_FIELDS["mentorship"].label, LONG_TEXT, long=True)
    research_opportunities = _text(
        FACT_FIELDS["research_opportunities"].label, LONG_TEXT, long=True
    )
    url = forms.URLField(
        label=FACT_FIELDS["url"].label,
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Program website: enter a full web address (https://...).",
            "max_length": "Program website: at most 500 characters.",
        },
    )
    description = _text(FACT_FIELDS["description"].label, LONG_TEXT, long=True)

    def clean_currency(self):
        code = self.cleaned_data["currency"].strip().upper()
        if code and not (len(code) == 3 and code.isascii() and code.isalpha()):
            raise ValidationError("Currency: a three-letter code such as USD.")
        return code

    def clean(self):
        cleaned = super().clean()
        amount, code = cleaned.get("stipend_amount"), cleaned.get("currency")
        if amount is not None and code == "" and "currency" not in self.errors:
            self.add_error("currency", "Currency: say which currency the stipend is in.")
        opens, deadline = cleaned.get("application_opens"), cleaned.get("application_deadline")
        if opens and deadline and deadline < opens:
            self.add_error(
                "application_deadline",
                "Application deadline: cannot be before the day applications open.",
            )
        return cleaned


def _source_url(*, required: bool) -> forms.URLField:
    return forms.URLField(
        label="Source (web address)",
        required=required,
        max_length=500,
        assume_scheme="https",
        help_text="Where this can be checked: the program's own page, a published document.",
        error_messages={
            "required": "Source: give the web address where this can be checked.",
            "invalid": "Source: enter a full web address (https://...).",
            "max_length": "Source: at most 500 characters.",
        },
    )


def _note() -> forms.CharField:
    return forms.CharField(
        label="Note",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Note: at most {LONG_TEXT} characters."},
    )


class FactChoiceForm(forms.Form):
    """``?field=`` on the proposal page: which fact the visitor wants to propose."""

    field = forms.ChoiceField(
        label="Fact",
        choices=FACT_CHOICES,
        error_messages={
            "required": "Fact: choose which fact you propose.",
            "invalid_choice": "Fact: choose one of the listed facts.",
        },
    )


class ProposalForm(FactValuesForm):
    """A proposal of one fact: its value must be given, with a source."""

    field = FactChoiceForm.base_fields["field"]
    source_url = _source_url(required=True)
    note = _note()

    def __init__(self, *args, fact: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the chosen fact's value is read: another field's value (which the page does not
        # show) can neither be proposed with it nor block it with an error nobody can see.
        kept = set(FACT_FIELDS[fact].program_fields)
        for name in [name for name in FactValuesForm.base_fields if name not in kept]:
            del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("field")
        if not key:
            return cleaned
        if key not in self.errors and cleaned.get(key) in (None, ""):
            label = FACT_FIELDS[key].label
            self.add_error(key, f"{label}: enter the value you propose.")
        return cleaned

    def proposed_value(self) -> dict:
        key = self.cleaned_data["field"]
        return {name: self.cleaned_data.get(name) for name in FACT_FIELDS[key].program_fields}


class ProgramFactsForm(FactValuesForm):
    """A verified coordinator's edit: every fact at once; an emptied field becomes unknown."""

    source_url = _source_url(required=False)
    note = _note()
    version = IdField(min_value=0, required=True)


class ProgramCreateForm(FactValuesForm):
    """A verified coordinator's new listing: what it is, where, and its facts (as on the edit
    form, all optional). City and country start as the institution's."""

    title = forms.CharField(
        label="Title",
        max_length=300,
        validators=[validate_single_line],
        help_text="e.g. Clinical elective in cardiology, Observership in general surgery.",
        error_messages={
            "required": "Title: name the listing, e.g. Observership in general surgery.",
            "max_length": "Title: at most 300 characters.",
        },
    )
    program_type = forms.ChoiceField(
        label="Type",
        choices=[("", "—"), *Program.ProgramType.choices],
        error_messages={
            "required": "Type: choose what kind of listing this is.",
            "invalid_choice": "Type: choose one of the listed types.",
        },
    )
    specialty = forms.ChoiceField(
        label="Specialty",
        required=False,
        help_text="Leave empty when the listing is not in one specialty.",
        error_messages={"invalid_choice": "Specialty: choose one of the listed specialties."},
    )
    city = _text("City", 120)
    country = forms.CharField(
        label="Country",
        required=False,
        max_length=2,
        help_text="ISO 3166 two-letter code, e.g. DE, IN, BR.",
        error_messages={"max_length": "Country: a two-letter code such as DE."},
    )
    source_url = _source_url(required=False)
    note = _note()

    field_order = ["title", "program_type", "specialty", "city", "country"]

    def __init__(self, *args, institution: Institution, **kwargs):
        kwargs.setdefault("initial", {"city": institution.city, "country": institution.country})
        super().__init__(*args, **kwargs)
        self.institution = institution
        # Choices compared as exact strings: "١٢" (Arabic-Indic digits) names no specialty.
        specialties = Specialty.objects.order_by("name", "system").values_list(
            "pk", "name", "system"
        )
        systems = dict(Specialty.System.choices)
        self.fields["specialty"].choices = [("", "—")] + [
            (str(pk), f"{name} — {systems.get(system, system)}") for pk, name, system in specialties
        ]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_city(self):
        return " ".join(self.cleaned_data["city"].split())

    def clean_country(self):
        code = self.cleaned_data["country"].strip().upper()
        if code and not (len(code) == 2 and code.isascii() and code.isalpha()):
            raise ValidationError("Country: a two-letter code such as DE.")
        return code

    def clean_specialty(self):
        pk = self.cleaned_data["specialty"]
        return Specialty.objects.get(pk=int(pk)) if pk else None

    def clean(self):
        cleaned = super().clean()
        title, kind = cleaned.get("title"), cleaned.get("program_type")
        duplicate = Program.objects.filter(
            institution=self.institution, title__iexact=title or "", program_type=kind or ""
        )
        if title and kind and duplicate.exists():
            self.add_error(
                "title",
                "Title: this institution already has a listing of this type with this title; "
                "edit that one instead.",
            )
        return cleaned

    def listing(self) -> dict:
        names = ("title", "program_type", "specialty", "city", "country", "source_url", "note")
        return {name: self.cleaned_data[name] for name in names}

    def fact_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in FactValuesForm.base_fields}


class CoordinatorRequestForm(forms.Form):
    role_title = forms.CharField(
        label="Your role at the institution",
        max_length=120,
        validators=[validate_single_line],
        help_text="e.g. Program coordinator, Internal Medicine residency.",
        error_messages={
            "required": "Your role: say what you do at the institution.",
            "max_length": "Your role: at most 120 characters.",
        },
    )
    message = forms.CharField(
        label="Anything staff should know",
        required=False,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Message: at most {LONG_TEXT} characters."},
    )


class RejectionForm(forms.Form):
    """The admin's reject action asks for the reason shown to the proposer."""

    reason = forms.CharField(
        label="Reason",
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Reason: say why, so the proposer can correct it."},
    )
