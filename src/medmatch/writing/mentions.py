"""Which of a program's listed features does a paragraph mention, even in other words?

``feature_mentions(text, program, others)`` takes a paragraph, the program it is addressed to
(``ProgramFeatures``: a name and its features, e.g. ``{"f1": "dedicated nocturnists for overnight
admissions"}``) and optionally other programs, and returns ``Mentions``: for each of this
program's features whether the paragraph mentions it and in which sentence, and the *foreign*
mentions: a sentence that describes another program's feature better than any of this
program's (a copy-paste error, named in words: "this describes X's feature ..., not Y's").

How a mention is found (per sentence, so two half-mentions in distant sentences do not add up):

1. A feature and a sentence become sets of *concepts*: content words, lower-cased, reduced to a
   stem, with a shared key for words that say the same thing (``SYNONYMS``: "overnight" and
   "night", "admitted" and "admissions", "lobbying" and "advocacy", "C-section" and "cesarean").
2. Each concept of the feature weighs by its rarity in English (``wordfreq`` Zipf frequency:
   "nocturnists" weighs more than "year"); words of the program's own name and of its specialty
   weigh nothing, so naming the program is never a mention.
3. A feature is mentioned by a sentence that covers at least ``COVERAGE`` of its weight with at
   least two concepts (one suffices when it is rare, Zipf < 3, and weighs most of the feature).
   "I like night shifts" covers "night" only: a near miss, not "dedicated nocturnists for
   overnight admissions".
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

from medmatch.writing.concreteness import STOPWORDS, zipf
from medmatch.writing.specificity import SPECIALTY_SYNONYMS

COVERAGE = 0.5
RARE_SINGLE = 3.0  # Zipf below which one matched concept can be enough
SINGLE_SHARE = 0.6  # ...when it carries this share of the feature's weight


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


LIGHT_WORDS = _word_set(
    "program programs residency residents resident training year years month months week weeks "
    "day days time based dedicated option options service services opportunity opportunities "
    "including include includes offers offer with without first second third fourth every "
    "each new own full daily weekly patient patients care"
)
# Words that say the same thing in a statement and in a program's feature list (our own lists,
# general medical-education vocabulary, not one program's features).
SYNONYM_GROUPS = (
    "night nights overnight nocturnal nightly",
    "nocturnist nocturnists",
    "admit admits admitted admitting admission admissions",
    "ultrasound ultrasounds sonography pocus scanning scan scans sonographic",
    "research researching study studies studying",
    "biostatistics biostatistician biostatisticians statistics statistician statisticians",
    "clinic clinics ambulatory outpatient",
    "continuity longitudinal",
    "rural countryside",
    "cesarean caesarean c-section c-sections section sections",
    "obstetrics obstetric deliver delivering deliveries delivered babies birth births labor",
    "spanish spanish-language",
    "immersion immersive",
    "behavioral behavioural therapist therapists counselor counsellor counselling counseling",
    "home homes house houses homebound housebound",
    "visit visits visiting visited",
    "elderly older seniors geriatric",
    "adolescent adolescents teenager teenagers teen teens teenage",
    "transition transitions transfer handoff hand-off",
    "advocacy advocate advocating lobbying lobby legislators legislator lawmakers testimony",
    "capitol legislature statehouse",
    "simulation simulator simulated sim",
    "laparoscopic laparoscopy",
    "robotic robot robotics",
    "ems ambulance paramedic paramedics prehospital pre-hospital",
    "fire firefighters firefighter",
    "toxicology poison poisons poisoning overdose overdoses tox",
    "wilderness backcountry outdoor outdoors",
    "psychosis psychotic",
    "addiction substance opioid opioids",
    "buprenorphine suboxone",
    "psychotherapy therapy therapies",
    "supervised supervisor supervision supervising",
    "consultation consult consults consulting",
    "transplant transplants transplantation",
    "telepsychiatry telehealth telemedicine video virtual",
    "tribal reservation reservations",
    "global international",
    "individualized individualised personalized personalised design designed tailored",
    "curriculum curricula",
    "trauma injured injury injuries",
    "outreach outreaches",
    "scholarly academic",
    "quality qi",
    "ward wards inpatient",
    "procedure procedures procedural",
    "mentor mentors mentorship mentoring",
    "child children kids pediatric paediatric",
    "women woman maternal",
    "veteran veterans va",
    "prison jail incarcerated",
    "refugee refugees asylum",
    "language languages interpreter interpreters",
)
SYNONYMS = {word: group.split()[0] for group in SYNONYM_GROUPS for word in group.split()}
# Hyphenated words count as their parts ("home-visit" is "home" and "visit").
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+", re.UNICODE)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ists", "ist", "ies", "es", "ed", "s")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


@functools.lru_cache(maxsize=16384)
def concept(word: str) -> str:
    """The concept key of one word: its synonym group, or a crude stem (suffix off, 6 letters)."""
    lower = word.lower().replace("\u2019", "'")
    lower = lower.removesuffix("'s")
    if lower in SYNONYMS:
        return SYNONYMS[lower]
    for suffix in _SUFFIXES:
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 4:
            stem = lower[: -len(suffix)]
            if stem in SYNONYMS:
                return SYNONYMS[stem]
            lower = stem
            break
    return lower[:6]


def _concepts(text: str, ignored: tuple[frozenset[str], frozenset[str]]) -> set[str]:
    ignore = ignored[0]
    found = set()
    for match in _WORD.finditer(text):
        lower = match.group(0).lower()
        if lower in STOPWORDS or len(lower) < 2:
            continue
        key = concept(lower)
        if key not in ignore:
            found.add(key)
    return found


@dataclass(frozen=True)
class ProgramFeatures:
    """A program's ``name`` and its listed ``features`` (key -> description)."""

    id: str
    name: str
    features: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FeatureMention:
    """Feature ``key`` of program ``program`` (its ``name`` and ``text``), mentioned or not; when
    it is, ``sentence`` is the sentence that mentions it and ``coverage`` its share of weight."""

    program: str
    program_name: str
    key: str
    text: str
    mentioned: bool
    sentence: str = ""
    coverage: float = 0.0

    def to_dict(self) -> dict:
        return {
            "program": self.program,
            "program_name": self.program_name,
            "key": self.key,
            "text": self.text,
            "mentioned": self.mentioned,
            "sentence": self.sentence,
            "coverage": round(self.coverage, 3),
        }


