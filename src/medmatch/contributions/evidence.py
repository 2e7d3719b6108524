"""The evidence staff see when someone asks to be a program coordinator: does their email's
domain belong to the institution?

Two kinds of evidence, strongest first:

1. the email domain is the institution's website domain (or a subdomain of it; the linked CMS
   hospital's website counts for an NRMP sponsor), e.g. ``jane@rush.edu`` for www.rush.edu;
2. the email domain (or a parent of it) is a university's in ``world_universities_and_domains.json``
   (Hipo university-domains-list, MIT; ``catalog/data/README.md``) and every distinctive word of
   that university's name is in the institution's name, e.g. ``jane@uiowa.edu`` is the University
   of Iowa and the sponsor is "U Iowa Hosps and Clinics".

3. (weaker) an academic domain (.edu, .ac.xx, .edu.xx) whose name is a distinctive word of the
   institution's name or its initials: ``jane@rush.edu`` for "Rush University Med Ctr", which has
   no website in the catalog (no NRMP sponsor has one).

None is proof (a student has a university address too): staff verify by hand, and the lines
here tell them what was checked. A free-mail or unrelated domain is simply "no evidence".
"""

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from medmatch.catalog.models import Institution

UNIVERSITIES_FILE = "international/world_universities_and_domains.json"

# Words every university or hospital name may hold; only the others tell one from another.
# NRMP's abbreviations are here too ("U Iowa Hosps and Clinics").
GENERIC_WORDS = frozenset(
    {
        "university",
        "universidad",
        "universidade",
        "universite",
        "universita",
        "universitat",
        "univ",
        "u",
        "of",
        "the",
        "and",
        "at",
        "for",
        "in",
        "de",
        "la",
        "del",
        "des",
        "di",
        "da",
        "do",
        "du",
        "der",
        "fur",
        "y",
        "e",
        "et",
        "college",
        "coll",
        "school",
        "sch",
        "faculty",
        "institute",
        "inst",
        "academy",
        "medicine",
        "medical",
        "med",
        "health",
        "sciences",
        "science",
        "center",
        "centre",
        "ctr",
        "hospital",
        "hospitals",
        "hosp",
        "hosps",
        "clinic",
        "clinics",
        "system",
        "systems",
        "campus",
        "graduate",
        "grad",
        "education",
        "educ",
    }
)


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def website_domain(url: str) -> str:
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def domain_matches(mail: str, site: str) -> bool:
    """``a@med.example.edu`` matches www.example.edu; a bare top-level domain matches nothing."""
    if not mail or not site or "." not in site:
        return False
    return mail == site or mail.endswith(f".{site}")


def distinctive_words(name: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", name.lower())
    return {word for word in words if word not in GENERIC_WORDS and len(word) > 1}


@cache
def universities_by_domain() -> dict[str, tuple[tuple[str, str], ...]]:
    """domain -> ((university name, ISO country code), ...), read once from the shipped file."""
    path = Path(settings.CATALOG_DATA_DIR) / UNIVERSITIES_FILE
    found: dict[str, list[tuple[str, str]]] = {}
    for row in json.loads(path.read_text(encoding="utf-8")):
        for domain in row.get("domains") or []:
            entry = (row["name"], row.get("alpha_two_code") or "")
            found.setdefault(domain.lower().strip("."), []).append(entry)
    return {domain: tuple(rows) for domain, rows in found.items()}


def universities_for(mail: str) -> list[tuple[str, str, str]]:
    """(domain, university name, country) for the email domain and each of its parents."""
    table = universities_by_domain()
    parts = mail.split(".")
    hits = []
    for start in range(len(parts) - 1):
        domain = ".".join(parts[start:])
        hits += [(domain, name, country) for name, country in table.get(domain, ())]
    return hits


def coordinator_evidence(*, email: str, institution: Institution) -> tuple[str, list[str]]:
    """(strength, lines for staff): how the email relates to the institution. The strength is one
    of ``Coordinatorship.Strength``'s values."""
    mail = email_domain(email)
    lines = [f"Email domain: {mail or '(none)'}."]
    places = [institution]
    if institution.hospital is not None:
        places.append(institution.hospital)
    strength = "none"
    for place in places:
        site = website_domain(place.website)
        if not site:
            lines.append(f"{place.name} has no website in the catalog.")
        elif domain_matches(mail, site):
            lines.append(f"Matches the website of {place.name} ({site}).")
            strength = "website"
        else:
            lines.append(f"Does not match the website of {place.name} ({site}).")
    names = " ".join(place.name for place in places)
    words = distinctive_words(names)
    for domain, name, country in universities_for(mail):
        wanted = distinctive_words(name)
        where = f"{domain} belongs to {name}" + (f" ({country})" if country else "")
        if wanted and wanted <= words:
            lines.append(f"{where}, whose name matches the institution's name.")
            if strength == "none":
                strength = "university"
        else:
            lines.append(f"{where}; its name does not match the institution's name.")
        if country and institution.country and country != institution.country:
            lines.append(
                f"The university is in {country}, the institution in {institution.country}."
            )
    if not universities_for(mail):
        lines.append("The email domain is not in the university domain list.")
    label = academic_label(mail)
    if len(label) >= 3 and (label in words or label == initials(institution.name)):
        lines.append(
            f"The domain {mail} is an academic domain named “{label}”, as the institution is "
            "(weaker evidence: check it by hand)."
        )
        if strength == "none":
            strength = "name"
    return strength, lines


def academic_label(mail: str) -> str:
    """The name part of an academic domain: ``rush`` for rush.edu or med.rush.edu, ``ox`` for
    ox.ac.uk, ``unam`` for unam.edu.mx; "" for any other domain. Only academic
    registries (.edu is restricted to accredited US institutions) make a name worth noting."""
    parts = mail.split(".")
    if len(parts) >= 2 and parts[-1] == "edu":
        return parts[-2]
    if len(parts) >= 3 and parts[-2] in ("ac", "edu"):
        return parts[-3]
    return ""


def initials(name: str) -> str:
    """ "University of Illinois at Chicago" -> "uic" (connecting words left out)."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    return "".join(word[0] for word in words if word not in {"of", "the", "and", "at", "for"})
