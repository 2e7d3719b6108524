"""Writes of personal access tokens: make one (its secret returned once), revoke one, record use."""

import datetime

from django.db import transaction
from django.utils import timezone

from medmatch.api.models import PREFIX_SHOWN, AccessToken


@transaction.atomic
def access_token_create(
    *, user, name: str, scopes: list[str], expires_in_days: int
) -> tuple[AccessToken, str]:
    """A new token for ``user``; returns it and its secret, which is stored nowhere."""
    secret = AccessToken.new_secret()
    now = timezone.now()
    token = AccessToken.objects.create(
        user=user,
        name=name,
        token_hash=AccessToken.hash(secret),
        prefix=secret[:PREFIX_SHOWN],
        scopes=sorted(set(scopes)),
        created_at=now,
        expires_at=now + datetime.timedelta(days=expires_in_days),
    )
    return token, secret


def access_token_revoke(*, token: AccessToken) -> bool:
    """Revoke ``token``; False when it was revoked already."""
    updated = AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return bool(updated)


def access_token_used(*, token: AccessToken, now: datetime.datetime) -> None:
    """Record a use; written at most once a minute per token, so reads stay reads."""
    if token.last_used_at is None or now - token.last_used_at >= datetime.timedelta(minutes=1):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
