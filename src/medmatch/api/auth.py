"""Who is asking: a personal access token (``Authorization: Bearer mm_…``) or the site's own
session (with Django's CSRF check on unsafe methods, as ninja's ``SessionAuth`` does).

A token is looked up by its hash; a revoked, expired or unknown token is a 401 at once (a
session cookie sent beside it does not rescue it). Its scopes are checked against the area of the
endpoint and the method: a safe method reads, anything else writes (403 without the scope). Each
token has a fixed-window budget of requests (``API_TOKEN_REQUESTS`` per
``API_TOKEN_WINDOW_SECONDS``); beyond it a 429 says when to retry. Session requests are the site's
own pages and are not counted per token.
"""

import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import timezone
from ninja.errors import AuthenticationError, AuthorizationError, Throttled
from ninja.security import HttpBearer, SessionAuth

from medmatch.api.models import READ, TOKEN_PREFIX, WRITE, AccessToken
from medmatch.api.services import access_token_used

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_TOKEN_LENGTH = 200


def _count_and_wait(token: AccessToken) -> int:
    """Count one request of ``token`` in the current fixed window; 0 while within the budget,
    else the seconds until the window ends."""
    window = max(1, settings.API_TOKEN_WINDOW_SECONDS)
    now = time.time()
    start = int(now // window) * window
    key = f"api-token:{token.pk}:{start}"
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the window's key expired between add and incr
            cache.add(key, 1, timeout=window + 1)
            count = 1
    if count <= settings.API_TOKEN_REQUESTS:
        return 0
    return max(1, int(start + window - now + 0.999))


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mm_…``, with a scope for ``area``."""

    def __init__(self, area: str):
        self.area = area
        super().__init__()

    def authenticate(self, request, token: str):
        token = token.strip()
        if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN_LENGTH:
            raise AuthenticationError(message="This is not a medmatch token (they start “mm_”).")
        digest = AccessToken.hash(token)
        found = AccessToken.objects.select_related("user").filter(token_hash=digest).first()
        now = timezone.now()
        if found is None or not found.user.is_active:
            raise AuthenticationError(message="Unknown token.")
        if found.revoked_at is not None:
            raise AuthenticationError(message="This token was revoked.")
        if found.expires_at <= now:
            raise AuthenticationError(message="This token has expired.")
        wait = _count_and_wait(found)
        if wait:
            raise Throttled(wait=wait)
        access = READ if request.method in SAFE_METHODS else WRITE
        if not found.allows(self.area, access):
            raise AuthorizationError(
                message=f"This token may not {access} “{self.area}” (scope {self.area}:{access})."
            )
        access_token_used(token=found, now=now)
        request.user = found.user
        request.access_token = found
        return found.user


class SiteSession(SessionAuth):
    """The logged-in session of the site's own pages; unsafe methods need the CSRF token."""

    def __call__(self, request):
        # Nobody logged in: a 401 (no token, no session), not the CSRF check's 403.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        request.access_token = None
        return super().authenticate(request, key)


def anyone(request):
    """The public catalog: with no token and no session, an anonymous visitor may read."""
    request.access_token = None
    return AnonymousUser()


def student_auth(area: str) -> list:
    return [TokenAuth(area), SiteSession()]


def public_auth(area: str) -> list:
    return [TokenAuth(area), SiteSession(), anyone]
