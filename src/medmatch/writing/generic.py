"""Sentences that would fit any program: a trigger phrase and no specific anchor.

The rule (tuned on the *train* split of ``tests/writing/evaluation_set.py`` only):

    generic  <=>  the sentence has a trigger  and  it has no anchor

* A **trigger** is one of ``TRIGGERS`` below (our own wording): praise of "your program",
  statements of intent or fit ("a great fit", "help me grow"), self-description with stock traits
  ("hard-working, dedicated"), platitudes about medicine ("Surgery is a demanding field") and
  closing courtesies.
* An **anchor** is anything a reader could check or picture: a name of this program's
  institution, city, department or highlighted topic (from ``ProgramContext``), a number (digits,
  or number words from "two" up), an ordinal from "second" up, a proper noun or acronym that does
  not open the sentence (specialty names and "I" do not count), or a concrete-experience word
  ("clerkship", "clinic", "year-old", "registry"...).

Source of the advice: the seed article, "Prepare a Strong Application Package" — avoid generic or
common statements; mention specific aspects of the program instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medmatch.writing.patterns import Source
from medmatch.writing.specificity import SPECIALTY_SYNONYMS

GENERIC_SOURCE = Source(
    label="medmatch guide: Prepare a Strong Application Package (avoid generic statements)",
    url="",
)


@dataclass(frozen=True)
class Trigger:
    """One kind of generic phrase: ``id`` (internal, never shown), ``regex``, the ``reason`` to
    show, and whom the phrase would fit just as well: ``about`` is "program" (praise or talk of
    the program any program could receive) or "applicant" (self-description, motives or
    platitudes any applicant could write)."""

    id: str
    regex: re.Pattern
    reason: str
    about: str = "applicant"


def _trigger(trigger_id: str, pattern: str, reason: str, about: str = "applicant") -> Trigger:
    return Trigger(trigger_id, re.compile(pattern, re.IGNORECASE), reason, about)


_SPECIALTY_WORDS = "|".join(
    sorted({re.escape(term) for terms in SPECIALTY_SYNONYMS.values() for term in terms}, key=len)[
        ::-1
    ]
)

TRIGGERS = (
    _trigger(
        "G01",
        r"\b(prestigious|renowned|esteemed|world[- ]class|top[- ]notch|highly[- ]regarded|"
        r"well[- ]respected|reputable|distinguished|outstanding|excellent|exceptional|stellar|"
        r"reputation)\b",
        "praises the program in words any program could receive",
        about="program",
    ),
    _trigger(
        "G02",
        # "team" only as "your/this team": "a team player" is a stock trait (G05), not the program.
        r"\b(your|this|the|a|such an?)\s+(\w+[\s-]+){0,2}?(program|programs|residency|"
        r"institution|hospital|faculty|training)\b|\b(your|this)\s+team\b(?![\s-]+player)",
        "talks about 'the program' without naming anything in it",
        about="program",
    ),
    _trigger(
        "G03",
        r"\b(good|great|perfect|ideal|excellent|right|natural|strong)\s+(fit|match|place|"
        r"environment|choice)\b",
        "claims a fit without saying what fits",
        about="program",
    ),
    _trigger(
        "G04",
        r"\b(would|will|could)\s+(thrive|flourish|excel|succeed)\b|\b(thrive|flourish)\s+in\b",
        "claims you would thrive without saying why",
    ),
    _trigger(
        "G05",
        r"\b(hard[- ]working|hard[- ]worker|dedicated|motivated|driven|detail[- ]oriented|"
        r"team[- ]player|"
        r"lifelong learner|work ethic|compassionate and|caring person|good listener|"
        r"work well with others|quick learner|fast learner|diligent|committed to)\b",
        "lists stock traits instead of showing them in an experience",
    ),
    _trigger(
        "G06",
        r"\b(grow|develop|mature)\s+(as|into)\s+an?\b|\bhelp me (grow|reach|become|develop|"
        r"succeed)\b|\breach my (full )?potential\b|\bneed to succeed\b|\bchallenge me\b",
        "states a wish to grow that every applicant shares",
    ),
    _trigger(
        "G07",
        r"\b(best|highest|high)[- ](possible[- ]|quality[- ])?(quality[- ])?care\b|"
        r"\bexcellence in\b|\bcommitment to (excellence|education|teaching|patient care)\b|"
        r"\bdeserves? (compassion|the best)\b|\bwhole person\b",
        "a platitude about care that names no practice",
    ),
    _trigger(
        "G08",
        r"\b(supportive|collegial|collaborative|nurturing|welcoming|friendly)\s+(learning\s+)?"
        r"(environment|atmosphere|culture|community)\b|\bsense of community\b|"
        r"\bshares? my values\b|\b(surgical|program|residency|medical) family\b",
        "praises a culture without an example of it",
        about="program",
    ),
    _trigger(
        "G09",
        r"\b(look forward|eager|excited|thrilled|honou?red|proud)\s+to\b|\bthank you for\b|"
        r"\bopportunity to (interview|learn|train|join|work)\b|\bconsider(ing|ation of)? my "
        r"application\b",
        "a courtesy line that says nothing about you or the program",
    ),
    _trigger(
        "G10",
        r"\bi (truly |strongly |firmly )?(believe|am confident|am certain|know|feel) (that )?"
        r"(i|your|this|it)\b",
        "asserts confidence instead of giving evidence",
    ),
    _trigger(
        "G11",
        r"\bwide (range|variety) of\b|\bdiverse (patient )?population\b|\bmany opportunities\b",
        "a feature every program claims",
        about="program",
    ),
    _trigger(
        "G12",
        r"\b(my|a) (calling|dream|passion)\b|\bas long as i can remember\b|"
        r"\bpath to medicine\b|\bsparked my interest\b|\beverything changed\b|"
        r"\bthe moment i knew\b",
        "a stock motivation line",
    ),
    _trigger(
        "G13",
        rf"^\W*(medicine|healthcare|health care|being an? \w+|working with \w+|the field of \w+|"
        rf"{_SPECIALTY_WORDS})\b[^.!?]{{0,60}}?"
        r"\b(is|are|requires|allows|offers|demands|has been)\b",
        "a general truth about medicine, not about you or the program",
    ),
    _trigger(
        "G14",
        r"\bi (want|hope|plan|aim|wish) to (become|be) (an?|that kind of)\b",
        "an intention every applicant shares",
    ),
    _trigger(
        "G15",
        r"\b(rewarding|fulfilling)\b",
        "a stock reason for choosing a specialty",
    ),
)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


NUMBER_WORDS = _word_set(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands dozen dozens second third fourth fifth sixth seventh "
    "eighth ninth tenth"
)
CONCRETE_WORDS = _word_set(
    "clerkship clerkships sub-internship rotation clinic clinics ward wards shift shifts unit "
    "icu bedside year-old registry protocol curriculum conference elective poster abstract "
    "publication published manuscript volunteered volunteer organized founded translated "
    "coached measured screened logged transported diagnosed admitted intubated sutured "
    "presented taught tutored led designed built wrote"
)
# Capitalised words that do not make a sentence specific.
NOT_PROPER = frozenset(
    {"i", "i'm", "i've", "i'd", "i'll", "dr", "god", "doctor", "medicine", "md", "do"}
)
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|\d")
_SPECIALTY_REGEX = re.compile(rf"\b({_SPECIALTY_WORDS})\b", re.IGNORECASE)


_ANY_TRIGGER = re.compile(
    "|".join(f"(?:{trigger.regex.pattern})" for trigger in TRIGGERS), re.IGNORECASE
)


def triggers_in(sentence: str) -> list[tuple[Trigger, tuple[int, int]]]:
    """The triggers found in ``sentence`` with their span (offsets into ``sentence``)."""
    if _ANY_TRIGGER.search(sentence) is None:  # one search for the common case
        return []
    found = []
    for trigger in TRIGGERS:
        match = trigger.regex.search(sentence)
        if match:
            found.append((trigger, match.span()))
    return found


def anchor_in(sentence: str, anchor_regexes: tuple[re.Pattern, ...]) -> str | None:
    """The first anchor in ``sentence`` (as text) or None; see the module docstring for what counts.

    ``anchor_regexes`` find this program's entity names (institution, city, departments, keywords).
    """
    for regex in anchor_regexes:
        match = regex.search(sentence)
        if match:
            return match.group(0)
    specialty_spans = [match.span() for match in _SPECIALTY_REGEX.finditer(sentence)]
    first = True
    for match in _WORD.finditer(sentence):
        word = match.group(0)
        lower = word.lower()
        if word.isdigit():
            return word
        if lower in NUMBER_WORDS or lower in CONCRETE_WORDS:
            return word
        if "-" in lower and lower.split("-")[0] in NUMBER_WORDS:
            return word
        is_first, first = first, False
        if is_first or not word[0].isupper() or lower in NOT_PROPER:
            continue
        if any(start <= match.start() < end for start, end in specialty_spans):
            continue
        return word
    return None
