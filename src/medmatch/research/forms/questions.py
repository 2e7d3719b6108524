"""The form that answers an open question. Every error message starts with the field's name."""

from django import forms

from medmatch.research.forms.common import limit_length
from medmatch.research.models import OpenQuestion
from medmatch.research.questions import FACTS

FLAG_LABELS = {
    "mentorship": "Is there a mentorship structure?",
    "research": "Are there research opportunities?",
}


class AnswerForm(forms.Form):
    """The answer to one open question: words, and for a fact the typed value that counts in the
    fit score."""

    answer = forms.CharField(
        label="Answer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What you learned, and from whom.",
    )

    def __init__(self, *args, question: OpenQuestion, **kwargs):
        prefix = f"q{question.pk}"
        super().__init__(*args, prefix=prefix, **kwargs)
        self.question = question
        self.fact = FACTS.get(question.fact_key)
        self.fields["answer"].initial = question.answer
        currency = question.program.currency or "USD"
        # The recorded typed answer in words ("45,000 USD a year"), for the page.
        self.shown_value = self.fact.show(question.typed_value, currency) if self.fact else ""
        fact = self.fact
        if fact is None or fact.kind == "text":
            return
        currency = question.program.currency or "USD"
        label = (
            f"{fact.label} ({fact.unit.replace('{currency}', currency)})"
            if fact.unit
            else fact.label
        )
        if fact.kind == "number":
            field = forms.FloatField(
                label=label,
                required=False,
                min_value=fact.low,
                max_value=fact.high,
                error_messages={
                    "invalid": f"{fact.key}: must be a number.",
                    "min_value": f"{fact.key}: must be at least {fact.low:g}.",
                    "max_value": f"{fact.key}: must be at most {fact.high:g}.",
                },
            )
            initial = question.answer_number
        elif fact.kind == "flag":
            field = forms.TypedChoiceField(
                label=FLAG_LABELS.get(fact.key, fact.label),
                choices=[("", "Not sure"), ("yes", "Yes"), ("no", "No")],
                coerce=lambda v: v == "yes",
                empty_value=None,
                required=False,
            )
            flag = question.answer_flag
            initial = "" if flag is None else ("yes" if flag else "no")
        else:
            field = forms.ChoiceField(
                label=label, choices=[("", "Not sure"), *fact.choices], required=False
            )
            initial = question.answer_choice
        field.help_text = "Counts in your fit score as your own information."
        field.initial = initial
        self.fields["value"] = field

    def clean_answer(self):
        return limit_length(self.cleaned_data["answer"], "answer")

    def clean(self):
        cleaned = super().clean()
        value = cleaned.get("value")
        if not cleaned.get("answer") and value in (None, ""):
            raise forms.ValidationError("answer: write what you learned, or choose a value.")
        return cleaned

    def value(self):
        value = self.cleaned_data.get("value")
        return None if value == "" else value
