"""A one-line form field refuses control characters with a message that names the field."""

import pytest
from django.core.exceptions import ValidationError

from medmatch.lib.forms import clean_one_line, one_line


def test_it_names_the_field_in_the_message():
    with pytest.raises(ValidationError) as error:
        one_line("name")("Eve\r\nBcc: x@example.org")
    assert error.value.messages == [
        "name: use a single line of text without control characters (found: \\n, \\r)."
    ]
    assert error.value.code == "control_characters"


def test_it_returns_a_single_line_unchanged():
    assert clean_one_line("name", "Dr. María José O'Neil") == "Dr. María José O'Neil"
