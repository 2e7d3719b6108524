"""Which of a program's listed features does a paragraph mention, even in other words?

``feature_mentions(text, program, others)`` takes a paragraph, the program it is addressed to
(``ProgramFeatures``: a name and its features, e.g. ``{"f1": "dedicated nocturnists for overnight
admissions"}``) and optionally other programs, and returns ``Mentions``: for each of this
program's features whether the paragraph mentions it and in which sentence, and the *foreign*
mentions: a sentence that describes another program's feature better than any of this
program's (a copy-paste error, named in words: "this describes X's feature ..., not Y's").

How a mention is found (per sentence, or a pair of neighbouring sentences, so two half-mentions
in distant sentences do not add up):

1. Both texts are normalised first: capitalised abbreviations read as their words ("TAVR" ->
   "transcatheter aortic valve replacement", ``ACRONYMS``), fixed phrases as one word
   ("intensive care unit" -> "icu", "without insurance" -> "uninsured", ``PHRASES``), numbers,
   training years, durations and X+Y schedules as tokens ("second-year" -> "pgy2", "two months"
   -> "dur8w", "every fifth week" -> "xyschedule").
2. A feature and a sentence become sets of *concepts*: content words, lower-cased, lemmatised and
   reduced to a root compared whole (``lemma``: "counties" -> "county", "navigational" ->
   "navig", but "interview" is not "interventional"), a rare closed compound split into its words
   ("farmworker"), with a shared key for words that say the same thing (``SYNONYMS``, general
   medical-education vocabulary: "overnight" and "night", "lobbying" and "advocacy", "C-section"
   and "cesarean", "truck" and "van").
3. Each concept of the feature weighs by the rarity of its lemma in English (``wordfreq`` Zipf
   frequency: "nocturnists" weighs more than "year"); words of the program's own name and of its
   specialty weigh nothing, so naming the program is never a mention.
4. A feature is mentioned by a passage that covers at least ``COVERAGE`` of its weight with at
   least two concepts (or a long feature in part, or one rare concept, or a rare name only it
   has: see ``_match``); a name it has and the passage lacks does not count against it.
   "I like night shifts" covers "night" only: a near miss, not "dedicated nocturnists for
   overnight admissions". Each mention keeps its ``evidence``: the pairs of words that matched.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

from medmatch.writing.concreteness import STOPWORDS, zipf
from medmatch.writing.lemma import compound_parts, lemma, root
from medmatch.writing.specificity import SPECIALTY_SYNONYMS

COVERAGE = 0.5
RARE_SINGLE = 3.0  # Zipf below which one matched concept can be enough
SINGLE_SHARE = 0.6  # ...when it carries this share of the feature's weight
ABSOLUTE_WEIGHT = 6.0  # two or more matched concepts this heavy together count...
ABSOLUTE_COVERAGE = 0.3  # ...from this share of a long feature's weight
ANCHOR_ZIPF = 3.0  # a capitalised word this rare (a place, a named service) anchors a feature
NUMBER_WEIGHT, SMALL_NUMBER_WEIGHT, TOKEN_WEIGHT = 2.0, 0.8, 2.0
NUMBER_SLACK = 0.15  # a count of 100 or more matches one this close to it (paraphrases round)
ROOT_JOIN_ZIPF = 5.0  # a word this common joins a synonym group only as itself, not by its root
FOREIGN_COVERAGE = 0.6  # another program's feature: a strong match only...
FOREIGN_WEIGHT = 4.0  # ...of words rare enough together ("United States" is not a feature)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


LIGHT_WORDS = _word_set(
    "program programs residency residents resident training year years month months week weeks "
    "day days time based dedicated option options service services opportunity opportunities "
    "including include includes offers offer with without first second third fourth every "
    "experience experiences experiencing "
    "fellow fellows fellowship inside within held hold located ending "
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
    "continuity longitudinal panel panels",
    "rural countryside",
    "cesarean caesarean c-section c-sections section sections",
    "obstetrics obstetric deliveries delivery deliver delivering baby babies birth births labor "
    "labour laboring labouring",
    "spanish spanish-language",
    "immersion immersive",
    "home homes house houses homebound housebound",
    "visit visits visiting visited",
    "elderly older seniors geriatric aging ageing",
    "adolescent adolescents teenager teenagers teen teens teenage youth",
    "transition transitions transfer handoff hand-off",
    "advocacy advocate advocating lobbying lobby",
    "legislature legislatures legislative legislator legislators lawmakers lawmaker capitol "
    "statehouse congress senate",
    "testify testifies testified testifying testimony",
    "simulation simulator simulated sim",
    "laparoscopic laparoscopy",
    "robotic robot robotics",
    "ems ambulance paramedic paramedics prehospital pre-hospital medic medics",
    "fire firefighters firefighter",
    "toxicology poison poisons poisoning overdose overdoses tox",
    "wilderness backcountry outdoor outdoors hiker hikers hiking mountaineering",
    "psychosis psychotic",
    "addiction substance opioid opioids",
    "buprenorphine suboxone methadone naltrexone",
    "psychotherapy therapy therapies therapist therapists behavioral behavioural counselor "
    "counsellor counselling counseling",
    "supervised supervisor supervision supervising",
    "consultation consult consults consulting consultant consultants",
    "transplant transplants transplantation",
    "telepsychiatry telehealth telemedicine tele video virtual remote",
    "tribal reservation reservations indigenous",
    "global international abroad overseas",
    "individualized individualised personalized personalised design designed tailored",
    "curriculum curricula",
    "trauma injured injury injuries crash crashes gunshot stabbing",
    "outreach outreaches",
    "scholarly academic",
    "quality qi",
    "ward wards inpatient floor floors",
    "procedure procedures procedural",
    "mentor mentors mentorship mentoring advisor advisors adviser advisers",
    "child children kids pediatric paediatric",
    "women woman maternal mother mothers",
    "veteran veterans va",
    "prison jail incarcerated correctional corrections incarceration detention",
    "refugee refugees asylum asylum-seekers newcomer newcomers",
    "language languages interpreter interpreters bilingual",
    # Words the crude stem below would merge with another ("intern" and "internal").
    "internal",
    "internist internists",
    "hospitalist hospitalists",
    "midwife midwives midwifery",
    "observe observes observed observing watch watches watched watching",
    "coach coaches coaching",
    "alongside side-by-side",
    "choose chooses chose chosen choice choices",
    "elective electives",
    "lead leads leading led run runs running ran",
    "debrief debriefs debriefing debriefed feedback",
    "credential credentialed credentialing certified certification",
    "operative operating operation operations surgery surgeries surgical",
    "stroke strokes",
    "fund funds funded funding paid pay pays paying salary stipend allowance",
    "postpartum postnatal",
    # Organ adjectives and their plain nouns; life stages; common clinical settings.
    "heart hearts cardiac",
    "lung lungs pulmonary pulmonology respiratory",
    "kidney kidneys renal nephrology dialysis",
    "liver hepatic hepatology",
    "brain cerebral",
    "skin cutaneous dermatologic",
    "bone bones skeletal",
    "eye eyes ocular ophthalmic",
    "tooth teeth dental",
    "cancer cancers tumor tumors tumour tumours malignancy oncologic",
    "pregnancy pregnant pregnancies prenatal antenatal",
    "newborn newborns neonatal neonate neonates infant infants",
    "vaccine vaccines vaccination vaccinations immunization immunizations",
    "hospice palliative end-of-life",
    "homeless homelessness unhoused unsheltered",
    "immigrant immigrants migrant migrants",
    "disability disabilities disabled",
    "wellness well-being wellbeing",
    "parental maternity paternity",
    # Settings, schedules and services named in many programs' lists.
    "weekend weekends saturday saturdays sunday sundays",
    "uninsured underinsured",
    "van vans truck trucks bus buses caravan",
    "worker workers laborer laborers labourer labourers",
    "forensic forensics legal medicolegal",
    "independent independently independence solo autonomous autonomy autonomously unsupervised",
    "rescue rescues evacuate evacuation evacuations",
    "contraception contraceptive contraceptives abortion abortions termination",
    "mannequin mannequins manikin manikins",
    "school schools classroom classrooms schoolchildren",
    "lgbtq lgbt lgbtq+ lgbtqia queer transgender gender-affirming nonbinary",
    "underserved safety-net",
    "urban inner-city",
    "echo echoes echocardiography echocardiogram echocardiograms echocardiographic",
    "sport sports athlete athletes athletic sideline sidelines",
    "childcare child-care daycare day-care",
    "flight flights fly flying flew helicopter helicopters air-medical aeromedical",
    "visa visas h-1b h1b j-1 j1 sponsorship",
    "pager pagers",
    "publication publications publish publishing published manuscript manuscripts",
    "didactic didactics lecture lectures seminar seminars",
    "epilepsy epileptic seizure seizures",
    "dementia alzheimer alzheimer's alzheimers",
    "diabetes diabetic diabetics",
    "obesity obese",
    "autism autistic",
    "cadaver cadavers cadaveric",
    "free no-cost",
    "faculty attending attendings",
    "handheld hand-held portable pocket",
    "onsite co-located colocated colocation embedded",
    "xyschedule",
    "level1",
    "level2",
    "preoperative presurgical",
)
# Words ``normalize`` makes for a phrase ("4+1" and "every fifth week" -> "xyschedule"): weighed
# like a training year, not like an unknown word.
TOKENS = frozenset(["xyschedule", "level1", "level2", "24h", "sameday", "t32"])
# Expansions and their abbreviations, and fixed phrases with a one-word equivalent: the phrase
# becomes the word before anything else ("the intensive care unit" is "the icu"); one pass, the
# first alternative that matches at a place wins.
PHRASES = (
    ("neuro icu", "neuro-?critical[- ]care units?"),
    ("icu", "intensive care units?|intensive care|critical[- ]care(?: units?)?"),
    ("flight", "air[- ]medical|air ambulances?"),
    ("nicu", "neonatal (?:icu|intensive care(?: units?)?)"),
    ("picu", "p(?:a)?ediatric (?:icu|intensive care(?: units?)?)"),
    ("ed", "emergency departments?|emergency rooms?"),
    ("pocus", "point[- ]of[- ]care ultrasound"),
    ("qi", "quality improvement"),
    ("nih", "national institutes of health"),
    ("ems", "emergency medical services"),
    ("mat", "medication[- ]assisted treatment"),
    ("fqhc", "federally qualified health cent(?:er|re)s?|community health cent(?:er|re)s?"),
    ("postpartum", "after (?:the )?(?:delivery|birth|childbirth|giving birth)"),
    ("preoperative", "before (?:surgery|an operation|the operation)"),
    ("postoperative", "after (?:surgery|an operation|the operation)"),
    ("alongside", "side[- ]by[- ]side"),
    (
        "uninsured",
        "(?:without|with no|no|lacking|lack|lost their) (?:health )?(?:insurance|coverage)",
    ),
    (
        "rural",
        r"small[- ](?:towns?|communit(?:y|ies))|critical[- ]access hospitals?"
        r"|small(?=(?:[- ]\w+)? hospitals?\b)",
    ),
    ("mobile van", "(?:clinic|office|unit|practice)s? on wheels"),
    ("continuity", "year after year|(?:the )?same (?:patients|people|families|doctor|physician)"),
    ("contraception", "family planning"),
    ("onsite", "on[- ]site|on[- ]campus|in[- ]house|down the hall|co-?located"),
    ("sameday", "same[- ](?:day|afternoon|morning|visit)"),
    ("24h", r"around[- ]the[- ]clock|24/7|24 hours a day|never closes?|at all hours"),
    ("t32", "t32|(?:nih )?training grants?"),
    ("mph", "master'?s?(?: degree)? (?:in|of) public health"),
    (
        "longitudinal",
        "(?:across|throughout|over) (?:all )?(?:3|4|three|four|the|my|our) "
        "(?:\\w+ )?years(?: of (?:training|residency))?|throughout (?:training|residency)",
    ),
    ("accelerated", "fast[- ]track(?:ed|s)?|early[- ]entry"),
    ("early psychosis", "first[- ]episode(?: of)? psychosis"),
    ("tomosynthesis", "3-?d mammogra(?:phy|ms?)"),
    ("hospitalist", "hospital medicine"),
    ("consultation liaison", "c-?l psychiatry|psychosomatic medicine"),
    ("snf", "skilled nursing facilit(?:y|ies)|nursing homes?|long[- ]term care facilit(?:y|ies)"),
    ("laparoscopic", "minimally[- ]invasive"),
    ("tribal", "native american|american indian|indian health service"),
    ("cathlab", "cath(?:eterization)? labs?|cardiac catheterization laborator(?:y|ies)"),
    ("level1 trauma", r"level[- ](?:i|1|one)\b(?:[- ]trauma)?"),
    ("level2", r"level[- ](?:ii|2|two)\b"),
    ("ai", "artificial intelligence|machine[- ]learning|deep[- ]learning"),
    ("18 months", "(?:a|one) year and a half"),
    ("6 months", "half (?:of )?(?:the|a) year|half a year"),
    ("pgy1", "(?:from )?day one|from the (?:very )?(?:start|beginning) of (?:residency|training)"),
    ("free", "at no cost|free of charge|at no charge"),
    ("pgy1", "interns?|internships?"),
    ("simulation", "sim(?:ulation)? (?:lab|labs|center|centre|room)s?"),
)
# Abbreviations written in capitals only ("IR", not "ir"), read as their words so a paraphrase
# of the words matches ("catheter-based valve" and "TAVR"); general medical-education terms.
ACRONYMS = {
    "TAVR": "transcatheter aortic valve replacement",
    "TAVI": "transcatheter aortic valve implantation",
    "MRI": "magnetic resonance imaging",
    "CT": "computed tomography",
    "EBUS": "endobronchial ultrasound",
    "ECMO": "extracorporeal membrane oxygenation",
    "ESIR": "early specialization in interventional radiology",
    "IR": "interventional radiology",
    "MS": "multiple sclerosis",
    "EMU": "epilepsy monitoring unit",
    "EEG": "electroencephalography",
    "OR": "operating room",
    "EHR": "electronic health record",
    "EMR": "electronic medical record",
    "ID": "infectious disease",
    "ECT": "electroconvulsive therapy",
    "TMS": "transcranial magnetic stimulation",
    "MOUD": "medications for opioid use disorder",
    "MBA": "master of business administration",
    "SNF": "skilled nursing facility",
    "ER": "emergency department",
    "EP": "electrophysiology",
    "GI": "gastroenterology",
    "ENT": "otolaryngology",
    "PCCM": "pulmonary and critical care medicine",
    "IHS": "indian health service",
    "L&D": "labor and delivery",
    "OMT": "osteopathic manipulative treatment",
    "OMM": "osteopathic manipulative medicine",
    "M&M": "morbidity and mortality conference",
    "CRM": "crisis resource management",
    "SICU": "surgical icu",
    "MICU": "medical icu",
    "CCU": "cardiac icu",
    "CVICU": "cardiac icu",
    "NP": "nurse practitioner",
    "PA": "physician assistant",
    "CNM": "certified nurse-midwife",
    "CNMs": "certified nurse-midwives",
    "PCP": "primary care physician",
    "IMG": "international medical graduate",
    "IMGs": "international medical graduates",
    "MFM": "maternal-fetal medicine",
    "REI": "reproductive endocrinology and infertility",
    "TBI": "traumatic brain injury",
    "OUD": "opioid use disorder",
    "SUD": "substance use disorder",
}
_ACRONYM = re.compile(
    r"(?<![\w&])("
    + "|".join(sorted(map(re.escape, ACRONYMS), key=len, reverse=True))
    + r")(?![\w&])"
)
# "4+1", "6+2 block schedule", "every fifth week", "one week out of every five": the same X+Y
# schedule (a block of ambulatory weeks between inpatient blocks).
_XY = re.compile(
    r"\b[1-8]\s?\+\s?[1-4](?![\d+])|\bevery (?:fifth|sixth|fourth|5th|6th|4th|third|3rd) weeks?\b"
    r"|\b(?:one|1) weeks? (?:in|out of|of) (?:every )?(?:three|four|five|six|3|4|5|6)\b"
    r"|\b(?:one|1) (?:in|out of) (?:every )?(?:three|four|five|six|3|4|5|6) weeks\b",
    re.IGNORECASE,
)
_PHRASE = re.compile(
    "|".join(rf"\b(?P<p{n}>{pattern})\b" for n, (_, pattern) in enumerate(PHRASES)),
    re.IGNORECASE,
)
# Hyphenated words of the synonym groups ("well-being", "end-of-life") are read whole: the word
# splitter would otherwise see their parts only.
_HYPHENATED = re.compile(
    r"\b("
    + "|".join(
        sorted(
            (re.escape(w) for group in SYNONYM_GROUPS for w in group.split() if "-" in w),
            key=len,
            reverse=True,
        )
    )
    + r")\b",
    re.IGNORECASE,
)
# What the abbreviations and phrases above become: kinds of things, never names.
_KNOWN_SHORT = frozenset(word for target, _ in PHRASES for word in target.split()) | frozenset(
    short.lower() for short in ACRONYMS
)
SYNONYMS = {
    word.replace("-", ""): "=" + group.split()[0].replace("-", "")
    for group in SYNONYM_GROUPS
    for word in group.split()
}


@functools.cache
def _synonym_roots() -> dict[str, str]:
    """The root of each synonym's lemma -> its group ("observation" joins "observe"); a root two
    groups share belongs to neither. Built on first use, not on import: it reads wordfreq's word
    list, and every process that imports the web application (each test worker, each command)
    imports this module without analyzing any text."""
    found: dict[str, str] = {}
    clashes = set()
    for word, key in SYNONYMS.items():
        stem = root(lemma(word))
        if stem not in SYNONYMS and zipf(stem) >= 3.0:
            continue  # "hospitalist" does not take "hospital" into its group
        if found.get(stem, key) != key:
            clashes.add(stem)
        found[stem] = key
    return {stem: key for stem, key in found.items() if stem not in clashes}


# Hyphenated words count as their parts ("home-visit" is "home" and "visit"); ``normalize`` has
# already turned training years and durations into tokens ("pgy2", "dur8w").
_WORD = re.compile(
    r"(?:pgy|dur)\d+[wy]?|(?:level[12]|24h|t32)\b|[^\W\d_]+(?:['\u2019][^\W\d_]+)*|\d+", re.UNICODE
)
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")

# Numbers in words become digits ("twenty-five beds" is "25 beds", "a dozen hospitals" is "12").
_UNITS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS = {
    word: 10 * value
    for value, word in enumerate(
        ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
    if word != "_"
}
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, *_SCALES, "dozen"])
_NUMBER_RUN = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:[\s-]+(?:and[\s-]+)?(?:{_NUMBER_WORD}))*\b", re.IGNORECASE
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_ORDINALS.update({"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5})
# "PGY-2", "second-year residents", "2nd year", "intern year": the same training year.
_PGY = re.compile(r"\bpgy[\s-]?(\d)\b", re.IGNORECASE)
_YEAR_ORDINAL = re.compile(
    rf"\b({'|'.join(_ORDINALS)})[\s-]+(?:year|yr)s?\b(?![\s-]+(?:of\s+)?(?:medical|med)\b)",
    re.IGNORECASE,
)
_INTERN_YEAR = re.compile(r"\bintern(?:ship)?[\s-]+year\b", re.IGNORECASE)
# "eight-week", "two months", "8 weeks": one duration, in weeks (a month is four weeks).
_DURATION = re.compile(r"\b(\d+)[\s-]+(week|month|year)s?\b", re.IGNORECASE)
_THOUSANDS = re.compile(r"(\d),(\d{3})\b")
# Closed compounds whose parts say the same as two words ("telestroke" is "tele" + "stroke").
_PREFIXES = ("tele", "neuro", "cardio", "post", "pre", "peri", "intra", "non")


def _number_value(words: str) -> int | None:
    total = current = 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
    value = total + current
    return value if value else None


def _digits(match: re.Match) -> str:
    value = _number_value(match.group(0))
    return match.group(0) if value is None else str(value)


def _duration(match: re.Match) -> str:
    count, unit = int(match.group(1)), match.group(2).lower()
    if unit == "year":
        return f"dur{count}y"
    return f"dur{count * 4 if unit == 'month' else count}w"


@functools.lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """``text`` with numbers as digits and training years and durations as one token each:
    "the second-year residents spend two months" -> "the pgy2 residents spend dur8w"."""
    text = _ACRONYM.sub(lambda m: ACRONYMS[m.group(1)], text)
    text = _XY.sub(" xyschedule ", text)
    text = _PHRASE.sub(lambda m: PHRASES[int(m.lastgroup[1:])][0], text)
    text = _HYPHENATED.sub(lambda m: m.group(1).replace("-", ""), text)
    text = _THOUSANDS.sub(r"\1\2", text)
    text = _NUMBER_RUN.sub(_digits, text)
    text = _PGY.sub(lambda m: f"pgy{m.group(1)}", text)
    text = _YEAR_ORDINAL.sub(lambda m: f"pgy{_ORDINALS[m.group(1).lower()]}", text)
    text = _INTERN_YEAR.sub("pgy1", text)
    return _DURATION.sub(_duration, text)


@functools.lru_cache(maxsize=16384)
def _parts(lower: str, capital: bool = False) -> tuple[str, ...]:
    """A rare closed compound as its parts ("telestroke" -> "tele", "stroke"; "farmworker" ->
    "farm", "worker"), else the word itself (a word with its own synonym group stays whole).
    Parts and words that are stopwords once lemmatised ("ride-alongs") are left out."""
    if lower in SYNONYMS or lemma(lower) in SYNONYMS:
        return (lower,)
    for prefix in _PREFIXES:
        rest = lower[len(prefix) :]
        if lower.startswith(prefix) and len(rest) >= 4 and zipf(lower) < 3.0 <= zipf(rest):
            return (prefix, rest)
    parts = (None if capital else compound_parts(lower)) or (lower,)
    return tuple(part for part in parts if lemma(part) not in STOPWORDS)


def _words(text: str):
    """(lower-case word, capitalised inside its sentence) for each content word of ``text``."""
    previous_end = None
    for match in _WORD.finditer(normalize(text)):
        raw = match.group(0)
        lower = raw.lower()
        starts = previous_end is None
        previous_end = match.end()
        if lower in STOPWORDS or (len(lower) < 2 and not lower.isdigit()):
            continue
        acronym = len(raw) >= 2 and raw.isupper() and raw.isalpha()
        for part in _parts(lower, raw[:1].isupper()):
            yield part, raw[:1].isupper() and (acronym or not starts)


@functools.lru_cache(maxsize=16384)
def concept(word: str) -> str:
    """The concept key of one word: its synonym group ("=night"), or its root, compared whole
    (``lemma.root``: "navigation" and "navigational" share "navig", "interview" is not
    "interventional")."""
    lower = word.lower().replace("\u2019", "'")
    lower = lower.removesuffix("'s")
    if lower in SYNONYMS:
        return SYNONYMS[lower]
    if lower[:1].isdigit() or (lower.startswith(("pgy", "dur")) and lower[3:4].isdigit()):
        return lower
    base = lemma(lower)
    if base in SYNONYMS:
        return SYNONYMS[base]
    stem = root(base)
    if zipf(base) >= ROOT_JOIN_ZIPF:
        return stem  # "continue" is too common to join "continuity" by its root
    return _synonym_roots().get(stem, stem)


@functools.cache
def _bundles() -> dict[str, str]:
    """Concept -> the abbreviation whose expansion it is part of, for the rarer words of one
    expansion only: "magnetic", "resonance" -> "MRI", so that the three words of one
    abbreviation count as one concept matched, not three."""
    owner: dict[str, str] = {}  # concept -> a bundle; bundles sharing a word are one
    merged: dict[str, str] = {}

    def find(bundle: str) -> str:
        while merged.get(bundle, bundle) != bundle:
            bundle = merged[bundle]
        return bundle

    for short, expansion in ACRONYMS.items():
        for word in _WORD.findall(expansion):
            if word.lower() in STOPWORDS or zipf(word.lower()) >= 5.0:
                continue
            key = concept(word)
            if key in owner:
                merged[find(short)] = find(owner[key])
            else:
                owner[key] = short
    return {key: find(short) for key, short in owner.items()}


def _distinct(matched) -> int:
    """How many things ``matched`` says: the words of one expanded abbreviation count once."""
    bundles = _bundles()
    return len({bundles.get(key, key) for key in matched})


def _concepts(text: str, ignored: tuple[frozenset[str], frozenset[str]]) -> set[str]:
    ignore = ignored[0]
    found = set()
    for lower, _ in _words(text):
        key = concept(lower)
        if key not in ignore:
            found.add(key)
    return found


def _word_weight(lower: str) -> float:
    """A concept's weight by the rarity of its word; numbers and tokens weigh a fixed amount
    (a count of 10 or more says more than "two")."""
    if lower.isdigit():
        return NUMBER_WEIGHT if int(lower) >= 10 else SMALL_NUMBER_WEIGHT
    if (lower.startswith(("pgy", "dur")) and lower[3:4].isdigit()) or lower in TOKENS:
        return TOKEN_WEIGHT
    return max(0.5, 6.5 - max(zipf(lower), zipf(lemma(lower))))


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
    evidence: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict:
        return {
            "program": self.program,
            "program_name": self.program_name,
            "key": self.key,
            "text": self.text,
            "mentioned": self.mentioned,
            "sentence": self.sentence,
            "coverage": round(self.coverage, 3),
            "evidence": [list(pair) for pair in self.evidence],
        }

    def explain(self) -> str:
        """Which words matched, in words: "overnight = overnight; nocturnists = nocturnists"."""
        return "; ".join(
            said if said == listed else f"{said} ~ {listed}" for said, listed in self.evidence
        )


_TOKEN_WORDS = {"xyschedule": "X+Y schedule", "level1": "Level I", "level2": "Level II"}


def _shown(word: str) -> str:
    """A word as a reader knows it ("dur8w" -> "8 weeks", "pgy2" -> "PGY-2")."""
    if word.startswith("pgy") and word[3:].isdigit():
        return f"PGY-{word[3:]}"
    if word.startswith("dur") and word[3:-1].isdigit():
        unit = "weeks" if word.endswith("w") else "years"
        return f"{word[3:-1]} {unit}"
    return _TOKEN_WORDS.get(word, word)


def _evidence(
    description: str, passage: str, weights: dict[str, float], ignored
) -> tuple[tuple[str, str], ...]:
    """(word of the passage, word of the feature) for each weighty concept they share."""
    said: dict[str, str] = {}
    for lower, _ in _words(passage):
        said.setdefault(concept(lower), lower)
    for key, other in _close_numbers(weights, said).items():
        said[key] = f"{other} (about)"
    pairs = []
    seen = set()
    for lower, _ in _words(description):
        key = concept(lower)
        if key in said and weights.get(key, 0) > 0 and key not in seen and key not in ignored[0]:
            seen.add(key)
            pairs.append((_shown(said[key]), _shown(lower)))
    return tuple(pairs)


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
            pieces = [piece.lower() for term in terms for piece in _WORD.findall(term)]
            light.update(concept(piece) for piece in pieces)
            # "neuro" in a paragraph to a neurology program is its specialty, not a neuro-ICU.
            light.update(p for p in _PREFIXES if any(piece.startswith(p) for piece in pieces))
    light.update(concept(w) for w in ["general", "medicine", "medical", "center", "hospital"])
    ignore = {concept(w) for w in _WORD.findall(name)} - light
    return frozenset(ignore), frozenset(light)


def _weights(text: str, ignored: tuple[frozenset[str], frozenset[str]]) -> dict[str, float]:
    """The feature's concepts and their weights (rarer words weigh more; light words 0)."""
    ignore, light = ignored
    weights: dict[str, float] = {}
    for lower, _ in _words(text):
        key = concept(lower)
        if key in ignore:
            continue
        weight = 0.0 if key in light or lower in LIGHT_WORDS else _word_weight(lower)
        weights[key] = max(weights.get(key, 0.0), weight)
    return weights


