"""Catalog rows as lists of facts, each with the source it came from; unknowns stay unknown.

The detail pages and the compare table show these lists, so a fact is labelled, sourced and marked
unknown the same way everywhere.
"""

from dataclasses import dataclass, field
from typing import Any

from medmatch.catalog.extensions import ReportedValue, reported_values
from medmatch.catalog.models import Institution, Program, Source
from medmatch.catalog.places import (
    CITY,
    RUCA_YEAR,
    SITE,
    PlaceFacts,
    institution_places,
    program_places,
    site_town_place,
)
from medmatch.catalog.rule_facts import RuleBook, add_length_facts, add_work_hour_facts


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


# Headings of the fact groups on a page, by scope (FactSheet.grouped).
GROUP_HEADINGS = {
    Scope.PROGRAM: "From the program's own listing",
    Scope.INSTITUTION: "From its hospital or sponsor",
    Scope.PLACE: "From its place",
    Scope.RULE: "Rules for every program of its kind",
    Scope.STUDENT: "Your own information",
    "unknown": "Not known yet",
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
    # Where the scope's own document is (a rule's requirement document), linked from its label.
    scope_url: str = ""
    # Who stands behind the value when it came through medmatch (a verified coordinator, or an
    # approved proposal): its date, source URL and history link are shown with it.
    reported: ReportedValue | None = None

    @property
    def unknown(self) -> bool:
        return self.value is None or self.value == ""

    @property
    def scope_tag(self) -> str:
        """Whose fact in two or three words, for a table cell (the compare tables)."""
        if self.scope == Scope.RULE:
            return "rule for every program of its kind"
        if self.scope in (Scope.INSTITUTION, Scope.PLACE):
            return self.scope_label or Scope.LABELS[self.scope]
        if self.scope == Scope.STUDENT:
            return Scope.LABELS[Scope.STUDENT]
        return "the program"

    @property
    def period(self) -> str:
        """The date or period the value describes: its own, else the source's retrieval month."""
        if self.as_of:
            return self.as_of
        if self.source is not None and self.source.retrieved_on:
            return f"retrieved {self.source.retrieved_on:%b %Y}"
        return ""


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

    def scope_of(self, fact: Fact) -> str:
        """A fact's scope; "" (not said) means the sheet's own subject."""
        if fact.scope:
            return fact.scope
        return Scope.INSTITUTION if self.subject == "hospital" else Scope.PROGRAM

    def scope_words(self, fact: Fact) -> str:
        """Whose fact, in a few words: "the program", a hospital's name, "ZIP 62301", a rule."""
        if fact.scope_label:
            return fact.scope_label
        if not fact.scope:
            return "the program" if self.subject == "program" else f"this {self.subject}"
        return Scope.LABELS.get(fact.scope, fact.scope)

    def grouped(self) -> list[tuple[str, str, list[tuple[Fact, int | None, str]]]]:
        """The known facts by scope (the subject's own first, rules last), then the unknown ones:
        ``[(scope key, heading, [(fact, footnote number, scope words)])]``, empty groups left
        out. A student sees at a glance what is the program's own and what is derived."""
        order = [Scope.PROGRAM, Scope.INSTITUTION, Scope.PLACE, Scope.RULE, Scope.STUDENT]
        headings = dict(GROUP_HEADINGS)
        if self.subject == "hospital":
            order.remove(Scope.INSTITUTION)
            order.insert(0, Scope.INSTITUTION)
            headings[Scope.INSTITUTION] = "The hospital's own facts"
        groups: dict[str, list] = {key: [] for key in [*order, "unknown"]}
        for fact, number in self.numbered():
            key = "unknown" if fact.unknown else self.scope_of(fact)
            groups.setdefault(key, []).append((fact, number, self.scope_words(fact)))
        return [(key, headings.get(key, key), items) for key, items in groups.items() if items]

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
            # "(city centroid; city centroid)" said nothing twice: the precision only when it adds.
            detail = kind if precision == kind else f"{kind}; {precision}"
            return (
                program.latitude,
                program.longitude,
                f"at {program.site}, the site its title names ({detail}); the "
                "sponsor may train residents elsewhere too",
                program.source,
            )
        if (
            program.carms_stream_id
            and program.site
            and program.city
            and program.city != program.site
            and program.coordinates_precision == Institution.CoordinatePrecision.CITY
        ):
            # "Rural - Lethbridge": the one city its site's name names, not the site itself.
            return (
                program.latitude,
                program.longitude,
                f"city centroid of {program.city}, the city of its site “{program.site}” "
                "(not the training site itself)",
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


def _own_point(program: Program, how: str) -> bool:
    """Whether the coordinates are the program's own (its site's), not its sponsor's: the fact
    sheet then files them under the program, not "Hospital: hospital or sponsor"."""
    return how.startswith("program site") or bool(
        program.site and how.startswith(f"at {program.site},")
    )


def _placement(place: Institution, whose: str) -> str:
    """Which kind of place a sponsoring institution's point is."""
    if place.kind != Institution.Kind.SPONSOR:
        return f"at {whose}"
    if place.hospital_id:
        return f"at the sponsor's linked hospital, {place.hospital.name}"
    source = place.coordinates_source
    if (
        place.coordinates_precision == Institution.CoordinatePrecision.CITY
        and source is not None
        and source.key == "medmatch-school-cities"
    ):
        return (
            f"city centroid of {place.city or 'its city'}: the city of the school or education "
            "centre that sponsors it, not a hospital"
        )
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


def program_facts(program: Program, rules: "RuleBook | None" = None) -> FactSheet:
    """The program's facts; ``rules`` lets a caller that builds many sheets load the rule
    tables once."""
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
        scope=Scope.PROGRAM if _own_point(program, how) else Scope.INSTITUTION,
        question="Where exactly do residents train (main hospital address)?",
    )
    rules = rules if rules is not None else RuleBook.cached()
    add_length_facts(sheet, program, rules, source)
    add_work_hour_facts(sheet, program, rules, source)
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
        scope=Scope.INSTITUTION,
        scope_label=teaching_place.name,
    )
    _add_hospital_facts(sheet, institution)
    _add_hospital_data_facts(sheet, institution, program)
    _add_place_facts(sheet, place_of_program(program))
    accreditations = list(program.accreditations.all())
    for accreditation in accreditations:
        until = f", valid until {accreditation.valid_until}" if accreditation.valid_until else ""
        sheet.add(
            f"Accreditation ({accreditation.body})",
            f"{accreditation.get_status_display()}{until}",
            accreditation.source,
            scope=Scope.PROGRAM,
        )
    if not accreditations:
        sheet.add(
            "Accreditation", None, None, question="What is the program's accreditation status?"
        )
    sheet.add(
        "Website", program.url, source, url=program.url, question="Where is the program's website?"
    )
    _mark_reported(sheet, program)
    for label, value in (
        ("NRMP program code", program.nrmp_code),
        ("ACGME program id", program.acgme_id),
        ("CaRMS stream id", program.carms_stream_id),
    ):
        if value:
            sheet.add(label, value, source)
    return sheet


