"""The concreteness model: what a sentence carries decides, and every flag says why."""

import json
import re

import pytest

from medmatch.writing import analyze
from medmatch.writing.concreteness import FEATURES, MODEL_FILE, SIGNS, judge, sentence_features


@pytest.mark.parametrize(
    "text",
    [
        "I screened 212 farmworkers for latent TB at a mobile clinic outside Salinas.",
        "Dr. Alvarez let me close the fascia on a trauma laparotomy.",
        "I am passionate about airway management, so I logged 46 intubations in the sim lab.",
        "I want to run group prenatal visits because the Spanish-speaking mothers missed half "
        "their appointments.",
    ],
)
def test_it_passes_sentences_that_carry_a_particular(text):
    assert not judge(text).generic


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("I am a hard-working, compassionate and dedicated individual.", "trait"),
        ("Lakeshore's supportive culture and dedication to teaching make it ideal.", "praises"),
        ("My ICU rotation taught me resilience and the value of hard work.", ""),
        ("As Osler said, listen to your patient.", "famous saying"),
        ("After four years of medical school, I developed strong clinical skills.", ""),
        ("Medicine is both an art and a science.", "general truth"),
    ],
)
def test_it_flags_generic_sentences_even_with_names_numbers_or_acronyms(text, reason):
    judgement = judge(text)
    assert judgement.generic
    assert reason in judgement.reason
    assert judgement.suggestion


def test_it_names_stock_framing_in_the_reason():
    text = "After four years of medical school in Boston, I am ready for residency."
    (flag,) = [flag for flag in analyze(text).flags if flag.kind == "generic"]
    assert "\u201cBoston\u201d" in flag.reason or "\u201cfour\u201d" in flag.reason
    assert "Try: " in flag.reason
    assert re.search(r"\b[CG]\d{2,3}\b", flag.reason) is None


def test_it_turns_a_cliche_in_a_specific_sentence_into_a_style_note():
    text = "Ever since I was a child with asthma, I have taught spacer technique to 40 patients."
    kinds = [flag.kind for flag in analyze(text).flags]
    assert "stock_phrase" in kinds and "generic" not in kinds and "cliche" not in kinds
    assert not analyze(text).sentences[0].flagged


def test_it_counts_things_done_but_not_stock_numbers():
    done = sentence_features("I read 600 echocardiograms.").values
    stock = sentence_features("At 3 a.m. after four years of medical school I was tired.").values
    assert done["counts"] == 1 and done["stock_numbers"] == 0
    assert stock["counts"] == 0 and stock["stock_numbers"] == 1


def test_it_tells_doing_from_realising():
    assert sentence_features("I taught ultrasound to first-years.").values["event_verbs"] == 1
    realised = sentence_features("The ward taught me patience.").values
    assert realised["event_verbs"] == 0 and realised["realised"] == 1


def test_a_program_feature_makes_a_sentence_specific():
    from medmatch.writing import ProgramContext

    program = ProgramContext(institution_name="Lakeshore", description_keywords=("night float",))
    text = "The night float is why I want to train here."
    assert analyze(text).sentences[0].flagged
    assert not analyze(text, program=program).sentences[0].flagged


def test_the_committed_model_is_readable_and_keeps_its_signs():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert set(data["weights"]) == set(FEATURES)
    assert "tune" in data["trained_on"] and 0 < data["threshold"] < 1
    for name, sign in SIGNS.items():
        assert data["weights"][name] * sign >= 0, name
