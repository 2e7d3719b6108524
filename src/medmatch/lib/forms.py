"""Form fields that refuse hostile input with a message instead of letting it reach the database,
date arithmetic or a native library.

Django's own fields accept more than the rest of the code can take: ``IntegerField`` reads
Arabic-Indic or full-width digits as a number and has no upper bound unless told, so 10^20
reaches the database (SQLite and PostgreSQL stop at 2^63 - 1); ``DateField`` takes 9999-12-31,
one day before ``date.max``, where adding a day or converting to UTC overflows. Every query
parameter and form field that holds a number, a date or a time zone goes through one of these:

- ``BoundedIntegerField``: ASCII digits only, within -2^63..2^63-1 unless given narrower bounds;
- ``IdField``: an object id, 1..2^63-1;
- ``BoundedDateField`` / ``BoundedDateTimeField``: ASCII digits, 1900-01-01..2100-12-31;
- ``TimeZoneField``: a name from the IANA list (``zoneinfo.available_timezones()``).

``bounded_formfield`` is a ModelForm ``formfield_callback`` that gives a model's date, datetime
and integer fields these form fields; ``parse_id`` reads one id where a view takes a list of them
(``?p=1&p=2``).
"""

import datetime
import zoneinfo
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from medmatch.lib.validators import validate_single_line

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
MAX_INT = 2**63 - 1
MIN_INT = -(2**63)


def parse_id(raw: str) -> int | None:
    """The object id written in ``raw`` (ASCII digits, 1..2^63-1), or None when it is not one."""
    text = raw.strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_INT else None


def _refuse_non_ascii(field: forms.Field, value) -> None:
    # "\u00b2".isdigit() is True (and int() refuses it); int() reads Arabic-Indic and full-width
    # digits as numbers: only 0-9 are digits here.
    # The field's own "invalid" message is used, which in medmatch's forms names the field.
    if isinstance(value, str) and not value.isascii():
        raise ValidationError(field.error_messages["invalid"], code="invalid")


class BoundedIntegerField(forms.IntegerField):
    """An integer typed with the digits 0-9, within a 64-bit integer unless narrower bounds are
    given."""

    def __init__(self, *, min_value=MIN_INT, max_value=MAX_INT, **kwargs):
        min_value = MIN_INT if min_value is None else max(min_value, MIN_INT)
        max_value = MAX_INT if max_value is None else min(max_value, MAX_INT)
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        _refuse_non_ascii(self, value)
        return super().to_python(value)


class IdField(BoundedIntegerField):
    """An object's id: 1..2^63-1 (an id outside it names nothing and would overflow a query)."""

    default_error_messages = {"invalid": "Not a number of one of your things (use 0-9)."}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_INT)
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)


class _DateRange:
    """Shared by the date and datetime fields: ASCII input, a date within MIN_DATE..MAX_DATE.
    A form names its field in ``error_messages={"out_of_range": ...}``."""

    default_error_messages = {
        "out_of_range": (
            f"%(value)s is not between {MIN_DATE.year} and {MAX_DATE.year}; check the year."
        ),
    }

    def to_python(self, value):
        _refuse_non_ascii(self, value)
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        day = value.date() if isinstance(value, datetime.datetime) else value
        if not MIN_DATE <= day <= MAX_DATE:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"value": day.isoformat()},
            )


class BoundedDateField(_DateRange, forms.DateField):
    pass


class BoundedDateTimeField(_DateRange, forms.DateTimeField):
    pass


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone_name(name: str) -> None:
    """Refuse anything but an IANA zone name ("America" is a directory, not a zone)."""
    if name not in time_zone_names():
        raise ValidationError(
            f"time_zone: “{name[:60]}” is not a known time zone; use a name such as "
            "America/New_York or Europe/London.",
            code="invalid",
        )


class TimeZoneField(forms.CharField):
    """An IANA time zone name, typed (with a datalist of the names in the page) or chosen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).strip()

    def validate(self, value):
        super().validate(value)
        if value not in self.empty_values:
            validate_time_zone_name(value)


def bounded_formfield(model_field, **kwargs):
    """A ModelForm ``formfield_callback``: the model's dates, datetimes and integers get the
    bounded form fields above (integers keep the database's range, and only 0-9 count)."""
    if isinstance(model_field, models.DateTimeField):
        return model_field.formfield(form_class=BoundedDateTimeField, **kwargs)
    if isinstance(model_field, models.DateField):
        return model_field.formfield(form_class=BoundedDateField, **kwargs)
    if isinstance(model_field, models.IntegerField) and not model_field.choices:
        return model_field.formfield(form_class=BoundedIntegerField, **kwargs)
    return model_field.formfield(**kwargs)


class IdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """``ModelMultipleChoiceField`` that refuses a value which is not an id (1..2^63-1) before
    it reaches ``pk__in``: the database driver raises OverflowError for 10^20, not a "no match"."""

    def _check_values(self, value):
        for raw in value:
            if parse_id(str(raw)) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(raw)[:40]},
                )
        return super()._check_values(value)


def optional_id(data, name: str) -> int | None:
    """The id in query parameter ``name`` (``?recommender=3``) through an ``IdField``, or None
    when it is missing or not an id: for a parameter that only preselects a choice."""
    form = forms.Form(data)
    form.fields[name] = IdField(required=False)
    return form.cleaned_data.get(name) if form.is_valid() else None


# --- one-line text: validate_single_line in the forms' own voice ---------------------------------
# Every message starts with the field's name, so a message read alone (in a summary, or by a
# screen reader) still says what to fix.


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
