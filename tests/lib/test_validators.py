"""Single-line fields refuse control characters; stored text is cleaned before a header."""

import pytest
from django.core.exceptions import ValidationError

from medmatch.lib.validators import single_line, validate_single_line


@pytest.mark.parametrize("value", ["Eve\r\nBcc: a@example.org", "Dr\tNo", "A\x00B", "x\x7f"])
def test_it_refuses_control_characters(value):
    with pytest.raises(ValidationError) as error:
        validate_single_line(value)
    assert error.value.code == "control_characters"


@pytest.mark.parametrize("value", ["", "Dr. María José O'Neil-Ngũgĩ", "李 小龙", "Zoë (she/her)"])
def test_it_accepts_names_in_any_script(value):
    validate_single_line(value)


def test_it_turns_stored_control_characters_into_single_spaces():
    assert single_line(" Eve\r\nBcc: a@example.org\n") == "Eve Bcc: a@example.org"
    assert single_line("plain") == "plain"
