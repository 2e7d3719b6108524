"""analyze(): flags with exact offsets, the generic rule, specificity and metrics."""

import dataclasses
import json
import re

import pytest

from medmatch.writing import ProgramContext, analyze, short_forms

LAKESHORE = ProgramContext(
    program_title="Internal Medicine Residency",
    institution_name="Lakeshore University Hospital",
    institution_short_forms=("Lakeshore", "LUH"),
    specialty_names=("Internal Medicine",),
    city="Duluth",
    region="Minnesota",
    departments=("Cardiology", "Gastroenterology", "Internal Medicine"),
    setting="academic",
    has_mentorship=True,
    has_research=None,
    description_keywords=("point-of-care ultrasound",),
)


def _kinds(analysis):
    return [[flag.kind for flag in sentence.flags] for sentence in analysis.sentences]


def test_it_flags_a_cliche_with_the_exact_phrase_reason_and_source():
    text = "Intro line here.  Ever since I was a child, I have wanted this."
    analysis = analyze(text)
    [flag] = [flag for flag in analysis.flags if flag.kind == "cliche"]
    assert text[flag.start : flag.end] == "Ever since I was a child"
    assert flag.rule == "C001"
    assert "since I was a child" in flag.reason
    assert flag.source_label == "ResidencyAdvisor"
    assert flag.source_url.startswith("https://residencyadvisor.com/")
    assert len(flag.sources) == 3
    assert analysis.sentences[1].start <= flag.start < flag.end <= analysis.sentences[1].end


def test_it_flags_a_sentence_that_would_fit_any_program():
    text = "I am applying to your prestigious program because it values excellence."
    [flag] = analyze(text).flags
    assert flag.kind == "generic"
    assert (flag.start, flag.end) == (0, len(text))
    assert flag.reason.startswith("Would fit any program")
    assert "Prepare a Strong Application Package" in flag.source_label


@pytest.mark.parametrize(
    "text",
    [
        "Lakeshore's excellent point-of-care ultrasound course is why I applied.",
        "Your program's weekly ECG conference with Dr. Okafor would sharpen my reading.",
        "I believe I would thrive in Duluth, where I spent 3 winters as an EMT.",
        "The gastroenterology team's hepatitis C clinic is a great fit for my research.",
    ],
)
def test_it_does_not_flag_praise_that_names_something_specific(text):
    assert [flag.kind for flag in analyze(text, program=LAKESHORE).flags] == []


def test_it_marks_the_first_sentence_only_for_a_cinematic_opening():
    text = "It was a stormy night in the ED. It was a stormy night again."
    analysis = analyze(text)
    assert any(flag.rule == "C019" for flag in analysis.sentences[0].flags)
    assert not any(flag.rule == "C019" for flag in analysis.sentences[1].flags)


def test_it_reports_mentioned_aspects_and_what_it_could_mention():
    text = "In Duluth I joined the cardiology consult team. A mentor there changed how I work."
    report = analyze(text, program=LAKESHORE).specificity
    mentioned = {aspect.kind: aspect for aspect in report.mentioned}
    assert set(mentioned) == {"city", "department", "mentorship"}
    assert mentioned["department"].label == "Cardiology"
    start, end = mentioned["city"].spans[0]
    assert text[start:end] == "Duluth"
    missing = {(aspect.kind, aspect.label) for aspect in report.could_mention}
    assert ("institution", "Lakeshore University Hospital") in missing
    assert ("department", "Gastroenterology") in missing
    assert ("keyword", "point-of-care ultrasound") in missing
    assert ("research", "research facilities") in missing
    assert ("department", "Internal Medicine") not in missing  # the specialty itself
    research = next(a for a in report.could_mention if a.kind == "research")
    assert "check the program's site" in research.hint  # unknown in the catalog, not "no"
    assert report.score == pytest.approx(3 / (3 + len(report.could_mention)))


def test_it_lists_the_general_aspects_without_a_program():
    report = analyze("I want to work with a mentor in a research lab.").specificity
    assert not report.program_given
    assert {aspect.kind for aspect in report.mentioned} == {"mentorship", "research"}
    assert [aspect.kind for aspect in report.could_mention] == ["patient_centred_care"]


def test_it_finds_short_forms_and_initials_of_an_institution():
    assert short_forms("Lakeshore University Hospital") == ("Lakeshore", "LUH")
    assert short_forms("Northgate Regional Medical Center") == ("Northgate", "NRMC")
    assert short_forms("General Hospital") == ()
    report = analyze("At LUH I learned. At luh I did not.", program=LAKESHORE).specificity
    institution = next(a for a in report.mentioned if a.kind == "institution")
    assert institution.spans == ((3, 6),)  # initials match in capitals only


def test_it_reports_length_against_a_limit():
    text = "I ran a free clinic for two years. " * 10
    metrics = analyze(text, limit_words=80).metrics
    assert metrics.words == 80 and metrics.sentences == 10
    assert metrics.over_limit is False
    assert analyze(text, limit_words=79).metrics.over_limit is True
    assert analyze(text, limit_chars=len(text) - 1).metrics.over_limit is True
    assert analyze(text).metrics.over_limit is None
    with pytest.raises(ValueError, match="limit_words"):
        analyze(text, limit_words=-1)


def test_it_scores_simple_text_as_easier_to_read_than_complex_text():
    simple = "I saw the man. He was sick. I sat with him. We spoke for an hour."
    complex_text = (
        "Longitudinal multidisciplinary collaboration characterizes contemporary interventional "
        "cardiology, necessitating sophisticated understanding of hemodynamic physiology, "
        "pharmacological anticoagulation, and procedural decision-making under uncertainty."
    )
    simple_score = analyze(simple).metrics.flesch_reading_ease
    complex_score = analyze(complex_text).metrics.flesch_reading_ease
    assert simple_score > 90 > 0 > complex_score
    assert analyze("").metrics.flesch_reading_ease is None


