"""The form of a program review. Every error message starts with the field's name."""

from django import forms

from medmatch.lib.forms import bounded_formfield
from medmatch.research.forms.common import limit_length
from medmatch.research.models import REVIEW_ASPECTS, Review

MAX_REVIEW_LENGTH = 5000


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        formfield_callback = bounded_formfield
        fields = ["relation", *(aspect.value for aspect in REVIEW_ASPECTS), "text"]
        labels = {
            "relation": "Your relation to the program",
            "workload": "Workload (5 = sustainable)",
            "text": "Your review",
        }
        help_texts = {
            "relation": "Stated on your review. Staff may verify it, e.g. by your work email.",
            "text": "What should a future applicant know? Staff read each review before it shows.",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "relation": {"required": "relation: how do you know this program?"},
            "text": {"required": "text: write a few sentences."},
            **{
                aspect.value: {"required": f"{aspect.value}: rate it 1\u20135."}
                for aspect in REVIEW_ASPECTS
            },
        }

    def clean_text(self):
        return limit_length(self.cleaned_data["text"], "text", MAX_REVIEW_LENGTH)
