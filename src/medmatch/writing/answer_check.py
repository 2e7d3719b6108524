"""Feedback on one practised interview answer: is it too long for the time, is it a story with a
situation, an action and a result (STAR), does it give a concrete example, does it ramble?

Takes the answer's outline or transcript as plain text plus the measured time; returns a frozen
``AnswerFeedback``. Nothing here knows about Django or the database.

Sources and assumptions:

- The seed article ("Prepare Thoroughly for Interviews") asks for transparent, honest and concise
  answers; the interview-question sources listed in ``interviews/data/SOURCES.md`` suggest answering
  behavioural questions as STAR stories (situation, task, action, result, then what you learned).
- Speaking rate: conversational American English runs at roughly 120 to 150 words a minute; the US
  National Center for Voice and Speech gives about 150 wpm as the average. We *estimate* spoken time
  at ``COMFORTABLE_WPM`` = 130 (a calm interview pace) and call an answer too long only when even
  the fast end, ``FAST_WPM`` = 150, would not fit it into the time limit — so the flag is lenient.
- A sentence of more than ``LONG_SENTENCE_WORDS`` = 35 words is hard to follow when spoken; plain
  language guides commonly recommend an average of 15 to 20 words a sentence.

The cue lists are heuristics, not grammar: a cue found means "this looks present", and every
finding names the sentence or the reason so the student can judge it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medmatch.writing.concreteness import judge

COMFORTABLE_WPM = 130
FAST_WPM = 150
LONG_SENTENCE_WORDS = 35
# Faster than this (240 words a minute) no one speaks an interview answer: a recorded time that
# short is a mistake (a timer stopped early, a typo), not a fast answer.
MAX_WORDS_PER_SECOND = 4

_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019.-][A-Za-z0-9]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*•]\s*|\n(?=\s*\d+[.)]\s)")


def _word_list(text: str) -> list[str]:
    return text.split()


SITUATION_CUES = (
    r"\bwhen i was\b",
    r"\bwhile i was\b",
    r"\bduring (?:my|our|a|the)\b",
    r"\bon (?:my|our|a|the) \w+ (?:rotation|clerkship|shift|placement|elective|rounds)\b",
    r"\b(?:rotation|clerkship|sub-?internship|elective|placement|night shift|on call)\b",
    r"\bthe situation\b",
    r"\bmy (?:task|role|job|responsibility) was\b",
    r"\bi was (?:asked|responsible|assigned|tasked|the only)\b",
    r"\bwe had (?:a|an)\b",
    r"\bthere was (?:a|an)\b",
    r"\b(?:last|one) (?:year|month|week|day|night|morning|evening|summer)\b",
)
# An action is the speaker doing something, in the past, in a story: "I" + a past-tense verb
# ("I called", "I then asked"), "I decided to", "my first step was". "I am", "I always help",
# "so I work" and "I need" describe the speaker, not a thing they did; verbs of feeling or
# wanting ("I wanted", "I believed") are not actions either.
_SPEAKER_VERB = re.compile(
    r"\bi (?:(?:then|first|also|finally|next|later|\w+ly) )?([a-z]+)\b", re.IGNORECASE
)
IRREGULAR_PAST_ACTIONS = frozenset(
    _word_list(
        "took made spoke led wrote met set began chose went sat brought gave told ran built kept "
        "sought taught found did drew got paid put rang sent spent stood held saw left won fought "
        "caught broke hid bought read said rode shook stuck swept threw woke flew drove"
    )
)
NOT_PAST_ACTIONS = frozenset(
    _word_list(
        "need feed bleed breed speed proceed exceed succeed shed used needed wanted liked loved "
        "hoped believed seemed wished tended enjoyed preferred"
    )
)
ACTION_CUES = (
    r"\bi (?:decided|chose) to\b",
    r"\bmy (?:first )?step was\b",
)
RESULT_CUES = (
    r"\bas a result\b",
    r"\bin the end\b",
    r"\bthe (?:result|outcome)\b",
    r"\beventually\b",
    r"\bwhich (?:led|meant|allowed|helped)\b",
    r"\bthis (?:led|meant|allowed|helped)\b",
    r"\b(?:reduced|improved|increased|decreased|resolved|recovered|discharged|succeeded|"
    r"passed|finished|completed|published|adopted|won|thanked)\b",
    r"\bi (?:learned|learnt|realised|realized)\b",
    r"\bsince then\b",
    r"\bafterwards?\b",
    r"\bnow i\b",
    r"\d+ ?(?:%|percent)",
)


_NUMBER_WORDS = _word_list(
    "two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred "
    "dozen first second third fourth fifth half"
)
_MONTHS_AND_DAYS = _word_list(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday"
)
CONCRETE_CUES = (
    r"\d",
    r"\b(?:" + "|".join(_NUMBER_WORDS) + r")\b",
    # "may" is left out: it is far more often a verb than the month.
    r"\b(?:" + "|".join(m for m in _MONTHS_AND_DAYS if m != "may") + r")\b",
    r"\b(?:last|one|that) (?:year|month|week|day|night|morning|evening|summer|winter|shift)\b",
    r"\bon (?:my|our|a|the) \w+ (?:rotation|clerkship|shift|placement|elective)\b",
    r"\b(?:a|one|my) (?:patient|family|nurse|resident|attending|colleague|classmate) "
    r"(?:who|with)\b",
)


@dataclass(frozen=True)
class Finding:
    """One thing to work on: a short ``code``, a message, and the sentence it is about (or "")."""

    code: str
    message: str
    sentence: str = ""


@dataclass(frozen=True)
class StarCheck:
    situation: bool
    action: bool
    result: bool

    @property
    def missing(self) -> tuple[str, ...]:
        parts = (("situation", self.situation), ("action", self.action), ("result", self.result))
        return tuple(name for name, present in parts if not present)


@dataclass(frozen=True)
class AnswerFeedback:
    """The checker's verdict. ``score`` is the share of checks passed (0 to 100), or None when there
    is no text to judge (only the time was recorded) — unknown, not zero."""

    word_count: int
    sentence_count: int
    seconds_taken: int
    time_limit_seconds: int
    estimated_speaking_seconds: int
    star: StarCheck | None
    concrete: bool | None
    findings: tuple[Finding, ...]
    checks_passed: int
    checks_total: int

    @property
    def score(self) -> int | None:
        if self.checks_total == 0:
            return None
        return round(100 * self.checks_passed / self.checks_total)

    def to_dict(self) -> dict:
        return {
            "word_count": self.word_count,
            "sentence_count": self.sentence_count,
            "seconds_taken": self.seconds_taken,
            "time_limit_seconds": self.time_limit_seconds,
            "estimated_speaking_seconds": self.estimated_speaking_seconds,
            "star": None
            if self.star is None
            else {
                "situation": self.star.situation,
                "action": self.star.action,
                "result": self.star.result,
            },
            "concrete": self.concrete,
            "findings": [
                {"code": f.code, "message": f.message, "sentence": f.sentence}
                for f in self.findings
            ],
            "checks_passed": self.checks_passed,
            "checks_total": self.checks_total,
            "score": self.score,
        }


def words(text: str) -> list[str]:
    """The words of ``text``: runs of letters and digits, joined by an apostrophe, dot or hyphen
    inside them ("don't", "3.5", "follow-up")."""
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    """``text`` split into sentences at ., ! or ? followed by space, at blank lines and at list
    bullets (an outline's lines count as sentences); empty pieces dropped."""
    pieces = _SENTENCE_END.split(text)
    return [piece.strip(" \t\n-*•") for piece in pieces if words(piece)]


def format_duration(seconds: int) -> str:
    """``seconds`` as m:ss, e.g. 95 → "1:35"."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{rest:02d}"


def speaking_seconds(word_count: int, wpm: int = COMFORTABLE_WPM) -> int:
    """Seconds it takes to say ``word_count`` words at ``wpm`` words a minute, rounded up."""
    if wpm <= 0:
        raise ValueError(f"wpm must be positive, not {wpm}")
    return -(-word_count * 60 // wpm)


def _has(patterns, text: str) -> bool:
    return any(re.search(pattern, text, re.IGNORECASE) for pattern in patterns)


def _is_past_action(verb: str) -> bool:
    verb = verb.lower()
    if verb in NOT_PAST_ACTIONS:
        return False
    return verb in IRREGULAR_PAST_ACTIONS or (len(verb) > 3 and verb.endswith("ed"))


def has_action(text: str) -> bool:
    """Whether ``text`` says what the speaker did: "I" followed (perhaps after one adverb) by a
    past-tense action verb, or "I decided to", "my first step was". Present-tense self-description
    ("I am a team player", "so I always help") and verbs of wanting or believing do not count."""
    if _has(ACTION_CUES, text):
        return True
    return any(_is_past_action(verb) for verb in _SPEAKER_VERB.findall(text))


def _has_proper_name(sentence: str) -> bool:
    # A capitalised word that does not start the sentence and is not "I" — a name, a place, a ward.
    tokens = words(sentence)
    return any(
        t[0].isupper() and t not in ("I", "I'm", "I've", "I'd", "I\u2019m") for t in tokens[1:]
    )


def check_answer(
    text: str, *, seconds_taken: int, time_limit_seconds: int, expect_story: bool = True
) -> AnswerFeedback:
    """Check one practised answer.

    Takes the outline or transcript ``text``, the measured ``seconds_taken`` and the question's
    ``time_limit_seconds`` (both whole seconds, ≥ 0 and > 0); ``expect_story`` is False for
    questions that are not behavioural stories (e.g. "what questions do you have for us?"), which
    skips the STAR and concrete-example checks.

    Returns an ``AnswerFeedback`` with counts, the STAR parts found, and one ``Finding`` per
    problem. Steps:

    1. Time: flag ``over_time`` when ``seconds_taken`` exceeds the limit, and
       ``implausible_time`` (the time check fails) when the words could not have been said in
       ``seconds_taken`` (more than ``MAX_WORDS_PER_SECOND`` = 4 a second, i.e. 240 wpm).
    2. Length: estimate speaking time at 130 wpm; flag ``too_long`` when even 150 wpm would not
       fit the words into the limit (NCVS: ~150 wpm average US English conversation).
    3. STAR (when ``expect_story``): look for situation/task, action and result cues (an action
       is "I" + a past-tense action verb, counted only when the answer has a situation or a
       concrete moment, see ``has_action``); flag
       ``no_situation``/``no_action`` and, separately, ``no_result`` (the most common gap).
    4. Concrete example (when ``expect_story``): a number, a date, a named person or place, or a
       specific event ("one night on my surgery rotation"); flag ``no_example`` when none.
    5. Rambling: flag each sentence longer than 35 words (``long_sentence``), quoting it.

    With no words at all, only the time checks run and the score is None (nothing to judge).
    Raises ValueError for a negative ``seconds_taken`` or a non-positive ``time_limit_seconds``.
    """
    if seconds_taken < 0:
        raise ValueError(f"seconds_taken must be 0 or more, not {seconds_taken}")
    if time_limit_seconds <= 0:
        raise ValueError(f"time_limit_seconds must be positive, not {time_limit_seconds}")
    all_words = words(text)
    parts = sentences(text)
    findings: list[Finding] = []
    passed = total = 0
    limit = format_duration(time_limit_seconds)

    over_time = seconds_taken > time_limit_seconds
    if over_time:
        findings.append(
            Finding(
                "over_time",
                f"You took {format_duration(seconds_taken)} for a {limit} answer. Cut the "
                "background and get to what you did sooner.",
            )
        )
    estimated = speaking_seconds(len(all_words))
    if not all_words:
        return AnswerFeedback(
            0, 0, seconds_taken, time_limit_seconds, 0, None, None, tuple(findings), 0, 0
        )

    total += 2
    implausible = len(all_words) > MAX_WORDS_PER_SECOND * seconds_taken
    if implausible:
        findings.append(
            Finding(
                "implausible_time",
                f"{len(all_words)} words cannot be said in {format_duration(seconds_taken)}: that "
                f"is more than {MAX_WORDS_PER_SECOND} words a second (a calm pace is about 2). "
                "The time was not checked; time the answer again, or type how long you spoke.",
            )
        )
    passed += not over_time and not implausible
    if speaking_seconds(len(all_words), FAST_WPM) > time_limit_seconds:
        findings.append(
            Finding(
                "too_long",
                f"{len(all_words)} words take about {format_duration(estimated)} to say at a calm "
                f"{COMFORTABLE_WPM} words a minute — more than the {limit} you have. Keep one "
                "example and drop the rest.",
            )
        )
    else:
        passed += 1

    star = None
    concrete = None
    if expect_story:
        concrete = _has(CONCRETE_CUES, text) or any(_has_proper_name(s) for s in parts)
        # Situation words alone ("during my rotation") are not a situation: some sentence must
        # carry a particular event, person or count (the statement analyzer's concreteness
        # model, issue 13), so a generic answer fails here whatever its words.
        particular = any(not judge(sentence).generic for sentence in parts if sentence.strip())
        situation = particular and (_has(SITUATION_CUES, text) or concrete)
        star = StarCheck(
            situation=situation,
            # An action belongs to a story: a past deed with no situation or concrete moment
            # around it ("I am a team player. I helped.") is still a claim, not an example.
            action=has_action(text) and (situation or concrete),
            result=_has(RESULT_CUES, text),
        )
        total += 4
        passed += star.situation + star.action + star.result
        if not star.situation:
            findings.append(
                Finding(
                    "no_situation",
                    "No situation: say briefly where and when it happened and what your task was."
                    if particular
                    else "No situation: no sentence describes a particular event. Name the "
                    "patient's problem (or the day, the place, the person) and what you did.",
                )
            )
        if not star.action:
            findings.append(
                Finding(
                    "no_action",
                    "No action of your own: say what you did yourself (“I called…”, “I "
                    "asked…”), not only what the team did.",
                )
            )
        if not star.result:
            findings.append(
                Finding(
                    "no_result",
                    "No result: end with what happened because of what you did, and what you "
                    "learned from it.",
                )
            )
        passed += concrete
        if not concrete:
            findings.append(
                Finding(
                    "no_example",
                    "No concrete example: no number, date, name or specific event. One real "
                    "moment (“one night on my medicine rotation…”) is more convincing than a "
                    "general claim.",
                )
            )

    total += 1
    long_ones = [s for s in parts if len(words(s)) > LONG_SENTENCE_WORDS]
    passed += not long_ones
    for sentence in long_ones:
        findings.append(
            Finding(
                "long_sentence",
                f"A {len(words(sentence))}-word sentence is hard to follow when spoken; split it.",
                sentence,
            )
        )
    return AnswerFeedback(
        word_count=len(all_words),
        sentence_count=len(parts),
        seconds_taken=seconds_taken,
        time_limit_seconds=time_limit_seconds,
        estimated_speaking_seconds=estimated,
        star=star,
        concrete=concrete,
        findings=tuple(findings),
        checks_passed=passed,
        checks_total=total,
    )
