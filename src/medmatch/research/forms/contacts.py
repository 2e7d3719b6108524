"""Forms for contacts and conversations with their insights. Every error message starts with the
field's name."""

import datetime

from django import forms

from medmatch.catalog.models import Institution, Program
from medmatch.lib.forms import IdField, bounded_formfield, clean_one_line
from medmatch.research.forms.common import MAX_NOTE_LENGTH, limit_length
from medmatch.research.models import RATING_CHOICES, Aspect, Contact, Conversation, Insight

RATING_SELECT = [("", "No insight"), *RATING_CHOICES]


class ContactForm(forms.ModelForm):
    """Program and institution are picked from the student's own shortlist and applications (and
    the program the page came from): the catalog is far too long for a select."""

    class Meta:
        model = Contact
        formfield_callback = bounded_formfield
        fields = ["name", "role", "program", "institution", "how_met", "email", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "how_met": "e.g. “alumni panel, October”, “introduced by Dr Lee”.",
            "notes": "Only you can see your contacts.",
            "institution": "When they are not tied to one program.",
        }
        error_messages = {
            "name": {"required": "name: who did you talk to?"},
            "email": {"invalid": "email: not an email address."},
            "program": {"invalid_choice": "program: pick one of your programs."},
            "institution": {"invalid_choice": "institution: pick one of your programs' hospitals."},
        }

    def __init__(self, *args, student, extra_program: Program | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = set(
            Program.objects.filter(shortlist_items__student=student).values_list("pk", flat=True)
        )
        ids |= set(
            Program.objects.filter(applications__student=student).values_list("pk", flat=True)
        )
        if extra_program is not None:
            ids.add(extra_program.pk)
        if self.instance.program_id:
            ids.add(self.instance.program_id)
        programs = Program.objects.filter(pk__in=ids).select_related("institution")
        self.fields["program"].queryset = programs.order_by("title", "institution__name")
        self.fields["program"].label_from_instance = lambda p: f"{p.title} — {p.institution.name}"
        institutions = Institution.objects.filter(programs__in=ids)
        if self.instance.institution_id:
            institutions = institutions | Institution.objects.filter(
                pk=self.instance.institution_id
            )
        self.fields["institution"].queryset = institutions.distinct().order_by("name")

    def clean_name(self):
        return clean_one_line("name", self.cleaned_data["name"])

    def clean_how_met(self):
        return clean_one_line("how_met", self.cleaned_data["how_met"])

    def clean_notes(self):
        return limit_length(self.cleaned_data["notes"], "notes")

    def clean(self):
        cleaned = super().clean()
        program, institution = cleaned.get("program"), cleaned.get("institution")
        if program and institution and program.institution_id != institution.pk:
            self.add_error(
                "institution",
                "institution: leave it empty, or pick the program's own "
                f"({program.institution.name}).",
            )
        return cleaned


class ConversationForm(forms.ModelForm):
    """A conversation and, per aspect, an optional insight: rating, confidence and a note."""

    class Meta:
        model = Conversation
        formfield_callback = bounded_formfield
        fields = ["date", "channel", "summary", "follow_up_on", "follow_up_done"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "follow_up_on": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"follow_up_done": "Follow-up done"}
        help_texts = {"follow_up_on": "A reminder shows on your contacts page from this date."}
        error_messages = {
            "date": {
                "required": "date: when did you talk?",
                "invalid": "date: not a date.",
                "out_of_range": "date: %(value)s is not between 1900 and 2100; check the year.",
            },
            "follow_up_on": {
                "invalid": "follow up on: not a date.",
                "out_of_range": (
                    "follow up on: %(value)s is not between 1900 and 2100; check the year."
                ),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["date"].initial = datetime.date.today()
        existing = {i.aspect: i for i in self.instance.insights.all()} if self.instance.pk else {}
        for aspect in Aspect:
            insight = existing.get(aspect.value)
            self.fields[f"{aspect.value}_rating"] = forms.TypedChoiceField(
                label="Rating",
                choices=RATING_SELECT,
                coerce=int,
                empty_value=None,
                required=False,
                initial=insight.rating if insight else "",
                error_messages={"invalid_choice": f"{aspect.value} rating: must be 1\u20135."},
            )
            self.fields[f"{aspect.value}_confidence"] = forms.ChoiceField(
                label="How sure",
                choices=Insight.Confidence.choices,
                initial=insight.confidence if insight else Insight.Confidence.MEDIUM,
                required=False,
            )
            self.fields[f"{aspect.value}_note"] = forms.CharField(
                label="What they said",
                required=False,
                initial=insight.note if insight else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def aspect_groups(self):
        """(aspect label, rating, confidence, note) bound fields, for the template."""
        return [
            (
                aspect.value,
                aspect.label,
                self[f"{aspect.value}_rating"],
                self[f"{aspect.value}_confidence"],
                self[f"{aspect.value}_note"],
            )
            for aspect in Aspect
        ]

    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def clean_summary(self):
        return limit_length(self.cleaned_data["summary"], "summary")

    def clean(self):
        cleaned = super().clean()
        for aspect in Aspect:
            note = (cleaned.get(f"{aspect.value}_note") or "").strip()
            if len(note) > MAX_NOTE_LENGTH:
                self.add_error(f"{aspect.value}_note", f"{aspect.value} note: too long.")
            if note and cleaned.get(f"{aspect.value}_rating") is None:
                self.add_error(
                    f"{aspect.value}_rating",
                    f"{aspect.value} rating: rate it 1\u20135 with the note, or clear the note.",
                )
        return cleaned

    def insights(self) -> dict[str, dict]:
        out = {}
        for aspect in Aspect:
            rating = self.cleaned_data.get(f"{aspect.value}_rating")
            if rating is not None:
                out[aspect.value] = {
                    "rating": rating,
                    "confidence": self.cleaned_data.get(f"{aspect.value}_confidence")
                    or Insight.Confidence.MEDIUM,
                    "note": (self.cleaned_data.get(f"{aspect.value}_note") or "").strip(),
                }
        return out

    def conversation_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContactStartForm(forms.Form):
    """``/research/contacts/add/?program=<id>``: the program a new contact is at, from a program's
    page. An id that names no program (or is not an id) just leaves the choice to the student."""

    program = IdField(required=False)

    def program_or_none(self) -> Program | None:
        number = self.cleaned_data.get("program") if self.is_valid() else None
        return Program.objects.filter(pk=number).first() if number else None
