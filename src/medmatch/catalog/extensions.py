"""Extension points of the catalog: other apps add to what a program page says without the
catalog importing them (the catalog is public and knows nothing of the apps built on it).

An app registers a provider in its ``AppConfig.ready``; the catalog calls every registered
provider when it builds a fact sheet. Providers take many programs at once, so a list page or
the fit engine asks once per page, not once per program.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime


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
