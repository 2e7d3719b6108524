"""Catalog rows as lists of facts, each with the source it came from; unknowns stay unknown.

The detail pages and the compare table show these lists, so a fact is labelled, sourced and marked
unknown the same way everywhere.
"""

from dataclasses import dataclass, field
from typing import Any

from medmatch.catalog.models import Institution, Program, Source


class Scope:
    """Whose fact it is (issue 11): shown beside every fact with its source and date."""

    PROGRAM = "program"  # the program itself (its listing, or reported by the program)
    INSTITUTION = "institution"  # its hospital or sponsoring institution
    PLACE = "place"  # where it is: ZIP, county, town, HUD area
    RULE = "rule"  # a rule for every program of its kind (ACGME...), not what the program reports
    STUDENT = "student"  # the student's own information, seen only by them

    LABELS = {
        PROGRAM: "the program",
        INSTITUTION: "hospital or sponsor",
        PLACE: "its place",
        RULE: "a rule for every program of its kind",
        STUDENT: "your own information",
    }


@dataclass
class Fact:
    label: str
    value: Any = None  # None or "" = unknown
    source: Source | None = None
    note: str = ""
    url: str = ""
    question: str = ""  # what to ask when the fact is unknown
    # Whose fact: one of Scope's values; "" = the sheet's subject (program or institution).
    scope: str = ""
    # What exactly the scope is: "ZIP 62301", "Adams County, IL", "Rush University Medical
    # Center", "ACGME Common Program Requirements".
    scope_label: str = ""
    # The date or period the value describes ("FY2026", "2017-2021", "2025-Q2"); "" = the
    # source's retrieval date stands.
    as_of: str = ""

    @property
    def unknown(self) -> bool:
        return self.value is None or self.value == ""


@dataclass
class FactSheet:
    facts: list[Fact] = field(default_factory=list)
    subject: str = "program"  # whose facts: "What is the hospital's ownership?"

    def add(self, label, value, source=None, **extra) -> None:
        self.facts.append(Fact(label, value, source, **extra))

    @property
    def sources(self) -> list[Source]:
        """Every source cited, in order of first citation, each once."""
        seen: list[Source] = []
        for fact in self.facts:
            if fact.source is not None and not fact.unknown and fact.source not in seen:
                seen.append(fact.source)
        return seen

    @property
    def questions(self) -> list[str]:
        """What to ask about each unknown fact, each question once."""
        return list(
            dict.fromkeys(
                fact.question or f"What is the {self.subject}'s {fact.label.lower()}?"
                for fact in self.facts
                if fact.unknown
            )
        )

    def numbered(self) -> list[tuple[Fact, int | None]]:
        """Each fact with the footnote number of its source; an unknown fact cites nothing."""
        numbers = {source.pk: i for i, source in enumerate(self.sources, start=1)}
        return [
            (f, numbers.get(f.source.pk) if f.source and not f.unknown else None)
            for f in self.facts
        ]


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("Yes" if value else "No")


def _money(amount, currency: str) -> str | None:
    if amount is None:
        return None
    return f"{amount:,.0f} {currency}".strip()