def _anchors(text: str, ignored: tuple[frozenset[str], frozenset[str]]) -> frozenset[str]:
    """Concepts of ``text`` that name one thing: capitalised inside the sentence (or an unknown
    abbreviation anywhere, "ESIR") and rare in English ("Mzuzu", "Sawtooth"), not words of a
    program's name, not a known abbreviation ("NICU" is a kind of unit, not a name) and not a
    derived word ("Interventional")."""
    ignore, light = ignored
    return frozenset(
        concept(lower)
        for lower, capital in _words(text)
        if capital
        and not lower.isdigit()
        and lower not in _KNOWN_SHORT
        and not concept(lower).startswith("=")
        and len(lemma(lower)) - len(root(lemma(lower))) <= 1  # a name, not "Interventional"
        and zipf(lower) < ANCHOR_ZIPF
        and concept(lower) not in ignore
        and concept(lower) not in light
    )


def _close_numbers(keys, sentence) -> dict[str, str]:
    """Large counts of the feature that the passage rounds ("nearly a thousand" for 900, "about
    6,500" for 7,000): feature number -> passage number, within ``NUMBER_SLACK``."""
    wanted = [key for key in keys if key.isdigit() and int(key) >= 100 and key not in sentence]
    if not wanted:
        return {}
    said = [key for key in sentence if key.isdigit() and int(key) >= 100]
    found = {}
    for key in wanted:
        for other in said:
            if abs(int(other) - int(key)) <= NUMBER_SLACK * int(key):
                found[key] = other
                break
    return found


