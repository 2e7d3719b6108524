"""Extension points of the applications app: apps above it (letters, interviews) add to its pages
without applications importing them.

An app registers a provider in its ``AppConfig.ready``; the page calls every registered one.

* ``register_dashboard_panel`` — what the "next steps" dashboard shows beside the applications'
  own steps (letters: late and at-risk letter requests).
* ``register_application_panel`` — links and states beside each application on the board and
  its page (workspace: "Submit in medmatch" where the program takes applications here, and the
  submission's state once sent).
* ``register_withdrawal`` — what else moving an application to "Withdrawn" withdraws (workspace:
  the application sent to the program in medmatch), so the board asks first and then does it.
* The deadline calendar's events: ``applications.calendar.register_event_provider`` (interviews).
"""

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class ApplicationLink:
    """One link a higher app shows with an application: ``label`` and ``url``, with an optional
    ``note`` (a state, e.g. "version 2 sent on 3 Dec") and ``primary`` for the main action."""

    label: str
    url: str
    note: str = ""
    primary: bool = False


# A panel is called as ``panel(user, applications, today)`` with the applications shown on the
# page (the student's own) and returns {application id: [ApplicationLink, ...]}: once per page,
# not once per card.
ApplicationPanel = Callable[[Any, Sequence, datetime.date], dict[int, list[ApplicationLink]]]

_application_panels: list[ApplicationPanel] = []


def register_application_panel(panel: ApplicationPanel) -> None:
    """Add links to the board's cards and the application page (called from ``ready``)."""
    if panel not in _application_panels:
        _application_panels.append(panel)


def application_links(user, applications, on: datetime.date) -> dict[int, list[ApplicationLink]]:
    """Every registered panel's links for these applications, in the order registered."""
    links: dict[int, list[ApplicationLink]] = {}
    applications = list(applications)
    if not applications:
        return links
    for panel in _application_panels:
        for application_id, found in panel(user, applications, on).items():
            links.setdefault(application_id, []).extend(found)
    return links


def attach_application_links(user, applications, on: datetime.date) -> None:
    """Set ``panel_links`` on each application (what ``applications/_panel_links.html`` shows)."""
    applications = list(applications)
    links = application_links(user, applications, on)
    for application in applications:
        application.panel_links = links.get(application.pk, [])


@dataclass(frozen=True)
class Withdrawal:
    """Something a higher app withdraws along with the application: ``what`` names it for the
    student ("your application sent to … in medmatch"); ``refused`` says why it can no longer be
    withdrawn ("" when it can); ``perform`` withdraws it (inside the move's transaction)."""

    what: str
    refused: str
    perform: Callable[[], Any]


# Called as ``hook(user, application, today)``; returns a Withdrawal, or None when nothing else
# is to be withdrawn with this application.
WithdrawalHook = Callable[[Any, Any, datetime.date], "Withdrawal | None"]

_withdrawal_hooks: list[WithdrawalHook] = []


def register_withdrawal(hook: WithdrawalHook) -> None:
    """Add what a move to "Withdrawn" withdraws too (called from an ``AppConfig.ready``)."""
    if hook not in _withdrawal_hooks:
        _withdrawal_hooks.append(hook)


def withdrawals(user, application, on: datetime.date) -> list[Withdrawal]:
    """What moving the student's ``application`` to "Withdrawn" would withdraw as well."""
    found = (hook(user, application, on) for hook in _withdrawal_hooks)
    return [withdrawal for withdrawal in found if withdrawal is not None]
