"""Sentence splitting keeps offsets and does not cut after abbreviations."""

import pytest

from medmatch.writing import count_syllables, split_sentences
from tests.writing.evaluation import labelled_paragraphs


def _sentences(text):
    return [text[start:end] for start, end in split_sentences(text)]


def test_it_splits_on_terminators_and_keeps_offsets():
    text = "  I ran the clinic. Did it work?  Yes!\n"
    assert _sentences(text) == ["I ran the clinic.", "Did it work?", "Yes!"]
    assert split_sentences(text)[0] == (2, 19)


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Okafor taught me to read an ECG.",
        "I studied tropical diseases, e.g. malaria and dengue, in Ghana.",
        "She trained in the U.S. and moved to Lyon.",
        "I met Prof. Lee at St. Mary's clinic.",
        "Our team, i.e. Mr. Smith and I, ran 3.5 km.",
        "The study by Kim et al. showed a drop.",
    ],
)
def test_it_does_not_split_after_an_abbreviation(text):
    assert _sentences(text) == [text]


def test_it_splits_after_an_initialism_before_a_sentence_opener():
    text = "I earned my M.D. In 2020 I began research. I moved to the U.S. The move was hard."
    assert _sentences(text) == [
        "I earned my M.D.",
        "In 2020 I began research.",
        "I moved to the U.S.",
        "The move was hard.",
    ]


def test_it_keeps_closing_quotes_and_cuts_at_blank_lines():
    text = 'She said, "Come back tomorrow." I did.\n\nWhy Medicine\n\nI stayed.'
    assert _sentences(text) == [
        'She said, "Come back tomorrow."',
        "I did.",
        "Why Medicine",
        "I stayed.",
    ]


def test_it_agrees_with_the_labelled_sentences_of_the_evaluation_set():
    for paragraph, _program, text, spans in labelled_paragraphs():
        assert list(split_sentences(text)) == [(s, e) for s, e, _ in spans], paragraph["id"]


@pytest.mark.parametrize(
    ("word", "syllables"),
    [("the", 1), ("table", 2), ("physician", 3), ("medicine", 3), ("cared", 1), ("2021", 1)],
)
def test_it_estimates_syllables(word, syllables):
    assert count_syllables(word) == syllables
