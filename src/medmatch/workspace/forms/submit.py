"""Forms of the submit area: the program's intake and questions (staff), and the student's
submission (profile, statement, letters, answers, documents)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from medmatch.applications.models import Statement
from medmatch.letters.models import LetterRequest
from medmatch.letters.uploads import UploadError, check_pdf
from medmatch.lib.forms import (
    BoundedIntegerField,
    IdsMultipleChoiceField,
    bounded_formfield,
    one_line,
    parse_id,
)
from medmatch.workspace.models import MAX_LETTERS, Document, Intake, IntakeQuestion
from medmatch.workspace.submitting import DocumentFile

# ---- staff: listing upkeep ----------------------------------------------------------------------


class IntakeForm(forms.ModelForm):
    letters_required = BoundedIntegerField(
        label="Letters required",
        min_value=1,
        max_value=MAX_LETTERS,
        help_text=f"1 to {MAX_LETTERS}. Applicants assign at least this many and at most "
        f"{MAX_LETTERS}; a letter may arrive after the application (as in ERAS).",
    )
    documents = forms.MultipleChoiceField(
        label="Required documents",
        choices=Document.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each is attached as a PDF by the applicant, beside the CV, statement and "
        "letters medmatch already sends.",
    )

    class Meta:
        model = Intake
        fields = [
            "is_open",
            "opens_on",
            "deadline",
            "rank_deadline",
            "letters_required",
            "requires_statement",
            "documents",
            "uses_signals",
            "instructions",
        ]
        formfield_callback = bounded_formfield
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "rank_deadline": forms.DateInput(attrs={"type": "date"}),
            "instructions": forms.Textarea(attrs={"rows": 5, "maxlength": 4000}),
        }
        help_texts = {
            "is_open": "Students see \u201cSubmit in medmatch\u201d on their board while this is "
            "on and today is between the opening and the deadline.",
            "deadline": "Leave it empty for rolling applications (open until you turn it off).",
            "rank_deadline": "Students may withdraw until this day (included).",
            "uses_signals": "Applicants say whether they send you a preference signal.",
        }

    def clean_documents(self):
        # In the order the choices list them, once each.
        chosen = set(self.cleaned_data["documents"])
        return [value for value in Document.values if value in chosen]

    def clean(self):
        data = super().clean()
        opens_on, deadline = data.get("opens_on"), data.get("deadline")
        rank_deadline = data.get("rank_deadline")
        if opens_on and deadline and opens_on > deadline:
            self.add_error("deadline", "Application deadline: it is before the opening day.")
        if deadline and rank_deadline and rank_deadline < deadline:
            self.add_error(
                "rank_deadline", "Rank list deadline: it is before the application deadline."
            )
        return data


class QuestionForm(forms.ModelForm):
    max_words = BoundedIntegerField(
        label="Word limit", min_value=10, max_value=2000, initial=300, help_text="10 to 2,000."
    )

    class Meta:
        model = IntakeQuestion
        fields = ["text", "required", "max_words"]
        labels = {"text": "Question", "required": "An answer is required"}

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        one_line("Question")(text)
        if not text:
            raise ValidationError("Question: write the question.")
        return text


class QuestionMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])

    @property
    def step(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1


class QuestionRetireForm(forms.Form):
    retired = forms.TypedChoiceField(
        choices=[("1", "Retire"), ("0", "Ask again")], coerce=lambda value: value == "1"
    )


# ---- the student's submission ---------------------------------------------------------------

VISA_CHOICES = [
    ("", "I prefer not to say"),
    ("yes", "Yes, I will need a visa"),
    ("no", "No visa needed"),
]


def count_words(text: str) -> int:
    return len(text.split())


class StatementChoiceField(forms.ModelChoiceField):
    """A statement of the student's by id; a value that is no id (10^20, "1x") is refused before
    it reaches the query."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(str(value)) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, statement):
        kind = "for this program" if statement.application_id else "general"
        return f"{statement.title} ({kind}, {count_words(statement.current_body())} words)"


class LetterChoiceField(IdsMultipleChoiceField):
    def label_from_instance(self, request):
        letter = request.letter_or_none
        arrived = "arrived" if letter is not None else "not arrived yet"
        waived = "waived" if request.confidential else "not waived"
        return f"{request.recommender.name} ({arrived}; {waived})"


