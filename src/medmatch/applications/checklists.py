"""The checklist a new application starts with, editable afterwards.

What each clearinghouse asks for (ERAS for US residency tracks, CaRMS for Canadian streams) comes
from their applicant guides: ERAS takes 3 to 4 letters per program, a photo, USMLE/COMLEX
transcripts (sent through the NBME/NBOME), and charges per program applied to, so the fee is left
unknown rather than guessed. Other programs (rotations, research placements...) get a short
generic list. Due dates are left empty: a requirement is due with the application.
"""

from medmatch.applications.models import Requirement
from medmatch.catalog.models import Program

Kind = Requirement.Kind

ERAS = [
    (Kind.DOCUMENT, "ERAS application (MyERAS) completed and certified"),
    (Kind.DOCUMENT, "Personal statement"),
    (Kind.DOCUMENT, "CV (ERAS experiences section)"),
    (Kind.LETTER, "Letter of recommendation 1"),
    (Kind.LETTER, "Letter of recommendation 2"),
    (Kind.LETTER, "Letter of recommendation 3 (ERAS takes up to 4)"),
    (Kind.EXAM, "USMLE/COMLEX transcript released"),
    (Kind.DOCUMENT, "MSPE (dean's letter) and medical school transcript"),
    (Kind.DOCUMENT, "Photo"),
    (Kind.FEE, "ERAS application fee"),
]

CARMS = [
    (Kind.DOCUMENT, "CaRMS application completed and assigned"),
    (Kind.DOCUMENT, "Personal letter"),
    (Kind.DOCUMENT, "CV"),
    (Kind.LETTER, "Reference letter 1"),
    (Kind.LETTER, "Reference letter 2"),
    (Kind.LETTER, "Reference letter 3"),
    (Kind.EXAM, "Exam results (MCCQE / USMLE) and medical school transcript"),
    (Kind.DOCUMENT, "MSPR (dean's letter)"),
    (Kind.DOCUMENT, "Photo"),
    (Kind.FEE, "CaRMS application fee"),
]

GENERIC = [
    (Kind.DOCUMENT, "Application form"),
    (Kind.DOCUMENT, "CV"),
    (Kind.DOCUMENT, "Cover letter or statement"),
    (Kind.LETTER, "Letter of recommendation"),
    (Kind.EXAM, "Transcript"),
    (Kind.FEE, "Application fee"),
]


def default_checklist(program: Program) -> list[tuple[str, str]]:
    """(kind, title) pairs for a new application to ``program``."""
    if program.program_type != Program.ProgramType.RESIDENCY:
        return list(GENERIC)
    if program.carms_stream_id or program.country == "CA":
        return list(CARMS)
    return list(ERAS)
