"""Which CV entries suit one program, in which order, and why. Pure: plain data in, new values out,
no Django (the Django side builds ``Item`` and ``ProgramFacts`` in ``cv_pdf.tailored_order``).

The rules are medmatch's own reading of common advice, not a published algorithm: the seed article
("Prepare a Strong Application Package": "Include only information that supports your suitability
for the program") and ERAS's "most meaningful experiences". Every point an entry earns carries the
reason shown to the student, so the order can be checked and changed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

# Section values, as in ``CVEntry.Section`` (duplicated here to keep this module pure).
EDUCATION = "education"
HONOURS = "honours"
RESEARCH = "research"
PUBLICATIONS = "publications"
CLINICAL = "clinical"
VOLUNTEERING = "volunteering"
LEADERSHIP = "leadership"
TEACHING = "teaching"
SKILLS = "skills"
LANGUAGES = "languages"
SECTIONS = (
    EDUCATION,
    HONOURS,
    RESEARCH,
    PUBLICATIONS,
    CLINICAL,
    VOLUNTEERING,
    LEADERSHIP,
    TEACHING,
    SKILLS,
    LANGUAGES,
)
# Every CV lists these, whatever the program.
ALWAYS_INCLUDED = frozenset({EDUCATION, SKILLS, LANGUAGES})
INCLUDE_FROM = 3  # points an entry needs to be included by default
RECENT_YEARS = 5

SPECIALTY_TAG = 10
SPECIALTY_TEXT = 5
MEANINGFUL = 3
RECENT = 1

# Points for a section by the program's type (catalog ``Program.ProgramType`` values).
TYPE_POINTS: dict[str, dict[str, tuple[int, str]]] = {
    "residency": {
        CLINICAL: (4, "clinical experience suits a residency track"),
        HONOURS: (3, "academic honours count in residency selection"),
        RESEARCH: (2, "research shows initiative to a residency program"),
        PUBLICATIONS: (2, "publications show scholarly work to a residency program"),
        LEADERSHIP: (2, "leadership suits a residency track"),
        TEACHING: (1, "teaching suits a residency track"),
    },
    "clinical_rotation": {
        CLINICAL: (5, "clinical experience suits a clinical rotation"),
        HONOURS: (2, "academic honours support a rotation application"),
    },
    "observership": {
        CLINICAL: (5, "clinical experience suits an observership"),
        LANGUAGES: (2, "languages help in an observership"),
    },
    "research": {
        RESEARCH: (6, "research projects suit a research placement"),
        PUBLICATIONS: (5, "publications suit a research placement"),
        HONOURS: (2, "academic honours support a research application"),
        SKILLS: (2, "methods and skills matter in research"),
    },
    "public_health": {
        VOLUNTEERING: (5, "community work suits a public health program"),
        RESEARCH: (3, "research suits a public health program"),
        LEADERSHIP: (3, "leadership suits a public health program"),
    },
    "international_elective": {
        LANGUAGES: (4, "languages matter abroad"),
        VOLUNTEERING: (3, "community work suits an international elective"),
        CLINICAL: (3, "clinical experience suits an international elective"),
    },
}
# Points for a section by the program's stated emphasis (``Program.Emphasis`` values).
EMPHASIS_POINTS: dict[str, dict[str, tuple[int, str]]] = {
    "teaching": {TEACHING: (3, "the program is teaching-focused")},
    "service": {CLINICAL: (2, "the program is service-focused: hands-on work counts")},
    "balanced": {},
}


@dataclass(frozen=True)
class Item:
    """One CV entry as plain data: ``id``, ``section`` (a value of ``SECTIONS``), the text to
    search (``title``, ``organisation``, ``description``), ``tags`` (normalised slugs), dates
    (``end`` None = ongoing), ``meaningful`` (one of the student's 3 most meaningful) and
    ``position`` (the student's own order)."""

    id: int
    section: str
    title: str = ""
    organisation: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    start: datetime.date | None = None
    end: datetime.date | None = None
    meaningful: bool = False
    position: int = 0


@dataclass(frozen=True)
class ProgramFacts:
    """What the ranking knows of the program: its specialty (``specialty_slugs`` such as
    "internal-medicine", ``specialty_terms`` such as "internal medicine", "internist"), its
    ``program_type`` and ``emphasis`` (catalog values, "" = unknown), and ``keywords`` (the
    program's own named things, e.g. "Global Health Track")."""

    specialty_label: str = ""
    specialty_slugs: tuple[str, ...] = ()
    specialty_terms: tuple[str, ...] = ()
    program_type: str = ""
    emphasis: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ranked:
    """One entry's place: ``id``, ``score`` (sum of its points), ``reasons`` (one per point
    earned, the biggest first) and ``included`` (in the tailored CV by default)."""

    id: int
    section: str
    score: int
    reasons: tuple[str, ...]
    included: bool


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _mentions(text: str, term: str) -> bool:
    return bool(term) and re.search(rf"\b{re.escape(term.lower())}\b", text.lower()) is not None


def score_item(item: Item, program: ProgramFacts, today: datetime.date) -> Ranked:
    """Points and reasons for one entry: tagged with the program's specialty (+10), naming the
    specialty or a program keyword in its text (+5), its section suiting the program's type and
    emphasis (``TYPE_POINTS``, ``EMPHASIS_POINTS``), one of the 3 most meaningful (+3), ongoing or
    ended within 5 years (+1). Education, skills and languages are always included; others from
    3 points."""
    points: list[tuple[int, str]] = []
    label = program.specialty_label or "the program's specialty"
    slugs = set(program.specialty_slugs) | {_slug(term) for term in program.specialty_terms}
    if slugs & set(item.tags):
        points.append((SPECIALTY_TAG, f"tagged {label} = program's specialty"))
    else:
        text = " ".join((item.title, item.organisation, item.description))
        term = next((t for t in program.specialty_terms if _mentions(text, t)), None)
        if term:
            points.append((SPECIALTY_TEXT, f"mentions {term.lower()} (the program's specialty)"))
        else:
            keyword = next((k for k in program.keywords if _mentions(text, k)), None)
            if keyword:
                points.append((SPECIALTY_TEXT, f"mentions {keyword}, named by the program"))
    for table, key in ((TYPE_POINTS, program.program_type), (EMPHASIS_POINTS, program.emphasis)):
        if item.section in table.get(key, {}):
            points.append(table[key][item.section])
    if item.meaningful:
        points.append((MEANINGFUL, "one of your 3 most meaningful experiences"))
    if item.start is not None and (
        item.end is None or (today - item.end).days <= RECENT_YEARS * 365
    ):
        points.append((RECENT, "ongoing" if item.end is None else "recent"))
    points.sort(key=lambda pair: -pair[0])
    score = sum(value for value, _ in points)
    reasons = tuple(reason for _, reason in points)
    always = item.section in ALWAYS_INCLUDED
    if always:
        reasons += ("every CV lists it",)
    return Ranked(item.id, item.section, score, reasons, always or score >= INCLUDE_FROM)


def rank(
    items: list[Item] | tuple[Item, ...], program: ProgramFacts, today: datetime.date
) -> tuple[Ranked, ...]:
    """Every entry, ranked for ``program``, grouped by section.

    Steps: score each entry (``score_item``); order the sections with education first, then by
    their best entry's score (highest first; ties in the usual CV order of ``SECTIONS``); inside a
    section, highest score first, ties in the student's own order (``position``, then id).
    Returns a new tuple; the input is not changed. Unknown sections raise ``ValueError``.
    """
    by_id = {}
    for item in items:
        if item.section not in SECTIONS:
            raise ValueError(f"section: {item.section!r} is not a CV section")
        by_id[item.id] = (item, score_item(item, program, today))
    best: dict[str, int] = {}
    for _, ranked in by_id.values():
        best[ranked.section] = max(best.get(ranked.section, 0), ranked.score)

    def section_key(section: str) -> tuple[int, int, int]:
        return (0 if section == EDUCATION else 1, -best[section], SECTIONS.index(section))

    ordered = sorted(
        by_id.values(),
        key=lambda pair: (
            section_key(pair[0].section),
            -pair[1].score,
            pair[0].position,
            pair[0].id,
        ),
    )
    return tuple(ranked for _, ranked in ordered)


def group_by_section(ids: list[int], sections: dict[int, str]) -> list[tuple[str, list[int]]]:
    """``ids`` in order, grouped by section in the order each section first appears; ids with no
    known section are skipped."""
    groups: dict[str, list[int]] = {}
    for entry_id in ids:
        section = sections.get(entry_id)
        if section is not None:
            groups.setdefault(section, []).append(entry_id)
    return list(groups.items())


def move(ids: list[int], entry_id: int, step: int, sections: dict[int, str]) -> list[int]:
    """A new list with ``entry_id`` swapped with its neighbour of the same section (``step`` -1 =
    up, +1 = down); unchanged at the edge of its section or when ``entry_id`` is not in ``ids``."""
    if step not in (-1, 1):
        raise ValueError(f"step: {step!r} must be -1 or 1")
    grouped = group_by_section(ids, sections)
    result: list[int] = []
    for _, group in grouped:
        group = list(group)
        if entry_id in group:
            index = group.index(entry_id)
            other = index + step
            if 0 <= other < len(group):
                group[index], group[other] = group[other], group[index]
        result.extend(group)
    return result


def move_section(ids: list[int], section: str, step: int, sections: dict[int, str]) -> list[int]:
    """A new list with the whole ``section`` swapped with the section before (-1) or after (+1)."""
    if step not in (-1, 1):
        raise ValueError(f"step: {step!r} must be -1 or 1")
    grouped = group_by_section(ids, sections)
    names = [name for name, _ in grouped]
    if section in names:
        index = names.index(section)
        other = index + step
        if 0 <= other < len(grouped):
            grouped[index], grouped[other] = grouped[other], grouped[index]
    return [entry_id for _, group in grouped for entry_id in group]