class SubmitForm(forms.Form):
    """Everything the student sends: built for one application, its intake and questions, and the
    previous version (whose documents may be kept)."""

    full_name = forms.CharField(label="Full name", max_length=150, validators=[one_line("Name")])
    email = forms.EmailField(label="Email", max_length=254)
    school = forms.CharField(
        label="Medical school", max_length=200, required=False, validators=[one_line("School")]
    )
    graduation_year = BoundedIntegerField(
        label="Graduation year",
        min_value=1950,
        max_value=2100,
        error_messages={"invalid": "Graduation year: write the year with digits 0-9."},
    )
    needs_visa = forms.ChoiceField(
        label="Will you need a visa to train here?", choices=VISA_CHOICES, required=False
    )
    specialty_interest = forms.CharField(
        label="Specialty interest",
        max_length=120,
        required=False,
        validators=[one_line("Specialty interest")],
    )
    statement = StatementChoiceField(
        label="Personal statement", queryset=Statement.objects.none(), required=False
    )
    letters = LetterChoiceField(
        label="Letters for this program",
        queryset=LetterRequest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, application, intake, questions, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application, self.intake, self.previous = application, intake, previous
        self.questions = list(questions)
        student = application.student
        statements = Statement.objects.for_student(student).filter(
            Q(application=application) | Q(application__isnull=True)
        )
        self.fields["statement"].queryset = statements.order_by("application", "-updated_at")
        self.fields["statement"].required = intake.requires_statement
        self.fields["letters"].queryset = (
            LetterRequest.objects.for_student(student)
            .exclude(status=LetterRequest.Status.DECLINED)
            .select_related("recommender", "letter")
            .order_by("pk")
        )
        self.fields["letters"].help_text = (
            f"At least {intake.letters_required}, at most {MAX_LETTERS}. A letter that has not "
            "arrived yet goes to the program when it arrives."
        )
        if intake.uses_signals:
            self.fields["signal"] = forms.BooleanField(
                label="I send this program a preference signal", required=False
            )
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.text,
                required=question.required,
                # A word is at least two characters with its space: a hard bound on the text.
                max_length=question.max_words * 20,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=f"At most {question.max_words} words"
                + ("" if question.required else " (optional)")
                + ".",
            )
        kept = (
            {document.kind: document for document in previous.documents.all()} if previous else {}
        )
        self.kept = kept
        for kind in intake.documents:
            label = Document(kind).label if kind in Document.values else kind
            self.fields[f"document_{kind}"] = forms.FileField(
                label=f"{label} (PDF)",
                required=kind not in kept,
                widget=forms.FileInput(attrs={"accept": "application/pdf"}),
                help_text="Leave empty to send the file of your last version again."
                if kind in kept
                else "A PDF of at most 5 MB.",
            )
        if previous is not None:
            self.fields["note"] = forms.CharField(
                label="What changed",
                max_length=300,
                validators=[one_line("What changed")],
                help_text="The program sees this beside the new version.",
            )

    def answer_fields(self):
        return [self[f"answer_{question.pk}"] for question in self.questions]

    def document_fields(self):
        return [self[f"document_{kind}"] for kind in self.intake.documents]

    def profile_fields(self):
        names = ["full_name", "email", "school", "graduation_year", "needs_visa"]
        names += ["specialty_interest"] + (["signal"] if self.intake.uses_signals else [])
        return [self[name] for name in names]

    def clean(self):
        data = super().clean()
        for question in self.questions:
            name = f"answer_{question.pk}"
            answer = data.get(name) or ""
            if count_words(answer) > question.max_words:
                self.add_error(
                    name,
                    f"{question.text[:60]}: {count_words(answer)} words; the limit is "
                    f"{question.max_words}.",
                )
        letters = data.get("letters")
        if letters is not None and not (
            self.intake.letters_required <= len(letters) <= MAX_LETTERS
        ):
            self.add_error(
                "letters",
                f"Letters: you chose {len(letters)}; choose at least "
                f"{self.intake.letters_required} and at most {MAX_LETTERS}.",
            )
        statement = data.get("statement")
        if statement is not None and not statement.current_body().strip():
            self.add_error("statement", "Personal statement: this one has no text yet.")
        for kind in self.intake.documents:
            name = f"document_{kind}"
            upload = data.get(name)
            if upload:
                try:
                    self.cleaned_data[f"{name}_sha256"] = check_pdf(upload)
                except UploadError as error:
                    self.add_error(name, _document_message(str(error)))
        return data

    def submission_values(self) -> dict:
        """The keyword arguments of ``submitting.submission_submit`` (but the application and
        the day) from the valid form."""
        return {
            "profile": self.profile(),
            "statement": self.cleaned_data["statement"],
            "letter_requests": list(self.cleaned_data["letters"]),
            "answers": self.answers(),
            "documents": self.documents(),
            "signal": bool(self.cleaned_data.get("signal")),
            "note": self.cleaned_data.get("note", ""),
            "expected_version": self.previous.number if self.previous else 0,
        }

    def profile(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["full_name"],
            "email": data["email"],
            "school": data["school"],
            "graduation_year": data["graduation_year"],
            "needs_visa": {"yes": True, "no": False}.get(data["needs_visa"]),
            "specialty_interest": data["specialty_interest"],
            "signal": bool(data.get("signal")),
        }

    def answers(self) -> list[dict]:
        return [
            {
                "question_id": question.pk,
                "question": question.text,
                "answer": self.cleaned_data.get(f"answer_{question.pk}", "").strip(),
            }
            for question in self.questions
        ]

    def documents(self) -> list[DocumentFile]:
        files = []
        for kind in self.intake.documents:
            upload = self.cleaned_data.get(f"document_{kind}")
            if upload:
                sha256 = self.cleaned_data[f"document_{kind}_sha256"]
                files.append(DocumentFile(kind=kind, upload=upload, sha256=sha256))
            else:
                files.append(DocumentFile(kind=kind, kept=self.kept[kind]))
        return files


def _document_message(message: str) -> str:
    # letters.uploads speaks of "the letter"; here the file is one of the program's documents.
    return (
        message.replace("A letter is the letter alone", "A document is the document alone")
        .replace("the letter", "the document")
        .replace("in a letter", "in a document")
        .replace("letters can be", "documents can be")
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="I withdraw this application; I understand it cannot be sent to this program again."
    )
