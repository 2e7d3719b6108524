import re
import unicodedata

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q

from medmatch.accounts.emails import mail_allowed
from medmatch.accounts.models import EcfmgStatus, LicensingExams, User
from medmatch.lib.client_ip import client_ip
from medmatch.lib.forms import TimeZoneField, one_line
from medmatch.lib.validators import control_characters

NAME_HELP = {
    "full_name": "As it should appear on your CV and to the people writing your letters, in any "
    "script and order (e.g. Kim Min-jun, José María Pérez García).",
    "preferred_name": "What medmatch should call you, if not your full name.",
}
# Digits as people write phone numbers: +1 (312) 555-0100, 0044 20 7946 0958, 555.0100 ext 12.
PHONE = re.compile(r"\A\+?[0-9][0-9 ()./-]{3,30}(?: ?(?:ext\.?|x) ?[0-9]{1,6})?\Z")
ADDRESS_LINES = 6


def _add_one_line_validators(form, names) -> None:
    for name in names:
        field = form.fields[name]
        field.validators.append(one_line(str(field.label)))


class LoginForm(AuthenticationForm):
    """Django's log-in form sets the username's max_length after the field is built, so the length
    is never checked and a 300-character name reached authenticate() — and django-axes, whose
    attempt row holds 255 (a database error on PostgreSQL). Check it here, before authenticating."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class SignupForm(UserCreationForm):
    """A new account is always a student's; staff give coordinator and administrator roles.

    A taken username is reported (names are unique and shown to nobody), a taken email address is
    not: the sign-up service writes to that address instead."""

    class Meta:
        model = User
        fields = ["username", "email", "full_name", "preferred_name"]
        help_texts = {
            "username": "Letters, digits and @ . + - _ only. Shown to nobody but you.",
            "full_name": NAME_HELP["full_name"] + " Optional now; you can add it later.",
            "preferred_name": NAME_HELP["preferred_name"],
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _add_one_line_validators(self, ["full_name", "preferred_name"])

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"].strip())

    def validate_unique(self):
        exclude = self._get_validation_exclusions() | {"email"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


class ProfileForm(forms.ModelForm):
    """The student's name and the contact block of their CV (account page)."""

    class Meta:
        model = User
        fields = [
            "full_name",
            "preferred_name",
            "phone",
            "postal_address",
            "licensing_exams",
            "licensing_exam_status",
            "ecfmg_status",
            "ecfmg_details",
            "time_zone",
        ]
        field_classes = {"time_zone": TimeZoneField}
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 3, "maxlength": 300})}
        help_texts = {
            **NAME_HELP,
            "phone": "With the country code if you apply abroad, e.g. +1 312 555 0100.",
            "postal_address": f"Up to {ADDRESS_LINES} lines.",
            "licensing_exam_status": "e.g. Step 1 Pass (2024); Step 2 CK 245 (2025).",
            "ecfmg_status": "For graduates of medical schools outside the US and Canada.",
            "ecfmg_details": "e.g. certified 12 May 2025, or OET passed, Step 2 CK pending.",
            "time_zone": "Where you live, e.g. Europe/Berlin: interview slots show in it as well "
            "as in the program's zone. Empty: not said.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _add_one_line_validators(
            self,
            ["full_name", "preferred_name", "phone", "licensing_exam_status", "ecfmg_details"],
        )
        self.fields["licensing_exams"].choices = [("", "Not said"), *LicensingExams.choices]
        self.fields["ecfmg_status"].choices = [("", "Not said"), *EcfmgStatus.choices]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not (phone.isascii() and PHONE.match(phone)):
            raise forms.ValidationError(
                "phone: use digits with spaces, + ( ) . - and an optional ext, e.g. "
                "+1 312 555 0100."
            )
        return phone

    def clean_postal_address(self):
        address = self.cleaned_data["postal_address"]
        lines = [line.strip() for line in address.splitlines()]
        if set(control_characters("".join(lines))):
            raise forms.ValidationError("postal address: remove the tabs or control characters.")
        lines = [line for line in lines if line]
        if len(lines) > ADDRESS_LINES:
            raise forms.ValidationError(
                f"postal address: at most {ADDRESS_LINES} lines; this has {len(lines)}."
            )
        return "\n".join(lines)


class ConfirmSignupForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="The password you chose when you signed up.",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "password: not the one chosen at sign-up. Forgot it? Reset it below."
            )
        return password


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, but an address or a client past its hourly limit of account emails is
    sent nothing, with the same page as always; and an account still awaiting its sign-up
    confirmation can reset too (the reset proves the address, which confirms it)."""

    def get_users(self, email):
        # The shared demo account's password never changes: it gets no reset link.
        candidates = User._default_manager.filter(email__iexact=email, is_demo=False).filter(
            Q(is_active=True) | Q(email_confirmed=False)
        )
        wanted = _caseless(email)
        return (
            user
            for user in candidates
            if user.has_usable_password() and _caseless(user.email) == wanted
        )

    def save(self, *args, request=None, **kwargs):
        address = client_ip(request) if request is not None else None
        if not mail_allowed(email=self.cleaned_data["email"], address=address):
            return
        super().save(*args, request=request, **kwargs)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type your password to confirm. This cannot be undone.",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


def _caseless(text: str) -> str:
    # As Django's reset form compares: iexact in SQL is not Unicode-aware on every database.
    return unicodedata.normalize("NFKC", text).casefold()


class ImportArchiveForm(forms.Form):
    """An account archive (the zip from "Download my archive") to restore into this account."""

    archive = forms.FileField(
        label="Account archive (.zip)",
        help_text="The zip another medmatch server gave you. At most 50 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/zip,.zip"}),
        error_messages={"required": "archive: choose the .zip file to import."},
    )

    def clean_archive(self) -> bytes:
        from medmatch.accounts.archive import MAX_ARCHIVE_BYTES

        upload = self.cleaned_data["archive"]
        if upload.size > MAX_ARCHIVE_BYTES:
            raise forms.ValidationError(
                f"archive: at most {MAX_ARCHIVE_BYTES // (1024 * 1024)} MB; this file is "
                f"{upload.size / (1024 * 1024):.1f} MB."
            )
        upload.seek(0)
        return upload.read()
