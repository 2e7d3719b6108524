"""The one place where CV entries and a catalog program become ``cv_relevance``'s plain data, and
where a tailored CV's stored ids become the entries to show, grouped by section."""

import datetime
from dataclasses import dataclass, field

from django.utils.text import slugify

from medmatch.applications import cv_relevance
from medmatch.applications.models import CVEntry, TailoredCV
from medmatch.applications.writing_context import description_keywords
from medmatch.catalog.models import Program
from medmatch.writing import specialty_terms

MAX_TAGS = 20
MAX_TAG_LENGTH = 40


def normalise_tags(text: str) -> list[str]:
    """Comma-separated words to unique slugs ("Internal Medicine, POCUS" -> "internal-medicine",
    "pocus"), in the order given."""
    tags: list[str] = []
    for raw in text.split(","):
        tag = slugify(raw.strip())
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def program_facts(program: Program) -> cv_relevance.ProgramFacts:
    names: list[str] = []
    slugs: list[str] = []
    specialty = program.specialty
    if specialty is not None:
        names.append(specialty.name)
        slugs.append(specialty.slug)
        if specialty.equivalent_id:
            names.append(specialty.equivalent.name)
            slugs.append(specialty.equivalent.slug)
    elif program.title:
        # Many catalog tracks name their specialty only in the title ("Internal Medicine").
        names.append(program.title)
    return cv_relevance.ProgramFacts(
        specialty_label=specialty.name if specialty else program.title,
        specialty_slugs=tuple(slugs),
        specialty_terms=specialty_terms(tuple(names)),
        program_type=program.program_type,
        emphasis=program.emphasis,
        keywords=description_keywords(program.description, set()),
    )


def cv_item(entry: CVEntry) -> cv_relevance.Item:
    return cv_relevance.Item(
        id=entry.pk,
        section=entry.section,
        title=entry.title,
        organisation=entry.organisation,
        description=entry.description,
        tags=tuple(entry.tags),
        start=entry.start_date,
        end=entry.end_date,
        meaningful=entry.most_meaningful,
        position=entry.position,
    )


def ranking(program: Program, entries, today: datetime.date) -> tuple[cv_relevance.Ranked, ...]:
    return cv_relevance.rank([cv_item(e) for e in entries], program_facts(program), today)


@dataclass
class Section:
    value: str
    label: str
    entries: list = field(default_factory=list)


def group(entries) -> list[Section]:
    """Entries in the order given, grouped by section in the order each first appears."""
    labels = dict(CVEntry.Section.choices)
    sections: dict[str, Section] = {}
    for entry in entries:
        if entry.section not in sections:
            sections[entry.section] = Section(entry.section, labels[entry.section])
        sections[entry.section].entries.append(entry)
    return list(sections.values())


def default_order(entries) -> list:
    """The student's own CV: sections in the usual order, entries in the student's order."""
    index = {value: i for i, value in enumerate(CVEntry.Section.values)}
    return sorted(entries, key=lambda e: (index[e.section], e.position, e.pk))


@dataclass
class TailoredView:
    """What the tailored CV page and PDF show: the included entries grouped by section, the
    entries left out (``new`` = added to the CV since the tailoring was decided) and each entry's
    reasons."""

    sections: list[Section]
    left_out: list
    reasons: dict[int, tuple[str, ...]]
    scores: dict[int, int]
    saved: bool


def tailored_view(
    application, entries, today: datetime.date, tailored: TailoredCV | None = None
) -> TailoredView:
    """The tailored CV of ``application`` from its saved choice, or (not saved yet) from the
    ranking alone; nothing is written."""
    entries = list(entries)
    ranked = ranking(application.program, entries, today)
    by_id = {entry.pk: entry for entry in entries}
    if tailored is None:
        included = [r.id for r in ranked if r.included]
        known = set(by_id)
    else:
        included = [pk for pk in tailored.entry_ids if pk in by_id]
        known = set(tailored.known_ids)
    chosen = set(included)
    left_out = [by_id[r.id] for r in ranked if r.id not in chosen]
    for entry in left_out:
        entry.is_new = entry.pk not in known
    for r in ranked:  # shown beside each entry: why it is (or is not) here
        by_id[r.id].reasons = r.reasons
    return TailoredView(
        sections=group(by_id[pk] for pk in included),
        left_out=left_out,
        reasons={r.id: r.reasons for r in ranked},
        scores={r.id: r.score for r in ranked},
        saved=tailored is not None,
    )
