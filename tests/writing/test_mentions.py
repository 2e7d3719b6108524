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


# --- Words compared by their lemma and root, not by a six-letter stem ---------------------------


def test_the_lemmatiser_undoes_inflection_only_where_english_agrees():
    from medmatch.writing.lemma import lemma

    assert lemma("counties") == "county"
    assert lemma("admitted") == "admit"
    assert lemma("caring") == "care"
    assert lemma("ridden") == "ride"
    assert lemma("morning") == "morning"  # not "morn"
    assert lemma("hundred") == "hundred"  # not "hundr"
    assert lemma("physics") == "physics"


def test_roots_join_derived_words_and_keep_look_alikes_apart():
    assert concept("navigation") == concept("navigational") == concept("navigate")
    assert concept("mammography") == concept("mammograms")
    assert concept("specialization") == concept("specialists")
    assert concept("interview") != concept("interventional")
    assert concept("counties") != concept("count")
    assert concept("internal") != concept("international")
    assert concept("medical") != concept("medication")
    assert concept("hospital") != concept("hospitalists")


def test_a_rare_closed_compound_counts_as_its_two_words_but_a_name_does_not():
    from medmatch.writing.lemma import compound_parts

    assert compound_parts("farmworker") == ("farm", "worker")
    assert compound_parts("nocturnist") is None
    dairy = ProgramFeatures(
        "dairy", "Cowell Family Medicine Residency", {"f1": "farmworker health"}
    )
    assert feature_mentions("I care for farm workers and their health.", dairy).mentioned == ("f1",)
    pass_ = ProgramFeatures("pass", "Ridge Emergency Medicine Residency", {"f1": "Sawtooth rescue"})
    # "Sawtooth" is a name: it is not "saw" + "tooth", and "tooth" alone is no mention.
    assert feature_mentions("I had a tooth pulled in rescue training.", pass_).mentioned == ()


def test_a_derived_capitalised_word_is_not_a_name_that_anchors_a_feature():
    radiology = ProgramFeatures(
        "rad",
        "Elmstead Diagnostic Radiology Residency",
        {"f1": "Early Specialization in Interventional Radiology pathway"},
    )
    text = "My mentor taught me that a low-intervention approach is often kindest."
    assert feature_mentions(text, radiology).mentioned == ()


def test_a_place_name_left_out_does_not_count_against_a_paraphrase():
    surgery = ProgramFeatures(
        "hill",
        "Corbin General Surgery Residency",
        {"f1": "Four-week rural surgery at a critical access hospital in Pellham"},
    )
    text = "I want the four weeks your residents spend operating at a small-town hospital."
    assert feature_mentions(text, surgery).mentioned == ("f1",)
    assert feature_mentions("I liked Pellham.", surgery).mentioned == ("f1",)  # still an anchor


# --- Abbreviations, schedules and general medical-education vocabulary --------------------------


CARDIO = ProgramFeatures(
    "heart",
    "Linden Cardiovascular Disease Fellowship",
    {
        "f1": "Structural heart program with TAVR",
        "f2": "Level II training in cardiac MRI",
        "f3": "Dedicated ECMO team",
    },
)


def test_an_acronym_is_read_as_its_words():
    text = (
        "I would like to learn transcatheter aortic valve replacement at a busy structural center."
    )
    assert feature_mentions(text, CARDIO).mentioned == ("f1",)
    text = "Reading cardiac magnetic resonance studies at level two is my goal."
    assert feature_mentions(text, CARDIO).mentioned == ("f2",)
    text = "Our patient was put on extracorporeal membrane oxygenation by a dedicated team."
    assert feature_mentions(text, CARDIO).mentioned == ("f3",)
    # Capitals only: "or" is not "operating room".
    assert "operating" not in normalize("days or weeks")
    assert "operating room" in normalize("time in the OR")


CLINIC = ProgramFeatures(
    "oak",
    "Oakfield Internal Medicine Residency",
    {
        "f1": "3+1 schedule with an ambulatory week after every inpatient block",
        "f2": "Saturday clinic for uninsured patients",
        "f3": "Robotic surgery simulator for PGY-1 residents",
        "f4": "Psychologist co-located in clinic for same-day visits",
    },
)


def test_an_x_plus_y_schedule_is_one_token_whatever_its_wording():
    assert "xyschedule" in normalize("every fourth week")
    assert "xyschedule" in normalize("a 4+1 block model")
    assert "xyschedule" in normalize("one week out of every four")
    assert "xyschedule" not in normalize("one of four residents")
    text = "I like that one week in four is spent with outpatients, away from the floor."
    assert feature_mentions(text, CLINIC).mentioned == ("f1",)


