"""What the research forms share: the length limit of free text, with an error message that starts
with the field's name, so a message read alone (in a summary, or by a screen reader) still says
what to fix."""

from django import forms

MAX_NOTE_LENGTH = 5000


def limit_length(text: str, name: str, limit: int = MAX_NOTE_LENGTH) -> str:
    text = text.strip()
    if len(text) > limit:
        raise forms.ValidationError(
            f"{name}: at most {limit:,} characters (this has {len(text):,})."
        )
    return text
