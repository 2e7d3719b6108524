"""``analyze(text)``: every sentence of a personal statement with its flags, plus metrics and the
specificity report. Plain data in, frozen dataclasses out; see docs/writing.md."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, fields

from medmatch.writing.concreteness import Judgement, judge
from medmatch.writing.copypaste import CopyPasteNote, copy_paste_notes
from medmatch.writing.generic import GENERIC_SOURCE
from medmatch.writing.mentions import phrase_spans, sentence_concepts
from medmatch.writing.patterns import Pattern, Source, load_patterns
from medmatch.writing.specificity import (
    ProgramContext,
    SpecificityReport,
    aspect_specs,
    specificity_report,
)
from medmatch.writing.text import (
    FIRST_PERSON,
    count_syllables,
    flesch_reading_ease,
    split_sentences,
    words,
)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


LONG_SENTENCE_WORDS = 35  # our threshold, not a published one
REPEATED_OPENING_RUN = 3  # this many sentences in a row opening with the same word
REPEATED_WORD_MIN = 3
REPEATED_WORDS_SHOWN = 10
STYLE_SOURCE = Source(label="medmatch style check (readability, Flesch 1948)", url="")
GENERIC_LEADS = {"program": "Would fit any program", "applicant": "Any applicant could write this"}
PROGRAM_CUES = frozenset({"praise", "program_talk"})
CONTENT_KINDS = frozenset({"cliche", "generic"})  # what "flagged sentence" means in evaluation
STOPWORDS = _word_set(
    "a about above after again against all also am an and any are as at be because been before "
    "being below between both but by can could did do does doing down during each few for from "
    "further had has have having he her here hers herself him himself his how i if in into is "
    "it its itself just me more most my myself no nor not now of off on once only or other our "
    "ours ourselves out over own same she should so some such than that the their theirs them "
    "themselves then there these they this those through to too under until up very was we were "
    "what when where which while who whom why will with would you your yours yourself "
    "yourselves one every many much"
)


@dataclass(frozen=True)
class Flag:
    """One thing to look at: ``kind`` (cliche, generic, stock_phrase, superlative, long_sentence,
    repeated_opening), the span ``start``..``end`` as character offsets into the ORIGINAL text
    (``text[start:end]`` is the flagged phrase; for ``generic`` and ``long_sentence`` the whole
    sentence), the ``reason`` to show, the ``rule`` that fired (pattern id such as ``C007``, or
    the kind; internal, never part of ``reason``), and where the advice comes from:
    ``source_label`` and ``source_url`` (the best source; "" when it is medmatch's own) and all
    ``sources``."""

    kind: str
    start: int
    end: int
    reason: str
    rule: str
    source_label: str
    source_url: str
    sources: tuple[Source, ...] = ()

    def to_dict(self) -> dict:
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        data["sources"] = [{"label": s.label, "url": s.url} for s in self.sources]
        return data


@dataclass(frozen=True)
class Sentence:
    """One sentence: its ``index`` (0-based), ``start``/``end`` offsets into the original text,
    its ``text`` (= ``original[start:end]``), its word count and its ``flags`` in text order."""

    index: int
    start: int
    end: int
    text: str
    words: int
    flags: tuple[Flag, ...]

    @property
    def flagged(self) -> bool:
        """Whether a cliché or generic flag is on this sentence (style flags do not count)."""
        return any(flag.kind in CONTENT_KINDS for flag in self.flags)

    def to_dict(self) -> dict:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "words": self.words,
            "flags": [flag.to_dict() for flag in self.flags],
        }


@dataclass(frozen=True)
class Metrics:
    """Counts and scores of the whole statement.

    ``words`` (letters or numbers), ``characters`` (all, spaces included, as ERAS counts),
    ``sentences``, ``mean_sentence_words``, ``longest_sentence_words``, ``flesch_reading_ease``
    (None without words), ``first_person_density`` (I/me/my/mine/myself per word),
    ``repeated_words`` ((word, count) of content words used at least 3 times, most first, up to 10),
    ``repeated_openings`` ((first word, count) opening at least 3 sentences), ``limit_words`` /
    ``limit_chars`` as given, ``over_limit`` (None without a limit), ``generic_sentences`` (would
    fit any program) and ``flagged_sentences`` (cliché or generic).
    """

    words: int
    characters: int
    sentences: int
    mean_sentence_words: float
    longest_sentence_words: int
    flesch_reading_ease: float | None
    first_person_density: float
    repeated_words: tuple[tuple[str, int], ...]
    repeated_openings: tuple[tuple[str, int], ...]
    limit_words: int | None
    limit_chars: int | None
    over_limit: bool | None
    generic_sentences: int
    flagged_sentences: int

    def to_dict(self) -> dict:
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        data["repeated_words"] = [list(pair) for pair in self.repeated_words]
        data["repeated_openings"] = [list(pair) for pair in self.repeated_openings]
        return data


@dataclass(frozen=True)
class Analysis:
    """The result of ``analyze``: ``sentences`` (each with its flags), ``flags`` (all, in text
    order), ``specificity``, ``metrics``, ``structural_advice`` (cliché rows no regex can detect,
    such as restating the CV, shown as reminders) and ``copy_paste``: sentences that name or
    describe another program the student applies to (``copypaste``; empty without ``others``)."""

    sentences: tuple[Sentence, ...]
    flags: tuple[Flag, ...]
    specificity: SpecificityReport
    metrics: Metrics
    structural_advice: tuple[Flag, ...]
    copy_paste: tuple[CopyPasteNote, ...] = ()

    def to_dict(self) -> dict:
        """Plain JSON-ready data (lists and dicts) of the whole analysis."""
        return {
            "sentences": [sentence.to_dict() for sentence in self.sentences],
            "specificity": self.specificity.to_dict(),
            "metrics": self.metrics.to_dict(),
            "structural_advice": [flag.to_dict() for flag in self.structural_advice],
            "copy_paste": [note.to_dict() for note in self.copy_paste],
        }


@functools.cache
def _cliche_filter(patterns: tuple[Pattern, ...]) -> re.Pattern:
    """One regex matching where any cliché pattern matches: most sentences then cost one search."""
    regexes = [pattern.regex for pattern in patterns if pattern.kind == "cliche"]
    return re.compile("|".join(f"(?:{regex})" for regex in regexes) or "(?!)", re.IGNORECASE)


def cliche_in(sentence: str, *, first: bool = False) -> bool:
    """Whether a row of the sourced cliché list matches ``sentence`` (``first``: it opens the
    statement, so the ``\\A`` rows count too)."""
    patterns = load_patterns()
    if _cliche_filter(patterns).search(sentence) is None:
        return False
    return any(
        pattern.kind == "cliche"
        and pattern.compiled is not None
        and (first or not pattern.at_start)
        and pattern.compiled.search(sentence)
        for pattern in patterns
    )


def _pattern_flag(pattern: Pattern, start: int, end: int) -> Flag:
    if pattern.kind == "superlative":
        reason = f"Style: {pattern.label}. Cut the adverb or show the fact behind it."
    else:
        count = len(pattern.sources)
        reason = (
            f"Cliché: {pattern.label}. Commonly cited advice ({count} source"
            f"{'s' if count != 1 else ''}) says readers tune this out; show your own experience."
        )
    return Flag(
        pattern.kind,
        start,
        end,
        reason,
        pattern.id,
        pattern.source.label,
        pattern.source.url,
        pattern.sources,
    )


def _style_flag(kind: str, start: int, end: int, reason: str) -> Flag:
    return Flag(
        kind, start, end, reason, kind, STYLE_SOURCE.label, STYLE_SOURCE.url, (STYLE_SOURCE,)
    )


def _generic_flag(judgement: Judgement, start: int, end: int) -> Flag:
    """The ``generic`` flag on a whole sentence, with the reason and one concrete suggestion."""
    lead = GENERIC_LEADS["program" if judgement.cue in PROGRAM_CUES else "applicant"]
    reason = f"{lead}: it {judgement.reason}."
    framing = list(dict.fromkeys(judgement.framing))[:3]
    if framing:
        shown = ", ".join(f"“{item}”" for item in framing)
        reason += f" {shown} only frame{'s' if len(framing) == 1 else ''} it: not a particular."
    reason += f" Try: {judgement.suggestion}."
    return Flag(
        "generic",
        start,
        end,
        reason,
        "generic",
        GENERIC_SOURCE.label,
        GENERIC_SOURCE.url,
        (GENERIC_SOURCE,),
    )


def _stock_phrase_flag(flag: Flag, judgement: Judgement) -> Flag:
    """A cliché phrase in a sentence that carries a particular: a style note, not a verdict."""
    label = flag.reason.split(". Commonly cited advice", 1)[0].removeprefix("Cliché: ")
    shown = list(dict.fromkeys(judgement.particulars))[:2]
    carried = ", ".join(f"“{item}”" for item in shown) or "a particular"
    reason = (
        f"Stock phrase: {label}. The sentence is not generic (it carries {carried}), but "
        "readers skim this phrase; consider cutting it."
    )
    return Flag(
        "stock_phrase",
        flag.start,
        flag.end,
        reason,
        flag.rule,
        flag.source_label,
        flag.source_url,
        flag.sources,
    )


def analyze(
    text: str,
    *,
    program: ProgramContext | None = None,
    others: tuple[ProgramContext, ...] = (),
    limit_words: int | None = None,
    limit_chars: int | None = None,
) -> Analysis:
    """Analyze a personal statement.

    Takes the statement ``text`` (any string), an optional ``program`` (``ProgramContext``, plain
    data from the catalog), the ``others`` the student also applies to (``ProgramContext`` each;
    used only with ``program``, for the copy-paste check) and optional limits in words and
    characters. Returns an ``Analysis``; never mutates its inputs and never raises on any text
    (negative limits raise ``ValueError``).

    Steps:
    1. Split into sentences with offsets (``text.split_sentences``: abbreviation-aware).
    2. Per sentence, search the shipped cliché patterns (``data/personal_statement_cliche_patterns
       .csv``; C019-style ``\\A`` patterns only on the first sentence) and the superlatives row
       C028 -> ``superlative`` style flags; sources from ``data/SOURCES.md``.
    3. Per sentence, the concreteness model (``concreteness.py``): what the sentence carries
       (events, counts, people, rare concrete words, a reason, a feature of this program) against
       what it is made of (traits, feelings, praise, goals, platitudes, stock framing), the
       cliché match being one feature. Generic -> one ``generic`` flag on the sentence ("would fit
       any program" for praise of the program, "any applicant could write this" otherwise) with
       the reason, the stock framing it found and one suggestion, and the cliché phrases as
       ``cliche`` flags. Specific -> the cliché phrases become ``stock_phrase`` style notes.
    4. Style: sentences over 35 words -> ``long_sentence``; the third sentence in a row opening
       with the same word -> ``repeated_opening`` on that word.
    5. Specificity: which of the program's aspects (institution, specialty, city, departments,
       setting, mentorship, research, description keywords) the text names, and which it could.
    6. Copy-paste (with ``program`` and ``others``): sentences that name another program's
       institution or describe another program's listed feature (``copypaste.copy_paste_notes``).
    7. Metrics: counts, Flesch reading ease (Flesch 1948; syllables by a vowel-group heuristic),
       first-person density, repeated words and openings, over the limit or not.
    """
    for name, limit in (("limit_words", limit_words), ("limit_chars", limit_chars)):
        if limit is not None and limit < 0:
            raise ValueError(f"{name}: must not be negative, got {limit}")
    patterns = load_patterns()
    cliche_filter = _cliche_filter(patterns)
    specs = aspect_specs(program)
    # Naming a department or a highlighted feature of this program is a particular (label rule 5);
    # the institution's name or city alone only frames a sentence.
    spans = split_sentences(text)
    # Keywords count in other words too (``mentions.phrase_spans``).
    keyword_sentences = sentence_concepts(text, spans) if program is not None else ()
    feature_spans: list[tuple[int, int]] = []
    for spec in specs:
        if spec.kind in ("department", "keyword") and spec.regex:
            feature_spans.extend(match.span() for match in spec.regex.finditer(text))
        if spec.kind == "keyword":
            feature_spans.extend(phrase_spans(text, spec.label, keyword_sentences))

    sentences: list[Sentence] = []
    openings: list[str] = []
    opening_forms: dict[str, str] = {}  # first spelling seen, for display
    total_words = syllables = first_person = generic_count = flagged_count = 0
    counts: Counter[str] = Counter()
    previous_specific = False
    for index, (start, end) in enumerate(spans):
        sentence_text = text[start:end]
        word_matches = words(text, start, end)
        lowered = [match.group(0).lower() for match in word_matches]
        total_words += len(lowered)
        syllables += sum(count_syllables(word) for word in lowered)
        first_person += sum(word in FIRST_PERSON for word in lowered)
        counts.update(word for word in lowered if len(word) > 3 and word not in STOPWORDS)
        flags: list[Flag] = []

        has_cliche = cliche_filter.search(sentence_text) is not None
        cliche_flags: list[Flag] = []
        for pattern in patterns:
            if pattern.compiled is None or (pattern.at_start and index > 0):
                continue
            if pattern.kind == "cliche" and not has_cliche:
                continue
            if pattern.kind == "superlative":
                for match in pattern.compiled.finditer(sentence_text):
                    flags.append(_pattern_flag(pattern, start + match.start(), start + match.end()))
                continue
            match = pattern.compiled.search(sentence_text)
            if match and match.end() > match.start():
                flag = _pattern_flag(pattern, start + match.start(), start + match.end())
                (cliche_flags if pattern.kind == "cliche" else flags).append(flag)

        names_feature = any(a < end and b > start for a, b in feature_spans)
        judgement = judge(
            sentence_text,
            cliche=bool(cliche_flags),
            program_feature=names_feature,
            after_specific=previous_specific,
        )
        previous_specific = not judgement.generic
        if judgement.generic:
            flags.extend(cliche_flags)
            flags.append(_generic_flag(judgement, start, end))
            generic_count += 1
        else:
            # The sentence carries a particular: the stock phrase stays as advice, not a verdict.
            flags.extend(_stock_phrase_flag(flag, judgement) for flag in cliche_flags)

        if len(word_matches) > LONG_SENTENCE_WORDS:
            flags.append(
                _style_flag(
                    "long_sentence",
                    start,
                    end,
                    f"{len(word_matches)} words: long sentences are hard to follow; consider "
                    f"splitting (medmatch flags over {LONG_SENTENCE_WORDS}).",
                )
            )
        opening = lowered[0] if lowered else ""
        openings.append(opening)
        if opening:
            opening_forms.setdefault(opening, word_matches[0].group(0))
        run = openings[-REPEATED_OPENING_RUN:]
        if opening and len(run) == REPEATED_OPENING_RUN and len(set(run)) == 1:
            first = word_matches[0]
            flags.append(
                _style_flag(
                    "repeated_opening",
                    first.start(),
                    first.end(),
                    f"{REPEATED_OPENING_RUN} sentences in a row open with '{first.group(0)}': vary "
                    "the openings.",
                )
            )
        flags.sort(key=lambda flag: (flag.start, flag.end, flag.kind))
        sentence = Sentence(index, start, end, sentence_text, len(word_matches), tuple(flags))
        flagged_count += sentence.flagged
        sentences.append(sentence)

    sentence_words = [sentence.words for sentence in sentences]
    limits_known = limit_words is not None or limit_chars is not None
    over = (limit_words is not None and total_words > limit_words) or (
        limit_chars is not None and len(text) > limit_chars
    )
    opening_counts = Counter(opening for opening in openings if opening)
    metrics = Metrics(
        words=total_words,
        characters=len(text),
        sentences=len(sentences),
        mean_sentence_words=(total_words / len(sentences)) if sentences else 0.0,
        longest_sentence_words=max(sentence_words, default=0),
        flesch_reading_ease=flesch_reading_ease(total_words, len(sentences), syllables),
        first_person_density=(first_person / total_words) if total_words else 0.0,
        repeated_words=tuple(
            (word, count)
            for word, count in counts.most_common(REPEATED_WORDS_SHOWN)
            if count >= REPEATED_WORD_MIN
        ),
        repeated_openings=tuple(
            (opening_forms[word], count)
            for word, count in opening_counts.most_common()
            if count >= 3
        ),
        limit_words=limit_words,
        limit_chars=limit_chars,
        over_limit=over if limits_known else None,
        generic_sentences=generic_count,
        flagged_sentences=flagged_count,
    )
    structural = tuple(
        Flag(
            "structural",
            0,
            0,
            f"Check by hand: {pattern.label}.",
            pattern.id,
            pattern.source.label,
            pattern.source.url,
            pattern.sources,
        )
        for pattern in patterns
        if pattern.kind == "structural"
    )
    return Analysis(
        sentences=tuple(sentences),
        flags=tuple(flag for sentence in sentences for flag in sentence.flags),
        specificity=specificity_report(text, specs, program is not None, keyword_sentences),
        metrics=metrics,
        structural_advice=structural,
        copy_paste=copy_paste_notes(text, program, tuple(others)) if program is not None else (),
    )