def test_paraphrases_of_insurance_weekends_interns_and_the_same_day():
    text = "On weekends your residents see people without health insurance in a free clinic."
    assert feature_mentions(text, CLINIC).mentioned == ("f2",)
    text = "Interns can practise on the robot in the sim lab."
    assert feature_mentions(text, CLINIC).mentioned == ("f3",)
    text = (
        "A psychologist works down the hall in the clinic, so patients are seen the same afternoon."
    )
    assert feature_mentions(text, CLINIC).mentioned == ("f4",)


def test_a_level_one_center_is_a_trauma_center():
    assert normalize("our Level I center") == "our level1 trauma center"
    assert normalize("a level-one trauma center") == "a level1 trauma center"


# --- Transparency --------------------------------------------------------------------------------


def test_each_mention_says_which_words_matched():
    text = "At your program, overnight admissions are handled by nocturnists."
    (item, *_) = feature_mentions(text, PINE).features
    assert item.mentioned
    assert ("nocturnists", "nocturnists") in item.evidence
    assert ("admissions", "admissions") in item.evidence
    assert "overnight" in item.explain()
    assert item.to_dict()["evidence"]
    text = "Two months of ultrasound in my second year would be ideal."
    (_, item, _) = feature_mentions(text, PINE).features
    assert item.mentioned is False


def test_a_known_abbreviation_is_a_kind_of_unit_not_a_name_that_anchors():
    peds = ProgramFeatures(
        "fair", "Fairmont Pediatrics Residency", {"f1": "NICU with a regional transport team"}
    )
    assert feature_mentions("I worked nights in the NICU as an aide.", peds).mentioned == ()
    text = "Your NICU transport team brings newborns in from the whole region."
    assert feature_mentions(text, peds).mentioned == ("f1",)


def test_the_words_of_one_abbreviation_count_as_one_thing_matched():
    from medmatch.writing.mentions import _distinct

    words = {concept("magnetic"), concept("resonance"), concept("imaging")}
    assert _distinct(words) == 1
    assert _distinct(words | {concept("cardiac")}) == 2


def test_a_common_word_joins_a_synonym_group_only_as_itself():
    assert concept("continue") != concept("continuity")
    assert concept("observation") == concept("observed")  # rarer words join by their root


def test_a_large_count_matches_a_rounded_one_but_a_small_one_must_be_exact():
    anesthesia = ProgramFeatures(
        "cob",
        "Cobalt Anesthesiology Residency",
        {
            "f1": "Cardiac anesthesia at a center performing 900 open-heart cases a year",
            "f2": "12-hour shifts in the pain clinic",
        },
    )
    text = "I want to work where nearly a thousand heart cases are done each year."
    result = feature_mentions(text, anesthesia)
    assert result.mentioned == ("f1",)
    assert "1000 (about) ~ 900" in result.features[0].explain()
    assert feature_mentions("Ten-hour shifts suit me.", anesthesia).mentioned == ()


def test_words_that_mention_one_feature_do_not_lend_themselves_to_the_next_sentence():
    heart = ProgramFeatures(
        "gw",
        "Greenway Cardiovascular Disease Fellowship",
        {
            "f1": "Sports cardiology clinic for athletes",
            "f2": "Cardio-obstetrics clinic for pregnant patients",
        },
    )
    text = (
        "Your clinic for pregnant patients with heart disease is a model I admire. "
        "Outside work I run marathons with other athletes."
    )
    assert feature_mentions(text, heart).mentioned == ("f2",)


def test_level_tokens_are_whole_words():
    from medmatch.writing.mentions import _words

    words = [word for word, _ in _words("Level II training at a Level I center")]
    assert words[:2] == ["level2", "training"]
    assert "level1" in words and "trauma" in words


def test_general_phrases_of_training_design_read_as_one_word():
    assert normalize("ultrasound taught across all three years") == (
        "ultrasound taught longitudinal"
    )
    assert normalize("a fast-track into fellowship") == "a accelerated into fellowship"
    assert normalize("first-episode psychosis") == "early psychosis"
    assert normalize("3D mammography") == "tomosynthesis"
    assert normalize("a hospital medicine track") == "a hospitalist track"
    assert concept("physics") == concept("physicists")
    assert concept("consultant") == concept("consults")
    psych = ProgramFeatures(
        "ash", "Ashcombe Psychiatry Residency", {"f1": "Early psychosis clinic for young adults"}
    )
    text = "Working with young adults in their first episode of psychosis is my main interest."
    assert feature_mentions(text, psych).mentioned == ("f1",)


def test_hyphenated_synonyms_are_read_whole():
    assert concept(normalize("end-of-life")) == concept("hospice")
    assert "wellbeing" in normalize("resident well-being")
    palliative = ProgramFeatures(
        "pal",
        "Larkspur Internal Medicine Residency",
        {"f1": "Hospice and palliative care rotation"},
    )
    text = "I want a rotation in end-of-life care."
    assert feature_mentions(text, palliative).mentioned == ("f1",)