def _match(
    weights: dict[str, float], sentence: set[str], anchors: frozenset[str] = frozenset()
) -> float:
    """Coverage of a feature's weight by a passage, or 0 when the match is too thin to count:
    at least ``COVERAGE`` with two concepts; or two concepts of ``ABSOLUTE_WEIGHT`` together
    covering ``ABSOLUTE_COVERAGE`` (a long feature is paraphrased in part); or one concept that
    carries ``SINGLE_SHARE`` of a feature of at most two weighty concepts; or one of the
    feature's ``anchors`` (a rare name only this feature has)."""
    heavy = {key: weight for key, weight in weights.items() if weight > 0}
    total = sum(heavy.values())
    if not total:
        return 0.0
    matched = [key for key in heavy if key in sentence]
    matched += _close_numbers(heavy, sentence)
    weight = sum(heavy[key] for key in matched)
    if anchors and not any(key in anchors for key in matched):
        # A place or service name is evidence when it is there, not a requirement: "a small
        # mountain hospital" may describe "... in the Ashcroft Mountains" without naming them.
        rest = total - sum(heavy.get(key, 0.0) for key in anchors)
        total = rest if rest > 0 else total
    coverage = weight / total
    things = _distinct(matched)
    if things >= 2 and coverage >= COVERAGE:
        return coverage
    if things >= 2 and weight >= ABSOLUTE_WEIGHT and coverage >= ABSOLUTE_COVERAGE:
        return coverage
    if len(matched) == 1 and len(heavy) <= 2 and coverage >= SINGLE_SHARE:
        return coverage
    if anchors and any(key in anchors for key in matched):
        return coverage
    return 0.0