# The Fact label of each Program field that people may report (contributions app).
REPORTED_LABELS = {
    "length_months": "Length",
    "weekly_hours": "Weekly hours",
    "stipend_amount": "Stipend",
    "seats": "Positions",
    "application_opens": "Applications open",
    "application_deadline": "Application deadline",
    "language": "Language",
    "visa_sponsorship": "Visa sponsorship",
    "emphasis": "Teaching or service emphasis",
    "mentorship": "Mentorship",
    "research_opportunities": "Research opportunities",
    "description": "Description",
    "url": "Website",
}


def _mark_reported(sheet: FactSheet, program: Program) -> None:
    """A value reported by the program (or proposed and approved) says so, with its date and
    source instead of the import's footnote: it is the program's word, not the data file's."""
    reported = reported_values([program.pk]).get(program.pk, {})
    by_label = {REPORTED_LABELS[name]: value for name, value in reported.items()}
    for fact in sheet.facts:
        value = by_label.get(fact.label)
        if value is None or fact.unknown:
            continue
        who = (
            "reported by the program"
            if value.by_program
            else "proposed by a user, approved by staff"
        )
        fact.reported = value
        fact.source = None
        fact.scope, fact.scope_label = Scope.PROGRAM, program.institution.name
        # Keep what the fact already says beside it (e.g. the ACGME requirement for its length).
        context = f"; {fact.note}" if fact.note else ""
        fact.note = f"{who}, {value.reported_at:%Y-%m-%d}{context}"


def _add_hospital_facts(sheet: FactSheet, institution: Institution) -> None:
    """Beds, CMS stars and resident FTE of where a program trains: its institution when that is a
    hospital with the facts, else the CMS hospital its sponsor is linked to (named in a note)."""
    hospital = institution
    if institution.hospital is not None and not any(
        (institution.beds, institution.cms_star_rating, institution.resident_fte)
    ):
        hospital = institution.hospital
    # The scope label names the hospital, so a linked hospital's facts say whose they are.
    scoped = {"scope": Scope.INSTITUTION, "scope_label": hospital.name}
    sheet.add(
        "Hospital beds",
        hospital.beds,
        hospital.source if hospital.beds else None,
        question="How many beds does the main hospital have?",
        **scoped,
    )
    if (hospital.country or institution.country) == "US":
        # CMS rates US hospitals only; elsewhere the row would be a question nobody can answer.
        sheet.add(
            "CMS overall star rating",
            f"{hospital.cms_star_rating} of 5" if hospital.cms_star_rating else None,
            hospital.source if hospital.cms_star_rating else None,
            question="How does the main hospital do on quality measures?",
            **scoped,
        )
    sheet.add(
        "Resident FTE at the hospital",
        f"{hospital.resident_fte:,.1f}" if hospital.resident_fte else None,
        hospital.teaching_source if hospital.resident_fte else None,
        question="How many residents train at the main hospital?",
        **scoped,
    )