@dataclass(frozen=True)
class Mentions:
    """``features``: each of this program's features (mentioned or not); ``foreign``: other
    programs' features the paragraph describes; ``warnings``: one sentence per foreign mention."""

    features: tuple[FeatureMention, ...]
    foreign: tuple[FeatureMention, ...]
    warnings: tuple[str, ...]

    @property
    def mentioned(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.features if item.mentioned)


def _ignored(program: ProgramFeatures) -> tuple[frozenset[str], frozenset[str]]:
    """(concepts that never count, concepts that weigh little) for ``program``: the words of its
    name never count (naming the program is not a mention); its specialty's words weigh little
    (every paragraph to a surgery program says "surgery")."""
    name = program.name.lower()
    light = {concept(w) for w in LIGHT_WORDS}
    for key, terms in SPECIALTY_SYNONYMS.items():
        if key in name:
            light.update(concept(piece) for term in terms for piece in _WORD.findall(term))
    light.update(concept(w) for w in ["general", "medicine", "medical", "center", "hospital"])
    ignore = {concept(w) for w in _WORD.findall(name)} - light
    return frozenset(ignore), frozenset(light)


def _weights(text: str, ignored: tuple[frozenset[str], frozenset[str]]) -> dict[str, float]:
    """The feature's concepts and their weights (rarer words weigh more; light words 0)."""
    ignore, light = ignored
    weights: dict[str, float] = {}
    for match in _WORD.finditer(text):
        lower = match.group(0).lower()
        if lower in STOPWORDS or len(lower) < 2 or lower.isdigit():
            continue
        key = concept(lower)
        if key in ignore:
            continue
        weight = 0.0 if key in light or lower in LIGHT_WORDS else max(0.5, 6.5 - zipf(lower))
        weights[key] = max(weights.get(key, 0.0), weight)
    return weights


