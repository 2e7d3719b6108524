import unicodedata

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q

from medmatch.accounts.emails import mail_allowed
from medmatch.accounts.models import User
from medmatch.lib.client_ip import client_ip


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
        fields = ["username", "email"]
        help_texts = {"username": "Letters, digits and @ . + - _ only. Shown to nobody but you."}

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"].strip())

    def validate_unique(self):
        exclude = self._get_validation_exclusions() | {"email"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


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
