"""Personal access tokens for the JSON API (``/api/v1/``).

A token is shown once, when it is made; only its SHA-256 hash is stored (``lib.tokens``: 256
random bits, so a plain hash is as safe as a slow one), with its first characters to recognise it
by. Each token carries scopes, read or write per area of the API; a write scope includes reading.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from medmatch.lib import tokens
from medmatch.lib.models import OwnedQuerySet
from medmatch.lib.models import iso_or_none as _iso

TOKEN_PREFIX = "mm_"
PREFIX_SHOWN = 10  # "mm_" and seven characters of the secret: enough to tell tokens apart

# The areas of the API a token may be scoped to, in the order the token form lists them.
AREAS = {
    "catalog": "Catalog (programs and hospitals)",
    "goals": "Goals and recommendations",
    "research": "Shortlist, contacts, conversations and open questions",
    "applications": "Applications, their checklists, CV entries and personal statements",
    "interviews": "Interviews and practice attempts",
    "letters": "Recommenders and letter requests (never a waived letter)",
    "match": "Your rank order lists (replace and certify them)",
    "program": "Your programs' side: inbox, submissions, reviews, decisions, program rank lists",
    "account": "Your whole account as one archive (GET /export; never a waived letter)",
}
READ, WRITE = "read", "write"
# The API changes nothing in these areas.
READ_ONLY_AREAS = frozenset({"catalog", "account"})
SCOPES = [
    f"{area}:{access}"
    for area in AREAS
    for access in (READ, WRITE)
    if not (access == WRITE and area in READ_ONLY_AREAS)
]


class AccessTokenQuerySet(OwnedQuerySet):
    owner_path = "user"

    def active(self, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=PREFIX_SHOWN)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_secret() -> str:
        return TOKEN_PREFIX + tokens.new_token()

    @staticmethod
    def hash(secret: str) -> str:
        return tokens.hash_token(secret)

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def state(self, now: datetime.datetime | None = None) -> str:
        """ "active", "expired" or "revoked", for the token list."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > now else "expired"

    def allows(self, area: str, access: str) -> bool:
        """A write scope includes reading its area."""
        if access == READ:
            return f"{area}:{READ}" in self.scopes or f"{area}:{WRITE}" in self.scopes
        return f"{area}:{access}" in self.scopes

    def scope_labels(self) -> list[str]:
        return [scope.replace(":", " ") for scope in SCOPES if scope in self.scopes]

    def to_export(self) -> dict:
        # Never the hash: an export is a file people pass around.
        return {
            "name": self.name,
            "prefix": self.prefix,
            "scopes": list(self.scopes),
            "expires_at": _iso(self.expires_at),
            "created_at": _iso(self.created_at),
            "last_used_at": _iso(self.last_used_at),
            "revoked_at": _iso(self.revoked_at),
        }
