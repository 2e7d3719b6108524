"""Sentences, words and syllables of a statement, with character offsets into the original text."""

from __future__ import annotations

import re


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Abbreviations whose period never ends a sentence (compared lower-case, without the period).
# Not "no", "ed", "co": "I said no." and "the ED." end sentences far more often.
ABBREVIATIONS = _word_set(
    "dr drs mr mrs ms mx prof st sr jr vs etc al approx dept fig vol inc ltd corp mt ft sgt "
    "jan feb apr jun jul aug sep sept oct nov dec"
)
# "etc." and dotted initialisms ("U.S.", "M.D.") end a sentence only before a word that usually
# opens one; "e.g." and "i.e." never do.
NEVER_FINAL = frozenset({"e.g", "i.e", "viz", "cf"})
SENTENCE_OPENERS = _word_set(
    "i my we our the this that these those it in at on during after before when while as since "
    "he she they his her their a an one two three four five there here then now but and so yet "
    "however although because if"
)
FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"})

_TERMINATOR = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+(?:[.,:/-]\d+)*", re.UNICODE)
_TOKEN_BEFORE = re.compile(r"(\S+)$")
_NEXT_WORD = re.compile(r"\s+[\"'\u201c\u2018(\[]*(\S+)")
_VOWEL_GROUP = re.compile(r"[aeiouyàáâäæèéêëìíîïòóôöœùúûüÿ]+")


def _boundary_after(text: str, period_at: int, end: int) -> bool:
    """Whether the terminator that starts at ``period_at`` and ends at ``end`` ends a sentence."""
    if end < len(text) and not text[end].isspace():
        return False  # "3.5", "U.S.A", "word.Next" without space
    if text[period_at] != ".":
        return True
    token = _TOKEN_BEFORE.search(text, max(0, period_at - 40), period_at)
    before = token.group(1).lstrip("\"'\u201c\u2018([").lower() if token else ""
    if not before:
        return True
    next_match = _NEXT_WORD.match(text, end)
    next_word = next_match.group(1) if next_match else ""
    if not next_word:
        return True  # end of text
    if before in NEVER_FINAL:
        return False
    if before in ABBREVIATIONS and before != "etc":
        return False
    starts_lower = next_word[0].islower()
    if starts_lower:
        return False  # "the U.S. and", "et al. showed"
    initialism = "." in before or (len(before) == 1 and before.isalpha())
    if before == "etc" or initialism:
        return next_word.strip(",;:").lower() in SENTENCE_OPENERS
    return True


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Split ``text`` into sentences; returns ``(start, end)`` character offsets into ``text``.

    Takes any string; never raises. ``text[start:end]`` is the sentence without surrounding
    whitespace, closing quotes and brackets included. Steps: cut at every blank line (a paragraph
    or a heading never runs on); inside a block, cut after ``.``, ``!``, ``?`` or ``…`` followed by
    white space, except after a known abbreviation ("Dr.", "Prof.", "St."), after "e.g."/"i.e.",
    before a lower-case word, and after an initialism ("U.S.", "M.D.", "J.") unless the next word
    usually opens a sentence ("I", "The", "In"...). Rule of thumb after Kiss & Strunk (2006,
    "Unsupervised multilingual sentence boundary detection"), reduced to a fixed list.
    """
    spans: list[tuple[int, int]] = []
    block_start = 0
    blocks = [*(_match.start() for _match in _PARAGRAPH_BREAK.finditer(text)), len(text)]
    for block_end in blocks:
        start = block_start
        for terminator in _TERMINATOR.finditer(text, block_start, block_end):
            if _boundary_after(text, terminator.start(), terminator.end()):
                _append(text, spans, start, terminator.end())
                start = terminator.end()
        _append(text, spans, start, block_end)
        block_start = block_end
    return tuple(spans)


def _append(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end and any(character.isalnum() for character in text[start:end]):
        spans.append((start, end))
    elif start < end and spans and text[spans[-1][1] : start].strip() == "":
        spans[-1] = (spans[-1][0], end)  # stray punctuation ("!!", a closing quote) joins the last


def words(text: str, start: int = 0, end: int | None = None) -> list[re.Match]:
    """The word matches (letters with inner apostrophes, or numbers) of ``text[start:end]``."""
    return list(_WORD.finditer(text, start, len(text) if end is None else end))


def count_syllables(word: str) -> int:
    """Estimate the syllables of one word: vowel groups, less a silent final "e"; at least 1.

    A heuristic (no dictionary): "the" 1, "table" 2, "physician" 3 (true: 3), "medicine" 3.
    Numbers count one syllable per digit group, which is close enough for readability.
    """
    lower = word.lower()
    if not lower[:1].isalpha():
        return 1
    groups = len(_VOWEL_GROUP.findall(lower))
    if lower.endswith("e") and not lower.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    if (
        lower.endswith(("ed", "es"))
        and groups > 1
        and not lower.endswith(("ted", "ded", "ses", "ces", "zes", "ges"))
    ):
        groups -= 1
    return max(1, groups)


def flesch_reading_ease(word_count: int, sentence_count: int, syllable_count: int) -> float | None:
    """Flesch reading ease: ``206.835 - 1.015 * words/sentences - 84.6 * syllables/words``.

    Takes counts; returns the score (higher is easier; 60-70 is plain English, below 30 is
    academic prose), or None without words or sentences. Source: R. Flesch, "A new readability
    yardstick", Journal of Applied Psychology 32(3):221-233, 1948.
    """
    if word_count == 0 or sentence_count == 0:
        return None
    return 206.835 - 1.015 * (word_count / sentence_count) - 84.6 * (syllable_count / word_count)