def _place(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def program_location(program: Program) -> tuple[float | None, float | None, str, Source | None]:
    """Where a program is: its own coordinates, else its institution's, else the linked hospital's.

    Returns (latitude, longitude, how precise and whose, source of the coordinates). The note
    says which kind of place the point is — a hospital, a facility or only a city centroid —
    because a radius search treats them alike and a student should know which it got.
    """
    institution = program.institution
    if program.latitude is not None and program.longitude is not None:
        precision = (program.get_coordinates_precision_display() or "precision unknown").lower()
        if program.site and program.nrmp_code:
            kind = "city centroid" if program.coordinates_precision == "city" else "hospital"
            return (
                program.latitude,
                program.longitude,
                f"at {program.site}, the site its title names ({kind}; {precision}); the "
                "sponsor may train residents elsewhere too",
                program.source,
            )
        if (program.latitude, program.longitude) != (institution.latitude, institution.longitude):
            return program.latitude, program.longitude, f"program site; {precision}", program.source
    for place, whose in (
        (institution, "the institution"),
        (institution.hospital, "linked hospital"),
    ):
        if place is not None and place.has_coordinates:
            precision = (place.get_coordinates_precision_display() or "precision unknown").lower()
            return (
                place.latitude,
                place.longitude,
                f"{_placement(place, whose)}; {precision}",
                place.coordinates_source or place.source,
            )
    return None, None, "", None


def _placement(place: Institution, whose: str) -> str:
    """Which kind of place a sponsoring institution's point is."""
    if place.kind != Institution.Kind.SPONSOR:
        return f"at {whose}"
    if place.hospital_id:
        return f"at the sponsor's linked hospital, {place.hospital.name}"
    if place.coordinates_precision == Institution.CoordinatePrecision.CITY:
        return (
            f"city centroid of {place.city or 'its city'}: the sponsor's city, not a hospital "
            "(no hospital could be told from its name)"
        )
    return "at a hospital facility matched to the sponsor's name (not a CMS hospital)"


def _teaching(institution: Institution) -> tuple[Institution, bool | None]:
    if institution.is_teaching is None and institution.hospital is not None:
        return institution.hospital, institution.hospital.is_teaching
    return institution, institution.is_teaching


def program_facts(program: Program) -> FactSheet:
    sheet = FactSheet()
    source = program.source
    institution = program.institution
    sheet.add("Program", program.title, source)
    sheet.add("Institution", institution.name, source)
    sheet.add(
        "Specialty",
        program.specialty.name if program.specialty else None,
        program.specialty.source if program.specialty and program.specialty.source else source,
        question="Which specialty does this program train in?",
    )
    sheet.add("Program type", program.get_program_type_display(), source)
    sheet.add(
        "Track type",
        program.get_track_type_display(),
        source,
        question="Is this a categorical, preliminary or advanced track?",
    )
    if program.stream or program.carms_stream_id:
        sheet.add("Stream", program.stream, source)
    if program.site:
        sheet.add("Site", program.site, source)
    city = program.city or institution.city
    region = program.region or institution.region
    country = program.country or institution.country
    sheet.add("Location", _place(city, region, country), source)
    lat, lon, how, coordinate_source = program_location(program)
    sheet.add(
        "Coordinates",
        f"{lat:.4f}, {lon:.4f}" if lat is not None else None,
        coordinate_source,
        note=how,
        question="Where exactly do residents train (main hospital address)?",
    )
    sheet.add(
        "Length",
        f"{program.length_months} months" if program.length_months else None,
        source,
        question="How long is the program?",
    )
    sheet.add(
        "Weekly hours",
        f"{program.weekly_hours} hours" if program.weekly_hours else None,
        source,
        question="How many hours a week do residents actually work, on average and at peak?",
    )
    sheet.add(
        "Stipend",
        _money(program.stipend_amount, program.currency),
        source,
        question="What is the stipend, and what benefits come with it?",
    )
    sheet.add(
        "Cost to the trainee",
        _money(program.cost_amount, program.currency),
        source,
        question="Are there fees or costs for the trainee?",
    )
    sheet.add("Positions", program.seats, source, question="How many positions are offered?")
    sheet.add(
        "Applications open",
        program.application_opens,
        source,
        question="When do applications open?",
    )
    sheet.add(
        "Application deadline",
        program.application_deadline,
        source,
        question="What is the application deadline?",
    )
    sheet.add("Language", program.language, source, question="In which language is training given?")
    sheet.add(
        "Visa sponsorship",
        program.get_visa_sponsorship_display(),
        source,
        question="Does the program sponsor J-1 or H-1B visas?",
    )
    sheet.add(
        "Teaching or service emphasis",
        program.get_emphasis_display(),
        source,
        question="How is time split between teaching and service work?",
    )
    sheet.add(
        "Mentorship",
        program.mentorship,
        source,
        question="How is mentorship organised — who mentors residents, and how often do you meet?",
    )
    sheet.add(
        "Research opportunities",
        program.research_opportunities,
        source,
        question="What research time and support do residents get?",
    )
    sheet.add(
        "Residency affiliations",
        program.residency_affiliations,
        source,
        question="Which hospitals and residencies is the program affiliated with?",
    )
    sheet.add(
        "Description", program.description, source, question="What makes this program distinct?"
    )
    teaching_place, teaching = _teaching(institution)
    sheet.add(
        "Teaching hospital",
        _yes_no(teaching),
        teaching_place.teaching_source or (teaching_place.source if teaching is not None else None),
        question="Is the main hospital a teaching hospital?",
    )
    _add_hospital_facts(sheet, institution)
    accreditations = list(program.accreditations.all())
    for accreditation in accreditations:
        until = f", valid until {accreditation.valid_until}" if accreditation.valid_until else ""
        sheet.add(
            f"Accreditation ({accreditation.body})",
            f"{accreditation.get_status_display()}{until}",
            accreditation.source,
        )
    if not accreditations:
        sheet.add(
            "Accreditation", None, None, question="What is the program's accreditation status?"
        )
    sheet.add(
        "Website", program.url, source, url=program.url, question="Where is the program's website?"
    )
    for label, value in (
        ("NRMP program code", program.nrmp_code),
        ("ACGME program id", program.acgme_id),
        ("CaRMS stream id", program.carms_stream_id),
    ):
        if value:
            sheet.add(label, value, source)
    return sheet


def _add_hospital_facts(sheet: FactSheet, institution: Institution) -> None:
    """Beds, CMS stars and resident FTE of where a program trains: its institution when that is a
    hospital with the facts, else the CMS hospital its sponsor is linked to (named in a note)."""
    hospital = institution
    if institution.hospital is not None and not any(
        (institution.beds, institution.cms_star_rating, institution.resident_fte)
    ):
        hospital = institution.hospital
    note = f"at {hospital.name}" if hospital is not institution else ""
    sheet.add(
        "Hospital beds",
        hospital.beds,
        hospital.source if hospital.beds else None,
        note=note,
        question="How many beds does the main hospital have?",
    )
    if (hospital.country or institution.country) == "US":
        # CMS rates US hospitals only; elsewhere the row would be a question nobody can answer.
        sheet.add(
            "CMS overall star rating",
            f"{hospital.cms_star_rating} of 5" if hospital.cms_star_rating else None,
            hospital.source if hospital.cms_star_rating else None,
            note=note,
            question="How does the main hospital do on quality measures?",
        )
    sheet.add(
        "Resident FTE at the hospital",
        f"{hospital.resident_fte:,.1f}" if hospital.resident_fte else None,
        hospital.teaching_source if hospital.resident_fte else None,
        note=note,
        question="How many residents train at the main hospital?",
    )


def institution_facts(institution: Institution) -> FactSheet:
    sheet = FactSheet(subject="hospital")
    source = institution.source
    sheet.add("Name", institution.name, source)
    sheet.add(
        "Kind", institution.get_kind_display(), source, question="What kind of hospital is it?"
    )
    sheet.add("Hospital type (as published)", institution.hospital_type, source)
    sheet.add("Address", institution.address, source)
    sheet.add(
        "City, state, postal code",
        _place(institution.city, institution.region, institution.postal_code),
        source,
    )
    if institution.nearest_city:
        sheet.add(
            "Nearest city",
            institution.nearest_city,
            institution.coordinates_source or source,
            note="nearest city of 15,000+ people, from the coordinates",
        )
    sheet.add("Country", institution.country_name or institution.country, source)
    sheet.add("Telephone", institution.telephone, source)
    sheet.add("Website", institution.website, source, url=institution.website)
    sheet.add(
        "Coordinates",
        f"{institution.latitude:.4f}, {institution.longitude:.4f}"
        if institution.has_coordinates
        else None,
        institution.coordinates_source or (source if institution.has_coordinates else None),
        note=institution.get_coordinates_precision_display(),
        question="Where exactly is it (street address)?",
    )
    sheet.add("Ownership", institution.ownership, source)
    sheet.add("Emergency services", _yes_no(institution.emergency_services), source)
    sheet.add(
        "CMS overall star rating",
        f"{institution.cms_star_rating} of 5" if institution.cms_star_rating else None,
        source,
        question="How does the hospital do on quality measures?",
    )
    sheet.add("Beds", institution.beds, source, question="How many beds does the hospital have?")
    sheet.add(
        "Teaching hospital",
        _yes_no(institution.is_teaching),
        institution.teaching_source,
        question="Is it a teaching hospital?",
    )
    sheet.add(
        "Resident FTE",
        f"{institution.resident_fte:,.1f}" if institution.resident_fte else None,
        institution.teaching_source,
        question="How many residents train there?",
    )
    for label, value in (
        ("CMS Certification Number", institution.ccn),
        ("NRMP institution code", institution.nrmp_code),
        ("HIFLD id", institution.hifld_id),
        ("CaRMS school id", institution.carms_school_id),
    ):
        if value:
            sheet.add(label, value, source)
    if institution.wikidata_id:
        sheet.add(
            "Wikidata",
            institution.wikidata_id,
            source,
            url=f"https://www.wikidata.org/wiki/{institution.wikidata_id}",
        )
    return sheet
