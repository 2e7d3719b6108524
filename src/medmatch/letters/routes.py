"""Where a letter of recommendation must go to reach a program: the route, decided per application
from the program's catalog source.

Programs never read letters from medmatch: US residency programs take them only through ERAS's
Letter Writer Portal, or, for Emergency Medicine and Obstetrics and Gynecology from the 2025-26
application cycle, through ResidencyCAS; Canadian programs through CaRMS's referee process. The
medmatch upload link is for a program that takes letters outside these services and for a
student who wants a copy of a letter they did not waive.

Sources: the ERAS applicant guide, "Letters of recommendation" (letters reach programs only
through the LoR Portal, with the Letter ID from the Letter Request Form made in MyERAS); the
AAMC's LoR Portal page (https://www.aamc.org/services/eras-for-institutions/lor-portal); the
specialty societies' announcements of the move of Emergency Medicine (CORD) and Obstetrics and
Gynecology (APGO/CREOG) to ResidencyCAS for the 2025-26 cycle; CaRMS's referee instructions.

The rule, first match wins:

=======================================  ===========================  ======================
catalog source of the program            ACGME specialty              route
=======================================  ===========================  ======================
NRMP / ACGME (or an NRMP/ACGME id)       110 Emergency Medicine,      ResidencyCAS
                                         220 Obstetrics & Gynecology
NRMP / ACGME (or an NRMP/ACGME id)       any other                    ERAS
CaRMS (or a CaRMS stream id)             any                          CaRMS referee
anything else, or not a residency        any                          ask the program
=======================================  ===========================  ======================
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    key: str
    service: str  # "" for the program's own process
    # What the recommender does, for the packet and the emails (``{student}`` is filled in).
    for_recommender: str
    # What the student does so the recommender can upload.
    for_student: str
    source_url: str


ERAS = Route(
    key="eras",
    service="ERAS",
    for_recommender=(
        "Upload it to ERAS through the AAMC's Letter Writer Portal, with the Letter ID that "
        "{student} gives you (from the Letter Request Form in MyERAS). One upload serves every "
        "ERAS program {student} assigns it to."
    ),
    for_student=(
        "Create a letter request in MyERAS, record its Letter ID here and send it to your "
        "recommender (the email and packet include it)."
    ),
    source_url="https://students-residents.aamc.org/applying-residencies-eras/publication-chapters/letters-recommendation",
)
RESIDENCYCAS = Route(
    key="residencycas",
    service="ResidencyCAS",
    for_recommender=(
        "Upload it through ResidencyCAS: when {student} lists you as an evaluator there, "
        "ResidencyCAS (Liaison) emails you a request with its own upload link."
    ),
    for_student=(
        "Add your recommender as an evaluator in ResidencyCAS (Emergency Medicine and "
        "Obstetrics and Gynecology programs moved there from ERAS for the 2025-26 cycle)."
    ),
    source_url="https://help.liaisonedu.com/ResidencyCAS_Applicant_Help_Center",
)
CARMS = Route(
    key="carms",
    service="CaRMS",
    for_recommender=(
        "Submit it through CaRMS: when {student} names you as a referee in CaRMS Online, CaRMS "
        "emails you how to upload the reference letter."
    ),
    for_student="Name your recommender as a referee in CaRMS Online.",
    source_url="https://www.carms.ca/",
)
PROGRAM = Route(
    key="program",
    service="",
    for_recommender=(
        "This program takes letters outside ERAS, ResidencyCAS and CaRMS: {student} will tell "
        "you how it wants them. Until then you can upload it through the personal medmatch link."
    ),
    for_student="Ask the program how it takes letters, and tell your recommender.",
    source_url="",
)
ROUTES = {route.key: route for route in (ERAS, RESIDENCYCAS, CARMS, PROGRAM)}

US_SOURCES = frozenset({"nrmp-programs", "nrmp-institutions", "acgme-program-locations"})
CANADIAN_SOURCES = frozenset({"carms-programs"})
# ACGME specialty codes whose programs take letters through ResidencyCAS (2025-26 cycle on).
RESIDENCYCAS_SPECIALTIES = frozenset({"110", "220"})


def route_for(program) -> Route:
    """The route a letter takes to ``program`` (a catalog Program), by the table above."""
    if program.program_type != "residency":
        return PROGRAM
    source_key = program.source.key if program.source_id else ""
    if source_key in US_SOURCES or program.nrmp_code or program.acgme_id:
        specialty = program.specialty
        if (
            specialty is not None
            and specialty.system == "acgme"
            and specialty.code in RESIDENCYCAS_SPECIALTIES
        ):
            return RESIDENCYCAS
        return ERAS
    if source_key in CANADIAN_SOURCES or program.carms_stream_id:
        return CARMS
    return PROGRAM


def routes_for(applications) -> list[tuple[Route, list]]:
    """The routes of ``applications`` in a fixed order, each with its applications."""
    grouped: dict[str, list] = {}
    for application in applications:
        grouped.setdefault(route_for(application.program).key, []).append(application)
    return [(ROUTES[key], grouped[key]) for key in ROUTES if key in grouped]


def services_of(applications) -> list[str]:
    """The names of the services the letter goes through ("ERAS", "CaRMS"...)."""
    return [route.service for route, _ in routes_for(applications) if route.service]


def needs_medmatch_link(applications, *, waived: bool) -> bool:
    """Whether the recommender needs the medmatch upload link: for a program outside the
    services, a request with no program yet, or a copy of a letter the student did not waive. A
    waived letter for service programs only is never uploaded to medmatch: nobody reads it
    there, and a confidential letter should not sit on one more server."""
    routes = routes_for(applications)
    return not waived or not routes or any(route is PROGRAM for route, _ in routes)


@dataclass(frozen=True)
class Instruction:
    route: Route
    heading: str  # "ERAS", "ResidencyCAS", "CaRMS" or "Other programs"
    programs: list[str]
    text: str


def instructions(applications, *, student_name: str, letter_id: str = "") -> list[Instruction]:
    """How the recommender sends the letter, one entry per route of ``applications``."""
    out = []
    for route, chosen in routes_for(applications):
        text = route.for_recommender.format(student=student_name)
        if route is ERAS:
            if letter_id:
                text = text.replace(
                    f"the Letter ID that {student_name} gives you", f"Letter ID {letter_id}"
                )
            text += " Portal: https://www.aamc.org/services/eras-for-institutions/lor-portal"
        programs = [f"{a.program.title}, {a.program.institution.name}" for a in chosen]
        out.append(Instruction(route, route.service or "Other programs", programs, text))
    return out


def medmatch_link_use(applications) -> str:
    """What the medmatch upload link is for: "program" when some program (or no program yet)
    takes the letter outside the services, else "copy" (the student's copy)."""
    routes = routes_for(applications)
    return "program" if not routes or any(r is PROGRAM for r, _ in routes) else "copy"