def test_it_flags_repeated_openings_and_counts_repeated_words():
    text = "I saw patients. I wrote notes. I presented cases. Patients liked patients' rounds."
    analysis = analyze(text)
    assert _kinds(analysis)[2] == ["repeated_opening"]
    flag = analysis.sentences[2].flags[0]
    assert text[flag.start : flag.end] == "I"
    assert analysis.metrics.repeated_openings == (("I", 3),)
    assert ("patients", 3) in analysis.metrics.repeated_words
    assert analysis.metrics.first_person_density == pytest.approx(3 / 13)


def test_it_flags_long_sentences():
    text = (
        "On the night shift "
        + " ".join(["I admitted a farmworker with pesticide poisoning"] * 5)
        + ". Short one."
    )
    assert _kinds(analyze(text))[0] == ["long_sentence"]


def test_it_returns_frozen_plain_data_that_serialises_to_json():
    analysis = analyze("I want to help people. Your program is excellent.", limit_words=650)
    with pytest.raises(dataclasses.FrozenInstanceError):
        analysis.metrics.words = 1
    data = json.loads(json.dumps(analysis.to_dict()))
    assert [len(sentence["flags"]) for sentence in data["sentences"]] == [2, 1]
    assert [flag["rule"] for flag in data["sentences"][0]["flags"]] == ["generic", "C007"]
    assert data["metrics"]["limit_words"] == 650
    assert data["structural_advice"][0]["rule"] == "C025"


def test_it_rejects_a_bad_program_context():
    with pytest.raises(ValueError, match="setting"):
        ProgramContext(setting="rural")
    with pytest.raises(ValueError, match="departments"):
        ProgramContext(departments="Cardiology")
    with pytest.raises(ValueError, match="unknown field"):
        ProgramContext.from_dict({"hospital": "x"})


def test_it_never_shows_internal_codes_in_a_reason():
    text = (
        "I am a hard-working, dedicated team player who wants the best possible care, and I "
        "look forward to your program. Ever since I was a child, I have truly loved this."
    )
    analysis = analyze(text, program=LAKESHORE)
    reasons = [flag.reason for flag in analysis.flags + analysis.structural_advice]
    assert reasons
    for reason in reasons:
        assert re.search(r"\b[CG]\d{2,3}\b", reason) is None, reason
    generic = [flag for flag in analysis.flags if flag.kind == "generic"]
    assert generic and all("Try: " in flag.reason for flag in generic)


@pytest.mark.parametrize(
    "text", ["I am a hard worker and a team player.", "I am a hard-working team player."]
)
def test_it_gives_a_self_description_a_reason_about_the_applicant(text):
    (flag,) = analyze(text).flags
    assert flag.kind == "generic"
    assert flag.reason.startswith(
        "Any applicant could write this: it states a trait with no example"
    )
    assert "program" not in flag.reason


# (aspect kind, a text that names it, a text that uses its words without naming it)
ASPECT_CASES = [
    ("institution", "I rotated at Lakeshore last spring.", "The lakeshore path was quiet."),
    ("institution", "LUH runs a night float.", "Luh is not a word."),
    ("specialty", "Internal medicine lets me follow patients.", "Medicine is my calling."),
    ("city", "My family lives in Duluth.", "Nothing about the place."),
    ("department", "The cardiology consult team taught me.", "I enjoyed gastric physiology."),
    ("setting", "I want to train in an academic medical center.", "My academic record is good."),
    ("mentorship", "A mentor there changed how I work.", "I work alone."),
    ("research", "I joined a registry of heart failure.", "I study hard and learn by trial."),
    ("keyword", "I learned point-of-care ultrasound.", "I like sound."),
]


@pytest.mark.parametrize(("kind", "names", "does_not"), ASPECT_CASES)
def test_it_lists_an_aspect_as_mentioned_only_when_the_text_names_it(kind, names, does_not):
    def mentioned(text):
        return {aspect.kind for aspect in analyze(text, program=LAKESHORE).specificity.mentioned}

    assert kind in mentioned(names)
    assert kind not in mentioned(does_not)


def test_it_needs_a_common_word_department_named_as_a_department():
    program = dataclasses.replace(
        LAKESHORE, specialty_names=("Pediatrics",), departments=("Medicine",)
    )

    def departments(text):
        report = analyze(text, program=program).specificity
        return [aspect.label for aspect in report.mentioned if aspect.kind == "department"]

    assert departments("Medicine is hard. I chose medicine.") == []
    assert departments("I rotated in the Department of Medicine.") == ["Medicine"]


def test_it_needs_the_capital_of_a_hospital_named_by_a_common_word():
    program = dataclasses.replace(
        LAKESHORE, institution_name="Mercy Hospital", institution_short_forms=("Mercy",)
    )

    def institution(text):
        report = analyze(text, program=program).specificity
        return "institution" in {aspect.kind for aspect in report.mentioned}

    assert institution("I shadowed at Mercy in 2023.")
    assert not institution("The nurse showed mercy to everyone.")


def test_it_lists_a_general_aspect_only_when_the_text_names_it():
    report = analyze("I studied hard for the trial exam and the database course.").specificity
    assert report.mentioned == ()
    report = analyze("My research mentor ran a biobank.").specificity
    assert {aspect.kind for aspect in report.mentioned} == {"research", "mentorship"}
