"""Validators shared by forms across the apps.

Names end up in email headers, PDF titles and file names. A carriage return or line feed in a
name ("Eve\\r\\nBcc: ...") would make Django refuse the email (``BadHeaderError``) or, in other
software, inject a header — so single-line text fields refuse control characters at the form, and
code that sends mail also cleans what older rows may still hold (``single_line``).
"""

import unicodedata

from django.core.exceptions import ValidationError


def control_characters(text: str) -> list[str]:
    """The distinct control characters in ``text`` (Unicode category Cc: tabs, CR, LF, NUL, ...)."""
    return sorted({ch for ch in text if unicodedata.category(ch) == "Cc"})


def validate_single_line(value: str) -> None:
    """Refuse control characters (line breaks, tabs, NUL) in a one-line field such as a name."""
    found = control_characters(value or "")
    if found:
        shown = ", ".join(repr(ch).strip("'") for ch in found)
        raise ValidationError(
            "Use a single line of text without control characters (found: %(found)s).",
            code="control_characters",
            params={"found": shown},
        )


def single_line(value: str) -> str:
    """``value`` with every run of control characters replaced by one space, then stripped.

    For text that was stored before the form refused control characters and now goes into an
    email header or subject.
    """
    out: list[str] = []
    for ch in value or "":
        if unicodedata.category(ch) == "Cc":
            if out and out[-1] != " ":
                out.append(" ")
        else:
            out.append(ch)
    return "".join(out).strip()