def _program_anchors(
    program: ProgramFeatures, ignored: tuple[frozenset[str], frozenset[str]]
) -> dict[str, frozenset[str]]:
    """Each feature's anchors that no other feature of the program shares."""
    found = {key: _anchors(text, ignored) for key, text in program.features.items()}
    return {
        key: frozenset(a for a in anchors if not any(a in found[k] for k in found if k != key))
        for key, anchors in found.items()
    }


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
    anchors = _program_anchors(program, own_ignore)
    own = [
        (key, desc, _weights(desc, own_ignore), anchors[key])
        for key, desc in program.features.items()
    ]
    own_concepts = [_concepts(passage, own_ignore) for passage in passages]
    # The words with which a sentence alone mentions one feature do not also serve, joined with
    # the next sentence's, to mention another: "... seen in a joint clinic. ... the athlete's
    # heart" is not "sports cardiology clinic".
    used = [dict() for _ in sentences]
    for index in range(len(sentences)):
        for key, _, weights, anchor in own:
            if _match(weights, own_concepts[index], anchor) > 0:
                used[index][key] = {k for k, w in weights.items() if w > 0} & own_concepts[index]
    found: list[FeatureMention] = []
    for key, description, weights, anchor in own:
        best, where = 0.0, ""
        for index, (passage, concepts) in enumerate(zip(passages, own_concepts, strict=True)):
            if index >= len(sentences):
                first = index - len(sentences)
                for part in (first, first + 1):
                    for other, keys in used[part].items():
                        if other != key:
                            concepts = concepts - keys
            coverage = _match(weights, concepts, anchor)
            if coverage > best + 1e-9:
                best, where = coverage, passage
        evidence = _evidence(description, where, weights, own_ignore) if best > 0 else ()
        found.append(
            FeatureMention(
                program.id, program.name, key, description, best > 0, where, best, evidence
            )
        )
    foreign = _foreign(sentences, program, own, own_ignore, own_concepts, others)
    warnings = tuple(
        f"This describes {item.program_name}\u2019s feature, not {program.name}\u2019s: "
        f"\u201c{item.sentence}\u201d ({item.program_name} lists \u201c{item.text}\u201d)"
        for item in foreign
    )
    return Mentions(tuple(found), foreign, warnings)


