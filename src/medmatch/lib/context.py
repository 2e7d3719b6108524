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
    current = request.resolver_match.namespace if request.resolver_match else ""
    nav = [
        {"label": label, "url": url, "current": url_name.split(":")[0] == current}
        for url_name, label, url in _nav_items()
    ]
    return {"debug": settings.DEBUG, "nav": nav}
