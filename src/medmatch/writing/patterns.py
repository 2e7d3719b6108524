"""The cliché patterns of ``data/personal_statement_cliche_patterns.csv``, with their sources.

Each row is our own short wording of a piece of commonly cited advice plus the URLs of the public
pages that give it (see ``data/SOURCES.md``). ``load_patterns()`` reads and compiles them once.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

DATA_DIRECTORY = Path(__file__).resolve().parent / "data"
PATTERNS_FILE = DATA_DIRECTORY / "personal_statement_cliche_patterns.csv"
COLUMNS = ("id", "category", "regex_case_insensitive", "label_own_wording", "source_urls")

# Short names for the pages in data/SOURCES.md: the UI says where a piece of advice comes from.
SOURCE_LABELS = {
    "residencyadvisor.com": "ResidencyAdvisor",
    "news.yahoo.com": "US News (via Yahoo)",
    "www.essayedge.com": "EssayEdge",
    "www.savvypremed.com": "Savvy Pre-Med",
    "www.doctorsintraining.com": "Doctors in Training",
    "insidermedicaladmissions.blogspot.com": "Insider Medical Admissions",
    "docslib.org": "Ohio Wesleyan Writing Center guide",
    "forums.studentdoctor.net": "Student Doctor Network forum",
    "meridian.allenpress.com": "J Grad Med Educ 2024;16(6):641",
}
# Forum threads are community opinion: cite a firm or a guide first when a row has one.
WEAK_SOURCES = {"forums.studentdoctor.net"}
STYLE_CATEGORIES = {"superlatives"}  # C028: a low-weight style warning, not a cliché
# Our own widening of a row's regex, same advice and sources: C019's "storm" misses "stormy".
EXTENSIONS = {"C019": r"\A\s*(the|it was an?)\s+(stormy|rainy|dark|cold|quiet)\s+(night|morning)\b"}


@dataclass(frozen=True)
class Source:
    """One public page that supports a piece of advice: a short ``label`` and its ``url``."""

    label: str
    url: str


@dataclass(frozen=True)
class Pattern:
    """One row of the pattern file.

    ``kind`` is ``cliche``, ``superlative`` (style warning, C028) or ``structural`` (no regex:
    advice the analyzer cannot detect, listed for the UI). ``at_start`` patterns (``\\A``) only
    apply to the first sentence of a statement. ``sources`` keep the file's order, except that
    forum threads go last.
    """

    id: str
    category: str
    regex: str
    label: str
    kind: str
    sources: tuple[Source, ...]
    compiled: re.Pattern | None = field(default=None, compare=False, repr=False)
    at_start: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "at_start", "\\A" in self.regex)

    @property
    def source(self) -> Source:
        return self.sources[0]


def source_for(url: str) -> Source:
    """A ``Source`` for ``url``, labelled from ``SOURCE_LABELS`` (else the host name)."""
    host = urlparse(url).netloc
    return Source(label=SOURCE_LABELS.get(host, host or url), url=url)


def parse_patterns(
    text: str, origin: str = "patterns", extensions: dict[str, str] | None = None
) -> tuple[Pattern, ...]:
    """Parse the CSV ``text`` of a pattern file into compiled ``Pattern`` rows.

    Takes the file's text, a name for messages and optional ``extensions`` (id -> an extra regex
    OR-ed into that row's, see ``EXTENSIONS``); returns the rows in file order.
    Steps: check the header has ``COLUMNS``; per row, require an id (unique), a label and at least
    one ``http(s)`` source URL; compile the regex case-insensitively (an empty regex makes a
    ``structural`` row). Raises ``ValueError`` naming the file, the row (1-based, header = row 1),
    the id and the reason, e.g. ``patterns row 4 (C003): regex: missing ), unterminated
    subpattern``.
    """
    extensions = extensions or {}
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"{origin}: header: missing column(s) {', '.join(missing)}")
    patterns: list[Pattern] = []
    seen: set[str] = set()
    for row_number, row in enumerate(reader, start=2):
        pattern_id = (row.get("id") or "").strip()
        where = f"{origin} row {row_number} ({pattern_id or 'no id'})"
        if not pattern_id:
            raise ValueError(f"{where}: id: must not be empty")
        if pattern_id in seen:
            raise ValueError(f"{where}: id: duplicate of an earlier row")
        seen.add(pattern_id)
        label = (row.get("label_own_wording") or "").strip()
        if not label:
            raise ValueError(f"{where}: label_own_wording: must not be empty")
        urls = [url.strip() for url in (row.get("source_urls") or "").split(";") if url.strip()]
        if not urls or any(not url.startswith(("http://", "https://")) for url in urls):
            raise ValueError(f"{where}: source_urls: needs one or more http(s) URLs")
        sources = sorted(
            (source_for(url) for url in urls),
            key=lambda source: urlparse(source.url).netloc in WEAK_SOURCES,
        )
        regex = (row.get("regex_case_insensitive") or "").strip()
        category = (row.get("category") or "").strip()
        compiled = None
        if regex and pattern_id in extensions:
            regex = f"(?:{regex})|(?:{extensions[pattern_id]})"
        if regex:
            try:
                compiled = re.compile(regex, re.IGNORECASE)
            except re.error as error:
                raise ValueError(f"{where}: regex: {error}") from None
            if compiled.search("") is not None:
                raise ValueError(f"{where}: regex: matches the empty string")
        kind = (
            "structural"
            if not regex
            else "superlative"
            if category in STYLE_CATEGORIES
            else "cliche"
        )
        patterns.append(Pattern(pattern_id, category, regex, label, kind, tuple(sources), compiled))
    return tuple(patterns)


@functools.cache
def load_patterns(path: Path = PATTERNS_FILE) -> tuple[Pattern, ...]:
    """The shipped patterns (or those of ``path``), read and compiled once per process.

    Returns every row, structural ones included; see ``parse_patterns`` for the checks.
    """
    return parse_patterns(path.read_text(encoding="utf-8"), origin=path.name, extensions=EXTENSIONS)
