"""Shared fixtures. Browser tests (tests/browser) add their own in tests/browser/conftest.py."""

import os

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside one
# unless told it is safe (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.personas import alice, bob, carol, dave, outsiders  # noqa: F401