def place_of_program(program: Program) -> PlaceFacts:
    """Where the rent and setting near a program are looked up: the town its title names as its
    site when that is not the sponsor's town (site_town_place), else its institution's place."""
    place = program_places([program])[program.pk]
    return site_town_place(program, place) or place


def _add_place_facts(sheet: FactSheet, place: PlaceFacts, near: str = "program") -> None:
    """Setting (USDA RUCA) and rent near the program (HUD), scoped to the ZIP, county or town they
    describe, with the data's year; unknown when the files do not cover the place."""
    whose = {
        "linked hospital": "at the linked hospital's ZIP",
        CITY: "the program's ZIP is unknown; known by its city, where every ZIP agrees",
        SITE: "the program's own town in the program list, not its sponsor's",
    }.get(place.whose, "")
    setting = place.setting
    sheet.add(
        "Setting",
        f"{setting.label.capitalize()} (RUCA {setting.codes}: {setting.detail})"
        if setting
        else None,
        setting.source if setting else None,
        note=whose,
        scope=Scope.PLACE,
        scope_label=place.zip_label,
        as_of=RUCA_YEAR if setting else "",
        question="Is the program in a city, a town or a rural area?",
    )
    rent = place.rent
    value = None
    if rent:
        parts = []
        if rent.one_bedroom is not None:
            parts.append(f"${rent.one_bedroom:,}/month for one bedroom")
        if rent.two_bedroom is not None:
            parts.append(
                f"${rent.two_bedroom:,} for two"
                if parts
                else f"${rent.two_bedroom:,}/month for two bedrooms"
            )
        value = ", ".join(parts)
    notes = []
    if rent:
        notes.append(f"HUD Fair Market Rent, {rent.level} level, utilities included")
        if place.whose == CITY:
            notes.append("the program's ZIP is unknown; its city lies in this one area")
        if place.whose == SITE:
            notes.append(f"{place.city}, the program's own town, not its sponsor's")
        if rent.match == "HUD area fallback":
            notes.append("the hospital's town has no HUD rent of its own")
        if rent.match.endswith("higher rent"):
            notes.append("the ZIP spans two HUD areas; the higher rent shown")
    sheet.add(
        f"Rent near the {near}",
        value,
        rent.source if rent else None,
        note="; ".join(notes),
        scope=Scope.PLACE,
        scope_label=rent.area_label if rent else place.zip_label,
        as_of=rent.fiscal_year if rent else "",
        question=f"What does a one-bedroom apartment near the {near} cost?",
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
    _add_place_facts(sheet, institution_places([institution])[institution.pk], near="hospital")
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
    _add_hospital_data_facts(sheet, institution)
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


def _add_hospital_data_facts(
    sheet: FactSheet, institution: Institution, program: Program | None = None
) -> None:
    """Issue 11's hospital-level facts: teaching intensity and trend (CMS cost reports), H-1B
    evidence (DOL LCA filings, one quarter) and, for a CaRMS stream, the ODHF hospital it was
    placed at. Each is scoped to the hospital or employer it describes, with its period."""
    from medmatch.catalog import hospital_data

    trend = hospital_data.teaching_for_institutions([institution]).get(institution.pk)
    if trend is not None:
        sheet.add(
            "Teaching intensity",
            trend.sentence(),
            trend.source,
            note=trend.note(),
            scope=Scope.INSTITUTION,
            scope_label=trend.hospital_name,
            as_of=trend.period,
        )
    elif (institution.country or (program.country if program else "")) == "US":
        sheet.add(
            "Teaching intensity",
            None,
            question="How many residents train at the main hospital, and is the number growing?",
            scope=Scope.INSTITUTION,
        )
    evidence = hospital_data.h1b_for_institutions([institution]).get(institution.pk)
    if evidence is not None:
        sheet.add(
            "H-1B evidence",
            evidence.sentence(),
            evidence.source,
            note=evidence.note(),
            scope=Scope.INSTITUTION,
            scope_label=evidence.employer_label if evidence.found else evidence.checked,
            as_of=evidence.quarter,
        )
    if program is not None and program.carms_stream_id:
        site = hospital_data.sites_for_programs([program]).get(program.pk)
        if site is not None:
            hospital = site.hospital
            sheet.add(
                "Training hospital",
                f"{hospital.name}, {_place(hospital.address, hospital.city, hospital.province)}",
                site.source,
                note=f"placed by the catalog: {site.evidence}; "
                f"coordinates {hospital.get_coordinates_precision_display().lower()}",
                scope=Scope.INSTITUTION,
                scope_label=hospital.name,
                as_of="2020",
            )
