"""Template context shared by every page.

Each app plugs its pages into the main navigation by giving its AppConfig a ``nav_items`` list of
``(url name, label)`` pairs; the layout shows them in INSTALLED_APPS order. An app whose pages are
open to anonymous visitors says so with ``nav_public = True``; the others' items appear only to
people who are logged in (they would only lead a visitor to the log-in page). An item given as
``(url name, label, roles)`` appears only to users whose ``role`` is one of ``roles`` (the program
workspace for coordinators): the role is on the user row already loaded, so no query per page.
"""

from functools import cache

from django.apps import apps
from django.conf import settings
from django.urls import reverse


@cache
def _nav_items() -> tuple[tuple[str, str, bool, tuple[str, ...] | None], ...]:
    items = []
    for config in apps.get_app_configs():
        public = getattr(config, "nav_public", False)
        for url_name, label, *roles in getattr(config, "nav_items", ()):
            items.append((reverse(url_name), label, public, tuple(roles[0]) if roles else None))
    return tuple(items)


# The layout's own links, by name: reversed once (each ``{% url %}`` reversed again on every page).
LAYOUT_URLS = {
    "home": "home",
    "admin": "admin:index",
    "cycles": "cycles:cycles",
    "account": "accounts:account",
    "logout": "accounts:logout",
    "login": "accounts:login",
    "signup": "accounts:signup",
    "sources": "catalog:sources",
}


@cache
def _layout_urls() -> dict[str, str]:
    return {key: reverse(name) for key, name in LAYOUT_URLS.items()}


def site(request):
    user = getattr(request, "user", None)
    logged_in = bool(user and user.is_authenticated)
    role = getattr(user, "role", None) if logged_in else None
    items = [
        (url, label)
        for url, label, public, roles in _nav_items()
        if (public or logged_in) and (roles is None or role in roles)
    ]
    # An item is current on its own page and the pages below it (/catalog/programs/12/); when two
    # items contain the page (/goals/ and /goals/questionnaire/), the more specific one wins.
    containing = [url for url, _ in items if request.path.startswith(url)]
    current = max(containing, key=len, default=None)
    nav = [{"label": label, "url": url, "current": url == current} for url, label in items]
    # With no mail server configured, emails (sign-up and reset links) go to the server's terminal.
    emails_printed = settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    return {
        "debug": settings.DEBUG,
        "nav": nav,
        "layout_urls": _layout_urls(),
        "emails_printed": emails_printed,
    }
