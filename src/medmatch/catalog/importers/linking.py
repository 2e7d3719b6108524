"""Fuzzy linking of NRMP sponsoring institutions to CMS hospitals: same state, strong evidence only.

NRMP names are abbreviated ("U Alabama Med Ctr-Birmingham") and CMS names are upper-case and
spelled out ("UNIVERSITY OF ALABAMA HOSPITAL"), so both sides are normalised to the same words
before rapidfuzz compares them. A link is accepted only when the best candidate in the same state
scores at least ``LINK_THRESHOLD`` *and* beats the runner-up by ``LINK_MARGIN``: two similar
hospitals in one state ("Mercy Hospital" twice) mean we cannot tell, and then we leave the
institution unlinked rather than guess (DESIGN: unknown is not zero).
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

# Tuned by eye on the real files: with the penalties below, links scoring 90+ with a clear margin
# were right in spot checks; below that, sponsors (health systems, schools) began to link to one
# sibling hospital of their system.
LINK_THRESHOLD = 90.0
LINK_MARGIN = 4.0

# Abbreviations NRMP and CMS use, spelled out so that both sides use the same words.
_WORDS = {
    "u": "university",
    "univ": "university",
    "hosp": "hospital",
    "hosps": "hospitals",
    "med": "medical",
    "ctr": "center",
    "cntr": "center",
    "centre": "center",
    "st": "saint",
    "ste": "sainte",
    "mt": "mount",
    "hlth": "health",
    "sys": "system",
    "reg": "regional",
    "rgnl": "regional",
    "comm": "community",
    "gen": "general",
    "mem": "memorial",
    "coll": "college",
    "osteo": "osteopathic",
    "natl": "national",
    "inst": "institute",
    "sch": "school",
    "cty": "county",
    "co": "county",
    "hsp": "hospital",
    "childrens": "children",
    "chldns": "children",
    "drs": "doctors",
    "ed": "education",
    "res": "research",
    "svcs": "services",
    "ft": "fort",
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "and": "",
    "the": "",
    "of": "",
    "at": "",
    "inc": "",
    "llc": "",
    "program": "",
    "programs": "",
    "progs": "",
    "gme": "",
}
_PHRASES = [
    (re.compile(r"\bcom\b"), "college medicine"),
    (re.compile(r"\bsom\b"), "school medicine"),
    (re.compile(r"\bchm\b"), "college human medicine"),
]
_STATE_SUFFIX = re.compile(r"-([A-Z]{2})$")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def split_state_suffix(name: str) -> tuple[str, str]:
    """("Brookwood Baptist Health", "AL") from "Brookwood Baptist Health-AL"; "" when absent."""
    match = _STATE_SUFFIX.search(name.strip())
    if not match:
        return name.strip(), ""
    return name.strip()[: match.start()].strip(), match.group(1)


def normalise_name(name: str) -> str:
    """Lower-case words with abbreviations spelled out and filler words dropped."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("'s", "s").replace("&", " and ")
    text = _NON_WORD.sub(" ", text)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    words = (_WORDS.get(word, word) for word in text.split())
    return " ".join(word for word in words if word)


@dataclass(frozen=True)
class Link:
    """The decision for one name: the chosen key (or None), its score and the runner-up's."""

    key: str | None
    score: float
    runner_up_score: float
    candidate_key: str | None  # the best candidate even when rejected, for the report


# Words that many hospital names share; they say little about *which* hospital is meant.
_GENERIC = frozenset(
    [
        "hospital",
        "hospitals",
        "medical",
        "center",
        "centers",
        "health",
        "healthcare",
        "system",
        "systems",
        "services",
        "clinic",
        "clinics",
        "regional",
        "community",
        "county",
        "university",
        "college",
        "medicine",
        "school",
    ]
)
# Words that make a different kind of facility: a sponsor called "Albany Medical Center" is not
# "Albany VA Medical Center", however similar the letters.
_KIND_WORDS = frozenset(
    [
        "va",
        "veterans",
        "children",
        "behavioral",
        "psychiatric",
        "psychiatry",
        "rehabilitation",
        "womens",
        "cancer",
        "heart",
        "orthopedic",
        "surgical",
        "specialty",
        "kindred",
        "select",
        "acute",
    ]
)
KIND_CONFLICT_PENALTY = 15.0
UNEXPLAINED_WORD_PENALTY = 5.0


CANDIDATE_EXTRA_WORD_PENALTY = 5.0
QUERY_EXTRA_WORD_PENALTY = 3.0


def score(query: str, candidate: str, **_: object) -> float:
    """Similarity of a normalised query name and a candidate ("name | city"), 0-100.

    Half of it is token_sort_ratio on all words (same words in any order); half is
    token_set_ratio on the distinctive words only, so that "Cedars-Sinai Med Ctr" and "CEDARS-SINAI
    MEDICAL CENTER" agree on what matters. Then penalties for evidence *against* the pair:
    a facility-kind word on one side only (VA, children, behavioral...); distinctive words left
    unexplained on both sides ("Saint John" against "Saint Mary"); each distinctive word the
    candidate has beyond the query ("Providence Hospital" is not "Providence Seward Hospital"),
    and, less, each one the query has beyond the candidate ("Long Beach Memorial"). The
    candidate's city explains query words such as the campus in "St Vincent Hosp-Worcester".
    """
    candidate_name, _, candidate_city = candidate.partition(" | ")
    query_words, candidate_words = set(query.split()), set(candidate_name.split())
    query_distinct, candidate_distinct = query_words - _GENERIC, candidate_words - _GENERIC
    result = 0.5 * fuzz.token_sort_ratio(query, candidate_name) + 0.5 * fuzz.token_set_ratio(
        " ".join(sorted(query_distinct)), " ".join(sorted(candidate_distinct))
    )
    if (query_words & _KIND_WORDS) != (candidate_words & _KIND_WORDS):
        result -= KIND_CONFLICT_PENALTY
    query_only = query_distinct - candidate_distinct - set(candidate_city.split())
    candidate_only = candidate_distinct - query_words
    result -= UNEXPLAINED_WORD_PENALTY * min(len(query_only), len(candidate_only))
    result -= CANDIDATE_EXTRA_WORD_PENALTY * len(candidate_only)
    # Query-only words cost less: sponsors often add an affiliation ("Rutgers-", "/Einstein").
    result -= QUERY_EXTRA_WORD_PENALTY * len(query_only)
    return max(0.0, result)


def best_link(name: str, candidates: dict[str, str]) -> Link:
    """Pick the candidate (key -> normalised name) that ``name`` most likely is, if clearly so."""
    if not candidates:
        return Link(None, 0.0, 0.0, None)
    query = normalise_name(name)
    found = process.extract(query, candidates, scorer=score, limit=2)
    _, best_score, best_key = found[0]
    runner_up = found[1][1] if len(found) > 1 else 0.0
    accepted = best_score >= LINK_THRESHOLD and best_score - runner_up >= LINK_MARGIN
    return Link(best_key if accepted else None, best_score, runner_up, best_key)


def index_by_state(rows: Iterable[tuple[str, str, str, str]]) -> dict[str, dict[str, str]]:
    """{state: {key: "normalised name | normalised city"}} from (key, name, city, state) rows."""
    index: dict[str, dict[str, str]] = {}
    for key, name, city, state in rows:
        index.setdefault(state, {})[key] = f"{normalise_name(name)} | {normalise_name(city)}"
    return index
