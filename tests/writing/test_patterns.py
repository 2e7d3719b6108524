"""The shipped cliché patterns: loading, compiling, sources, and a clear error for a bad row."""

import pytest

from medmatch.writing import load_patterns, parse_patterns
from medmatch.writing.patterns import DATA_DIRECTORY

HEADER = "id,category,regex_case_insensitive,label_own_wording,source_urls,n_sources\n"


def test_it_loads_every_shipped_pattern_with_its_sources():
    patterns = load_patterns()
    assert [pattern.id for pattern in patterns] == [f"C{n:03d}" for n in range(1, 29)]
    kinds = {pattern.id: pattern.kind for pattern in patterns}
    assert kinds["C025"] == kinds["C027"] == "structural"
    assert kinds["C028"] == "superlative"
    assert sum(kind == "cliche" for kind in kinds.values()) == 25
    for pattern in patterns:
        assert pattern.sources and all(s.url.startswith("http") for s in pattern.sources)
        assert pattern.source.label and "." not in pattern.source.label.split()[0][-1:]
        assert (pattern.compiled is None) == (pattern.kind == "structural")


def test_it_loads_once():
    assert load_patterns() is load_patterns()


def test_it_prefers_a_named_source_over_a_forum_thread():
    c003 = next(pattern for pattern in load_patterns() if pattern.id == "C003")
    assert c003.source.label == "Savvy Pre-Med"
    assert c003.sources[-1].label == "Student Doctor Network forum"


def test_it_ships_the_sources_file_beside_the_patterns():
    sources = (DATA_DIRECTORY / "SOURCES.md").read_text(encoding="utf-8")
    assert "commonly cited advice" in sources
    assert "residencyadvisor.com" in sources


def test_it_names_the_row_of_a_bad_regex():
    text = HEADER + (
        'C001,origin,\\bjourney\\b,"""journey""",https://example.org/a,1\n'
        "C002,origin,(unclosed,broken row,https://example.org/b,1\n"
    )
    with pytest.raises(ValueError, match=r"test\.csv row 3 \(C002\): regex: missing \)"):
        parse_patterns(text, origin="test.csv")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (",cat,\\bx\\b,label,https://example.org,1", r"row 2 \(no id\): id"),
        ("C001,cat,\\bx\\b,,https://example.org,1", r"row 2 \(C001\): label_own_wording"),
        ("C001,cat,\\bx\\b,label,not-a-url,1", r"row 2 \(C001\): source_urls"),
        ("C001,cat,x?,label,https://example.org,1", r"row 2 \(C001\): regex: matches the empty"),
    ],
)
def test_it_rejects_a_row_with_a_missing_or_bad_field(row, message):
    with pytest.raises(ValueError, match=message):
        parse_patterns(HEADER + row + "\n")


def test_it_rejects_a_duplicate_id_and_a_missing_column():
    row = "C001,cat,\\bx\\b,label,https://example.org,1\n"
    with pytest.raises(ValueError, match=r"row 3 \(C001\): id: duplicate"):
        parse_patterns(HEADER + row + row)
    with pytest.raises(ValueError, match="header: missing column"):
        parse_patterns("id,category\nC001,cat\n")


# Every site the shipped advice cites, reviewed by hand (2026-12) for what it is cited for:
# residency and medical-school personal-statement advice. swiipeclock.com, a time-clock vendor's
# copy of an EssayEdge article, was dropped for EssayEdge's own page.
REVIEWED_SITES = {
    "residencyadvisor.com",
    "news.yahoo.com",
    "www.essayedge.com",
    "www.savvypremed.com",
    "www.doctorsintraining.com",
    "insidermedicaladmissions.blogspot.com",
    "docslib.org",
    "forums.studentdoctor.net",
}


def test_it_cites_only_reviewed_sites_each_with_a_label():
    from urllib.parse import urlparse

    from medmatch.writing.patterns import SOURCE_LABELS

    hosts = {urlparse(s.url).netloc for pattern in load_patterns() for s in pattern.sources}
    assert hosts == REVIEWED_SITES
    assert hosts <= set(SOURCE_LABELS)
    assert "://www.swiipeclock" not in (DATA_DIRECTORY / "SOURCES.md").read_text()
    for pattern in load_patterns():
        assert pattern.sources, pattern.id
