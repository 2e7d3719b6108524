"""Secret URL tokens (calendar feeds, recommenders' upload links): only their hash is stored."""

import hashlib
import secrets


def new_token() -> str:
    """256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # The token is 256 random bits, so a plain SHA-256 (indexable, compared by a unique lookup)
    # is as safe as a slow password hash.
    return hashlib.sha256(token.encode()).hexdigest()
