"""Does the statement name concrete aspects of *this* program? ``ProgramContext`` in, report out.

The advice is the seed article's ("Prepare a Strong Application Package"): avoid generic
statements; mention specific aspects of the program, such as mentorship opportunities, research
facilities or a reputation for patient-centred care. The Django adapter
(``medmatch.applications.writing_context.program_context``) fills ``ProgramContext`` from the
catalog; this module never sees a model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

SETTINGS = ("academic", "community")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Other names a reader may use for a specialty (lower-case keys: a word of the specialty's name).
SPECIALTY_SYNONYMS = {
    "internal medicine": ("internal medicine", "internist", "internists"),
    "family medicine": ("family medicine", "family physician", "family practice", "primary care"),
    "pediatrics": ("pediatrics", "pediatric", "paediatrics", "paediatric", "pediatrician"),
    "surgery": ("surgery", "surgical", "surgeon", "surgeons"),
    "emergency medicine": ("emergency medicine", "emergency physician", "emergency department"),
    "psychiatry": ("psychiatry", "psychiatric", "psychiatrist", "mental health"),
    "obstetrics": ("obstetrics", "obstetric", "gynecology", "gynaecology", "ob/gyn", "obgyn"),
    "anesthesiology": ("anesthesiology", "anaesthesia", "anesthesia", "anesthesiologist"),
    "radiology": ("radiology", "radiologist", "imaging"),
    "neurology": ("neurology", "neurologist", "neurologic", "neurological"),
    "cardiology": ("cardiology", "cardiologist", "cardiac", "cardiovascular"),
    "cardiovascular": ("cardiology", "cardiologist", "cardiac", "cardiovascular"),
    "dermatology": ("dermatology", "dermatologist"),
    "pathology": ("pathology", "pathologist"),
    "orthopaedic": ("orthopaedic", "orthopedic", "orthopaedics", "orthopedics"),
    "orthopedic": ("orthopaedic", "orthopedic", "orthopaedics", "orthopedics"),
    "neurosurgery": ("neurosurgery", "neurosurgical", "neurosurgeon"),
    "urology": ("urology", "urologist"),
    "ophthalmology": ("ophthalmology", "ophthalmologist"),
    "oncology": ("oncology", "oncologist", "cancer"),
}
# Words that name an aspect only as whole phrases: "study", "trial" or "database" alone are as
# often "I study hard", "trial and error" or a job; "academic" and "community" alone are as often
# "academic record" or "my community" as a setting.
ASPECT_TERMS = {
    "mentorship": ("mentor", "mentorship", "mentoring", "advisor", "adviser", "coaching"),
    "research": (
        "research",
        "lab",
        "laboratory",
        "registry",
        "clinical trial",
        "core facility",
        "biobank",
    ),
    "patient_centred_care": (
        "patient-centered",
        "patient-centred",
        "patient centered",
        "patient centred",
        "family-centered",
        "family-centred",
        "patient experience",
    ),
    "academic": (
        "academic medical center",
        "academic medical centre",
        "academic center",
        "academic centre",
        "academic hospital",
        "academic setting",
        "academic program",
        "academic medicine",
        "university hospital",
        "teaching hospital",
        "tertiary",
        "quaternary",
    ),
    "community": (
        "community hospital",
        "community setting",
        "community program",
        "community-based",
        "community health",
        "community medicine",
        "rural",
        "underserved",
        "safety-net",
        "safety net",
        "county hospital",
    ),
}
# Departments whose one-word name every statement uses as a plain word.
COMMON_DEPARTMENT_WORDS = frozenset(
    {"medicine", "surgery", "pediatrics", "research", "education", "nursing", "health"}
)
# Trailing words dropped to find an institution's short name ("Northgate Regional Medical Center"
# -> "Northgate"); a short name that is one of these alone is not used.
INSTITUTION_SUFFIXES = _word_set(
    "hospital hospitals medical center centre health system systems clinic clinics inc llc "
    "foundation regional university community children's general memorial and of the"
)
_ACRONYM_SKIP = frozenset({"of", "the", "and", "&", "for", "at"})


@dataclass(frozen=True)
class ProgramContext:
    """Plain facts about one program, for the specificity check and the generic-sentence rule.

    Empty strings and tuples mean *unknown*; ``has_mentorship`` / ``has_research`` are True when the
    catalog has text about them, None when it has none (unknown, not "no"), False only when known
    absent. ``setting`` is ``academic``, ``community`` or ``""``. ``description_keywords`` are short
    phrases from the program's description worth naming (e.g. "point-of-care ultrasound").
    """

    program_title: str = ""
    institution_name: str = ""
    institution_short_forms: tuple[str, ...] = ()
    specialty_names: tuple[str, ...] = ()
    specialty_synonyms: tuple[str, ...] = ()
    city: str = ""
    region: str = ""
    departments: tuple[str, ...] = ()
    setting: str = ""
    has_mentorship: bool | None = None
    has_research: bool | None = None
    description_keywords: tuple[str, ...] = ()
    program_id: str | int | None = None

    def __post_init__(self):
        if self.setting not in ("", *SETTINGS):
            raise ValueError(f"setting: {self.setting!r} is not one of academic, community, ''")
        for name in ("institution_short_forms", "specialty_names", "specialty_synonyms"):
            if isinstance(getattr(self, name), str):
                raise ValueError(f"{name}: must be a tuple of strings, not a string")
        for name in ("departments", "description_keywords"):
            if isinstance(getattr(self, name), str):
                raise ValueError(f"{name}: must be a tuple of strings, not a string")

    @classmethod
    def from_dict(cls, data: dict) -> ProgramContext:
        """Build from a mapping of the field names (lists become tuples); unknown keys raise."""
        names = {item.name for item in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"ProgramContext: unknown field(s) {', '.join(unknown)}")
        values = {
            key: tuple(value) if isinstance(value, list) else value for key, value in data.items()
        }
        return cls(**values)

    def to_dict(self) -> dict:
        return {item.name: _plain(getattr(self, item.name)) for item in fields(self)}


@dataclass(frozen=True)
class Aspect:
    """One thing a statement could name: its ``kind`` (institution, specialty, city, department,
    setting, mentorship, research, keyword, patient_centred_care), a ``label`` to show, the
    ``terms`` searched for, the ``spans`` (start, end) where the text names it (empty when it does
    not), and a ``hint``: what to write about."""

    kind: str
    label: str
    terms: tuple[str, ...]
    spans: tuple[tuple[int, int], ...] = ()
    hint: str = ""

    @property
    def mentioned(self) -> bool:
        return bool(self.spans)

    def to_dict(self) -> dict:
        return {item.name: _plain(getattr(self, item.name)) for item in fields(self)}


@dataclass(frozen=True)
class SpecificityReport:
    """Which aspects of the program the statement names (``mentioned``) and which it could
    (``could_mention``); ``score`` = mentioned / all aspects (None when there is none). Without a
    program, ``program_given`` is False and the aspects are the seed article's general ones."""

    mentioned: tuple[Aspect, ...]
    could_mention: tuple[Aspect, ...]
    score: float | None
    program_given: bool

    def to_dict(self) -> dict:
        return {
            "mentioned": [aspect.to_dict() for aspect in self.mentioned],
            "could_mention": [aspect.to_dict() for aspect in self.could_mention],
            "score": self.score,
            "program_given": self.program_given,
        }


