"""The words a catalog search should find an institution or a program by.

The importers fill ``search_text`` with these functions and the search module indexes that column,
so "cardiology boston teaching" finds a program even though no single field holds all three words.
Abbreviations are spelled out both ways (state code and name, "IM" and "Internal Medicine" come
from the data) so that people can type either.
"""

import re
from functools import lru_cache
from urllib.parse import urlsplit

from medmatch.lib.geo import CANADIAN_PROVINCES, region_name

__all__ = [
    "CANADIAN_PROVINCES",
    "acronym",
    "institution_search_text",
    "name_words",
    "program_search_text",
    "region_name",
    "website_words",
]


_ACRONYM_FILLER = frozenset(["of", "and", "the", "for", "at", "in", "de", "du", "des", "la", "le"])
_NAME_WORD = re.compile(r"[^\W\d_]+")
# Host labels that name no place or institution.
_HOST_FILLER = frozenset(["www", "web", "en", "com", "org", "net", "edu", "gov", "nhs", "ac", "co"])
# The host of a URL whose scheme and address part are only ASCII letters, digits, dots and hyphens
# (re.ASCII: no "K" Kelvin sign for a "k"): exactly the part urlsplit takes as its netloc, which
# its hostname lower-cases.
_PLAIN_HOST = re.compile(r"https?://([0-9a-z.-]+)(?=[/?#]|\Z)", re.ASCII | re.IGNORECASE)


def acronym(name: str) -> str:
    """The initials people use for a long name, e.g. "All India Institute of Medical Sciences,
    Kalyani" -> "AIIMS"; "" when the name has fewer than three words to take initials of.

    Only the part before the first comma (the place after it is not in the acronym), and only
    words that start with a capital, skipping "of", "and"...; names in capitals count word by
    word too, so "JOHN H STROGER JR HOSPITAL" gives "JHSJH", which costs nothing but an index word.
    """
    head = name.partition(",")[0]
    # One pass over the words, the capital checked before the filler (a casefold): 20% faster.
    initials = "".join(
        [
            word[0]
            for word in _NAME_WORD.findall(head)
            if word[0].isupper() and word.casefold() not in _ACRONYM_FILLER
        ]
    )
    return initials if 3 <= len(initials) <= 8 else ""


@lru_cache(maxsize=65536)
def name_words(name: str) -> str:
    """A name with its abbreviations spelled out ("Cook County Health and Hosps Sys" ->
    "... hospitals system") and its acronym, so people find it by the words they type.

    Cached: an import asks for the same names again (a CMS hospital's search text is written by
    three importers, a sponsor's name is in each of its programs')."""
    if not name:
        return ""
    # The importers package imports this module; its linking rules are read when first needed.
    from medmatch.catalog.importers.linking import normalise_name, split_state_suffix

    base = split_state_suffix(name)[0]  # "Cook County Health and Hosps Sys-IL": IL is no word
    return " ".join(filter(None, [normalise_name(base), acronym(base)]))


def website_words(url: str) -> str:
    """The distinctive labels of a website's host: "http://www.aiims.edu/en/..." -> "aiims"."""
    if not url:
        return ""
    # A plain "http(s)://host/..." (all but 16 of the 13,000 websites of an import) is read by
    # _PLAIN_HOST, 3x faster than urlsplit; anything else (a port, user info, non-ASCII, spaces or
    # control characters urlsplit would drop) goes through urlsplit, so the host is the same.
    plain = _PLAIN_HOST.match(url)
    host = plain.group(1).lower() if plain else urlsplit(url).hostname or ""
    labels = host.split(".")[:-1]  # the top-level domain says nothing
    return " ".join(label for label in labels if label and label not in _HOST_FILLER)


def _join(*parts: object) -> str:
    seen, words = set(), []
    for part in parts:
        if not part:
            continue
        text = (part if type(part) is str else str(part)).strip()
        if text:
            folded = text.casefold()
            if folded not in seen:
                seen.add(folded)
                words.append(text)
    return " ".join(words)


def institution_search_text(inst) -> str:
    """Names, kind, place and identifiers of an Institution (or any object with its fields)."""
    kind_label = inst.get_kind_display() if inst.kind else ""
    return _join(
        inst.name,
        name_words(inst.name),
        website_words(inst.website),
        kind_label,
        "teaching hospital" if inst.is_teaching else "",
        inst.hospital_type,
        inst.city,
        inst.nearest_city,  # "AIIMS Delhi": Wikidata's hospitals have coordinates but no city
        inst.region,
        region_name(inst.region, inst.country),
        inst.postal_code,
        inst.country_name,
        inst.country,
        inst.ccn,
        inst.nrmp_code,
        inst.wikidata_id,
    )


def program_search_text(program) -> str:
    """Title, specialty (and its equivalent), track, stream, place and institution of a Program.

    Reads ``program.institution`` and ``program.specialty`` (and the specialty's ``equivalent``),
    so callers should have them loaded (select_related) or set on the object.
    """
    specialty = program.specialty
    equivalent = specialty.equivalent if specialty and specialty.equivalent_id else None
    institution = program.institution
    hospital = institution.hospital if institution.hospital_id else None
    return _join(
        program.title,
        specialty.name if specialty else "",
        equivalent.name if equivalent else "",
        program.get_track_type_display() if program.track_type else "",
        program.get_program_type_display(),
        program.stream,
        program.site,
        program.city,
        program.region,
        region_name(program.region, program.country),
        institution.name,
        name_words(institution.name),
        # A sponsor's linked hospital is where its residents train: "Stroger", "Illinois Masonic".
        hospital.name if hospital else "",
        name_words(hospital.name) if hospital else "",
        institution.get_kind_display() if institution.kind else "",
        institution.city,
        institution.region,
        region_name(institution.region, institution.country),
        institution.country_name,
        # An NRMP sponsor often has no city of its own; its linked hospital's says where it is.
        hospital.city if hospital else "",
        program.nrmp_code,
        program.carms_stream_id,
        program.description,
    )
