"""How often the recommenders' upload portal may be used: a fixed window counted in Django's
cache, per client address and per token. Each use of the portal writes a line to a request's
access log (or the server's log); without a limit anybody could fill them.

The counts live in the default cache, a table in the database (settings.CACHES), so every
app-server process and server shares them.
"""

import ipaddress
import time

from django.core.cache import cache

from medmatch.letters import conf
from medmatch.lib import tokens


def _clock() -> float:
    return time.time()


def _count(key: str, window: int) -> int:
    # add() sets the key only if it is missing; incr() is atomic in every cache backend that
    # can be shared (and under the local-memory cache's lock).
    cache.add(key, 0, timeout=window * 2)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window * 2)
        return 1


def portal_allowed(*, address: str, token: str) -> bool:
    """Count this use of the portal; False when the address or the token has had its share of
    the current window already."""
    window = conf.get("LETTERS_PORTAL_WINDOW_SECONDS")
    slot = int(_clock() // window)
    try:
        address = str(ipaddress.ip_address(address))
    except ValueError:  # no address (or not one): all such clients share one count
        address = "unknown"
    # The token's hash, not the token: cache keys may end up in a shared cache's logs.
    by_token = tokens.hash_token(token or "")
    counts = [
        (_count(f"letters:portal:address:{address}:{slot}", window), "LETTERS_PORTAL_PER_ADDRESS"),
        (_count(f"letters:portal:token:{by_token}:{slot}", window), "LETTERS_PORTAL_PER_TOKEN"),
    ]
    return all(count <= conf.get(limit) for count, limit in counts)
