"""check_answer(): the time and length checks, the STAR parts, the concrete-example and rambling
checks, table-driven; then properties against independent counts (hypothesis)."""

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medmatch.writing.answer_check import (
    FAST_WPM,
    LONG_SENTENCE_WORDS,
    check_answer,
    format_duration,
    sentences,
    speaking_seconds,
    words,
)

STORY = (
    "During my third-year surgery rotation, a patient's daughter was upset about a delayed "
    "discharge. I sat down with her, explained the plan and called the case manager. As a result "
    "she went home the next morning, and I learned to update families early."
)
VAGUE = "I am a team player and I always work well with everyone under pressure."


def _codes(feedback):
    return [finding.code for finding in feedback.findings]


@pytest.mark.parametrize(
    ("text", "seconds", "limit", "codes"),
    [
        (STORY, 80, 120, []),
        (STORY, 150, 120, ["over_time"]),
        (VAGUE, 30, 120, ["no_situation", "no_result", "no_example"]),
        (
            "During my rotation we had a septic patient. I called the rapid response team.",
            40,
            120,
            ["no_result"],
        ),
        (
            "On my medicine rotation one night a patient fell. The team handled it well and the "
            "patient recovered.",
            40,
            120,
            ["no_action"],
        ),
        (" ".join(["word"] * 400) + ".", 100, 120, ["too_long", "long_sentence"]),
    ],
    ids=["full-story", "over-time", "vague", "no-result", "no-action", "too-long"],
)
def test_it_flags_what_an_answer_lacks(text, seconds, limit, codes):
    feedback = check_answer(text, seconds_taken=seconds, time_limit_seconds=limit)
    for code in codes:
        assert code in _codes(feedback)
    if not codes:
        assert feedback.findings == ()
        assert feedback.score == 100


@pytest.mark.parametrize(
    "text",
    [
        "I am a team player and I always work well with everyone under pressure.",
        "I am a team player. I believe communication is key and I need to listen.",
        "I am a team player, so I always help my colleagues.",
        "I am a team player who is dedicated to patient care; I used to think teamwork matters.",
        "I wanted to be a doctor since I was a child and I loved science.",
    ],
)
def test_it_finds_no_action_in_self_description(text):
    feedback = check_answer(text, seconds_taken=30, time_limit_seconds=120)
    assert feedback.star.action is False
    assert "no_action" in _codes(feedback)


@pytest.mark.parametrize(
    "text",
    [
        STORY,
        "During my medicine rotation a patient with sepsis deteriorated at night. I called the "
        "resident and then I started fluids. As a result she recovered.",
        "On my first night shift a nurse who was new could not find a vein. I quietly showed her "
        "the ultrasound trick and we got the line in. In the end the patient had his antibiotics "
        "on time.",
        "When I was the only student on call, two families asked for updates at once. I decided "
        "to meet them together, and I wrote down each question. This helped both families.",
    ],
)
def test_it_finds_the_action_in_good_star_answers(text):
    feedback = check_answer(text, seconds_taken=60, time_limit_seconds=120)
    assert feedback.star.action is True
    assert feedback.star.situation is True
    assert feedback.star.result is True


def test_it_does_not_count_a_past_deed_without_a_situation_as_an_action():
    feedback = check_answer(
        "I am a team player. I helped others.", seconds_taken=10, time_limit_seconds=120
    )
    assert feedback.star.action is False


def test_it_calls_a_recorded_time_too_short_for_the_words_implausible():
    answer = " ".join(["word"] * 84) + " done."  # 85 words
    feedback = check_answer(answer, seconds_taken=4, time_limit_seconds=120)
    assert feedback.word_count == 85
    implausible = [f for f in feedback.findings if f.code == "implausible_time"]
    assert len(implausible) == 1
    assert "85 words cannot be said in 0:04" in implausible[0].message
    # The time check does not pass on a time that cannot be true.
    honest = check_answer(answer, seconds_taken=40, time_limit_seconds=120)
    assert "implausible_time" not in _codes(honest)
    assert feedback.checks_passed == honest.checks_passed - 1


def test_it_quotes_the_long_sentence_it_flags():
    long_sentence = "I " + " ".join(["really"] * LONG_SENTENCE_WORDS) + " tried"
    feedback = check_answer(f"{STORY} {long_sentence}.", seconds_taken=60, time_limit_seconds=120)
    (finding,) = [f for f in feedback.findings if f.code == "long_sentence"]
    assert finding.sentence == long_sentence + "."


def test_it_gives_no_score_when_there_is_no_text():
    feedback = check_answer("  ", seconds_taken=130, time_limit_seconds=120)
    assert feedback.score is None
    assert _codes(feedback) == ["over_time"]


