"""The emails that anyone can make medmatch send by typing an address into a form (sign-up,
password reset), and the hourly limit on them: per address, so nobody's inbox can be flooded, and
per client, so one visitor cannot mail many addresses. Past a limit nothing is sent and the page
looks the same, so the limit reveals nothing either."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from medmatch.accounts.models import User
from medmatch.accounts.tokens import signup_token_generator
from medmatch.lib.throttle import count_and_allow

HOUR = 60 * 60


def mail_allowed(*, email: str, address: str | None) -> bool:
    """Count one account email to ``email`` asked for from client ``address``; False past either
    limit (both counters always count, so cycling addresses still reaches the client's limit)."""
    per_address = count_and_allow(
        "account-mail-address",
        email.strip().casefold(),
        limit=settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR,
        window_seconds=HOUR,
    )
    per_client = count_and_allow(
        "account-mail-client",
        address or "unknown",
        limit=settings.ACCOUNT_EMAILS_PER_CLIENT_PER_HOUR,
        window_seconds=HOUR,
    )
    return per_address and per_client


def _send(user: User, template: str, context: dict) -> None:
    context = {"user": user, **context}
    subject = render_to_string(f"accounts/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/{template}_email.txt", context)
    send_mail(subject, body, None, [user.email])


def _link(base_url: str, name: str, user: User, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return base_url.rstrip("/") + reverse(name, kwargs={"uidb64": uid, "token": token})


def send_signup_confirmation(user: User, *, base_url: str) -> None:
    token = signup_token_generator.make_token(user)
    link = _link(base_url, "accounts:signup_confirm", user, token)
    _send(user, "signup_confirm", {"link": link})


def send_signup_notice(user: User, *, base_url: str) -> None:
    """To the owner of an address someone tried to sign up with again."""
    context = {
        "login_url": base_url.rstrip("/") + reverse("accounts:login"),
        "reset_url": base_url.rstrip("/") + reverse("accounts:password_reset"),
        "confirm_link": "",
    }
    if user.awaits_confirmation:  # their own first sign-up, perhaps: a fresh link
        token = signup_token_generator.make_token(user)
        context["confirm_link"] = _link(base_url, "accounts:signup_confirm", user, token)
    _send(user, "signup_taken", context)
