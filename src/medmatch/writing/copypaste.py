"""Was a sentence written for another program? Copy-paste checks across a student's variants.

A statement variant is written for one program (``ProgramContext`` A); a student applies to
others too (a ``ProgramContext`` each, from the student's own applications only: the Django
adapter ``applications.writing_context.other_program_contexts`` fetches them). A sentence is
worth a second look when it

- names another program's institution: its name or a short form of it, but not a form that A's
  names share ("Mayo" when A is "Mayo Clinic Arizona"), not a bare city or region, and not a
  medical abbreviation ("ICU"); or
- describes a listed feature of another program (a department, a named phrase of its
  description) better than any of A's: ``mentions.feature_mentions(..., others=...)``.

Each finding is a ``CopyPasteNote`` worded as a check, not an accusation ("This names Mayo
Clinic, another program you apply to — was it copied from that variant?"). Pure: plain data in,
frozen dataclasses out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from medmatch.writing.mentions import ACRONYMS, ProgramFeatures, feature_mentions
from medmatch.writing.specificity import ProgramContext, term_regex
from medmatch.writing.text import split_sentences


@dataclass(frozen=True)
class CopyPasteNote:
    """One sentence that may come from the variant for another program: ``kind`` is
    ``institution`` (it names the other program's institution: ``named``) or ``feature`` (it
    describes the other program's listed ``feature``); ``start``/``end`` are the sentence's
    offsets into the text, ``sentence`` its text; ``program_id``, ``program_title`` and
    ``institution_name`` say which other program; ``message`` is the check to show."""

    kind: str
    start: int
    end: int
    sentence: str
    program_id: str | int | None
    program_title: str
    institution_name: str
    named: str
    feature: str
    message: str

    def to_dict(self) -> dict:
        return {item.name: getattr(self, item.name) for item in fields(self)}


def _label(program: ProgramContext) -> str:
    return program.institution_name or program.program_title or "another program"


def program_features(program: ProgramContext) -> ProgramFeatures:
    """The program's listed features, as ``mentions`` reads them: its departments and the named
    phrases of its description. Its name carries the institution and the program's title, whose
    words never count as a feature."""
    names = [program.departments, program.description_keywords]
    features = {f"f{n}": text for n, text in enumerate(dict.fromkeys(sum(names, ())), 1)}
    name = " ".join(part for part in (program.institution_name, program.program_title) if part)
    key = str(program.program_id) if program.program_id is not None else name
    return ProgramFeatures(key, name or "this program", features)


def _names(program: ProgramContext) -> tuple[str, ...]:
    forms = (program.institution_name, *program.institution_short_forms)
    return tuple(dict.fromkeys(" ".join(form.split()) for form in forms if form.strip()))


def _inside(short: str, long: str) -> bool:
    """Whether ``short`` is ``long`` or a run of whole words of it (case-insensitive)."""
    return re.search(rf"(?<!\w){re.escape(short.lower())}(?!\w)", long.lower()) is not None


def distinctive_names(program: ProgramContext, other: ProgramContext) -> tuple[str, ...]:
    """The names of ``other``'s institution that a statement to ``program`` would not use: not
    one of ``program``'s names nor a part of one (none at all when ``other``'s full name is a part
    of one of ``program``'s), not a city or region of either, not a medical
    abbreviation."""
    own = _names(program)
    if any(_inside(other.institution_name, mine) for mine in own):
        return ()  # "Saltmarsh Medical Center" when this is "Saltmarsh Medical Center North"
    places = {
        place.strip().lower()
        for place in (program.city, program.region, other.city, other.region)
        if place.strip()
    }
    return tuple(
        name
        for name in _names(other)
        if not any(_inside(name, mine) for mine in own)
        and name.lower() not in places
        and name not in ACRONYMS
    )


# A name right after a person's title is a person's name ("Dr. Duke"), not the institution's.
_TITLE_BEFORE = re.compile(r"\b(?:Dr|Drs|Mr|Mrs|Ms|Mx|Prof|Professor|Dean|Nurse)\.?\s+\Z")
CHECK = "another program you apply to"
QUESTION = "\u2014 was it copied from that variant?"


def copy_paste_notes(
    text: str, program: ProgramContext, others: tuple[ProgramContext, ...]
) -> tuple[CopyPasteNote, ...]:
    """The sentences of ``text`` (written for ``program``) that name another program's
    institution or describe another program's feature; one note per sentence and other
    institution, a name before a feature, in text order. ``others`` that are ``program`` itself
    (same id) are skipped."""
    others = tuple(
        other
        for other in others
        if program.program_id is None or other.program_id != program.program_id
    )
    if not others or not text.strip():
        return ()
    spans = split_sentences(text)
    notes: dict[tuple[int, str], CopyPasteNote] = {}

    def sentence_of(start: int, end: int) -> tuple[int, int] | None:
        return next(((a, b) for a, b in spans if a <= start and end <= b), None)

    own_label = _label(program)
    for other in others:
        regex = term_regex(distinctive_names(program, other), proper=True)
        if regex is None:
            continue
        for match in regex.finditer(text):
            if _TITLE_BEFORE.search(text[max(0, match.start() - 16) : match.start()]):
                continue  # "Dr. Brown" is a person, not Brown University
            where = sentence_of(*match.span())
            key = (where[0], other.institution_name.lower()) if where else None
            if where is None or key in notes:
                continue
            named = re.sub("['\u2019]s$", "", match.group(0))
            shown = named
            if not named.lower().startswith(other.institution_name.lower()):
                shown = f"{named} ({other.institution_name})"
            message = f"This names {shown}, {CHECK} {QUESTION}"
            notes[key] = CopyPasteNote(
                "institution",
                where[0],
                where[1],
                text[where[0] : where[1]],
                other.program_id,
                other.program_title,
                other.institution_name,
                named,
                "",
                message,
            )
    features = tuple(program_features(other) for other in others)
    by_id = {feature.id: other for feature, other in zip(features, others, strict=True)}
    found = feature_mentions(text, program_features(program), features)
    for item in found.foreign:
        other = by_id.get(item.program)
        start = text.find(item.sentence)
        if other is None or start < 0:
            continue
        where = sentence_of(start, start + len(item.sentence)) or (
            start,
            start + len(item.sentence),
        )
        key = (where[0], other.institution_name.lower())
        if key in notes:
            continue
        title = f" ({other.program_title})" if other.program_title else ""
        message = (
            f"This describes \u201c{item.text}\u201d, a feature of {_label(other)}{title}, "
            f"{CHECK}, not of {own_label} {QUESTION}"
        )
        notes[key] = CopyPasteNote(
            "feature",
            where[0],
            where[1],
            text[where[0] : where[1]],
            other.program_id,
            other.program_title,
            other.institution_name,
            "",
            item.text,
            message,
        )
    return tuple(sorted(notes.values(), key=lambda note: (note.start, note.kind)))
