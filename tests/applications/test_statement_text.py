"""The editor's pure helpers: flagged spans as highlight segments with footnotes, and the
word-level diff between two versions."""

from hypothesis import given
from hypothesis import strategies as st

from medmatch.applications.statement_text import Mark, diff_counts, segments, word_diff


def test_it_cuts_nested_marks_into_segments_with_the_note_where_each_ends():
    text = "Ever since I was a child I wanted this. Fine."
    marks = [Mark(0, 39, "generic", 1), Mark(0, 24, "cliche", 2)]
    result = segments(text, marks)
    assert "".join(s.text for s in result) == text
    assert result[0].text == "Ever since I was a child"
    assert result[0].kinds == ("generic", "cliche")
    assert result[0].notes == (2,)
    assert result[1].kinds == ("generic",) and result[1].notes == (1,)
    assert result[2].kinds == () and result[2].text == " Fine."


def test_it_ignores_empty_marks_and_clips_those_past_the_end():
    result = segments("abc", [Mark(1, 1, "cliche", 1), Mark(2, 99, "cliche", 2)])
    assert [(s.text, s.kinds) for s in result] == [("ab", ()), ("c", ("cliche",))]


def test_it_diffs_word_by_word():
    pairs = word_diff("I want to help people.", "I want to train in Boston.")
    assert pairs == (
        ("equal", "I want to "),
        ("delete", "help people."),
        ("insert", "train in Boston."),
    )
    assert diff_counts(pairs) == {"insert": 3, "delete": 2}
    assert word_diff("same", "same") == (("equal", "same"),)


@given(st.text(max_size=200), st.text(max_size=200))
def test_it_diffs_so_both_texts_can_be_rebuilt(old, new):
    pairs = word_diff(old, new)
    assert "".join(t for op, t in pairs if op != "insert") == old
    assert "".join(t for op, t in pairs if op != "delete") == new


@given(
    st.text(max_size=100),
    st.lists(st.tuples(st.integers(-5, 110), st.integers(-5, 110)), max_size=6),
)
def test_it_always_gives_back_the_whole_text(text, spans):
    marks = [Mark(a, b, "cliche", n) for n, (a, b) in enumerate(spans, start=1)]
    assert "".join(s.text for s in segments(text, marks)) == text
