"""The one-time link that confirms a sign-up's email address."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """Valid for PASSWORD_RESET_TIMEOUT; used once, because confirming changes the hashed state."""

    key_salt = "medmatch.accounts.tokens.SignupTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return (
            f"{user.pk}{user.password}{user.email}{user.email_confirmed}{user.is_active}{timestamp}"
        )


signup_token_generator = SignupTokenGenerator()
