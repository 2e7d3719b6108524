"""Program-feature mentions that survive paraphrase, and copy-paste errors named."""

from medmatch.writing.mentions import ProgramFeatures, concept, feature_mentions, normalize

PINE = ProgramFeatures(
    "pine",
    "Pinewood Regional Internal Medicine Residency",
    {
        "f1": "dedicated nocturnists for overnight admissions",
        "f2": "four-week point-of-care ultrasound block in the intern year",
        "f3": "protected research month with a biostatistics core",
    },
)
IRON = ProgramFeatures(
    "iron",
    "Iron Hill General Surgery Residency",
    {"f1": "rural surgery rotation at a critical access hospital", "f2": "robotic surgery"},
)


def test_it_finds_a_paraphrased_feature():
    text = "At your program, overnight admissions are handled by nocturnists. I like that."
    assert feature_mentions(text, PINE).mentioned == ("f1",)


def test_it_does_not_count_a_near_miss_or_the_program_name():
    text = "I like night shifts. Pinewood Regional Internal Medicine Residency is my first choice."
    assert feature_mentions(text, PINE).mentioned == ()


def test_it_finds_a_feature_described_over_two_sentences():
    text = "I want a month away from the wards. I would use it for research with biostatisticians."
    assert "f3" in feature_mentions(text, PINE).mentioned


def test_it_names_a_copy_paste_error():
    text = (
        "Your ultrasound block in the intern year is why I applied. I also want the rural surgery "
        "rotation at the critical access hospital."
    )
    result = feature_mentions(text, PINE, (PINE, IRON))
    assert result.mentioned == ("f2",)
    assert [(item.program, item.key) for item in result.foreign] == [("iron", "f1")]
    (warning,) = result.warnings
    assert warning.startswith("This describes Iron Hill General Surgery Residency\u2019s feature")
    assert "not Pinewood Regional Internal Medicine Residency\u2019s" in warning


def test_synonyms_share_a_concept():
    assert concept("overnight") == concept("nights")
    assert concept("admitted") == concept("admissions")
    assert concept("lobbying") == concept("advocacy")


def test_numbers_years_and_durations_are_normalised():
    text = "The second-year residents spend two months at a twenty-five-bed hospital; PGY-3 too."
    assert normalize(text) == ("The pgy2 residents spend dur8w at a 25-bed hospital; pgy3 too.")
    assert normalize("about 7,000 deliveries a year, for a dozen hospitals") == (
        "about 7000 deliveries a year, for a 12 hospitals"
    )
    assert normalize("my second year of medical school") == "my second year of medical school"


def test_abbreviations_and_their_expansions_are_one_concept():
    assert normalize("the intensive care unit and the emergency department") == "the icu and the ed"
    assert concept(normalize("point-of-care ultrasound")) == concept("ultrasound")


NEURO = ProgramFeatures(
    "neuro",
    "Quill Neurology Residency",
    {
        "f1": "Residents take telestroke calls for twelve rural hospitals in the region",
        "f2": "Eight-week neuro-ICU rotation in PGY-2",
        "f3": "Funded four-week global health rotation at a partner hospital in Mzuzu, Malawi",
    },
)


def test_a_paraphrase_with_numbers_and_a_closed_compound_is_a_mention():
    text = (
        "Your residents are the voice on the video screen when a small hospital has a stroke "
        "patient, and they do that for a dozen hospitals. Two months in the neuro-ICU during "
        "the second year would deepen my skills."
    )
    assert feature_mentions(text, NEURO).mentioned == ("f1", "f2")


def test_a_rare_place_name_only_one_feature_has_anchors_it():
    text = "I was excited about the month your residents spend at the district hospital in Mzuzu."
    assert feature_mentions(text, NEURO).mentioned == ("f3",)
    assert feature_mentions("Malawi is far away.", NEURO).mentioned == ()


OBSTETRICS = ProgramFeatures(
    "ob", "Tamsworth Obstetrics and Gynecology Residency", {"f1": "Postpartum home visits"}
)
ANESTHESIA = ProgramFeatures(
    "anes",
    "Norrington Anesthesiology Residency",
    {"f1": "Obstetric anesthesia at a hospital with about 7,000 deliveries a year"},
)


def test_a_foreign_feature_needs_more_than_the_addressed_programs_specialty():
    """In a letter to an obstetrics program, "births" is no evidence of the anesthesia
    program's obstetric-anesthesia feature; its own specialty word and count are."""
    plain = "I attended thirty births as a doula and want to share a labor floor with midwives."
    result = feature_mentions(plain, OBSTETRICS, (OBSTETRICS, ANESTHESIA))
    assert result.foreign == ()
    pasted = "I want to give anesthesia at a hospital with 7,000 deliveries a year."
    result = feature_mentions(pasted, OBSTETRICS, (OBSTETRICS, ANESTHESIA))
    assert [(item.program, item.key) for item in result.foreign] == [("anes", "f1")]
