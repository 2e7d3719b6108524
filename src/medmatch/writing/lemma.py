"""A small rule-based English lemmatiser and root finder, for matching the words of a paragraph
against a program's feature list (``mentions``). No model and no download: suffix rules checked
against the ``wordfreq`` frequencies the package already ships.

* ``lemma(word)``: the dictionary form of an inflected word ("counties" -> "county", "admitted"
  -> "admit", "caring" -> "care", "ridden" -> "ride"). A candidate replaces the word only when
  English knows it about as well as the word itself, so "morning" stays "morning" ("morn" is
  rare) and "hundred" stays "hundred".
* ``root(lemma)``: the lemma with one derivational suffix off, compared *whole* ("navigation",
  "navigational" and "navigate" -> "navig"; "interventional" -> "intervent" but "interview" stays
  "interview"; "mammography" and "mammogram" -> "mammogra"). Roots shorter than five letters are
  not made ("rotation" stays whole), so short words do not collide.
* ``compound_parts(word)``: a rare closed compound as two common words ("farmworker" -> "farm",
  "worker"), else ``None``.
"""

from __future__ import annotations

import functools

from medmatch.writing.concreteness import zipf

IRREGULAR = {
    "children": "child",
    "women": "woman",
    "men": "man",
    "people": "person",
    "feet": "foot",
    "teeth": "tooth",
    "lives": "life",
    "wives": "wife",
    "halves": "half",
    "analyses": "analysis",
    "diagnoses": "diagnosis",
    "prognoses": "prognosis",
    "crises": "crisis",
    "theses": "thesis",
    "criteria": "criterion",
    "curricula": "curriculum",
    "ran": "run",
    "led": "lead",
    "took": "take",
    "taken": "take",
    "saw": "see",
    "seen": "see",
    "chose": "choose",
    "chosen": "choose",
    "gave": "give",
    "given": "give",
    "went": "go",
    "gone": "go",
    "made": "make",
    "wrote": "write",
    "written": "write",
    "taught": "teach",
    "brought": "bring",
    "thought": "think",
    "began": "begin",
    "begun": "begin",
    "spent": "spend",
    "held": "hold",
    "met": "meet",
    "felt": "feel",
    "kept": "keep",
    "found": "find",
    "built": "build",
    "sent": "send",
    "said": "say",
    "paid": "pay",
    "rode": "ride",
    "ridden": "ride",
    "drove": "drive",
    "driven": "drive",
    "grew": "grow",
    "grown": "grow",
    "knew": "know",
    "known": "know",
    "bought": "buy",
    "caught": "catch",
    "sought": "seek",
    "understood": "understand",
    "stood": "stand",
    "sat": "sit",
    "lost": "lose",
    "heard": "hear",
    "told": "tell",
    "fed": "feed",
    "read": "read",
}
# Words that look inflected but are not ("evening" is not "even" + "-ing").
NOT_INFLECTED = frozenset(
    [
        "evening",
        "morning",
        "nothing",
        "something",
        "anything",
        "everything",
        "thing",
        "during",
        "ceiling",
        "wedding",
        "sibling",
        "spring",
        "string",
        "bring",
        "king",
        "ring",
        "sing",
        "news",
        "always",
        "sometimes",
        "perhaps",
        "towards",
        "series",
        "species",
        "bus",
        "gas",
        "lens",
    ]
)
# Words whose root would fall together with another word's ("internal" and "intern",
# "medication" and "medical"): compared whole.
ROOT_KEEP = frozenset(
    [
        "clinical",
        "internal",
        "international",
        "intern",
        "internship",
        "national",
        "rational",
        "general",
        "original",
        "personal",
        "natural",
        "medical",
        "medication",
        "hospital",
        "universal",
    ]
)
_VOWELS = frozenset("aeiou")
# (suffix, replacement), longest first within a family; the first that leaves a long enough
# stem applies. Replacements keep a family together ("-ology", "-ologist" -> "olog").
_ROOT_RULES = (
    ("ological", "olog", 2),
    ("ologist", "olog", 2),
    ("ologic", "olog", 2),
    ("ology", "olog", 2),
    ("iatrician", "iatr", 2),
    ("iatrist", "iatr", 2),
    ("iatrics", "iatr", 2),
    ("iatric", "iatr", 2),
    ("iatry", "iatr", 2),
    ("ographic", "ogra", 3),
    ("ography", "ogra", 3),
    ("ograph", "ogra", 3),
    ("ogram", "ogra", 3),
    ("oscopic", "oscop", 3),
    ("oscopy", "oscop", 3),
    ("oscope", "oscop", 3),
    ("ics", "ic", 4),
    ("izational", "", 5),
    ("ization", "", 5),
    ("isation", "", 5),
    ("ational", "", 5),
    ("itional", "", 5),
    ("ional", "", 5),
    ("ation", "", 5),
    ("ition", "", 5),
    ("ion", "", 5),
    ("ically", "", 5),
    ("ical", "", 5),
    ("ative", "", 5),
    ("ive", "", 5),
    ("ize", "", 5),
    ("ise", "", 5),
    ("ate", "", 5),
    ("ment", "", 5),
    ("ness", "", 5),
    ("ity", "", 5),
    ("ty", "", 5),
    ("ist", "", 5),
    ("ism", "", 5),
    ("ic", "", 5),
    ("al", "", 5),
    ("ly", "", 5),
    ("e", "", 5),
    ("a", "", 5),
    ("y", "", 6),
)