def _match(weights: dict[str, float], sentence: set[str]) -> float:
    """Coverage of a feature's weight by a passage, or 0 when the match is too thin to count:
    at least ``COVERAGE`` with two concepts, or one concept that carries ``SINGLE_SHARE`` of a
    feature of at most two weighty concepts."""
    heavy = {key: weight for key, weight in weights.items() if weight > 0}
    total = sum(heavy.values())
    if not total:
        return 0.0
    matched = [key for key in heavy if key in sentence]
    coverage = sum(heavy[key] for key in matched) / total
    if len(matched) >= 2 and coverage >= COVERAGE:
        return coverage
    if len(matched) == 1 and len(heavy) <= 2 and coverage >= SINGLE_SHARE:
        return coverage
    return 0.0


def feature_mentions(
    text: str, program: ProgramFeatures, others: tuple[ProgramFeatures, ...] = ()
) -> Mentions:
    """The features of ``program`` that ``text`` mentions, and the features of ``others`` it
    describes instead (see the module docstring). Passages are single sentences and pairs of
    neighbouring sentences (a feature is often described over two)."""
    sentences = [m.group(0).strip() for m in _SENTENCE.finditer(text) if m.group(0).strip()]
    passages = list(sentences)
    passages += [f"{a} {b}" for a, b in itertools.pairwise(sentences)]
    own_ignore = _ignored(program)
    own = [(key, desc, _weights(desc, own_ignore)) for key, desc in program.features.items()]
    own_concepts = [_concepts(passage, own_ignore) for passage in passages]
    found: list[FeatureMention] = []
    for key, description, weights in own:
        best, where = 0.0, ""
        for passage, concepts in zip(passages, own_concepts, strict=True):
            coverage = _match(weights, concepts)
            if coverage > best + 1e-9:
                best, where = coverage, passage
        found.append(
            FeatureMention(program.id, program.name, key, description, best > 0, where, best)
        )
    # Foreign: per sentence, the other program's feature that it describes best, when that beats
    # every feature of this program on the same sentence.
    foreign: dict[tuple[str, str], FeatureMention] = {}
    count = len(sentences)
    for index, sentence in enumerate(sentences):
        # Passages holding this sentence: itself and its pairs with the neighbours.
        around = [index] + [count + i for i in (index - 1, index) if 0 <= i < count - 1]
        own_best = max((_match(w, own_concepts[p]) for _, _, w in own for p in around), default=0.0)
        candidates = []
        for other in others:
            if other.id == program.id:
                continue
            ignored = _ignored(other)
            ignored = (ignored[0] | own_ignore[0], ignored[1])
            other_concepts = _concepts(sentence, ignored)
            for key, description in other.features.items():
                coverage = _match(_weights(description, ignored), other_concepts)
                if coverage > own_best:
                    candidates.append((coverage, other, key, description))
        if candidates:
            coverage, other, key, description = max(candidates, key=lambda item: item[0])
            foreign.setdefault(
                (other.id, key),
                FeatureMention(other.id, other.name, key, description, True, sentence, coverage),
            )
    warnings = tuple(
        f"This describes {item.program_name}\u2019s feature (\u201c{item.text}\u201d), not "
        f"{program.name}\u2019s: \u201c{item.sentence}\u201d"
        for item in foreign.values()
    )
    return Mentions(tuple(found), tuple(foreign.values()), warnings)


def sentence_concepts(
    text: str, spans: tuple[tuple[int, int], ...] | None = None
) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """Each sentence of ``text`` (``spans``, or split here) with its concepts: computed once per
    analysis and shared by every keyword."""
    if spans is None:
        from medmatch.writing.text import split_sentences

        spans = split_sentences(text)
    nothing = (frozenset(), frozenset())
    return tuple(
        (start, end, frozenset(_concepts(text[start:end], nothing))) for start, end in spans
    )


def phrase_spans(
    text: str, phrase: str, sentences: tuple[tuple[int, int, frozenset[str]], ...] | None = None
) -> tuple[tuple[int, int], ...]:
    """The (start, end) of each sentence of ``text`` that mentions ``phrase`` (a feature or
    highlighted keyword of a program) in its own words, by the rules above; for the editor's
    program panel, where an exact phrase search misses paraphrases. ``sentences``: the result of
    ``sentence_concepts(text)`` when the caller has it."""
    if sentences is None:
        sentences = sentence_concepts(text)
    weights = _weights(phrase, (frozenset(), frozenset(concept(w) for w in LIGHT_WORDS)))
    return tuple(
        (start, end) for start, end, concepts in sentences if _match(weights, concepts) > 0
    )
