"""Warm a web worker before it takes its first request.

Measured on the full catalog (issue 12), a fresh process answered its first ``/goals/`` in about
1.5-2.5 s and its first search near a ZIP code in 1.1-1.7 s, against 0.03-0.1 s for the second:
the first request paid for work every later one reuses —

- Django imports the URL map, and with it every view module, on the first request it resolves
  (the letters portal imports pypdf: about 0.6-1.1 s);
- the fit engine builds its catalog features (four queries over every program, then the arrays:
  about 1.1 s) on the first page that ranks;
- the ``zipcodes`` package loads its table on its first look-up (about 0.3 s), and the city names
  build their index on the first city search;
- each template is compiled on its first render.

``warm_up()`` does each of these once, in the worker, before it serves anyone: ``medmatch.wsgi``
calls it after ``django.setup()``, so both gunicorn's workers (which import the application after
the fork) and the development server start warm. AppConfig.ready() would be too early: the
database must not be used there. A step that fails (say, before the first ``migrate``) is logged
and skipped: warming must never stop the site from starting.
"""

import logging
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)


def _url_map() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  imports medmatch.urls and every view module


def _fit_features() -> None:
    from medmatch.goals.fitting import catalog_features

    catalog_features()


def _places() -> None:
    from medmatch.lib.geo import city_to_place, zip_to_place

    zip_to_place("10032")  # loads the ZIP table
    city_to_place("Boston, MA")  # builds the city-name index


def _catalog_forms() -> None:
    from medmatch.catalog.search import country_choices
    from medmatch.lib.forms import time_zone_names

    country_choices()
    time_zone_names()


def _templates() -> None:
    from django.template.loader import get_template

    for name in (
        "base.html",
        "home.html",
        "catalog/program_list.html",
        "goals/recommendations.html",
    ):
        get_template(name)


STEPS: tuple[tuple[str, Callable[[], None]], ...] = (
    ("URL map and views", _url_map),
    ("fit engine's catalog features", _fit_features),
    ("ZIP codes and city names", _places),
    ("countries and time zones", _catalog_forms),
    ("templates", _templates),
)


def warm_up() -> dict[str, float]:
    """Run every step once; returns {step: seconds} of those that succeeded."""
    from django.db import connections

    took = {}
    for name, step in STEPS:
        started = time.perf_counter()
        try:
            step()
        except Exception:  # a cold worker is better than none
            logger.warning("warm-up: %s failed; it will be built on first use", name, exc_info=True)
            continue
        took[name] = time.perf_counter() - started
    # The queries ran outside a request: give the connection back rather than hold it idle in a
    # thread that never serves (the development server answers in other threads).
    connections.close_all()
    logger.info(
        "warm-up: %s", ", ".join(f"{name} {seconds:.2f} s" for name, seconds in took.items())
    )
    return took
