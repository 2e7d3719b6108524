"""Properties: analyze() never raises on any text, and every offset lies where it should."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medmatch.writing import ProgramContext, analyze, split_sentences

PROGRAM = ProgramContext(
    institution_name="Lakeshore University Hospital",
    institution_short_forms=("LUH",),
    specialty_names=("Internal Medicine",),
    city="Duluth",
    departments=("Cardiology",),
    setting="community",
    has_mentorship=True,
    has_research=True,
    description_keywords=("point-of-care ultrasound",),
)
# Arbitrary unicode, plus text made of pieces that trigger every rule, so both kinds are covered.
PIECES = st.sampled_from(
    [
        "Ever since I was a child",
        " your prestigious program",
        "Dr. ",
        "U.S.",
        " e.g. ",
        ". ",
        "! ",
        "? ",
        "\n\n",
        "I ",
        "always ",
        "Duluth",
        " LUH",
        "journey",
        "\u2019s",
        "\u2026",
        '"',
        " 3 ",
        "It was a stormy night",
        "  ",
    ]
)
TEXTS = st.one_of(st.text(max_size=400), st.lists(PIECES, max_size=40).map("".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, with_program=st.booleans(), limit=st.one_of(st.none(), st.integers(0, 50)))
def test_it_never_raises_and_keeps_every_offset_inside_the_text_and_its_sentence(
    text, with_program, limit
):
    original = str(text)
    analysis = analyze(text, program=PROGRAM if with_program else None, limit_words=limit)
    assert text == original  # inputs are never changed
    previous_end = 0
    for index, sentence in enumerate(analysis.sentences):
        assert sentence.index == index
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        previous_end = sentence.end
        for flag in sentence.flags:
            assert sentence.start <= flag.start < flag.end <= sentence.end
            assert flag.reason and flag.source_label
    for aspect in analysis.specificity.mentioned:
        for start, end in aspect.spans:
            assert 0 <= start < end <= len(text)
    assert analysis.metrics.sentences == len(analysis.sentences)
    assert sum(sentence.words for sentence in analysis.sentences) == analysis.metrics.words


@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
def test_it_splits_into_sentences_that_cover_every_letter(text):
    spans = split_sentences(text)
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    assert all(index in covered for index, character in enumerate(text) if character.isalnum())