def _foreign(sentences, program, own, own_ignore, own_concepts, others):
    """Per sentence, the other program's feature that it describes best, when that is a strong
    match (``FOREIGN_COVERAGE`` with two concepts, or one of its anchors) and no feature of this
    program matches the same sentence. The other program's features are weighed with *this*
    program's light words: its specialty is what a paragraph to it says anyway ("obstetric" is
    no evidence in a letter to an obstetrics program), the other's specialty is evidence."""
    prepared = []  # per other program: its ignored concepts and each feature's weights, anchors
    features_of, ignored_of = {}, {}
    for other in others:
        if other.id == program.id:
            continue
        ignored = _ignored(other)
        ignored = (ignored[0] | own_ignore[0], own_ignore[1])
        anchors = _program_anchors(other, ignored)
        features = [
            (key, text, _weights(text, ignored), anchors[key])
            for key, text in other.features.items()
        ]
        prepared.append((other, ignored, features))
        features_of[other.id], ignored_of[other.id] = features, ignored
    foreign: dict[tuple[str, str], FeatureMention] = {}
    for index, sentence in enumerate(sentences):
        own_best = max((_match(w, own_concepts[index], a) for _, _, w, a in own), default=0.0)
        candidates = []
        for other, ignored, features in prepared:
            other_concepts = _concepts(sentence, ignored)
            for key, description, weights, anchor in features:
                coverage = _match(weights, other_concepts, anchor)
                if coverage <= own_best:
                    continue
                shared = {k: w for k, w in weights.items() if w > 0 and k in other_concepts}
                strong = _distinct(shared) >= 2 and coverage >= FOREIGN_COVERAGE
                if (strong and sum(shared.values()) >= FOREIGN_WEIGHT) or other_concepts & anchor:
                    candidates.append((coverage, other, key, description))
        if candidates:
            coverage, other, key, description = max(candidates, key=lambda item: item[0])
            weights = next(w for k, _, w, _ in features_of[other.id] if k == key)
            evidence = _evidence(description, sentence, weights, ignored_of[other.id])
            foreign.setdefault(
                (other.id, key),
                FeatureMention(
                    other.id, other.name, key, description, True, sentence, coverage, evidence
                ),
            )
    return tuple(foreign.values())


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
