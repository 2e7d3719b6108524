"""Forms for the shortlist. Every error message starts with the field's name, so a message read
alone (in a summary, or by a screen reader) still says what to fix."""

import re

from django import forms

from medmatch.lib.forms import BoundedIntegerField, parse_id
from medmatch.research.forms.common import MAX_NOTE_LENGTH
from medmatch.research.models import RATING_CHOICES, ShortlistItem

MAX_TAGS = 12
MAX_TAG_LENGTH = 40
MAX_COMPARED = 4
_SPACES = re.compile(r"\s+")
RATING_ERROR = "rating: must be 1\u20135"  # an en dash between 1 and 5


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags, trimmed, lowercased and each kept once, in the order typed."""
    names: list[str] = []
    for raw in text.split(","):
        name = _SPACES.sub(" ", raw).strip().lower()
        if name and name not in names:
            names.append(name)
    return names


class ShortlistItemForm(forms.Form):
    note = forms.CharField(
        label="Your note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you learned, what to ask, how it felt. Only you can see it.",
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        help_text="Separate tags with commas, e.g. “reach, near family”.",
    )
    rating = BoundedIntegerField(
        label="Your rating",
        required=False,
        widget=forms.Select(choices=[("", "Not rated yet"), *RATING_CHOICES]),
        error_messages={
            "invalid": RATING_ERROR,
            "min_value": RATING_ERROR,
            "max_value": RATING_ERROR,
        },
        min_value=1,
        max_value=5,
    )

    @classmethod
    def for_item(cls, item: ShortlistItem, data=None) -> "ShortlistItemForm":
        initial = {
            "note": item.note,
            "tags": ", ".join(item.tag_names),
            "rating": item.rating,
        }
        form = cls(data, initial=initial, prefix=f"item-{item.pk}")
        return form

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if len(note) > MAX_NOTE_LENGTH:
            raise forms.ValidationError(
                f"note: at most {MAX_NOTE_LENGTH:,} characters (this one has {len(note):,})."
            )
        return note

    def clean_tags(self):
        names = parse_tags(self.cleaned_data["tags"])
        too_long = [name for name in names if len(name) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"tags: “{too_long[0][:20]}…” is longer than {MAX_TAG_LENGTH} characters."
            )
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(f"tags: at most {MAX_TAGS} tags (you gave {len(names)}).")
        return names


class ShortlistFilterForm(forms.Form):
    """The shortlist page's GET filters. A bad value is named and the default used instead."""

    tag = forms.CharField(label="Tag", required=False, max_length=MAX_TAG_LENGTH)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=ShortlistItem.Sort.choices,
        error_messages={"invalid_choice": "sort: must be one of added, rating, name."},
    )

    def __init__(self, data=None, *, tag_names=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["tag"].widget = forms.Select(
            choices=[("", "All tags"), *((name, name) for name in tag_names)]
        )

    def clean_tag(self):
        return self.cleaned_data["tag"].strip().lower()

    def value(self, name: str, default: str = "") -> str:
        """The cleaned value, or ``default`` when it is missing or invalid."""
        self.is_valid()
        return self.cleaned_data.get(name) or default

    def error_lines(self) -> list[str]:
        return [message for messages in self.errors.values() for message in messages]


def parse_compare_ids(values: list[str]) -> tuple[list[int], list[str]]:
    """Distinct shortlist item ids from ``?item=`` values, and the problems with them.

    More than MAX_COMPARED is a problem, not a silent cut: the student chooses which to drop.
    """
    problems: list[str] = []
    ids: list[int] = []
    for raw in values:
        number = parse_id(raw)
        if number is None:
            problems.append(f"item: “{raw[:20]}” is not a shortlist item number.")
        elif number not in ids:
            ids.append(number)
    if len(ids) > MAX_COMPARED:
        problems.append(
            f"item: you can compare at most {MAX_COMPARED} programs side by side; you chose "
            f"{len(ids)}. Untick {len(ids) - MAX_COMPARED} and compare again."
        )
    return ids, problems
