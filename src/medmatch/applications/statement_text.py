"""Text helpers for the statement editor, pure (no Django): the analyzer's flags laid over the
text as segments to highlight, and a word-level diff between two versions."""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass

# Words and the whitespace after them, so joining the tokens gives back the text exactly.
_TOKEN = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Mark:
    """A span to highlight: ``start``..``end`` (offsets into the text), its ``kind`` (the
    analyzer's flag kind) and its footnote ``number`` (1-based)."""

    start: int
    end: int
    kind: str
    number: int


@dataclass(frozen=True)
class Segment:
    """A run of text under the same marks: ``kinds`` (of the marks covering it, outermost first,
    empty = plain text) and ``notes`` (footnote numbers of the marks that end here)."""

    text: str
    kinds: tuple[str, ...] = ()
    notes: tuple[int, ...] = ()


def segments(text: str, marks: list[Mark] | tuple[Mark, ...]) -> tuple[Segment, ...]:
    """Split ``text`` at every mark boundary; joining the segments' text gives ``text`` back.

    Marks may nest or overlap (a cliché inside a generic sentence). Each segment lists the kinds
    of every mark covering it, and the segment where a mark ends carries its footnote number, so
    the reader meets the note right after the words it is about. Marks outside the text or empty
    are clipped or ignored.
    """
    size = len(text)
    clean = [
        Mark(max(0, m.start), min(size, m.end), m.kind, m.number)
        for m in marks
        if min(size, m.end) > max(0, m.start)
    ]
    cuts = sorted({0, size, *(m.start for m in clean), *(m.end for m in clean)})
    result: list[Segment] = []
    for left, right in itertools.pairwise(cuts):
        covering = sorted(
            (m for m in clean if m.start <= left and m.end >= right),
            key=lambda m: (m.start, -m.end),
        )
        ending = tuple(sorted(m.number for m in clean if m.end == right))
        result.append(Segment(text[left:right], tuple(m.kind for m in covering), ending))
    return tuple(result)


def in_reading_order(flags) -> list:
    """``flags`` (anything with ``start`` and ``end``) in the order their note references appear
    in the text: a reference sits where its mark ends, so by end, then by start (the longer mark
    first, since its highlight began earlier). Numbering notes in this order makes the numbers
    read 1, 2, 3… through the text even when a cliché sits inside a flagged sentence."""
    return sorted(flags, key=lambda flag: (flag.end, flag.start))


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """``(op, text)`` pairs turning ``old`` into ``new`` word by word (``op`` is "equal",
    "delete" or "insert"; a replacement is a delete then an insert). Whitespace stays with the
    word before it, so joining the "equal" and "delete" texts gives ``old`` and the "equal" and
    "insert" texts give ``new``. Uses difflib's SequenceMatcher (Ratcliff-Obershelp) without its
    junk heuristic, which would hide changes to common words in a long text."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    pairs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs.append(("equal", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            pairs.append(("delete", "".join(before[i1:i2])))
        if j2 > j1:
            pairs.append(("insert", "".join(after[j1:j2])))
    return tuple(pairs)


def diff_counts(pairs) -> dict[str, int]:
    """Words added and removed in a ``word_diff``."""
    counts = {"insert": 0, "delete": 0}
    for op, text in pairs:
        if op in counts:
            counts[op] += len(text.split())
    return counts
