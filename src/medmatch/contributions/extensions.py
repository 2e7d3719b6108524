"""Extension points of contributions: apps above it (the program side) add to a coordinator's
pages without contributions importing them.

* ``register_program_links`` — links beside each program on "My programs" (workspace: the
  program's applications in medmatch, its intake and questions).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProgramLink:
    label: str
    url: str


# ``provider(user, programs)`` -> {program id: [ProgramLink, ...]}, once per page.
ProgramLinksProvider = Callable[[Any, Sequence], dict[int, list[ProgramLink]]]

_program_links: list[ProgramLinksProvider] = []


def register_program_links(provider: ProgramLinksProvider) -> None:
    """Add links to "My programs" (called from an ``AppConfig.ready``)."""
    if provider not in _program_links:
        _program_links.append(provider)


def program_links(user, programs) -> dict[int, list[ProgramLink]]:
    """Every registered provider's links for these programs, in the order registered."""
    links: dict[int, list[ProgramLink]] = {}
    programs = list(programs)
    if not programs:
        return links
    for provider in _program_links:
        for program_id, found in provider(user, programs).items():
            links.setdefault(program_id, []).extend(found)
    return links
