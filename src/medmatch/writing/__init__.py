"""Personal-statement analysis: clichés, generic sentences, specificity, length and readability.

Pure: plain data in, frozen dataclasses out, no Django (``tests/test_pure_core.py``). The entry
point is ``analyze(text, program=ProgramContext(...), limit_words=..., limit_chars=...)``; see
docs/writing.md.
"""

from medmatch.writing.analyzer import Analysis, Flag, Metrics, Sentence, analyze
from medmatch.writing.patterns import Pattern, Source, load_patterns, parse_patterns
from medmatch.writing.specificity import (
    Aspect,
    ProgramContext,
    SpecificityReport,
    short_forms,
    specialty_terms,
)
from medmatch.writing.text import count_syllables, flesch_reading_ease, split_sentences

__all__ = [
    "Analysis",
    "Aspect",
    "Flag",
    "Metrics",
    "Pattern",
    "ProgramContext",
    "Sentence",
    "Source",
    "SpecificityReport",
    "analyze",
    "count_syllables",
    "flesch_reading_ease",
    "load_patterns",
    "parse_patterns",
    "short_forms",
    "specialty_terms",
    "split_sentences",
]
