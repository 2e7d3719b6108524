"""``validate_single_line`` in the forms' own voice: every form message starts with the field's
name, so a message read alone (in a summary, or by a screen reader) still says what to fix."""

from django.core.exceptions import ValidationError

from medmatch.lib.validators import validate_single_line


def one_line(name: str):
    """A validator for a one-line field (a name, a title, a place): refuses line breaks, tabs and
    other control characters with a message that starts with ``name``."""

    def validate(value: str) -> None:
        try:
            validate_single_line(value)
        except ValidationError as error:
            message = error.messages[0]
            raise ValidationError(
                f"{name}: {message[:1].lower()}{message[1:]}", code="control_characters"
            ) from error

    return validate


def clean_one_line(name: str, value: str) -> str:
    """``value`` when it is one line; for a ModelForm's ``clean_<field>``."""
    one_line(name)(value)
    return value
