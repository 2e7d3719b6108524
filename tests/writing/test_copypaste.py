"""Copy-paste checks: a sentence of a variant for program A that names another program's
institution or describes another program's listed feature. Sentences written for these tests,
not taken from any corpus."""

from medmatch.writing import ProgramContext, analyze, short_forms
from medmatch.writing.copypaste import copy_paste_notes, distinctive_names, program_features


def _program(pid, title, institution, city, region, departments=(), keywords=()):
    return ProgramContext(
        program_id=pid,
        program_title=title,
        institution_name=institution,
        institution_short_forms=short_forms(institution),
        specialty_names=(title,),
        city=city,
        region=region,
        departments=departments,
        description_keywords=keywords,
    )


OWN = _program(
    1,
    "Internal Medicine",
    "Wrenfield University Hospital",
    "Dayton",
    "OH",
    ("Cardiology", "Nephrology"),
    ("Night Float System",),
)
OTHER = _program(
    2,
    "Internal Medicine",
    "Saltmarsh Medical Center",
    "Galveston",
    "TX",
    ("Cardiology",),
    ("Ferry Landing Free Clinic", "Tidewater Refugee Health Track"),
)
PEDS = _program(3, "Pediatrics", "Brackenridge Children's Hospital", "Austin", "TX")


def _notes(text, program=OWN, others=(OTHER, PEDS)):
    return copy_paste_notes(text, program, others)


def test_it_names_another_programs_institution_as_a_question():
    text = "I loved my time in Dayton. At Saltmarsh Medical Center I would grow as an internist."
    (note,) = _notes(text)
    assert (note.kind, note.named, note.program_id) == (
        "institution",
        "Saltmarsh Medical Center",
        2,
    )
    assert text[note.start : note.end] == note.sentence
    assert note.sentence.startswith("At Saltmarsh")
    assert note.message == (
        "This names Saltmarsh Medical Center, another program you apply to \u2014 "
        "was it copied from that variant?"
    )


def test_a_short_form_is_named_with_the_full_name_and_a_possessive_is_dropped():
    (note,) = _notes("Saltmarsh's night team taught me a lot.")
    assert note.named == "Saltmarsh"
    assert note.message.startswith("This names Saltmarsh (Saltmarsh Medical Center), another")
    (note,) = _notes("The BCH clinic was where I learned pediatrics.")
    assert note.institution_name == "Brackenridge Children's Hospital"


def test_naming_this_program_a_city_or_a_lower_case_word_is_no_copy_paste():
    assert _notes("Wrenfield University Hospital is where I want to train, near Dayton.") == ()
    assert _notes("I grew up in Galveston and Austin, and my aunt lives in TX.") == ()
    assert _notes("The saltmarsh behind our house flooded every spring.") == ()
    assert _notes("My mentor, Dr. Saltmarsh, taught me to listen.") == ()


def test_a_name_this_program_shares_is_not_distinctive():
    mine = _program(4, "Surgery", "Saltmarsh Medical Center North", "Galveston", "TX")
    assert distinctive_names(mine, OTHER) == ()
    assert _notes("At Saltmarsh Medical Center I would learn surgery.", program=mine) == ()
    # Two programs of the same institution: naming it is naming this one.
    same = _program(5, "Pediatrics", "Wrenfield University Hospital", "Dayton", "OH")
    assert _notes("Wrenfield University Hospital trained my mother.", others=(same,)) == ()


def test_it_names_a_feature_of_another_program():
    text = "I want to spend my Saturdays at the Ferry Landing Free Clinic."
    (note,) = _notes(text)
    assert (note.kind, note.feature, note.program_id) == ("feature", "Ferry Landing Free Clinic", 2)
    assert "a feature of Saltmarsh Medical Center (Internal Medicine)" in note.message
    assert "not of Wrenfield University Hospital" in note.message
    assert note.message.endswith("was it copied from that variant?")


def test_the_same_topic_without_the_other_programs_feature_is_a_near_miss():
    assert _notes("I want to spend my Saturdays at a free clinic.") == ()
    assert _notes("Refugee health matters to me because my family arrived as refugees.") == ()


def test_a_feature_both_programs_list_belongs_to_this_one():
    assert _notes("I want to learn cardiology in a busy heart clinic.") == ()


def test_this_program_among_the_others_is_skipped():
    text = "At Wrenfield University Hospital I would join the Night Float System."
    assert _notes(text, others=(OWN,)) == ()


def test_one_note_per_sentence_and_program_the_name_first():
    text = "At Saltmarsh I would volunteer at the Ferry Landing Free Clinic."
    (note,) = _notes(text)
    assert note.kind == "institution"


def test_program_features_are_departments_and_description_phrases():
    features = program_features(OTHER)
    assert features.id == "2"
    assert set(features.features.values()) == {
        "Cardiology",
        "Ferry Landing Free Clinic",
        "Tidewater Refugee Health Track",
    }


def test_analyze_reports_copy_paste_only_with_a_program():
    text = "At Saltmarsh Medical Center I would grow as an internist."
    analysis = analyze(text, program=OWN, others=(OTHER,))
    assert [note.kind for note in analysis.copy_paste] == ["institution"]
    assert analysis.to_dict()["copy_paste"][0]["named"] == "Saltmarsh Medical Center"
    assert analyze(text, others=(OTHER,)).copy_paste == ()
    assert analyze(text, program=OWN).copy_paste == ()