def _known(candidate: str, word_zipf: float) -> float:
    """The candidate's Zipf frequency when English knows it about as well as the word (within
    one unit, or anything known for an unknown word), else 0."""
    value = zipf(candidate)
    return value if value > 0 and value >= word_zipf - 1.0 else 0.0


def _best(word: str, candidates: list[str], default: str | None = None) -> str:
    word_zipf = zipf(word)
    scored = [(_known(c, word_zipf), c) for c in candidates if len(c) >= 2]
    scored = [item for item in scored if item[0] > 0]
    if scored:
        return max(scored, key=lambda item: item[0])[1]
    return default if default is not None and word_zipf == 0 else word


@functools.lru_cache(maxsize=32768)
def lemma(word: str) -> str:
    """The dictionary form of ``word`` (lower case): plural nouns singular, verb forms bare."""
    word = word.lower()
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) <= 3 or word in NOT_INFLECTED or not word.isalpha():
        return word
    if word.endswith("s"):
        if word.endswith(("ss", "us", "is", "ics", "ous")):
            return word
        if word.endswith("ies") and len(word) > 4:
            return _best(word, [word[:-3] + "y", word[:-1]], word[:-3] + "y")
        if word.endswith("ves"):
            return _best(word, [word[:-3] + "f", word[:-3] + "fe", word[:-1]], word[:-1])
        if word.endswith(("sses", "shes", "ches", "xes", "zes", "oes", "ses")):
            return _best(word, [word[:-2], word[:-1]], word[:-1])
        return _best(word, [word[:-1]], word[:-1])
    if word.endswith("ed") and len(word) > 4:
        stem = word[:-2]
        candidates = [stem, word[:-1]]
        if word.endswith("ied"):
            candidates.append(word[:-3] + "y")
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
            candidates.append(stem[:-1])
        return _best(word, candidates, stem)
    if word.endswith("ing") and len(word) > 5:
        stem = word[:-3]
        candidates = [stem, stem + "e"]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
            candidates.append(stem[:-1])
        return _best(word, candidates, stem)
    return word


@functools.lru_cache(maxsize=32768)
def root(word: str) -> str:
    """``word`` (a lemma) with one derivational suffix off, then a final "e" (see the module
    docstring); the word itself when no rule leaves a long enough stem."""
    if word in NOT_INFLECTED or word in ROOT_KEEP or not word.isalpha():
        return word
    for suffix, replacement, shortest in _ROOT_RULES:
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            stem = word[: len(word) - len(suffix)] + replacement
            if len(stem) >= 5 and stem.endswith("e") and not replacement:
                stem = stem[:-1]
            return stem
    return word


@functools.lru_cache(maxsize=16384)
def compound_parts(word: str) -> tuple[str, str] | None:
    """A rare closed compound (Zipf < 2.5) as the two common words (Zipf >= 3.5, three letters
    or more) it is made of, the split whose rarer part is commonest; else ``None``."""
    if len(word) < 7 or not word.isalpha() or zipf(word) >= 2.5:
        return None
    best, best_score = None, 0.0
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        score = min(zipf(head), zipf(tail))
        if score >= 3.5 and score > best_score:
            best, best_score = (head, tail), score
    return best
