"""Fixed-window counters in Django's cache, for things that must not be repeated without limit
(emails a form sends to an address anyone can type in)."""

import hashlib

from django.core.cache import cache


def count_and_allow(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one use of ``key`` in ``scope``; True while the uses in the current window (which
    starts at the first use) are at most ``limit``. The key is hashed: it may be an email address.
    """
    digest = hashlib.sha256(key.encode()).hexdigest()
    cache_key = f"throttle:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window ended between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
