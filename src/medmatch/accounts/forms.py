from django import forms
from django.contrib.auth.forms import UserCreationForm

from medmatch.accounts.models import User


class SignupForm(UserCreationForm):
    """A new account is always a student's; staff give coordinator and administrator roles."""

    class Meta:
        model = User
        fields = ["username", "email"]
        help_texts = {"username": "Letters, digits and @ . + - _ only. Shown to nobody but you."}

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


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
