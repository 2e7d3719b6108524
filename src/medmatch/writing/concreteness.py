"""Is a sentence specific or generic? Decided by what it *carries*, not by the phrases it uses.

A sentence is **specific** when it carries a particular that does work: a described event or
patient, a named person tied to what they did, a count of something the writer did or saw, a
plan with its reason, or a feature of this program (``tests/writing/corpus/LABELS.md``). It is
**generic** when what remains after stock framing (stock numbers, a place or program name that only
frames praise, an acronym with no event, a famous saying) is a feeling, trait, value, motive or
praise.

``sentence_features(text)`` measures that with transparent features (below); ``judge(text)``
combines them with the weights of a small logistic model kept in
``data/concreteness_model.json`` (trained by ``scripts/train_concreteness.py`` on the tune half
of the corpus only; every weight is readable there) and returns a ``Judgement``: the probability
that the sentence is generic, whether it is flagged, and a reason and a suggestion a student
understands, taken from the feature that pushed hardest towards "generic".

Features (each a small number; counts are capped so one long list cannot dominate):

* ``event_verbs`` — past-tense verbs of doing ("admitted", "built", "drove"), not of realising
  ("learned", "realized", "taught me", "instilled") nor of vague experience ("worked",
  "participated", "completed").
* ``dates`` — a year ("in 2019"): framing unless something happened in it.
* ``counts`` — numbers attached to things done or seen ("212 farmworkers", "from 22% to 34%",
  "58-year-old"); ``durations`` — numbers of years, hours or weeks (weak: everyone has them);
  ``stock_numbers`` — "four years of medical school", "3 a.m.", "100%", years, "PGY-3", "Step 1".
* ``rare_words`` — content words that are rare in English (``wordfreq`` Zipf < 3.2; the package
  ships its data) and not abstract, not stock statement vocabulary ("clerkship", "underserved")
  and not an adverb or evaluative adjective ("tirelessly", "insatiable", "transformative").
* ``names`` — capitalised words after the first that are not specialties; ``people`` — "Dr. X",
  "Mrs. Y", "named Carol"; ``acronyms`` — ICU, USMLE (framing unless something happens).
* ``abstract_share`` — share of content words that are abstract (our lexicon and suffixes -ness,
  -ity, -ism, -ence, -ance, -ment).
* cues for the generic kinds: ``trait``, ``feeling``, ``praise``, ``program_talk``, ``goal``,
  ``quote``, ``realised`` (learned / taught me / showed me), ``platitude`` (no first person and
  a present-tense general claim); ``reason`` — "because"/"since" followed by a particular.
* ``cliche`` — a row of the sourced cliché list matched (the second, sourced signal).
* ``program_feature`` — the sentence names a feature of this program (from ``ProgramContext``):
  rule 5 of the label definitions, given a fixed weight because the tune corpus carries no program
  context for single sentences.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from medmatch.writing.specificity import SPECIALTY_SYNONYMS

MODEL_FILE = Path(__file__).resolve().parent / "data" / "concreteness_model.json"
RARE_ZIPF = 3.2  # Zipf frequency below which a word is "rare" (3 = once per million words)
PROGRAM_FEATURE_WEIGHT = 4.0  # label rule 5; fixed, not tuned (see module docstring)
# A sentence that points back ("that work", "those flights", "there") right after a specific one
# continues its particular; fixed, since the tune sentences stand alone.
CONTINUES_WEIGHT = 2.0
CONTINUES = re.compile(
    r"\b(that|those|these|this|the same|such)\s+(\w+\s+)?(work|study|project|program|clinic|"
    r"camp|model|screening|care|service|registry|group|van|team|flights?|patients?|families|"
    r"data|question|skill|approach|practice|trial)\b|\bthere\b(?!\s+(is|are|was|were)\b)",
    re.IGNORECASE,
)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS = _word_set(
    "a about above after again against all also am an and any are as at be because been before "
    "being below between both but by can could did do does doing down during each few for from "
    "further had has have having he her here hers herself him himself his how i if in into is "
    "it its itself just me more most my myself no nor not now of off on once only or other our "
    "ours ourselves out over own same she should so some such than that the their theirs them "
    "themselves then there these they this those through to too under until up very was we were "
    "what when where which while who whom why will with would you your yours yourself yourselves "
    "one every many much i'm i've i'd i'll it's don't can't us may might must shall get got "
    "still even ever always never really truly also each whose"
)
# Words for traits, values, feelings and motives: what a generic sentence is made of.
ABSTRACT_WORDS = _word_set(
    "passion passionate love loved joy dream dreams calling desire compassion compassionate "
    "empathy empathetic dedication dedicated commitment committed excellence resilience resilient "
    "teamwork leadership communication importance value values valuable purpose privilege "
    "responsibility difference growth grow growing perspective insight insights experience "
    "experiences opportunity opportunities skills skill ethic discipline curiosity curious "
    "humility dignity respect patience maturity adaptability integrity trust hope fulfilling "
    "rewarding meaningful challenge challenges challenging journey path impact environment "
    "culture diversity innovation philosophy reputation balance exposure variety spectrum art "
    "science fascinated fascination interest interested inspired inspiration strength strengths "
    "sense satisfaction unique lasting impression lives life people others care caring "
    "vulnerable moments moment chaos pressure world heart mind hands future field fields "
    "specialty career goal goals leader leaders role model kind kindness enthusiasm enthusiastic "
    "motivation motivated driven hardworking hard-working hard worker reliable meticulous "
    "detail-oriented calm presence organization ownership honor honored grateful "
    "eager excited thrilled proud confident certain aspire aspiration potential well-rounded "
    "supportive collaborative nurturing welcoming camaraderie community communities family "
    "families needs need wonderful beautiful ideal perfect excellent outstanding exceptional "
    "prestigious renowned world-class strong top great amazing incredible truly deeply greatly "
    "valuable invaluable firsthand humanity humanism holistic whole person unwavering indelible "
    "multifaceted myriad profound steadfast burgeoning quintessential empathic tenacity "
    "perseverance grit drive zeal fervor fervour mission vocation fulfillment fulfilment "
    "wellbeing well-being human connection connections bond bonds relationships relationship"
)
TRAITS = _word_set(
    "hard-working hardworking hard-worker dedicated dedication motivated driven diligent "
    "detail-oriented meticulous reliable compassionate empathetic resilient "
    "adaptable adaptability leadership teamwork team-player player listener learner "
    "lifelong ethic strengths calm calmly maturity discipline integrity humble humility "
    "enthusiastic conscientious responsible dependable curious creative honest genuine "
    "thrive communicate communicator flexible proactive self-motivated ownership asset "
    "individual leader"
)
FEELINGS = _word_set(
    "passion passionate passions love loved loves joy dream dreams calling fascinated "
    "fascination inspired inspiration excited excitement thrilled eager grateful honored "
    "honoured certain imagine cemented sparked ignited fueled fuelled solidified drawn "
    "fulfilling rewarding meaningful satisfaction cannot enjoy enjoyed curiosity"
)
PRAISE = _word_set(
    "excellent outstanding prestigious renowned world-class top-notch esteemed reputable "
    "distinguished exceptional stellar reputation strong supportive collegial collaborative "
    "nurturing welcoming friendly impressive impressed admire admired wonderful great ideal "
    "perfect top choice commitment dedication innovation excellence camaraderie culture "
    "philosophy happy well-supported aligns align balance beautiful busy robust diverse "
    "dream-come-true fit home"
)
GOAL_WORDS = _word_set(
    "hope hopes aspire aspiration goal goals ultimately future one-day long-term plan aim "
    "become eager continue see"
)
HELPING = _word_set(
    "help helping serve serving difference give back empower voice unheard need needy "
    "underserved vulnerable"
)
REALISED = _word_set(
    "learned learnt realized realised gained developed grew became taught showed shown "
    "reinforced shaped opened exposed allowed gave instilled confirmed solidified deepened "
    "strengthened cemented sparked prepared seen experienced understood discovered appreciate "
    "appreciated reminded instilled fostered underscored reaffirmed affirmed kindled nurtured "
    "honed resonated humbled fueled fuelled ignited encouraged empowered enriched broadened "
    "heightened sharpened refined cultivated transformed changed impacted influenced touched "
    "moved struck amazed intrigued captivated challenged pushed equipped enabled afforded "
    "introduced immersed embraced valued cherished witnessed observed recognized recognised "
    "embodied exemplified demonstrated acquired matured evolved inspired motivated realizing"
)
# Verbs of vague experience: neither a deed that carries a particular nor a realisation.
VAGUE_DOING = _word_set(
    "worked served completed participated engaged involved interacted collaborated "
    "contributed experienced shadowed rotated exposed"
)
# Taught or showed someone something is doing; "taught me" or "showed me" is realising.
TAUGHT = _word_set("taught showed")
# Past-tense forms of doing that do not end in -ed (a regular -ed verb is found by its suffix).
IRREGULAR_DOING = _word_set(
    "ran built wrote drove caught held sat led spent took told found brought set cut put met "
    "kept sent won fed carried drew sold bought paid dug swam flew rode stood lost hid "
    "began threw shot read split slept spoke broke woke went came wore sang hung"
)
NOT_DOING = (
    (REALISED - TAUGHT)
    | VAGUE_DOING
    | _word_set(
        "wanted hoped loved enjoyed liked felt believed seemed needed inspired fascinated "
        "interested excited dedicated committed motivated passionate advanced varied talented "
        "skilled experienced impressed surprised tired red bed need feed speed seed indeed "
        "united hundred kindred dread based related limited renowned esteemed detailed sacred "
        "increased decreased supported supported balanced rounded well-rounded detail-oriented "
        "centered centred patient-centered patient-centred aged assured required"
    )
)
# Words every statement uses: rare in English at large, so not a particular in a statement.
STOCK_VOCABULARY = _word_set(
    "clerkship clerkships rotation rotations residency residencies resident residents "
    "fellowship fellowships attending attendings underserved compassionate multidisciplinary "
    "interdisciplinary holistic mentorship mentor mentors mentoring internist internists "
    "pediatrician pediatricians clinician clinicians surgeon surgeons psychiatrist physician "
    "physicians healthcare camaraderie collegial empathetic hands-on fast-paced firsthand "
    "lifelong observership observerships specialty subspecialty curriculum didactics "
    "well-rounded patient-centered patient-centred sub-internship shadowing preclinical "
    "pathology pathologies clinically interpersonal teamwork resilience pgy clerk "
    "externship externships electives elective academic hardworking hard-working "
    "detail-oriented meticulous multicultural socioeconomic aspire empathy"
)
QUOTE_PATTERN = re.compile(
    r"\bas\s+(\w+\s+){1,3}(said|says|wrote|put it)\b|\b(once said|once wrote|famously|quote|"
    r"as the saying goes|they say|it is said|taught that|in the words of)\b|"
    r"\b(osler|hippocrates|einstein|angelou|gandhi|gawande|schweitzer|maimonides|mandela)\b",
    re.IGNORECASE,
)
PROGRAM_TALK = re.compile(
    r"\b(your|this|the)\s+(\w+\s+){0,2}?(program|programs|residency|fellowship|institution|"
    r"faculty|residents|training|team)\b|\w['\u2019]s\s+(?:\w+\s+){0,3}?(culture|commitment|"
    r"dedication|reputation|focus|philosophy|faculty|program|training|environment|emphasis)\b",
    re.IGNORECASE,
)
GOAL_PATTERN = re.compile(
    r"\b(i|my)\s+(\w+\s+)?(hope|hopes|aspire|aim|plan|intend|wish|want|would like|goal|"
    r"long-term goal|dream)\b|\b(in the future|one day|ultimately|after residency|in \w+ years)\b",
    re.IGNORECASE,
)
REASON_PATTERN = re.compile(r"\b(because|since|so that|which is why|that is why)\b", re.IGNORECASE)
STOCK_NUMBER = re.compile(
    r"\b(\d+|two|three|four|five|six|seven|eight|ten)\s+(long\s+)?years?\s+of\s+(medical\s+"
    r"school|residency|training|college|study|studies|med school)\b|"
    r"\b\d{1,2}(:\d\d)?\s*(a\.?m\.?|p\.?m\.?)(?=\W|$)|\b100\s*%|\b24/7\b|"
    r"\bpgy-?\d\b|\bstep\s+[123]\b|\b(21st|20th)\s+century\b|\bcovid-19\b|\bms[1-4]\b",
    re.IGNORECASE,
)
TIME_UNITS = _word_set(
    "year years month months week weeks day days hour hours minute minutes night nights "
    "summer summers semester semesters decade decades shift shifts time times"
)
NUMBER_WORDS = _word_set(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty hundred hundreds "
    "thousand thousands dozen dozens half"
)
PERSON_TITLES = _word_set("dr dr. mr mr. mrs mrs. ms ms. nurse named called")
NOT_NAMES = _word_set(
    "i i'm i've i'd i'll dr mr mrs ms god doctor medicine md do ob gyn step ck english spanish "
    "american"
)
FIRST_PERSON = _word_set("i me my mine myself we our us i'm i've i'd")
PRESENT_CLAIM = _word_set("is are requires allows offers demands means remains sits lets has")
_SPECIALTY_WORDS = frozenset(
    piece
    for terms in SPECIALTY_SYNONYMS.values()
    for term in terms
    for piece in term.lower().replace("/", " ").split()
) | _word_set("ed er icu or ob/gyn ent im fm em gi ccu nicu picu")
_TOKEN = re.compile(r"\d[\d,.:/]*%?|[^\W\d_]+(?:['\u2019\-.][^\W\d_]+)*(?:-\d+)?", re.UNICODE)
# Rare adverbs and evaluative adjectives ("tirelessly", "insatiable", "transformative") dress up
# a generic sentence; they are not particulars.
EVALUATIVE_SUFFIXES = ("ly", "ful", "ive", "able", "ible", "ous")
_YEAR = re.compile(r"(19|20)\d\d")
ABSTRACT_SUFFIXES = ("ness", "ity", "ism", "ence", "ance", "ment")
CONCRETE_EXCEPTIONS = _word_set(
    "equipment apartment department treatment management appointment instrument compartment "
    "pavement basement ambulance evidence conference residence audience insurance sequence "
    "abstinence surveillance maintenance"
)

FEATURES = (
    "event_verbs",
    "counts",
    "durations",
    "stock_numbers",
    "dates",
    "rare_words",
    "names",
    "people",
    "acronyms",
    "abstract_share",
    "trait",
    "feeling",
    "praise",
    "program_talk",
    "goal",
    "helping",
    "quote",
    "realised",
    "platitude",
    "reason",
    "cliche",
)
# The sign each weight may take: a particular can only make a sentence less generic, a cue only
# more; framing (names, acronyms, durations, stock numbers) is left to the data. Sentence length
# is measured but not used: in a corpus it mostly tells who wrote it.
SIGNS = {
    "event_verbs": -1,
    "counts": -1,
    "rare_words": -1,
    "people": -1,
    "reason": -1,
    "trait": 1,
    "feeling": 1,
    "praise": 1,
    "program_talk": 1,
    "goal": 1,
    "helping": 1,
    "quote": 1,
    "realised": 1,
    "platitude": 1,
    "abstract_share": 1,
    "cliche": 1,
}


@functools.cache
def _frequencies() -> dict[str, float]:
    """wordfreq's English word list (shipped in the package; nothing is downloaded)."""
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en", wordlist="best")


