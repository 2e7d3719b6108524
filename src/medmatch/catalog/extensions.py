"""Extension points of the catalog: other apps add to what a program page says without the
catalog importing them (the catalog is public and knows nothing of the apps built on it).

An app registers a provider in its ``AppConfig.ready``; the catalog calls every registered
provider when it builds a fact sheet or a program page. Reported-value providers take many
programs at once, so a list page or the fit engine asks once per page, not once per program.

* ``register_reported_values`` — who stands behind a program's own field (contributions).
* ``register_program_page_panel`` — what a program page shows beside the catalog's facts
  (research: the reviews, and a student's own insights, contacts, review and answers).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class ReportedValue:
    """Who stands behind the current value of one of a program's own fields (``Program.<field>``).

    ``kind`` is ``"program"`` when a verified coordinator of the program's institution entered it
    (shown as "reported by the program") and ``"approved_proposal"`` when a user proposed it and
    staff approved it. Nothing unreviewed is ever a ``ReportedValue``.
    """

    field: str
    kind: str
    reported_by: str  # e.g. "a verified coordinator of Rush University Medical Center"
    reported_at: datetime
    source_url: str = ""
    note: str = ""
    history_url: str = ""  # the page that lists every change of this fact

    @property
    def by_program(self) -> bool:
        return self.kind == "program"


ReportedProvider = Callable[[Sequence[int]], dict[int, dict[str, ReportedValue]]]

_reported_providers: list[ReportedProvider] = []


def register_reported_values(provider: ReportedProvider) -> None:
    """Add a provider: program ids -> {program id: {field name: ReportedValue}}."""
    if provider not in _reported_providers:
        _reported_providers.append(provider)


def reported_values(program_ids: Sequence[int]) -> dict[int, dict[str, ReportedValue]]:
    """Every registered provider's reported values for these programs, merged (later wins)."""
    merged: dict[int, dict[str, ReportedValue]] = {}
    if not program_ids:
        return merged
    for provider in _reported_providers:
        for program_id, values in provider(program_ids).items():
            merged.setdefault(program_id, {}).update(values)
    return merged


# A panel is called as ``panel(user, program)`` (``user`` may be anonymous) and returns template
# context for ``catalog/program_detail.html``. Panels are merged after the page's own context, in
# the order they were registered, so a panel may replace a key the page set (research replaces
# ``sheet`` with the student's own answers filled in).
ProgramPagePanel = Callable[[Any, Any], dict]

_program_page_panels: list[ProgramPagePanel] = []


def register_program_page_panel(panel: ProgramPagePanel) -> None:
    """Add a panel to every program page (called from an ``AppConfig.ready``)."""
    if panel not in _program_page_panels:
        _program_page_panels.append(panel)


def program_page_context(user, program) -> dict:
    """Every registered panel's context for this program page, merged (later wins)."""
    context: dict = {}
    for panel in _program_page_panels:
        context.update(panel(user, program))
    return context
