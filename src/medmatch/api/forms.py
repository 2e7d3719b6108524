import datetime

from django import forms
from django.conf import settings
from django.http import QueryDict

from medmatch.api.models import AREAS, READ, SCOPES
from medmatch.lib.forms import BoundedIntegerField
from medmatch.lib.validators import validate_single_line


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        validators=[validate_single_line],
        help_text="What the token is for, e.g. “my deadline spreadsheet”.",
        error_messages={"required": "name: give the token a name."},
    )
    scopes = forms.MultipleChoiceField(
        label="What it may do",
        choices=[
            (scope, f"{AREAS[area]}: {'read' if access == READ else 'read and change'}")
            for scope in SCOPES
            for area, access in [scope.split(":")]
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "scopes: choose at least one thing the token may do.",
            "invalid_choice": "scopes: “%(value)s” is not a scope.",
        },
    )
    expires_in_days = BoundedIntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=365,
        initial=90,
        help_text="1 to 365 days.",
        error_messages={"invalid": "expires_in_days: a whole number of days, 1 to 365."},
    )

    def clean_expires_in_days(self):
        days = self.cleaned_data["expires_in_days"]
        if days > settings.API_TOKEN_MAX_DAYS:
            raise forms.ValidationError(
                f"expires_in_days: at most {settings.API_TOKEN_MAX_DAYS} days on this server."
            )
        return days

    def clean_scopes(self):
        return [scope for scope in SCOPES if scope in self.cleaned_data["scopes"]]


def form_data(values: dict, prefix: str | None = None) -> QueryDict:
    """A JSON body's values as a page form's POST data, so an endpoint runs the page's own form:
    None is an empty field, a date its ISO form, a boolean the checkbox's "on" or absence."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        key = f"{prefix}-{name}" if prefix else name
        if value is False:
            continue  # an unticked checkbox is not sent
        if value is None:
            data[key] = ""
        elif value is True:
            data[key] = "on"
        elif isinstance(value, datetime.date):
            data[key] = value.isoformat()
        else:
            data[key] = str(value)
    return data


def patched(current: dict, payload, *, clearable=()) -> dict:
    """A PATCH's values: ``current`` with each field the client sent. A null keeps the current
    value, except for the ``clearable`` fields (optional dates and links), where it clears it.
    Fields of the payload that are not in ``current`` (handled by the caller) are left out."""
    values = dict(current)
    for name, value in payload.model_dump(exclude_unset=True).items():
        if name in values and (value is not None or name in clearable):
            values[name] = value
    return values