@functools.lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """Zipf frequency of ``word`` (lower-case): log10 of occurrences per billion words, 0 if
    unknown. "the" is about 7.7, "hospital" 5.1, "clerkship" 2.3, "pheochromocytoma" 1.8."""
    frequency = _frequencies().get(word)
    if frequency is None and "-" in word:  # "year-old": the rarest part decides
        parts = [_frequencies().get(part, 0.0) for part in word.split("-") if part]
        frequency = min(parts) if parts else None
    if not frequency:
        return 0.0
    return math.log10(frequency) + 9


def _is_abstract(lower: str) -> bool:
    if lower in ABSTRACT_WORDS:
        return True
    return lower.endswith(ABSTRACT_SUFFIXES) and lower not in CONCRETE_EXCEPTIONS and len(lower) > 6


def _is_number(token: str) -> bool:
    return token[0].isdigit() or token.lower() in NUMBER_WORDS


@dataclass(frozen=True)
class Evidence:
    """What a sentence carries: the feature values and the tokens behind the main ones (to name
    them in a reason: the particulars found, and the stock framing that does not count)."""

    values: dict
    particulars: tuple[str, ...]
    framing: tuple[str, ...]


def sentence_features(text: str, *, cliche: bool = False) -> Evidence:
    """Measure ``text`` (one sentence); see the module docstring for each feature."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    lowers = [token.lower().rstrip(".") for token, _, _ in tokens]
    stock_spans = [m.span() for m in STOCK_NUMBER.finditer(text)]
    particulars: list[str] = []
    framing: list[str] = []
    values = dict.fromkeys(FEATURES, 0.0)
    content = abstract = 0
    first_person = any(lower in FIRST_PERSON for lower in lowers)
    reason_at = REASON_PATTERN.search(text)
    reason_start = reason_at.end() if reason_at else None
    after_reason = 0
    for index, ((token, start, _end), lower) in enumerate(zip(tokens, lowers, strict=True)):
        previous = lowers[index - 1] if index else ""
        following = lowers[index + 1] if index + 1 < len(lowers) else ""
        in_stock = any(a <= start < b for a, b in stock_spans)
        is_particular = False
        if lower.endswith("-old") and _is_number(lower.split("-")[0]):
            values["counts"] += 1  # "four-year-old": an age, so a described person
            particulars.append(token)
            continue
        if _is_number(token):
            if _YEAR.fullmatch(token):
                values["dates"] = 1.0
                framing.append(token)
            elif in_stock:
                values["stock_numbers"] = 1.0
                framing.append(token)
            elif following in TIME_UNITS or following.startswith(("year", "week", "month")):
                if following.endswith("old"):
                    values["counts"] += 1
                    is_particular = True
                else:
                    values["durations"] += 1
                    framing.append(f"{token} {following}")
            elif lower in ("half",) and following != "of":
                pass
            else:
                values["counts"] += 1
                is_particular = True
            if is_particular:
                particulars.append(token)
            if is_particular and reason_start is not None and start >= reason_start:
                after_reason += 1
            continue
        if lower in STOPWORDS:
            continue
        content += 1
        if _is_abstract(lower):
            abstract += 1
        if lower in TRAITS:
            values["trait"] += 1
        if lower in FEELINGS:
            values["feeling"] += 1
        if lower in PRAISE:
            values["praise"] += 1
        if lower in HELPING:
            values["helping"] += 1
        if lower in GOAL_WORDS:
            values["goal"] += 0.5
        told_me = following in ("me", "us")
        if (lower in REALISED and lower not in TAUGHT) or (lower in TAUGHT and told_me):
            values["realised"] += 1
        capital = token[:1].isupper()
        if token.isupper() and len(token) >= 2 and lower not in _SPECIALTY_WORDS:
            values["acronyms"] = 1.0
            framing.append(token)
            continue
        if capital and index > 0 and lower not in NOT_NAMES and lower not in _SPECIALTY_WORDS:
            if previous in PERSON_TITLES:
                values["people"] += 1
                particulars.append(f"{tokens[index - 1][0]} {token}")
                is_particular = True
            else:
                values["names"] += 1
                framing.append(token)
        elif not capital and lower not in NOT_DOING and lower not in STOCK_VOCABULARY:
            doing = (lower.endswith("ed") and len(lower) > 4) or lower in IRREGULAR_DOING
            doing = doing or (lower in TAUGHT and not told_me)
            if doing and not _is_abstract(lower) and not (lower in TAUGHT and told_me):
                values["event_verbs"] += 1
                particulars.append(token)
                is_particular = True
            elif (
                not _is_abstract(lower)
                and not lower.endswith(EVALUATIVE_SUFFIXES)
                and lower not in _SPECIALTY_WORDS
                and len(lower) > 3
                and zipf(lower) < RARE_ZIPF
            ):
                values["rare_words"] += 1
                particulars.append(token)
                is_particular = True
        if is_particular and reason_start is not None and start >= reason_start:
            after_reason += 1
    values["abstract_share"] = abstract / content if content else 0.0
    values["program_talk"] = 1.0 if PROGRAM_TALK.search(text) else 0.0
    values["goal"] += 1.0 if GOAL_PATTERN.search(text) else 0.0
    values["quote"] = 1.0 if QUOTE_PATTERN.search(text) else 0.0
    values["reason"] = 1.0 if after_reason else 0.0
    values["platitude"] = (
        1.0
        if not first_person
        and not values["people"]
        and any(lower in PRESENT_CLAIM for lower in lowers)
        else 0.0
    )
    values["cliche"] = 1.0 if cliche else 0.0
    caps = {"event_verbs": 3, "counts": 3, "durations": 2, "rare_words": 4, "names": 3}
    caps |= {"people": 2, "trait": 3, "feeling": 2, "praise": 3, "goal": 2, "helping": 2}
    caps |= {"realised": 2}
    for name, cap in caps.items():
        values[name] = min(values[name], cap)
    return Evidence(values, tuple(particulars), tuple(framing))


@dataclass(frozen=True)
class Model:
    """The logistic model: ``bias`` + sum of ``weights[name] * value``; flagged when the
    probability of "generic" is at least ``threshold``."""

    bias: float
    weights: dict
    threshold: float
    trained_on: str = ""


@functools.cache
def load_model(path: Path = MODEL_FILE) -> Model:
    data = json.loads(path.read_text(encoding="utf-8"))
    weights = data["weights"]
    missing = sorted(set(FEATURES) - set(weights))
    if missing:
        raise ValueError(f"{path.name}: no weight for feature(s) {', '.join(missing)}")
    return Model(data["bias"], weights, data["threshold"], data.get("trained_on", ""))


# Reasons and suggestions for each generic cue, in the words shown to a student.
CUE_REASONS = {
    "trait": (
        "states a trait with no example",
        "show the trait in one moment: what happened, and what you did",
    ),
    "feeling": (
        "claims a feeling without the moment behind it",
        "name the patient, case or day that made you feel it",
    ),
    "praise": (
        "praises the program in words any program could receive",
        "name one thing only this program has, and what you would do with it",
    ),
    "program_talk": (
        "talks about the program without naming anything in it",
        "name one feature of this program, and why it matters to you",
    ),
    "goal": (
        "states a goal without a plan or its reason",
        "say what you will do, where, and the problem you saw that makes you want to",
    ),
    "helping": (
        "states a wish to help that every applicant shares",
        "name whom you helped, how, and what changed",
    ),
    "quote": (
        "leans on a famous saying instead of your own experience",
        "replace the saying with a moment of your own",
    ),
    "realised": (
        "sums up what experience taught you without one scene, person or number",
        "name the patient's problem and what you did",
    ),
    "platitude": (
        "states a general truth about medicine, not something about you",
        "replace it with what you saw or did that shows it",
    ),
    "abstract_share": (
        "is made of abstract words (values, feelings, qualities) with no particular",
        "name the patient's problem and what you did",
    ),
    "cliche": (
        "uses a stock phrase from published lists of statement clichés",
        "say the same thing through an experience of your own",
    ),
}
CUE_ORDER = (
    "quote",
    "praise",
    "program_talk",
    "trait",
    "feeling",
    "helping",
    "goal",
    "platitude",
    "realised",
    "cliche",
)
DEFAULT_REASON = (
    "carries no particular: no scene, person, count or feature of this program",
    "name the patient's problem and what you did",
)


@dataclass(frozen=True)
class Judgement:
    """``probability`` that the sentence is generic; ``generic`` (flagged); ``cue`` (the feature
    that pushed hardest towards generic, or "" when none did), ``reason`` and ``suggestion`` in
    words, and the ``particulars`` and stock ``framing`` found."""

    probability: float
    generic: bool
    cue: str
    reason: str
    suggestion: str
    particulars: tuple[str, ...]
    framing: tuple[str, ...]


def judge(
    text: str,
    *,
    cliche: bool = False,
    program_feature: bool = False,
    after_specific: bool = False,
    model: Model | None = None,
) -> Judgement:
    """Score one sentence: the logistic model over ``sentence_features``; ``program_feature`` adds
    the fixed weight for naming a feature of this program, and ``after_specific`` (the previous
    sentence was specific) the one for pointing back to it (``CONTINUES``)."""
    model = model or load_model()
    evidence = sentence_features(text, cliche=cliche)
    contributions = {name: model.weights[name] * evidence.values[name] for name in FEATURES}
    score = model.bias + sum(contributions.values())
    if program_feature:
        score -= PROGRAM_FEATURE_WEIGHT
    if after_specific and CONTINUES.search(text):
        score -= CONTINUES_WEIGHT
    probability = 1 / (1 + math.exp(-score))
    generic = probability >= model.threshold
    # The reason names what the sentence is made of: the named cue present that weighs most
    # (ties, and cues the model gives no weight, by ``CUE_ORDER``); the share of abstract words
    # only when no named cue is there.
    present = [name for name in CUE_ORDER if evidence.values[name] > 0]
    if present:
        cue = max(present, key=lambda name: (contributions[name], -CUE_ORDER.index(name)))
    else:
        cue = "abstract_share" if contributions["abstract_share"] > 0 else ""
    reason, suggestion = CUE_REASONS.get(cue, DEFAULT_REASON)
    return Judgement(
        probability,
        generic,
        cue,
        reason,
        suggestion,
        evidence.particulars,
        evidence.framing,
    )
