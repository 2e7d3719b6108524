"""Fuzzy linking of NRMP sponsoring institutions to places of their state: strong evidence only.

NRMP names are abbreviated ("U Alabama Med Ctr-Birmingham") and CMS/HIFLD names are upper-case
and spelled out ("UNIVERSITY OF ALABAMA HOSPITAL"), so both sides are normalised to the same words
before rapidfuzz compares them. ``PlaceIndex.link`` accepts the best place of the state only when
it beats the runner-up (another place) by a margin and either scores ``LINK_THRESHOLD`` or is the
only place with every distinctive word of the name (see ``EVIDENCE_THRESHOLD``). Two similar
hospitals in one state ("Mercy Hospital" twice) mean we cannot tell, and then we leave the
institution unlinked rather than guess (DESIGN: unknown is not zero).
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz

from medmatch.lib.geo import haversine_km

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
    "for": "",
    "inc": "",
    "llc": "",
    "program": "",
    "programs": "",
    "progs": "",
    "gme": "",
    # Read off the NRMP sponsor names and the CMS/HIFLD spellings of the same hospitals.
    "nyp": "new york presbyterian",
    "sf": "san francisco",
    "newyork": "new york",
    "uams": "university arkansas medical science",
    "uc": "university california",
    "hsc": "health science center",
    "sci": "science",
    "sciences": "science",
    "fdn": "foundation",
    "affil": "affiliated",
    "educ": "education",
    "grad": "graduate",
    "ctrs": "centers",
    "fam": "family",
    "prac": "practice",
    "presby": "presbyterian",
    "grtr": "greater",
    "insts": "institutes",
    "mass": "massachusetts",
    "rehab": "rehabilitation",
    "svc": "services",
    "amc": "army medical center",
    "corp": "corporation",
    # Read off the sponsors the first two gold sets missed and the CMS spellings they mean.
    "teach": "teaching",  # "Stony Brook Teach Hosps"
    "mlk": "martin luther king",  # "MLK Jr Community Hospital"
    "prov": "providence",  # CMS "PROV SACRED HRT MEDICAL CENTER..."
    "hrt": "heart",
    "childs": "children",
    "pt": "point",  # "HCA Healthcare/USF Morsani-Bayonet Pt"
}
_PHRASES = [
    (re.compile(r"\bcom\b"), "college medicine"),
    (re.compile(r"\bsom\b"), "school medicine"),
    (re.compile(r"\bchm\b"), "college human medicine"),
    (re.compile(r"\bst (?=univ)"), "state "),  # "Michigan St Univ", "East Tennessee St Univ"
    (re.compile(r"\bs and w\b"), "scott white"),  # "Baylor S&W"
    (re.compile(r"\bb i\b"), "beth israel"),  # "B I Deaconess"
    # Kaiser's hospitals are "KAISER FOUNDATION HOSPITAL - <city>" in CMS; NRMP says "Kaiser
    # Permanente-<city>".
    (re.compile(r"\bkaiser permanente\b"), "kaiser foundation hospital"),
    (re.compile(r"\bsaint pete\b|\bst pete\b"), "saint petersburg"),  # "USF Morsani GME-St Pete"
    (re.compile(r"\bgood sam\b"), "good samaritan"),  # "Wellspan Health Good Sam Hosp"
]
# Each phrase with letters that any match of it contains: most names contain none of them, and
# a substring test is much cheaper than a search.
_PHRASE_CHECKS = [
    (needle, pattern, replacement)
    for (pattern, replacement), needle in zip(
        _PHRASES,
        ["com", "som", "chm", "st ", " and ", "b i", "kaiser permanente", " pete", "good sam"],
        strict=True,
    )
]
# Brands that health systems put in front of their hospitals' names ("NORTHERN LIGHT EASTERN
# MAINE MEDICAL CENTER", "HCA FLORIDA NORTHSIDE HOSPITAL", "Ascension St Francis"): a name with
# the brand dropped is one more name of the same hospital. Normalised spelling; longest first.
SYSTEM_BRANDS = (
    "hca florida",
    "hca houston healthcare",
    "hca healthcare",
    "hca",
    "upmc",
    "northwell health",
    "northwell",
    "northern light",
    "ascension",
    "advocate",
    "adventhealth",
    "atrium health",
    "prisma health",
    "christus",
    "trinity health",
    "sutter",
    "dignity health",
    "ochsner",
    "baylor scott white",
    "texas health",
    "memorial hermann",
    "ohiohealth",
    "uchealth",
    "unitypoint health",
    "wellstar",
    "novant health",
    "mclaren",
    "corewell health",
    "henry ford",
    "hackensack meridian",
    "rwjbarnabas health",
    "kaiser foundation hospital",
    "banner",
    "honorhealth",
    "sanford",
    "essentia health",
    "intermountain",
    "mercyhealth",
    "bon secours",
    "piedmont",
    "baystate",
    # Brands that begin several CMS hospital names, or that a sponsor puts before a hospital it
    # names ("UnityPoint Broadlawns", "Spectrum Health Lakeland", "Penn State Hershey Med Ctr"),
    # and the brands CMS still uses for hospitals since renamed (AMITA, Presence).
    "unitypoint",
    "spectrum health",
    "penn state health",
    "penn state",
    "amita health",
    "presence",
    "uf health",
    "wellspan health",
    "wellspan",
    "monument health",
    "ssm health",
    "chi health",
    "chi",
    "mercy health",
    "adventist health",
    "avera",
    "aspirus",
    "intermountain health",
    "franciscan health",
    "merit health",
    "sentara",
    "integris",
    "medstar",
    "steward",
    "montefiore",
    "peacehealth",
    "centracare health",
    "centracare",
    "mainehealth",
    "kettering health",
    "inova",
    "broward health",
    "hshs",
    "osf",
    "m health",
    "unc health",
    "henry ford health",
    "thedacare",
    "mymichigan",
    "nyc health hospitals",
    "stony brook",
)
# Longest first, so that "hca florida" is read before "hca".
_BRAND = re.compile(
    r"^(" + "|".join(re.escape(b) for b in sorted(SYSTEM_BRANDS, key=len, reverse=True)) + r")\b\s*"
)


def without_brand(normalised: str) -> str:
    """The name with a leading system brand dropped, or "" when it has none or only the brand."""
    match = _BRAND.match(normalised)
    rest = normalised[match.end() :].strip() if match else ""
    return rest if rest and rest != normalised else ""


def other_names(normalised: str, city: str) -> list[str]:
    """More names of a hospital called ``normalised`` in ``city`` (both normalised), each one
    still saying which hospital it is:

    - the name with the system brand dropped ("eastern maine medical center" of "northern light
      eastern maine medical center"; not "hospital", nor an operator's "valley hospitals");
    - the name without its own city at the end ("saint joseph medical center" of "saint joseph
      medical center stockton"; not "kaiser foundation hospital", which is every Kaiser);
    - the name without a campus ("bayhealth medical center" of "bayhealth medical center kent
      campus").
    """
    bare = branded_name(normalised, city)
    return ([bare] if bare else []) + shorter_names(normalised, city)


@lru_cache(maxsize=65536)
def branded_name(normalised: str, city: str) -> str:
    """The name with the system brand dropped, when what remains still says which hospital
    ("eastern maine medical center", not "hospital" nor an operator's "valley hospitals").
    Cached: each index asks it twice of each name (``shorter_names`` too)."""
    bare = without_brand(normalised)
    if (
        bare
        and set(bare.split()) - _FACILITY_SUFFIX - set(city.split())
        and _ONE_FACILITY.search(bare)
    ):
        return bare
    return ""


def shorter_names(normalised: str, city: str) -> list[str]:
    """The name, and its brand-less name, without its city at the end or without a campus."""
    found: list[str] = []
    bare = branded_name(normalised, city)
    for name in [normalised, *([bare] if bare else [])]:
        words = name.split()
        shorter = []
        if city and name.endswith(f" {city}"):
            shorter.append(name[: -len(city) - 1])
        if len(words) > 3 and words[-1] == "campus":
            last = max(
                (i for i, word in enumerate(words[:-2]) if word in ("hospital", "center")),
                default=-1,
            )
            if last > 0:
                shorter.append(" ".join(words[: last + 1]))
        for short in shorter:
            rest = without_brand(short) or ("" if brand_of(short) else short)
            if (
                rest
                and set(rest.split()) - _GENERIC
                and (_ONE_FACILITY.search(short) or "children" in short.split())
                and short not in found
            ):
                found.append(short)
    return found


def brand_of(normalised: str) -> str:
    match = _BRAND.match(normalised)
    return match.group(1) if match else ""


# A hospital named for its benefactors ("EDWARD W SPARROW HOSPITAL", "ANN & ROBERT H LURIE
# CHILDRENS HOSPITAL OF CHICAGO") goes by the surname ("Sparrow Hospital", "Lurie Childrens"):
# given names and a middle initial at the start of the name, then a surname.
_GIVEN_NAMES = re.compile(r"^([A-Z]{2,}) (?:(?:&|AND) [A-Z]{2,} )?[A-Z]\.? (?=[A-Z]{3,} )")
_NOT_GIVEN_NAMES = frozenset(["st", "saint", "mt", "mount", "the", "university"])


def without_given_names(raw: str) -> str:
    """The normalised name without its benefactor's given names ("sparrow hospital" for "EDWARD
    W SPARROW HOSPITAL"), or "" when it starts with none."""
    match = _GIVEN_NAMES.match(raw.strip().upper())
    if not match or match.group(1).lower() in _NOT_GIVEN_NAMES:
        return ""
    rest = normalise_name(raw.strip()[match.end() :])
    return rest if _ONE_FACILITY.search(rest) or "children" in rest.split() else ""


def slash_names(raw: str) -> list[str]:
    """The parts of a CMS name with a slash that name a facility and say which, normalised:
    "stony brook university hospital" of "SUNY/STONY BROOK UNIVERSITY HOSPITAL", "carolinas
    medical center" of "CAROLINAS MEDICAL CENTER/BEHAV HEALTH" (a unit or an owner beside the
    hospital's own name); not "halifax health" nor a bare "hospital"."""
    if "/" not in raw:
        return []
    found = []
    for part in raw.split("/"):
        name = normalise_name(part)
        if (
            _ONE_FACILITY.search(name)
            and set(name.split()) - _GENERIC
            and name != normalise_name(raw)
        ):
            found.append(name)
    return found


_HOSPITAL_NAME = re.compile(r"\b(hospital|hospitals|medical center)\b")
_ONE_FACILITY = re.compile(r"\b(hospital|medical center|clinic|infirmary)\b")
_FACILITY_SUFFIX = frozenset(["hospital", "medical", "center", "regional"])
_SCHOOL_WORDS = frozenset(["university", "college", "school"])
_FACILITY_WORDS = frozenset(["hospital", "hospitals", "clinic", "clinics"])


def is_school(normalised: str) -> bool:
    """Whether a normalised name is a university or school rather than one of its hospitals:
    "university north carolina hospitals" is a hospital, "medical college georgia" a school."""
    words = set(normalised.split())
    if not words & _SCHOOL_WORDS or words & _FACILITY_WORDS:
        return False
    return "medical center" not in normalised


_HEALTH_CENTER = re.compile(
    r"\b(community|family) health (care )?centers?\b|\bhealth care centers?\b"
)


def is_health_center(normalised: str) -> bool:
    """Whether a name is a community or family health centre ("Shasta Community Health Ctr",
    "Grtr Lawrence Fam Hlth Ctr", "Borinquen Health Care Ctr"), an FQHC or a clinic rather than
    a hospital; not "St Vincent Hlth Ctr" (a hospital in Erie) nor a name with "hospital"."""
    return bool(_HEALTH_CENTER.search(normalised)) and not re.search(
        r"\b(hospital|hospitals|medical center)\b", normalised
    )


def is_health_science_center(normalised: str) -> bool:
    """Whether a name is a university's health science center ("U Texas HSC-Tyler"): a school
    even where a CMS hospital bears the same name, since the university owns the hospital and
    sponsors as the university (the gold sets' rule for a university that owns a hospital)."""
    return is_school(normalised) and "health science center" in normalised


_SYSTEM_ENDING = re.compile(
    r"\b(health|healthcare|health care|health system|health systems|system|systems|network"
    r"|partners|health services|health care district|health network)$"
)


def is_system(normalised: str) -> bool:
    """Whether a normalised name reads as a health system or network ("cone health", "penn
    highlands healthcare", "geisinger health system") rather than one hospital."""
    return bool(_SYSTEM_ENDING.search(normalised)) and not _ONE_FACILITY.search(normalised)


# Words that say a name is a hospital but not which one; "memorial" too, since a benefactor's
# hospital goes by the name alone ("Mather Hosp" is JOHN T MATHER MEMORIAL HOSPITAL).
_CORE_DROP = frozenset(
    ["hospital", "hospitals", "medical", "center", "regional", "memorial", "infirmary"]
)


@lru_cache(maxsize=65536)
def facility_core(normalised: str, *, facility_needed: bool = True) -> str:
    """The name without its facility words ("university alabama" of "university alabama
    medical center"); "" when the name names no facility (and ``facility_needed``). Cached: the
    indexes of each state, and of each sponsor's places (``subset``), ask for the same names."""
    words = normalised.split()
    if facility_needed and not (_ONE_FACILITY.search(normalised) or "children" in words):
        return ""
    return " ".join(word for word in words if word not in _CORE_DROP)


def without_operator(normalised: str) -> str:
    """A hospital's name without the system that runs it at the end ("saint joseph hospital" of
    "St Joseph Hospital SCL Health"); "" when it ends with none."""
    words = normalised.split()
    last = max(
        (i for i, w in enumerate(words) if w in ("hospital", "center", "clinic")), default=-1
    )
    if last < 1 or last == len(words) - 1:
        return ""
    operator = " ".join(words[last + 1 :])
    return " ".join(words[: last + 1]) if is_system(operator) else ""


def _words_and_pairs(normalised: str) -> set[str]:
    """The words of a name and each two neighbours run together ("detar" of "de tar hospital"),
    so that a name spelt as one word or two is the same name."""
    words = normalised.split()
    return set(words) | {a + b for a, b in pairwise(words)}


@lru_cache(maxsize=65536)
def initials(normalised: str) -> str:
    """ "south georgia medical center" -> "sgmc"; "" under three words (cached, as
    ``facility_core``)."""
    words = normalised.split()
    return "".join(w[0] for w in words) if len(words) >= 3 else ""


# Saints' names lose the possessive s ("St Joseph's" and "St Josephs" = "saint joseph"); only
# these names, since "Francis" or "Agnes" end in s by themselves.
_SAINTS = frozenset(
    [
        *("agatha", "ann", "anne", "anthony", "bernard", "catherine", "clare", "cloud", "david"),
        *("dominic", "elizabeth", "helena", "joseph", "jude", "john", "luke", "mark", "martha"),
        *("mary", "michael", "patrick", "peter", "rose", "vincent"),
    ]
)
_STATE_SUFFIX = re.compile(r"-([A-Z]{2})$")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def split_state_suffix(name: str) -> tuple[str, str]:
    """("Brookwood Baptist Health", "AL") from "Brookwood Baptist Health-AL"; "" when absent."""
    match = _STATE_SUFFIX.search(name.strip())
    if not match:
        return name.strip(), ""
    return name.strip()[: match.start()].strip(), match.group(1)


class _WithoutAccents(dict):
    """A ``str.translate`` table that drops combining marks (the accents NFKD splits off) and
    keeps every other character, each character's entry made the first time it is met: the
    import's ~4,600 names with accents (Wikidata labels) hold ~154,000 characters, which a
    generator asking ``unicodedata.combining`` of each took 0.03 s to read."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_WITHOUT_ACCENTS = _WithoutAccents()


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """Lower-case words with abbreviations spelled out and filler words dropped (cached: the
    import normalises the same hospital names once per state index, campus and program site)."""
    if name.isascii():  # NFKD leaves ASCII as it is, and it has no accent to drop
        text = name.lower()
    else:
        text = unicodedata.normalize("NFKD", name).translate(_WITHOUT_ACCENTS).lower()
    # An apostrophe joins, never splits: "O'Bleness" is "OBleness", "St Joseph's" "St Josephs".
    text = text.replace("\u2019", "'").replace("'", "").replace("&", " and ")
    text = _NON_WORD.sub(" ", text)
    for needle, pattern, replacement in _PHRASE_CHECKS:
        if needle in text:  # a pattern can match only where its letters are
            text = pattern.sub(replacement, text)
    words = [_WORDS.get(word, word) for word in text.split()]
    if "saint" in words:  # 1,510 of the import's 37,237 names: the rest have no possessive
        words = [
            word[:-1] if word.endswith("s") and word[:-1] in _SAINTS and before == "saint" else word
            for before, word in zip(["", *words], words, strict=False)
        ]
    return " ".join(filter(None, words))  # the filler words, spelled out as ""


# Words that every hospital or employer name may carry; they say little about *which* hospital is
# meant. The H-1B employer matching (``hospital_data``) starts from the same set.
HOSPITAL_NAME_WORDS = frozenset(
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
        "university",
        "college",
        "medicine",
        "school",
        "care",
        "foundation",
        "corporation",
        "inc",
    ]
)
# For linking sponsors to hospitals, words that name a part of a place or an organisation's reach
# also say nothing of which hospital ("Central Michigan University", "Hospital District").
_GENERIC = HOSPITAL_NAME_WORDS | frozenset(
    [
        "county",
        "authority",
        "district",
        "campus",
        "network",
        "teaching",  # "Stony Brook Teach Hosps" are its university hospital
        "north",
        "south",
        "east",
        "west",
        "central",
        "northern",
        "southern",
        "eastern",
        "western",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
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
        "surgery",
        "hospice",
        "specialty",
        "kindred",
        "select",
        "acute",
    ]
)
GENERIC_WORDS = _GENERIC
# "... MEDICAL CENTER & CHILDREN'S HOSPITAL" is a general hospital with a children's hospital in
# it (Providence Sacred Heart, Penn State's Hershey), not a children's hospital only.
_WITH_CHILDREN = re.compile(r"\b(hospital|medical center)\b.* children hospital\b")


def kind_words(normalised: str) -> set[str]:
    """The words of a normalised name that make it a kind of facility (VA, children's...),
    but for a general hospital that names its children's hospital too, or a Sacred Heart."""
    kinds = set(normalised.split()) & _KIND_WORDS
    if "children" in kinds and _WITH_CHILDREN.search(normalised):
        kinds.discard("children")
    if "heart" in kinds and not re.search(r"(?<!sacred )\bheart\b", normalised):
        kinds.discard("heart")  # a Sacred Heart hospital is no heart hospital
    return kinds


KIND_CONFLICT_PENALTY = 15.0
UNEXPLAINED_WORD_PENALTY = 5.0


CANDIDATE_EXTRA_WORD_PENALTY = 5.0
QUERY_EXTRA_WORD_PENALTY = 3.0


@lru_cache(maxsize=65536)
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

    Cached: a quarter of an import's pairs are scored again (a place's name under two origins,
    a sponsor's name against its state's places and again against a subset of them).
    """
    candidate_name, _, candidate_city = candidate.partition(" | ")
    query_words, candidate_words = set(query.split()), set(candidate_name.split())
    query_distinct, candidate_distinct = query_words - _GENERIC, candidate_words - _GENERIC
    result = 0.5 * fuzz.token_sort_ratio(query, candidate_name) + 0.5 * fuzz.token_set_ratio(
        " ".join(sorted(query_distinct)), " ".join(sorted(candidate_distinct))
    )
    if kind_words(query) != kind_words(candidate_name):
        result -= KIND_CONFLICT_PENALTY
    query_only = query_distinct - candidate_distinct - set(candidate_city.split())
    candidate_only = candidate_distinct - query_words
    result -= UNEXPLAINED_WORD_PENALTY * min(len(query_only), len(candidate_only))
    result -= CANDIDATE_EXTRA_WORD_PENALTY * len(candidate_only)
    # Query-only words cost less: sponsors often add an affiliation ("Rutgers-", "/Einstein").
    result -= QUERY_EXTRA_WORD_PENALTY * len(query_only)
    return max(0.0, result)


# Two rules accept a link; both need the best candidate to beat the runner-up (another place):
# - the name rule: rapidfuzz score >= LINK_THRESHOLD with LINK_MARGIN over the runner-up;
# - the evidence rule: exactly one place in the state has every distinctive word of the name
#   (in its names or its city), and its score is at least EVIDENCE_THRESHOLD with EVIDENCE_MARGIN.
#   "Johns Hopkins/Bayview" has "bayview" in one Maryland hospital only; "Mercy Hospital" has
#   "mercy" in many, so it stays unlinked however well one of them scores.
EVIDENCE_THRESHOLD = 70.0
EVIDENCE_MARGIN = 5.0
# A word borne by fewer CMS hospitals of the country than this is rare (see ``rare_words``).
RARE_WORD_HOSPITALS = 10


def rare_words(names: Iterable[str]) -> frozenset[str]:
    """The words of fewer than ``RARE_WORD_HOSPITALS`` of ``names`` (normalised names, one per
    hospital), not generic: "huntington" (7 CMS hospitals), not "mercy" (91)."""
    counts: dict[str, int] = {}
    for name in names:
        for word in set(name.split()):
            counts[word] = counts.get(word, 0) + 1
    return frozenset(w for w, n in counts.items() if n < RARE_WORD_HOSPITALS and w not in _GENERIC)


# Two candidates closer than this are one place (a campus listed twice, a CMS hospital and its
# HIFLD row): they do not compete with each other for the margin or the evidence rule.
SAME_PLACE_KM = 2.0


@dataclass(frozen=True)
class Place:
    """Something a sponsor can be placed at: a CMS hospital, a HIFLD facility, a city.

    ``names`` are normalised names with the origin of each ("cms", "hifld", ...), so that the
    import can report which kind of name made the link.
    """

    key: str
    names: tuple[tuple[str, str], ...]
    city: str  # normalised
    latitude: float | None = None
    longitude: float | None = None
    # The hospital a campus belongs to (its CCN), so that it does not compete with it.
    hospital_key: str = ""
    # Shorter names ("saint joseph medical center" of "... stockton"): word for word only, never
    # scored (a "baptist memorial hospital" of Booneville would outscore the name's owner).
    short_names: tuple[tuple[str, str], ...] = ()

    @property
    def all_names(self) -> tuple[tuple[str, str], ...]:
        return self.names + self.short_names

    @property
    def group(self) -> str:
        return self.hospital_key or self.key


@dataclass(frozen=True)
class Link:
    """The decision for one name: the chosen place key (or None), the scores and the rule."""

    key: str | None
    score: float
    runner_up_score: float
    candidate_key: str | None  # the best candidate even when rejected, for the report
    rule: str = ""  # "name" or "evidence" when accepted
    origin: str = ""  # the origin of the name that scored best ("cms", "hifld"...)


def _index_entries(place: Place) -> tuple[tuple[int, str], ...]:
    """(table, token) of every entry ``PlaceIndex._build_indexes`` makes for ``place``, in the
    order it makes them; tables by position: short exact names, short cores, exact names,
    compact names, cores, brand cities, initials, words."""
    found: list[tuple[int, str]] = []
    for name, _ in place.short_names:
        found.append((0, name))
        if core := facility_core(name):
            found.append((1, core))
    # A name under two origins (CMS and HIFLD spell most hospitals alike: ~4,300 of ~15,600
    # names) makes the same entries twice: worked out once.
    for name in dict.fromkeys(name for name, _ in place.names):
        found.append((2, name))
        found.append((3, name.replace(" ", "")))
        if core := facility_core(name):
            found.append((4, core))
        if place.city and brand_of(name) and without_brand(name) == place.city:
            found.append((5, place.city))
        found.extend((6, initial) for initial in _all_initials(name))
    for word in {w for name, _ in place.names for w in name.split()} | set(place.city.split()):
        found.append((7, word))
    return tuple(found)


def _all_initials(name: str) -> set[str]:
    """The initials a place of a normalised name goes by: of the whole name, of the name
    without "hospital" ("Advocate Christ Hospital & Medical Center" is called ACMC as well as
    ACHMC, which makes ACMC two hospitals, Advocate Condell being one: no link then), and of
    the name up to its first "hospital" ("CVPH" of CHAMPLAIN VALLEY PHYSICIANS HOSPITAL MEDICAL
    CENTER, "RWJUH" of ROBERT WOOD JOHNSON UNIVERSITY HOSPITAL ...)."""
    words = name.split()
    found = {initials(name)}
    if "hospital" in words or "hospitals" in words:
        found.add(initials(" ".join(w for w in words if w not in ("hospital", "hospitals"))))
    if "hospital" in words:
        found.add(initials(" ".join(words[: words.index("hospital") + 1])))
    return found - {""}


# The tables of a PlaceIndex (see ``PlaceIndex._build_indexes``): token -> place keys.
_TABLES = (
    "short_exact",
    "short_cores",
    "exact",
    "compact",
    "cores",
    "brand_cities",
    "initials",
    "words",
)


class _KeptTable:
    """A table of a subset (``PlaceIndex.subset``): its parent's, read through the keys kept. A
    token is in it when a kept place has it, and maps to the kept places that have it, as in a
    table built from the kept places alone; read with ``get``, ``in`` and ``[]`` only."""

    __slots__ = ("kept", "table")

    def __init__(self, table, kept: frozenset[str]):
        self.table, self.kept = table, kept

    def get(self, token: str, default=None):
        keys = self.table.get(token)
        found = keys & self.kept if keys else None
        return found or default

    def __contains__(self, token: str) -> bool:
        return bool(self.get(token))

    def __getitem__(self, token: str) -> set[str]:
        found = self.get(token)
        if found is None:
            raise KeyError(token)
        return found


class PlaceIndex:
    """The places of one state with an inverted index from word to place keys."""

    def __init__(
        self,
        places: Iterable[Place],
        common: Iterable[str] = (),
        *,
        one_kind: bool = True,
        state_codes: tuple[str, ...] = (),
        rare_words: frozenset[str] = frozenset(),
    ):
        self.state_codes = state_codes  # the state the places are in, for city look-ups
        # Words few hospitals of the country bear ("huntington", not "mercy"): one of them may
        # name a hospital by itself (``_only_bearers``).
        self.rare_words = rare_words
        # A hospital is of one kind under all its names (HIFLD's "RUTGERS HEALTH GROUP" is
        # still a behavioral-health facility); a city has places of every kind (one_kind=False).
        self.one_kind = one_kind
        # Words that every name in the state may carry ("Alabama", "AL"): like generic words,
        # they do not say which place is meant ("U North Dakota SOM" is not "NORTH DAKOTA STATE
        # HOSPITAL").
        self.common = _GENERIC | set(common)
        self._entries: dict[str, tuple[Place, tuple[tuple[int, str], ...]]] = {}
        self._without_city: dict[frozenset[str], list[tuple[str, frozenset[str]]]] | None = None
        self._by_edge_word: dict[int, dict[str, list[tuple[str, str, str]]]] = {}
        self._by_word_or_pair: dict[str, set[str]] | None = None
        self.places: dict[str, Place] = {}
        for place in places:
            known = self.places.get(place.key)
            if known:  # the same place under another name (CMS + HIFLD): merge the names
                place = Place(
                    place.key,
                    known.names + place.names,
                    known.city,
                    known.latitude,
                    known.longitude,
                    short_names=known.short_names + place.short_names,
                )
            self.places[place.key] = place
        for key, place in self.places.items():
            known = {name for name, _ in place.names}
            # A name with the system brand dropped is one more name of the hospital.
            extra = tuple(
                (bare, origin)
                for name, origin in place.names
                if (bare := branded_name(name, place.city)) and bare not in known
            )
            short = tuple(
                dict.fromkeys(
                    [
                        *place.short_names,
                        *(
                            (shorter, origin)
                            for name, origin in place.names + extra
                            for shorter in shorter_names(name, place.city)
                            if shorter not in known
                        ),
                    ]
                )
            )
            if extra or short != place.short_names:
                self.places[key] = Place(
                    place.key,
                    place.names + extra,
                    place.city,
                    place.latitude,
                    place.longitude,
                    place.hospital_key,
                    short,
                )
        self._build_indexes()

    def _build_indexes(self) -> None:
        # Exact names and initials: "U Maryland Med Ctr" is word for word "UNIVERSITY OF
        # MARYLAND MEDICAL CENTER" although every word of it is generic or the state's;
        # "South Georgia Med Ctr" is "SGMC HEALTH".
        self.exact: dict[str, set[str]] = {}
        self.initials: dict[str, set[str]] = {}
        self.words: dict[str, set[str]] = {}
        # Names without their facility words ("university alabama" of "university alabama
        # hospital"), and the city of a hospital called by a brand and its city only ("conroe"
        # of "hca houston healthcare conroe").
        # A place's own names come first: a shorter name that is another hospital's own name
        # does not compete with it ("concord hospital" of CONCORD HOSPITAL - FRANKLIN).
        self.cores: dict[str, set[str]] = {}
        self.short_exact: dict[str, set[str]] = {}
        self.short_cores: dict[str, set[str]] = {}
        self.brand_cities: dict[str, set[str]] = {}
        # Names without their spaces: "MountainView" is MOUNTAIN VIEW, "DeTar" DE TAR.
        self.compact: dict[str, set[str]] = {}
        tables = (
            self.short_exact,
            self.short_cores,
            self.exact,
            self.compact,
            self.cores,
            self.brand_cities,
            self.initials,
            self.words,
        )
        # What each place puts in the tables is worked out once (``_index_entries``).
        entries = self._entries
        for place in self.places.values():
            known = entries.get(place.key)
            if known is None or known[0] is not place:
                known = entries[place.key] = (place, _index_entries(place))
            key = place.key
            for table, token in known[1]:
                tables[table].setdefault(token, set()).add(key)

    def link(self, name: str, *, complete: bool = False) -> Link:
        """Decide which place ``name`` (a raw sponsor name) is, if the evidence is strong.

        With ``complete``, even the name rule needs every distinctive word of ``name`` in the
        place's name or city (for weak places such as cities, where a close spelling is not
        enough: "St Marys Med Ctr-SF" is no "St Mary Medical Center" of Long Beach).
        """
        query = normalise_name(name)
        if query in SYSTEM_BRANDS or self._brand_of_several(query):
            return Link(None, 0.0, 0.0, None)  # "Kaiser Permanente" is every Kaiser hospital
        # A brand and its state ("Kaiser Permanente Washington", "AdventHealth Florida") is the
        # brand's region: every hospital of it there, and the health plan besides.
        state_words = self.common - _GENERIC
        if (brand := " ".join(w for w in query.split() if w not in state_words)) in SYSTEM_BRANDS:
            # ... unless the brand has one hospital in the state ("Kaiser Permanente Hawaii").
            return self._brand_only_hospital(brand) or Link(None, 0.0, 0.0, None)
        if is_health_science_center(query):
            return Link(None, 0.0, 0.0, None)
        found = (
            self._exact_link(query)
            or self._exact_link(without_brand(query))
            or self._system_hospital_link(query)
            or self._exact_link(without_operator(query))
            or self._core_link(query)
            or self._core_link(without_brand(query), branded=True, brand=brand_of(query))
            or self._suffix_link(query)
            or self._city_hospital_link(query)
        )
        if found:
            return found
        if is_health_center(query):
            return Link(None, 0.0, 0.0, None)  # an FQHC or a clinic, a hospital only word for word
        distinct = set(query.split()) - self.common
        if not distinct:
            return self._initials_link(query, distinct) or Link(None, 0.0, 0.0, None)
        keys = set().union(*(self.words.get(word, set()) for word in distinct))
        if not keys:
            return self._initials_link(query, distinct) or Link(None, 0.0, 0.0, None)
        # On a tie a hospital comes before a campus of it, a CMS name before a HIFLD one, and
        # then the smaller key (a CCN before a "hifld:" key). ``keys`` is a set of strings, whose
        # order changes with every process (hash randomisation): without a total order, two
        # places of equal score swapped from one run to the next, and a re-import of the same
        # files "updated" a few sponsors and their programs each time.
        scored = sorted(
            ((*self._score(query, self.places[key]), key) for key in keys),
            key=lambda found: (
                -found[0],
                bool(self.places[found[3]].hospital_key),
                found[1] != "cms",
                found[3],
            ),
        )
        best_score, origin, best_name, best_key = scored[0]
        best = self.places[best_key]
        kinds = kind_words(query)
        runner_up = next(
            (score for score, _, _, key in scored[1:] if not self._same_place(best, key)), 0.0
        )
        margin = best_score - runner_up
        rule = ""
        if self._kinds(best, best_name) != kinds:
            pass  # a VA, children's, psychiatric... place under any of its names: another kind
        elif (
            self.one_kind
            and is_system(query)
            and (origin != "cms" or set(best_name.split()) - set(query.split()) - self.common)
        ):
            # "Cone Health" is the system, not its "Moses H. Cone Memorial Hospital": a system's
            # name is a hospital's only when the hospital adds no word of its own.
            pass
        elif self.one_kind and is_school(query):
            # "George Washington Univ" is the university, not GEORGE WASHINGTON UNIV HOSPITAL:
            # a school is a hospital only word for word (exact names above).
            pass
        elif best_score >= LINK_THRESHOLD and margin >= LINK_MARGIN:
            if not complete or self._covers(best, distinct, kinds):
                rule = "name"
        elif (
            best_score >= EVIDENCE_THRESHOLD
            and margin >= EVIDENCE_MARGIN
            # "White River Health System" has one hospital named like it, WHITE RIVER MEDICAL
            # CENTER, and another that is not: a system needs the name rule, not evidence.
            and not (self.one_kind and is_system(query))
        ):
            others = set.intersection(*(self.words.get(word, set()) for word in distinct))
            if self._covers(best, distinct, kinds) and not any(
                self._covers(self.places[key], distinct, kinds, in_name=False)
                for key in others
                if not self._same_place(best, key)
            ):
                rule = "evidence"
        if rule and self._named_so_elsewhere(query, best):
            rule = ""
        if not rule:
            found = self._initials_link(query, distinct)
            if found:
                return found
        return Link(
            best_key if rule else None,
            best_score,
            runner_up,
            best_key,
            rule,
            origin if rule else "",
        )

    def _one_place(self, keys: set[str]) -> str | None:
        """The key that stands for ``keys`` when they are all one place (a hospital before a
        campus of it, then the smaller key); None when they are two places."""
        if not keys:
            return None
        ordered = sorted(keys, key=lambda key: (bool(self.places[key].hospital_key), key))
        first = self.places[ordered[0]]
        if all(self._same_place(first, key) for key in ordered[1:]):
            return ordered[0]
        return None

    def link_facility(self, name: str) -> Link | None:
        """The one place whose name is ``name`` (a raw name known to be a hospital's) but for
        the facility words, else None."""
        return self._core_link(normalise_name(name), branded=True)

    def link_exact(self, name: str) -> Link | None:
        """The one place called exactly ``name`` (a raw name), else None."""
        return self._exact_link(normalise_name(name))

    def _exact_link(self, query: str) -> Link | None:
        """The one place with a name equal, word for word, to the query; a name of two places
        ("Mercy Hospital" in two cities) is no evidence."""
        if not query or len(query.split()) < 2 or query in SYSTEM_BRANDS:
            return None  # a bare brand ("kaiser foundation hospital") is every hospital of it
        compact = query.replace(" ", "")
        keys = (
            self.exact.get(query) or self.short_exact.get(query) or self.compact.get(compact, set())
        )
        # Another hospital's name without its city is as good a match as a name of the query's
        # words only: "Memorial Hospital" is MEMORIAL HOSPITAL and MEMORIAL HOSPITAL OF SOUTH
        # BEND alike. Not when the query names the city of the one called so ("Concord
        # Hospital" is in Concord; CONCORD HOSPITAL - FRANKLIN is the one of Franklin).
        rivals: set[str] = set()
        if self.exact.get(query) and not any(
            set(self.places[key].city.split()) & set(query.split()) for key in keys
        ):
            rivals = {
                key
                for key in self.short_exact.get(query, set())
                if any(n == f"{query} {self.places[key].city}" for n, _ in self.places[key].names)
            }
        # A CMS hospital of exactly this name outranks HIFLD facilities of the name (its
        # outpatient sites): "New Hanover Regional Medical Center" has several.
        cms = {
            key
            for key in keys
            if any(
                n.replace(" ", "") == compact and o == "cms" for n, o in self.places[key].all_names
            )
            and not self.places[key].hospital_key
        }
        if self.one_kind and is_system(query):
            keys = set()  # "CONE HEALTH" in HIFLD is the system's name on one of its hospitals
        key = self._one_place(cms) or (None if cms else self._one_place(keys))
        if key is None or any(not self._same_place(self.places[key], r) for r in rivals):
            return None
        place = self.places[key]
        names = [(n, origin) for n, origin in place.all_names if n.replace(" ", "") == compact]
        if not names or self._kinds(place, query) != kind_words(query):
            return None
        origin = "cms" if any(o == "cms" for _, o in names) else names[0][1]
        return Link(key, 100.0, 0.0, key, "exact", origin)

    def _brand_of_several(self, query: str) -> bool:
        """Whether a system's name begins the names of two or more hospitals of the state
        ("Orlando Health": ORLANDO HEALTH SOUTH LAKE HOSPITAL, ORLANDO HEALTH ST CLOUD
        HOSPITAL...): then it is their brand, even when one hospital bears it alone."""
        if not (self.one_kind and is_system(query)):
            return False
        prefix = f"{query} "
        groups = {
            self.places[key].group
            for key, name, origin in self._names_by_edge_word(0).get(query.split()[0], ())
            if name.startswith(prefix) and origin == "cms"
        }
        return len(groups) >= 2

    def _core_link(self, query: str, *, branded: bool = False, brand: str = "") -> Link | None:
        """The one place whose name is the query's but for the facility words ("U Alabama Med
        Ctr" is UNIVERSITY OF ALABAMA HOSPITAL; "Lurie Childrens" LURIE CHILDRENS HOSPITAL).

        The query must name a facility or carry a system brand ("Northwell Mather Hosp",
        "Ascension St Francis"), and its core must be two words, or one after a brand; a core
        that is a city matches the one hospital called by a brand and that city ("Conroe Reg
        Med Ctr" is HCA HOUSTON HEALTHCARE CONROE)."""
        # A brand's name is its hospital's ("Northwell Staten Island Univ"), not a school's.
        if not query or (is_school(query) and not branded) or is_system(query):
            return None
        words = query.split()
        if not (branded or _ONE_FACILITY.search(query) or "children" in words):
            return None
        core = facility_core(query, facility_needed=False)
        if not core or core in SYSTEM_BRANDS:
            return None
        keys = set(self.cores.get(core) or self.short_cores.get(core, set()))
        if len(core.split()) < 2 and not branded:
            keys = (
                keys | self.brand_cities[core]
                if core in self.brand_cities
                else self._only_bearers(core, keys)
            )
        elif len(core.split()) < 2 and brand:
            # After a brand, a city is the brand's hospital there, not another hospital named
            # for the city ("WellSpan York" is not MEMORIAL HOSPITAL of York), unless that is
            # the city's one hospital ("NYC Health+Hospitals/Elmhurst").
            in_city = {p.group for p in self.places.values() if p.city == core}
            keys = {k for k in keys if self.places[k].city != core or len(in_city) == 1} | {
                key
                for key in self.brand_cities.get(core, set())
                if any(brand_of(name) == brand for name, _ in self.places[key].names)
            }
        key = self._one_place(keys)
        if key is None or self._equally_good(core, self.places[key]):
            return None
        place = self.places[key]
        if self._kinds(place, "") != kind_words(query):
            return None
        cms = any(facility_core(n) == core and o == "cms" for n, o in place.all_names)
        return Link(key, 100.0, 0.0, key, "core", "cms" if cms else place.names[0][1])

    def _brand_only_hospital(self, brand: str) -> Link | None:
        """The one hospital of the state that bears ``brand`` (a normalised system brand), when
        the brand has no other place there and the hospital is called by the brand and facility
        words only (KAISER FOUNDATION HOSPITAL; not a KAISER PERMANENTE CENTRAL HOSPITAL, which is
        one named site of a region the brand covers with clinics and a health plan); else None."""
        keys = {
            key
            for key, place in self.places.items()
            if any(brand_of(name) == brand for name, _ in place.names)
        }
        key = self._one_place(keys)
        if key is None or key.startswith("hifld:") or self._kinds(self.places[key], ""):
            return None
        if not any(
            brand_of(name) == brand
            and not set(name.split()) - set(brand.split()) - _FACILITY_SUFFIX - _FACILITY_WORDS
            for name, _ in self.places[key].names
        ):
            return None
        return Link(key, 100.0, 0.0, key, "brand's one hospital", "cms")

    def link_one_hospital_system(
        self, name: str, latitude: float, longitude: float, radius_km: float
    ) -> Link | None:
        """The hospital of a system named for it, where the system's programs are: "Ozark
        Healthcare System", whose programs are all in one city, is the one hospital there whose
        name carries "ozark" (or whose initials are the system's acronym, "NCH" of a "Naples
        Community Hospital"), when no other place of the state of the same kind bears the word,
        and no place of any kind near the city does (a system with a behavioral hospital of its
        name is a system of several). Only for a name that reads as a system; None otherwise.

        ``latitude``/``longitude`` are the city's, from evidence that is no spelling of a
        hospital's name (the city of the system's programs)."""
        query = normalise_name(name)
        if not (self.one_kind and is_system(query)) or is_school(query):
            return None
        if is_health_center(query) or query in SYSTEM_BRANDS or brand_of(query):
            return None
        distinct = set(query.split()) - self.common - _KIND_WORDS
        if not distinct:
            return None
        kinds = kind_words(query)

        def near(place: Place) -> bool:
            return place.latitude is not None and (
                haversine_km(latitude, longitude, place.latitude, place.longitude) < radius_km
            )

        by_word = self._places_by_word_or_pair()
        bearers = {
            key
            for key in set.intersection(*(by_word.get(word, set()) for word in distinct))
            if any(distinct <= _words_and_pairs(n) for n, _ in self.places[key].names)
        }
        if not bearers and len(distinct) == 1 and len(word := next(iter(distinct))) >= 3:
            bearers = {
                key
                for key, place in self.places.items()
                if any(initials(n) == word for n, _ in place.names if n.split()[-1] == "hospital")
            }
        hospitals = {
            key
            for key in bearers
            if not key.startswith("hifld:")
            and not self.places[key].hospital_key
            and near(self.places[key])
            and self._kinds(self.places[key], "") == kinds
        }
        key = self._one_place(hospitals)
        if key is None:
            return None
        place = self.places[key]
        # Any one of the words borne elsewhere makes a rival: "Albert Einstein Healthcare
        # Network" has an Einstein hospital in another town too.
        rivals = {
            other
            for other in set().union(*(by_word.get(word, ()) for word in distinct))
            if not self._same_place(place, other)
            and (self._kinds(self.places[other], "") == kinds or near(self.places[other]))
        }
        if rivals:
            return None
        return Link(key, 100.0, 0.0, key, "one-hospital system", "cms")

    def _named_so_elsewhere(self, query: str, place: Place) -> bool:
        """Whether another place is called by the query's words and its own city's only
        ("Memorial Hospital" is MEMORIAL HOSPITAL of Logansport and MEMORIAL HOSPITAL OF SOUTH
        BEND alike): a close spelling of one of them does not choose between them."""
        words = set(query.split())
        return any(
            not words & city and not self._same_place(place, key)
            for key, city in self._names_without_city().get(frozenset(words), ())
        )

    def _names_without_city(self) -> dict[frozenset[str], list[tuple[str, frozenset[str]]]]:
        """The words of each name of a place with a city but its city's -> (key, city words) of
        the places so called: worked out once per index, where reading every name of the state
        for each link made cost ~0.03 s an import."""
        if self._without_city is None:
            found: dict[frozenset[str], list[tuple[str, frozenset[str]]]] = {}
            for key, other in self.places.items():
                if not other.city:
                    continue
                city = frozenset(other.city.split())
                for name, _ in other.names:
                    found.setdefault(frozenset(name.split()) - city, []).append((key, city))
            self._without_city = found
        return self._without_city

    def _names_by_edge_word(self, position: int) -> dict[str, list[tuple[str, str, str]]]:
        """(key, name, origin) of every name of the places by its first word (``position`` 0)
        or its last (-1): a name that begins or ends with a query begins or ends with the
        query's first or last word. Built once per index, where reading every name of the state
        for each link made cost ~0.02 s an import."""
        found = self._by_edge_word.get(position)
        if found is None:
            found = self._by_edge_word[position] = {}
            for key, place in self.places.items():
                for name, origin in place.names:
                    if name:
                        found.setdefault(name.split()[position], []).append((key, name, origin))
        return found

    def _places_by_word_or_pair(self) -> dict[str, set[str]]:
        """Each word of a name, and each two neighbours run together (``_words_and_pairs``) ->
        the keys of the places with such a name; built once per index, as
        ``_names_by_edge_word``."""
        if self._by_word_or_pair is None:
            found: dict[str, set[str]] = {}
            for key, place in self.places.items():
                for name, _ in place.names:
                    for word in _words_and_pairs(name):
                        found.setdefault(word, set()).add(key)
            self._by_word_or_pair = found
        return self._by_word_or_pair

    def _equally_good(self, core: str, place: Place) -> bool:
        """Whether another place of the state is called by ``core`` and words that say nothing
        of which hospital ("blue ridge" is BLUE RIDGE REGIONAL HOSPITAL and BLUE RIDGE
        HEALTHCARE HOSPITALS, INC alike): then the core does not pick one."""
        phrase, core_words = f" {core} ", set(core.split())
        own = [f" {name} " for name, _ in place.names]
        return any(
            phrase in f" {name} "
            and not set(name.split()) - core_words - self.common - _CORE_DROP
            and not self._same_place(place, key)
            # "SAINT LUKE CORNWALL HOSPITAL CORNWALL CAMPUS" is a campus of the hospital.
            and not any(mine in f" {name} " for mine in own)
            for key, other in self.places.items()
            for name, _ in other.names
        )

    def _city_hospital_link(self, query: str) -> Link | None:
        """The one hospital of a city, for a name that is the city and hospital words only
        ("Stony Brook Teach Hosps", "Rapid City Hospital"); None when the city has two (Albany
        Medical Center is one of Albany's four), or the name says clinic or system."""
        if (
            not self.one_kind  # an index of cities places a name at its city elsewhere
            or not _HOSPITAL_NAME.search(query)
            or is_system(query)
            or is_school(query)
        ):
            return None
        city = " ".join(w for w in query.split() if w not in self.common)
        if not city:
            return None
        kinds = kind_words(query)
        keys = {
            key
            for key, place in self.places.items()
            if place.city == city and self._kinds(place, "") == kinds
        }
        key = self._one_place(keys)
        if key is None:
            return None
        # Another hospital named for the city ("AMITA HINSDALE HOSPITAL" of Willowbrook) makes
        # the name two hospitals'; a brand named for it does not (STONY BROOK SOUTHAMPTON).
        phrase = f" {city} "
        if any(
            phrase in f" {without_brand(name) or name} "
            and not self._same_place(self.places[key], other)
            for other, place in self.places.items()
            for name, _ in place.names
        ):
            return None
        place = self.places[key]
        origin = "cms" if any(o == "cms" for _, o in place.names) else place.names[0][1]
        return Link(key, 100.0, 0.0, key, "city hospital", origin)

    def _only_bearers(self, word: str, keys: set[str]) -> set[str]:
        """``keys`` when they are the only places with ``word`` in a name ("Huntington Memorial
        Hosp" is HUNTINGTON HOSPITAL: HUNTINGTON BEACH HOSPITAL has the word from its city), the
        word is rare in the country (one "Mercy" in a state may not be the sponsor's Mercy) and
        no city of the state; else an empty set."""
        if (
            not keys
            or word not in self.rare_words
            or any(place.city == word for place in self.places.values())
        ):
            return set()
        first = self.places[next(iter(keys))]
        bearers = {
            key for key in self.words.get(word, set()) if word not in self.places[key].city.split()
        }
        return keys if all(self._same_place(first, key) for key in bearers | keys) else set()

    def link_brand_city(self, name: str) -> Link | None:
        """The one hospital of a brand in a city, for a name that is the brand and the city
        ("UPMC Harrisburg" is UPMC PINNACLE HOSPITALS of Harrisburg), facility words allowed
        ("Henry Ford Jackson Hospital" is HENRY FORD ALLEGIANCE HOSPITAL of Jackson); None
        otherwise. Apart from ``link``, which reads a dashed city as a campus first
        (``campus_link``)."""
        query = normalise_name(name.replace("-", " "))
        brand, rest = brand_of(query), without_brand(query)
        city = " ".join(w for w in rest.split() if w not in _FACILITY_SUFFIX | _FACILITY_WORDS)
        if not brand or not city:
            return None
        keys = {
            key
            for key, place in self.places.items()
            if place.city == city and any(brand_of(name) == brand for name, _ in place.names)
        }
        key = self._one_place(keys)
        if key is None or self._kinds(self.places[key], ""):
            return None
        return Link(key, 100.0, 0.0, key, "brand city", "cms")

    def _suffix_link(self, query: str) -> Link | None:
        """The one hospital whose name is the query after one or two words of its own ("New
        Bridge Med Ctr" is BERGEN NEW BRIDGE MEDICAL CENTER), for a query that names a facility
        and says which one (a distinctive word that is no kind: not "Childrens Hospital")."""
        words = query.split()
        if not _ONE_FACILITY.search(query) or not set(words) - self.common - _KIND_WORDS:
            return None
        ending = f" {query}"
        keys = {
            key
            for key, name, _ in self._names_by_edge_word(-1).get(words[-1], ())
            if name.endswith(ending) and len(name.split()) - len(words) <= 2
        }
        key = self._one_place(keys)
        if key is None or self._kinds(self.places[key], "") != kind_words(query):
            return None
        place = self.places[key]
        origin = next((o for n, o in place.names if n.endswith(ending)), "cms")
        return Link(key, 100.0, 0.0, key, "suffix", origin)

    def _system_hospital_link(self, query: str) -> Link | None:
        """The one hospital called by a system's name plus "hospital" or "medical center"
        ("Southeast Health" -> "SOUTHEAST HEALTH MEDICAL CENTER"): a one-hospital system."""
        if not is_system(query):
            return None
        words = set(query.split())
        # A name that begins with a system's name and adds facility words only begins with its
        # first word: no facility word begins with a system's ending word ("health", "system").
        keys = {
            key
            for key, name, origin in self._names_by_edge_word(0).get(query.split()[0], ())
            if origin == "cms"
            and words < set(name.split())
            and set(name.split()) - words <= _FACILITY_SUFFIX
            and name.startswith(query)
        }
        key = self._one_place(keys)
        if key is None:
            return None
        return Link(key, 100.0, 0.0, key, "system hospital", "cms")

    def _initials_link(self, query: str, distinct: set[str]) -> Link | None:
        """The one place called by the query's initials ("SGMC Health" for "South Georgia Med
        Ctr"), or whose initials are a word of the query that no place has ("AIMMC" for
        Advocate Illinois Masonic Medical Center), the query's other words being in its name."""
        if is_school(query):
            return None  # "UPR" is the university, "HOSPITAL UPR" one of its hospitals
        words = query.split()
        kinds = kind_words(query)
        keys: set[str] = set()
        if query in self.exact:
            return None  # the full name names several places; its initials will not tell
        if found := initials(query):
            # "SGMC HEALTH" is the initials and generic words; "NGMC BARROW" is another site.
            keys = {
                key
                for key in self.words.get(found, set())
                if any(
                    found in name.split() and not set(name.split()) - {found} - self.common
                    for name, _ in self.places[key].names
                )
            }
        for number, word in enumerate(words):
            if len(word) >= 3 and word not in self.words and word in self.initials:
                # Words before the acronym that read as a system ("UVM Health Network CVPH") are
                # its owner, not words the hospital's name must carry.
                before = " ".join(words[:number])
                owner = set(words[:number]) if before and is_system(before) else set()
                rest = distinct - {word} - owner
                keys |= {
                    key
                    for key in self.initials[word]
                    if rest
                    <= self._name_words(self.places[key]) | set(self.places[key].city.split())
                }
        key = self._one_place(keys)
        if key is None or self._kinds(self.places[key], "") - kinds:
            return None
        return Link(key, 0.0, 0.0, key, "initials", "cms")

    @staticmethod
    def _name_words(place: Place) -> set[str]:
        return {word for name, _ in place.names for word in name.split()}

    def subset(self, keep) -> "PlaceIndex":
        """The places for which ``keep(place)`` is true, as an index of their own.

        Its tables are this index's read through the kept keys (``_KeptTable``), not built
        again: an import makes ~300 subsets (one per sponsor with program sites, one per
        campus), asks each for a few names, and putting their places' entries in tables of
        their own cost ~0.05 s."""
        return self._with_places({k: p for k, p in self.places.items() if keep(p)})

    def subset_of(self, keys: set[str]) -> "PlaceIndex":
        """The places of ``keys``, as ``subset`` makes them (in this index's order)."""
        return self._with_places({k: p for k, p in self.places.items() if k in keys})

    def _with_places(self, places: dict[str, Place]) -> "PlaceIndex":
        index = PlaceIndex(
            [],
            self.common - _GENERIC,
            one_kind=self.one_kind,
            state_codes=self.state_codes,
            rare_words=self.rare_words,
        )
        index.places = places
        kept = frozenset(index.places)
        for name in _TABLES:
            setattr(index, name, _KeptTable(getattr(self, name), kept))
        return index

    def _score(self, query: str, place: Place) -> tuple[float, str, str]:
        """The best (score, origin, name) of the place's names; on a tie the CMS spelling is
        credited, since HIFLD often repeats the CMS name."""
        return max(
            (
                (score(query, f"{name} | {place.city}"), origin, name)
                for name, origin in place.names
            ),
            key=lambda found: (found[0], found[1] == "cms"),
        )

    def _kinds(self, place: Place, name: str) -> set[str]:
        names = [n for n, _ in place.names] if self.one_kind else [name]
        return {word for n in names for word in kind_words(n)}

    def _covers(self, place: Place, words: set[str], kinds: set[str], in_name=True) -> bool:
        """Whether one name of ``place`` (with its city) has all ``words``. The chosen place must
        have one of them in the name itself ("Atlantic Health System" is not the one hospital
        called AtlantiCare in Atlantic City); a rival needs only the city to compete."""
        city = set(place.city.split())
        # A word of a city of several words is no evidence by itself: "Huntington Memorial"
        # is not HUNTINGTON BEACH HOSPITAL, whose "huntington" is its city's.
        partial_city = city if len(city) > 1 and not city <= words else set()
        return any(
            words <= (set(name.split()) - partial_city) | (city - partial_city)
            and (words & set(name.split()) or not in_name)
            and self._kinds(place, name) == kinds
            for name, _ in place.names
        )

    def _same_place(self, place: Place, key: str) -> bool:
        other = self.places[key]
        if other.group == place.group:
            return True
        if None in (place.latitude, place.longitude, other.latitude, other.longitude):
            return False
        return haversine_km(place.latitude, place.longitude, other.latitude, other.longitude) < (
            SAME_PLACE_KM
        )