def _plain(value):
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def short_forms(name: str) -> tuple[str, ...]:
    """Short names a writer may use for an institution: the name without trailing generic words
    and its initials ("Lakeshore University Hospital" -> ("Lakeshore", "LUH")).

    Takes the full name; returns new forms only (not the name itself), none shorter than 4
    letters (initials: 3) and none made only of generic words.
    """
    words = name.replace(",", " ").split()
    if words and words[0].lower() == "the":
        words = words[1:]
    forms: list[str] = []
    trimmed = list(words)
    while trimmed and trimmed[-1].lower() in INSTITUTION_SUFFIXES:
        trimmed.pop()
    short = " ".join(trimmed)
    if (
        trimmed
        and short != " ".join(words)
        and len(short) >= 4
        and not all(word.lower() in INSTITUTION_SUFFIXES for word in trimmed)
    ):
        forms.append(short)
    initials = "".join(
        word[0] for word in words if word.lower() not in _ACRONYM_SKIP and word[:1].isupper()
    )
    if 3 <= len(initials) <= 6 and initials not in forms:
        forms.append(initials)
    return tuple(forms)


def specialty_terms(names: tuple[str, ...], extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The names, their built-in synonyms (``SPECIALTY_SYNONYMS``) and ``extra``, de-duplicated."""
    terms: list[str] = []
    for name in names:
        lower = name.lower()
        terms.append(name)
        for key, synonyms in SPECIALTY_SYNONYMS.items():
            if key in lower:
                terms.extend(synonyms)
    terms.extend(extra)
    return _unique(terms)


def _unique(terms) -> tuple[str, ...]:
    seen, result = set(), []
    for term in terms:
        cleaned = " ".join(term.split())
        if cleaned and cleaned.lower() not in seen:
            seen.add(cleaned.lower())
            result.append(cleaned)
    return tuple(result)


def term_regex(terms: tuple[str, ...], *, proper: bool = False) -> re.Pattern | None:
    """One regex finding any of ``terms`` as whole words, with a plural or possessive ending.

    Case-insensitive, except that all-capital terms of up to 6 letters ("LUH", "ICU") must match
    in capitals, and with ``proper`` (names of places and institutions) a term written with a
    capital needs its capital in the text: "Mercy" names the hospital, "mercy" does not.
    Spaces and hyphens inside a term match either; returns None for no terms.
    """
    parts = []
    for term in sorted(_unique(terms), key=len, reverse=True):
        body = r"[\s\-]+".join(re.escape(piece) for piece in re.split(r"[\s\-]+", term))
        body = body.replace("'", "['\u2019]").replace("\u2019", "['\u2019]")
        if term.isupper() and len(term) <= 6:
            parts.append(f"(?-i:{body})")
        elif proper and term[:1].isupper():
            parts.append(f"(?-i:{re.escape(term[0])}){body[len(re.escape(term[0])) :]}")
        else:
            parts.append(body)
    if not parts:
        return None
    return re.compile(
        rf"(?<![\w-])(?:{'|'.join(parts)})(?:['\u2019]s|s|es)?(?![\w-])", re.IGNORECASE
    )


@dataclass(frozen=True)
class _AspectSpec:
    kind: str
    label: str
    terms: tuple[str, ...]
    hint: str
    anchor: bool  # naming it makes a sentence specific (used by the generic rule)
    regex: re.Pattern | None


def aspect_specs(program: ProgramContext | None) -> tuple[_AspectSpec, ...]:
    """The aspects to look for: from ``program``, or the seed article's general list when None.

    Steps: institution (name + short forms), specialty (+ synonyms), city (+ region), one aspect
    per department (a department named like the specialty adds nothing and is left out), the
    setting, mentorship and research when the catalog has text about them or does not know
    (hint says "check"), and each description keyword. Entity aspects (institution, city,
    department, keyword) are *anchors*: naming one makes a sentence specific.
    """
    specs: list[_AspectSpec] = []

    def add(kind, label, terms, hint, anchor, proper=False):
        terms = _unique(terms)
        if terms:
            regex = term_regex(terms, proper=proper)
            specs.append(_AspectSpec(kind, label, terms, hint, anchor, regex))

    if program is None:
        add(
            "mentorship",
            "mentorship opportunities",
            ASPECT_TERMS["mentorship"],
            "Name the mentorship you want: a person, a structure, how often.",
            False,
        )
        add(
            "research",
            "research facilities",
            ASPECT_TERMS["research"],
            "Name a lab, registry, trial or facility you would use.",
            False,
        )
        add(
            "patient_centred_care",
            "patient-centred care",
            ASPECT_TERMS["patient_centred_care"],
            "Say what in their care model draws you, with an example.",
            False,
        )
        return tuple(specs)

    institution_terms = (program.institution_name, *program.institution_short_forms)
    add(
        "institution",
        program.institution_name or "the institution",
        institution_terms,
        "Name the institution, and why it rather than another.",
        True,
        proper=True,
    )
    specialty = specialty_terms(program.specialty_names, program.specialty_synonyms)
    add(
        "specialty",
        ", ".join(program.specialty_names) or "the specialty",
        specialty,
        "Say what in this specialty you have done and want to do.",
        False,
    )
    place = ", ".join(part for part in (program.city, program.region) if part)
    add(
        "city",
        place,
        (program.city, program.region),
        "Say what ties you to the place, or what in its patients draws you.",
        True,
        proper=True,
    )
    specialty_lower = {term.lower() for term in specialty}
    for department in program.departments:
        if department.lower() in specialty_lower:
            continue
        # "medicine" or "surgery" is in every statement: such a department is named only as
        # "department of ...", "division of ..." or "... department".
        synonyms = SPECIALTY_SYNONYMS.get(department.lower(), ())
        common = department.lower() in COMMON_DEPARTMENT_WORDS
        name = department.lower()
        phrases = (f"department of {name}", f"division of {name}", f"{name} department")
        add(
            "department",
            department,
            phrases if common else (department, *synonyms),
            f"Name what you would do with {department}.",
            True,
        )
    if program.setting:
        add(
            "setting",
            f"{program.setting} setting",
            ASPECT_TERMS[program.setting],
            f"Say why a {program.setting} setting suits you.",
            False,
        )
    if program.has_mentorship is not False:
        hint = "Name the mentorship you want: a person, a structure, how often."
        if program.has_mentorship is None:
            hint += " (Not in the catalog: check the program's site.)"
        add("mentorship", "mentorship", ASPECT_TERMS["mentorship"], hint, False)
    if program.has_research is not False:
        hint = "Name a lab, registry, trial or facility you would use."
        if program.has_research is None:
            hint += " (Not in the catalog: check the program's site.)"
        add("research", "research facilities", ASPECT_TERMS["research"], hint, False)
    for keyword in program.description_keywords:
        add("keyword", keyword, (keyword,), f"The program highlights {keyword}.", True)
    return tuple(specs)


def specificity_report(
    text: str, specs: tuple[_AspectSpec, ...], program_given: bool, sentences=None
):
    """Find each aspect's terms in ``text``; returns a ``SpecificityReport`` (new values only).
    ``sentences``: ``mentions.sentence_concepts(text)`` when the caller has it."""
    from medmatch.writing.mentions import phrase_spans  # mentions imports this module

    mentioned, missing = [], []
    for spec in specs:
        spans = tuple(match.span() for match in spec.regex.finditer(text)) if spec.regex else ()
        if not spans and spec.kind == "keyword":
            # A feature the program highlights counts when it is described in other words too.
            spans = phrase_spans(text, spec.label, sentences)
        aspect = Aspect(spec.kind, spec.label, spec.terms, spans, spec.hint)
        (mentioned if spans else missing).append(aspect)
    total = len(mentioned) + len(missing)
    score = len(mentioned) / total if total else None
    return SpecificityReport(tuple(mentioned), tuple(missing), score, program_given)
