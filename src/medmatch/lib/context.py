"""Template context shared by every page.

Each app plugs its pages into the main navigation by giving its AppConfig a ``nav_items`` list of
``(url name, label)`` pairs; the layout shows them in INSTALLED_APPS order.
"""

from functools import cache

from django.apps import apps
from django.conf import settings
from django.urls import reverse


@cache
def _nav_items() -> tuple[tuple[str, str, str], ...]:
    items = []
    for config in apps.get_app_configs():
        for url_name, label in getattr(config, "nav_items", ()):
            items.append((url_name, label, reverse(url_name)))
    return tuple(items)


def site(request):
    # An item is current on its own page and the pages below it (/catalog/programs/12/); when two
    # items contain the page (/goals/ and /goals/questionnaire/), the more specific one wins.
    items = _nav_items()
    containing = [url for _, _, url in items if request.path.startswith(url)]
    current = max(containing, key=len, default=None)
    nav = [{"label": label, "url": url, "current": url == current} for _, label, url in items]
    return {"debug": settings.DEBUG, "nav": nav}
