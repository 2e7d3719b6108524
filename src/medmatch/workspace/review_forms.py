"""Forms of the program's review: the inbox's filters (a GET form), bulk and single decisions,
a reviewer's scores, and the rubric. Every number is bounded and typed with 0-9 only."""

from django import forms

from medmatch.lib.forms import BoundedIntegerField, IdsMultipleChoiceField, one_line
from medmatch.workspace.models import HolisticFlag, RubricCriterion, Submission
from medmatch.workspace.review_selectors import SORTS, specialty_interest_choices
from medmatch.workspace.review_services import review_save

PAGE_SIZE = 50
MAX_PAGE = 10_000  # 500,000 submissions: past any program's inbox
MIN_YEAR, MAX_YEAR = 1950, 2100
# A bulk action takes the rows of one page; a little slack for a page that grew meanwhile.
MAX_BULK = 200

_ANY = [("", "Any")]
DECISION_FILTER = [("undecided", "Not decided"), *Submission.Decision.choices[1:]]
REVIEWED_FILTER = [
    ("me", "Reviewed by me"),
    ("not_me", "Not reviewed by me yet"),
    ("nobody", "Not reviewed by anyone"),
]
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")]
# "clear" is the form's word for "no decision" (an empty value would read as "nothing chosen").
ACTIONS = [
    ("invite", "Invite"),
    ("hold", "Hold"),
    ("decline", "Decline"),
    ("clear", "Clear the decision"),
]


def decision_of(action: str) -> str:
    return "" if action == "clear" else action


class InboxForm(forms.Form):
    """The inbox's filters and sort, read from the query string; an error names its field."""

    specialty = forms.ChoiceField(label="Specialty interest", required=False)
    visa = forms.ChoiceField(label="Needs a visa", required=False, choices=_ANY + YES_NO_UNKNOWN)
    year_from = BoundedIntegerField(
        label="Graduation year from", required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    year_to = BoundedIntegerField(
        label="Graduation year to", required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    signal = forms.ChoiceField(
        label="Sent a signal", required=False, choices=[*_ANY, ("yes", "Yes"), ("no", "No")]
    )
    decision = forms.ChoiceField(label="Decision", required=False, choices=_ANY + DECISION_FILTER)
    reviewed = forms.ChoiceField(label="Reviews", required=False, choices=_ANY + REVIEWED_FILTER)
    flag = forms.ChoiceField(
        label="Holistic flag", required=False, choices=_ANY + HolisticFlag.choices
    )
    withdrawn = forms.BooleanField(label="Show withdrawn applications", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, label) for key, (label, _) in SORTS.items()],
    )
    page = BoundedIntegerField(
        required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput
    )

    def __init__(self, data=None, *, program, uses_signals: bool, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["specialty"].choices = _ANY + specialty_interest_choices(program)
        if not uses_signals:
            del self.fields["signal"]

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("year_from"), cleaned.get("year_to")
        if low is not None and high is not None and low > high:
            self.add_error("year_to", "Graduation year to: it comes before “from”.")
        return cleaned

    def error_lines(self) -> list[str]:
        return [
            f"{self.fields[name].label}: {message}" if name in self.fields else message
            for name, messages in self.errors.items()
            for message in messages
        ]


class BulkDecisionForm(forms.Form):
    """The rows ticked in the inbox (of this program only) and what to decide for them."""

    action = forms.ChoiceField(label="Decision for the selected applications", choices=ACTIONS)
    submissions = IdsMultipleChoiceField(
        queryset=Submission.objects.none(), error_messages={"required": "Tick at least one row."}
    )

    def __init__(self, data=None, *, program, **kwargs):
        super().__init__(data, **kwargs)
        if self.is_bound:  # the inbox shows an unbound one on every page; it never reads rows
            self.fields["submissions"].queryset = Submission.objects.filter(program=program)

    def clean_submissions(self):
        chosen = self.cleaned_data["submissions"]
        if len(self.data.getlist("submissions")) > MAX_BULK:
            raise forms.ValidationError(f"At most {MAX_BULK} applications at a time.")
        return chosen


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label="Decision", choices=ACTIONS)


class ReviewForm(forms.Form):
    """One reviewer's review: a score for each active criterion (1..its maximum; blank = not
    scored), holistic flags and a private note."""

    flags = forms.MultipleChoiceField(
        label="Holistic flags",
        required=False,
        choices=HolisticFlag.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label="Private note (the program's staff only)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, data=None, *, criteria, **kwargs):
        super().__init__(data, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[self.score_name(criterion)] = BoundedIntegerField(
                label=criterion.name,
                required=False,
                min_value=1,
                max_value=criterion.max_score,
                help_text=f"1 to {criterion.max_score}, weight {criterion.weight}"
                + (f". {criterion.description}" if criterion.description else ""),
                error_messages={"invalid": f"{criterion.name}: a whole number, 0-9."},
            )

    @staticmethod
    def score_name(criterion) -> str:
        return f"score_{criterion.pk}"

    @classmethod
    def initial_for(cls, review, criteria) -> dict:
        if review is None:
            return {}
        initial = {"flags": review.flags, "note": review.note}
        for criterion in criteria:
            initial[cls.score_name(criterion)] = review.scores.get(str(criterion.pk))
        return initial

    def score_fields(self):
        return [self[self.score_name(criterion)] for criterion in self.criteria]

    def scores(self) -> dict:
        return {
            str(criterion.pk): self.cleaned_data.get(self.score_name(criterion))
            for criterion in self.criteria
        }

    def save(self, *, submission, reviewer):
        """Save this valid form as ``reviewer``'s review of ``submission`` (the staff page and
        the API's review write both come here)."""
        return review_save(
            submission=submission,
            reviewer=reviewer,
            scores=self.scores(),
            flags=self.cleaned_data["flags"],
            note=self.cleaned_data["note"],
        )


class CriterionForm(forms.ModelForm):
    max_score = BoundedIntegerField(label="Highest score (2-10)", min_value=2, max_value=10)
    weight = BoundedIntegerField(label="Weight (1-10)", min_value=1, max_value=10)

    class Meta:
        model = RubricCriterion
        fields = ["name", "description", "max_score", "weight"]

    def __init__(self, *args, scored: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.scored = scored
        self.fields["name"].validators.append(one_line("Name"))
        self.fields["description"].validators.append(one_line("Description"))
        if scored:
            self.fields["max_score"].help_text = (
                "Reviewers have scored this criterion, so its highest score stays; retire it and "
                "add a new one to score on another scale."
            )

    def clean_max_score(self):
        value = self.cleaned_data["max_score"]
        if self.scored and value != self.instance.max_score:
            raise forms.ValidationError(
                "Highest score: reviewers have scored this criterion out of "
                f"{self.instance.max_score}; retire it and add a new one instead."
            )
        return value


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class RetireForm(forms.Form):
    retired = forms.TypedChoiceField(
        choices=[("1", "Retire"), ("0", "Bring back")], coerce=lambda value: value == "1"
    )
