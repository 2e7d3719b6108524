"""Program-feature mentions that survive paraphrase, and copy-paste errors named."""

from medmatch.writing.mentions import ProgramFeatures, concept, feature_mentions

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
