"""The bounded form fields every query parameter and form field goes through (lib/forms)."""

import datetime

import pytest
from django import forms

from medmatch.lib.forms import (
    MAX_INT,
    BoundedDateField,
    BoundedDateTimeField,
    BoundedIntegerField,
    IdField,
    TimeZoneField,
    parse_id,
)

SUPERSCRIPT_TWO = "\u00b2"
ARABIC_INDIC_TEN = "\u0661\u0660"
FULL_WIDTH_TEN = "\uff11\uff10"


def errors(field: forms.Field, value) -> list[str]:
    try:
        field.clean(value)
    except forms.ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(
    "raw", [SUPERSCRIPT_TWO, ARABIC_INDIC_TEN, FULL_WIDTH_TEN, "0", "-1", "", "abc", " ", "1.5"]
)
def test_it_reads_no_id_from_anything_but_ascii_digits_from_one_up(raw):
    assert parse_id(raw) is None


def test_it_reads_ids_up_to_the_largest_64_bit_integer():
    assert parse_id(" 42 ") == 42
    assert parse_id(str(MAX_INT)) == MAX_INT
    assert parse_id(str(MAX_INT + 1)) is None
    assert parse_id("99999999999999999999") is None


@pytest.mark.parametrize("raw", [SUPERSCRIPT_TWO, ARABIC_INDIC_TEN, FULL_WIDTH_TEN])
def test_it_refuses_digits_of_other_scripts_with_the_fields_own_message(raw):
    field = BoundedIntegerField(error_messages={"invalid": "radius: a whole number of km."})
    assert errors(field, raw) == ["radius: a whole number of km."]


def test_it_keeps_an_integer_within_64_bits_unless_told_narrower():
    assert errors(BoundedIntegerField(), str(MAX_INT)) == []
    assert errors(BoundedIntegerField(), str(MAX_INT + 1))
    assert errors(BoundedIntegerField(), str(-(2**63) - 1))
    assert errors(BoundedIntegerField(min_value=1, max_value=5), "6")


def test_it_takes_ids_from_one_to_the_largest_64_bit_integer():
    assert IdField().clean("7") == 7
    assert errors(IdField(), "0")
    assert errors(IdField(), str(2**63))


@pytest.mark.parametrize("field_class", [BoundedDateField, BoundedDateTimeField])
@pytest.mark.parametrize("raw", ["9999-12-31", "1899-12-31", "2101-01-01", "0001-01-01"])
def test_it_refuses_dates_outside_1900_to_2100(field_class, raw):
    field = field_class(error_messages={"out_of_range": "deadline: %(value)s is too far off."})
    assert errors(field, raw) == [f"deadline: {raw} is too far off."]


def test_it_accepts_dates_at_both_bounds():
    assert BoundedDateField().clean("1900-01-01") == datetime.date(1900, 1, 1)
    assert BoundedDateField().clean("2100-12-31") == datetime.date(2100, 12, 31)
    assert BoundedDateTimeField().clean("2100-12-31T23:59").date() == datetime.date(2100, 12, 31)


def test_it_refuses_a_date_in_other_scripts_digits():
    arabic_year = "\u0662\u0660\u0662\u0665-01-01"  # 2025 in Arabic-Indic digits
    assert errors(BoundedDateField(), arabic_year) == ["Enter a valid date."]


@pytest.mark.parametrize("raw", ["America", "x" * 300, "Mars/Olympus", "../etc/passwd", "\x00"])
def test_it_takes_only_iana_time_zone_names(raw):
    assert errors(TimeZoneField(), raw)


def test_it_takes_an_iana_time_zone_name():
    assert TimeZoneField().clean(" Etc/GMT+12 ") == "Etc/GMT+12"
    assert TimeZoneField().clean("America/New_York") == "America/New_York"