def test_it_skips_the_story_checks_for_questions_that_are_not_stories():
    feedback = check_answer(
        "What do residents do in their research block?",
        seconds_taken=10,
        time_limit_seconds=60,
        expect_story=False,
    )
    assert feedback.star is None and feedback.concrete is None
    assert feedback.score == 100


def test_it_counts_an_outlines_lines_as_sentences():
    assert sentences("- situation: night shift\n- action: I called\n- result: stable") == [
        "situation: night shift",
        "action: I called",
        "result: stable",
    ]


@pytest.mark.parametrize(("seconds", "limit"), [(-1, 120), (10, 0)])
def test_it_rejects_impossible_times(seconds, limit):
    with pytest.raises(ValueError):
        check_answer(STORY, seconds_taken=seconds, time_limit_seconds=limit)


def test_it_formats_durations_as_minutes_and_seconds():
    assert [format_duration(s) for s in (0, 9, 60, 95, 3600)] == [
        "0:00",
        "0:09",
        "1:00",
        "1:35",
        "60:00",
    ]


def test_it_serialises_the_verdict_for_storage():
    data = check_answer(STORY, seconds_taken=80, time_limit_seconds=120).to_dict()
    assert data["star"] == {"situation": True, "action": True, "result": True}
    assert data["score"] == 100 and data["findings"] == []


ANSWERS = st.text(
    alphabet=st.sampled_from(list("abcdefghij IKLMN.,!?\n0123456789'-")), max_size=600
)


@given(
    text=ANSWERS,
    seconds=st.integers(min_value=0, max_value=4000),
    limit=st.integers(min_value=1, max_value=600),
)
def test_it_scores_between_0_and_100_and_counts_passed_checks(text, seconds, limit):
    feedback = check_answer(text, seconds_taken=seconds, time_limit_seconds=limit)
    if feedback.word_count == 0:
        assert feedback.score is None
    else:
        assert 0 <= feedback.score <= 100
        assert 0 <= feedback.checks_passed <= feedback.checks_total
    # The over-time flag is exactly "took longer than the limit".
    assert ("over_time" in _codes(feedback)) == (seconds > limit)
    # The implausible-time flag is exactly "more than 4 words a second".
    implausible = feedback.word_count > 4 * seconds
    assert ("implausible_time" in _codes(feedback)) == implausible


@given(text=ANSWERS, limit=st.integers(min_value=1, max_value=600))
def test_it_calls_an_answer_too_long_exactly_when_150_wpm_would_not_fit_it(text, limit):
    feedback = check_answer(text, seconds_taken=1, time_limit_seconds=limit)
    assert feedback.word_count == _count_words(text)
    if feedback.word_count:
        needed = feedback.word_count * 60 / FAST_WPM
        assert ("too_long" in _codes(feedback)) == (needed > limit)


def _count_words(text: str) -> int:
    """Brute force: a word starts at an alphanumeric character that does not follow another one,
    or a joiner (' . -) with an alphanumeric character before it."""
    count = 0
    for i, char in enumerate(text):
        if not (char.isascii() and char.isalnum()):
            continue
        before = text[i - 1] if i else " "
        joined = before in "'.-" and i >= 2 and text[i - 2].isascii() and text[i - 2].isalnum()
        if not (before.isascii() and before.isalnum()) and not joined:
            count += 1
    return count


@given(text=ANSWERS)
def test_it_flags_each_sentence_over_the_limit_once(text):
    feedback = check_answer(text, seconds_taken=1, time_limit_seconds=600)
    long_ones = [s for s in sentences(text) if len(words(s)) > LONG_SENTENCE_WORDS]
    flagged = [f.sentence for f in feedback.findings if f.code == "long_sentence"]
    assert flagged == long_ones


@given(count=st.integers(min_value=0, max_value=5000))
def test_it_estimates_more_time_for_more_words(count):
    assert speaking_seconds(count) <= speaking_seconds(count + 1)
    assert speaking_seconds(count, FAST_WPM) <= speaking_seconds(count)


def test_it_returns_frozen_values():
    feedback = check_answer(STORY, seconds_taken=80, time_limit_seconds=120)
    with pytest.raises(dataclasses.FrozenInstanceError):
        feedback.score = 0  # type: ignore[misc]


def test_situation_words_without_a_particular_event_fail_the_situation():
    text = (
        "During my rotations I learned the importance of teamwork and communication. I always "
        "did my best to help the team, and the experience taught me resilience."
    )
    feedback = check_answer(text, seconds_taken=40, time_limit_seconds=120)
    assert feedback.star is not None and not feedback.star.situation
    (finding,) = [item for item in feedback.findings if item.code == "no_situation"]
    assert "particular event" in finding.message
