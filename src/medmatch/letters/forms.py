import re

from django import forms
from django.utils import timezone

from medmatch.applications.models import Application
from medmatch.catalog.models import Specialty
from medmatch.letters.models import LetterRequest, Recommender
from medmatch.letters.services import over_limit
from medmatch.lib.forms import BoundedDateField, IdsMultipleChoiceField, bounded_formfield
from medmatch.lib.validators import validate_single_line

MAX_TEXT = 5000
LETTER_ID = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9-]{2,39}\Z")

KNOWS_WELL = [
    ("", "Not said"),
    (1, "1 — barely; met a few times"),
    (2, "2 — a little"),
    (3, "3 — well enough to comment on my work"),
    (4, "4 — well; supervised me closely"),
    (5, "5 — very well; can speak to my work in detail"),
]


class RecommenderForm(forms.ModelForm):
    class Meta:
        model = Recommender
        formfield_callback = bounded_formfield
        fields = [
            "name",
            "title",
            "role",
            "institution",
            "specialty",
            "email",
            "relationship",
            "known_months",
            "knows_well",
            "notes",
        ]
        widgets = {
            "relationship": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT}),
            "notes": forms.Textarea(attrs={"rows": 3, "maxlength": MAX_TEXT}),
            "knows_well": forms.Select(choices=KNOWS_WELL),
        }
        help_texts = {
            "specialty": "Programs value a letter from someone in their own specialty.",
            "email": "The request, its packet and reminders go to this address.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # ACGME specialties: CaRMS and other systems' disciplines point at them (``equivalent``).
        self.fields["specialty"].queryset = Specialty.objects.filter(
            system=Specialty.System.ACGME
        ).order_by("name")
        self.fields["specialty"].empty_label = "Not a specialist / not said"
        # Names reach email subjects, the packet's title and the upload page: one line each.
        for name in ("name", "title", "institution"):
            self.fields[name].validators.append(validate_single_line)
        if self.instance.has_fixed_requests():
            # A received letter stays labelled with the person who was asked for it
            # (services.recommender_save checks it again under a lock).
            for name in ("name", "email"):
                self.fields[name].disabled = True
                self.fields[name].help_text = (
                    "Fixed: a letter was asked for under this name and address. To ask someone "
                    "else, or at another address, add a new recommender."
                )

    def clean_relationship(self):
        return _limit(self.cleaned_data["relationship"], "relationship")

    def clean_notes(self):
        return _limit(self.cleaned_data["notes"], "notes")


class LetterRequestForm(forms.ModelForm):
    applications = IdsMultipleChoiceField(
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The letter is assigned to each of these; ERAS takes up to 4 per program.",
    )

    class Meta:
        model = LetterRequest
        formfield_callback = bounded_formfield
        fields = [
            "recommender",
            "applications",
            "status",
            "asked_on",
            "due_on",
            "waived",
            "talking_points",
            "eras_letter_id",
            "service_uploaded_on",
        ]
        widgets = {
            "asked_on": forms.DateInput(attrs={"type": "date"}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "service_uploaded_on": forms.DateInput(attrs={"type": "date"}),
            "talking_points": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT}),
        }
        help_texts = {
            "eras_letter_id": "From the Letter Request Form you make in MyERAS for this letter. "
            "The email and packet give it to your recommender for the ERAS Letter Writer Portal.",
            "service_uploaded_on": "When your recommender uploaded the letter to ERAS, "
            "ResidencyCAS or CaRMS (each service shows it on your application there). It ticks a "
            "letter on the checklist of each application.",
            "due_on": "Leave it empty to use the suggestion: a week before the earliest deadline "
            "of the chosen applications.",
            "waived": "Programs give more weight to letters the applicant has not read. Once "
            "an upload link is made or the request is emailed, this cannot change.",
        }

    def __init__(self, *args, student, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommender"].queryset = Recommender.objects.for_student(student)
        self.fields["recommender"].empty_label = None
        self.fields["applications"].queryset = (
            Application.objects.for_student(student)
            .with_program()
            .exclude(status__in=Application.CLOSED)
            .order_by("deadline", "pk")
        )
        self.fields["applications"].label_from_instance = _application_label
        if self.instance.pk:
            self.initial.setdefault("applications", list(self.instance.applications.all()))
        # From the stored row, never from anything posted: the status is the student's to edit,
        # the fixed terms are not (services.request_save checks again under a lock).
        self.terms_fixed = self.instance.pk is not None and (
            LetterRequest.objects.filter(pk=self.instance.pk, terms_fixed_at__isnull=False).exists()
        )
        if self.terms_fixed:
            # Disabled fields keep the stored value whatever is posted.
            for name in ("waived", "recommender"):
                self.fields[name].disabled = True
            self.fields[
                "waived"
            ].help_text = (
                "Fixed: the recommender was given these terms with the upload link or email."
            )
            self.fields["recommender"].help_text = (
                "Fixed: the letter is asked of this person. To ask someone else, make a new "
                "request."
            )

    def clean_talking_points(self):
        return _limit(self.cleaned_data["talking_points"], "talking_points")

    def clean_eras_letter_id(self):
        letter_id = self.cleaned_data["eras_letter_id"].strip()
        if letter_id and not LETTER_ID.match(letter_id):
            raise forms.ValidationError(
                "ERAS Letter ID: letters, digits and hyphens only, as printed on the Letter "
                "Request Form."
            )
        return letter_id

    def clean(self):
        data = super().clean()
        asked_on, due_on = data.get("asked_on"), data.get("due_on")
        if asked_on and due_on and due_on < asked_on:
            self.add_error("due_on", "The due date is before the date asked.")
        uploaded_on = data.get("service_uploaded_on")
        if uploaded_on and uploaded_on > timezone.localdate():
            self.add_error(
                "service_uploaded_on",
                "uploaded to ERAS / ResidencyCAS / CaRMS on: that date is in the future; record "
                "it once the service shows the letter.",
            )
        applications = data.get("applications")
        if applications and data.get("status") != LetterRequest.Status.DECLINED:
            for problem in over_limit(list(applications), self.instance):
                self.add_error("applications", problem)
        return data


def _application_label(application) -> str:
    program = application.program
    day = application.deadline
    deadline = f"deadline {day.day} {day:%b %Y}" if day else "deadline unknown"
    return f"{program.title} — {program.institution.name} ({deadline})"


def _limit(text: str, field: str) -> str:
    if len(text) > MAX_TEXT:
        raise forms.ValidationError(
            f"At most {MAX_TEXT:,} characters; this is {len(text):,}. Shorten it and save again."
        )
    return text


class UploadForm(forms.Form):
    # Empty files are let through to check_pdf, whose message says what to do.
    letter = forms.FileField(
        allow_empty_file=True,
        label="The letter, as a PDF",
        help_text="At most 5 MB. Until the due date you can upload a new version to replace it.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class ServiceUploadForm(forms.Form):
    """The request page's "uploaded to ERAS" record: the date the service shows the letter."""

    uploaded_on = BoundedDateField(
        label="Uploaded on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date ERAS, ResidencyCAS or CaRMS shows the letter as received.",
    )

    def clean_uploaded_on(self):
        day = self.cleaned_data["uploaded_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                "Uploaded on: that date is in the future; record it once the service shows the "
                "letter."
            )
        return day
