"""Extension points of the applications app: apps above it (letters, interviews) add to its pages
without applications importing them.

An app registers a provider in its ``AppConfig.ready``; the page calls every registered one.

* ``register_dashboard_panel`` — what the "next steps" dashboard shows beside the applications'
  own steps (letters: late and at-risk letter requests).
* The deadline calendar's events: ``applications.calendar.register_event_provider`` (interviews).
"""

import datetime
from collections.abc import Callable
from typing import Any

# A panel is called as ``panel(user, today)`` and returns template context for
# ``applications/dashboard.html``, merged after the page's own context in the order registered.
DashboardPanel = Callable[[Any, datetime.date], dict]

_dashboard_panels: list[DashboardPanel] = []


def register_dashboard_panel(panel: DashboardPanel) -> None:
    """Add a panel to the next-steps dashboard (called from an ``AppConfig.ready``)."""
    if panel not in _dashboard_panels:
        _dashboard_panels.append(panel)


def dashboard_context(user, on: datetime.date) -> dict:
    """Every registered panel's context for this student's dashboard, merged (later wins)."""
    context: dict = {}
    for panel in _dashboard_panels:
        context.update(panel(user, on))
    return context
