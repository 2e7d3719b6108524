"""The facts a student can ask about, and which of them a program leaves unknown.

Each ``Fact`` names a catalog field, the question to ask, and the kind of typed answer that makes
it the student's own information for the fit score (``medmatch.goals.fitting.student_facts``).
A fact with ``kind="text"`` is answered in words only and does not enter the score.
"""

from dataclasses import dataclass

from medmatch.catalog.models import Program


@dataclass(frozen=True)
class Fact:
    key: str
    label: str
    question: str
    kind: str  # "number", "flag", "choice" or "text"
    unit: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple[tuple[str, str], ...] = ()

    def is_unknown(self, program: Program) -> bool:
        return UNKNOWN_WHEN[self.key](program)

    def show(self, value, currency: str = "") -> str:
        """A typed answer in words: "60 hours a week", "Yes", "J-1 only"."""
        if value is None or value == "":
            return ""
        if self.kind == "flag":
            return "Yes" if value else "No"
        if self.kind == "choice":
            return dict(self.choices).get(value, value)
        unit = self.unit.replace("{currency}", currency or "USD")
        return f"{value:,.0f} {unit}".strip()


FACTS = {
    fact.key: fact
    for fact in (
        Fact(
            "weekly_hours",
            "Weekly hours",
            "How many hours a week do residents actually work, on average and at peak?",
            "number",
            "hours a week",
            0,
            168,
        ),
        Fact(
            "stipend",
            "Stipend",
            "What is the stipend, and what benefits come with it?",
            "number",
            "{currency} a year",
            0,
            10_000_000,
        ),
        Fact(
            "length_months",
            "Length",
            "How long is the program?",
            "number",
            "months",
            1,
            120,
        ),
        Fact(
            "cost",
            "Cost to the trainee",
            "Are there fees or costs for the trainee?",
            "number",
            "{currency} a year",
            0,
            10_000_000,
        ),
        Fact(
            "visa",
            "Visa sponsorship",
            "Does the program sponsor J-1 or H-1B visas?",
            "choice",
            choices=tuple(Program.Visa.choices),
        ),
        Fact(
            "mentorship",
            "Mentorship structure",
            "How is mentorship organised — who mentors residents, and how often do you meet?",
            "flag",
        ),
        Fact(
            "research",
            "Research opportunities",
            "What research time and support do residents get?",
            "flag",
        ),
        Fact(
            "emphasis",
            "Teaching or service emphasis",
            "How is time split between teaching and service work?",
            "choice",
            choices=tuple(Program.Emphasis.choices),
        ),
        Fact(
            "accreditation",
            "Accreditation",
            "What is the program's accreditation status?",
            "text",
        ),
    )
}

UNKNOWN_WHEN = {
    "weekly_hours": lambda p: p.weekly_hours is None,
    "stipend": lambda p: p.stipend_amount is None,
    "length_months": lambda p: p.length_months is None,
    "cost": lambda p: p.cost_amount is None,
    "visa": lambda p: not p.visa_sponsorship,
    "mentorship": lambda p: not p.mentorship.strip(),
    "research": lambda p: not p.research_opportunities.strip(),
    "emphasis": lambda p: not p.emphasis,
    # Accreditations are prefetched by the callers that ask; no query per fact otherwise.
    "accreditation": lambda p: not p.accreditations.all(),
}

INSIGHT = "insight"


def unknown_facts(program: Program) -> list[Fact]:
    return [fact for fact in FACTS.values() if fact.is_unknown(program)]


def insight_question(insight) -> str:
    aspect = insight.get_aspect_display().lower()
    why = "you were not sure" if insight.confidence == "low" else f"rated {insight.rating} of 5"
    return (
        f"{insight.conversation.contact.name} on {aspect} ({why}): is that so? "
        f"Ask another resident or at the interview."
    )
