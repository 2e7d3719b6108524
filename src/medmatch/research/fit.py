"""The fit explanation of one program for one student, when the goals app can give one, and
the student's answered open questions as facts for the fit (``answered_facts``, registered with
``goals.fitting.register_student_facts`` in ``ResearchConfig.ready``)."""

from dataclasses import dataclass
from typing import Any

from medmatch.catalog.models import Program
from medmatch.goals.fitting import STUDENT_FACT_ROWS, explain_for_user, usd
from medmatch.research.models import OpenQuestion


@dataclass(frozen=True)
class ProgramFit:
    total: int
    low: int
    high: int
    excluded: bool
    known: list  # Contribution, known or failed deal-breakers
    unknown: list  # Contribution, unknown

    @property
    def earned(self) -> float:
        """Sum of the known parts (weight x score), in the units of the weights."""
        return sum(c.earned for c in self.known if c.weight)

    @property
    def possible(self) -> float:
        """Sum of the weights of the known criteria: the score is 100 x earned / possible."""
        return sum(c.weight for c in self.known if c.weight)


def explain_program(user, program: Program) -> ProgramFit | None:
    """The student's fit for this program (with their own facts), or None without goals."""
    explanation = explain_for_user(user, [program.pk]).get(program.pk)
    if explanation is None:
        return None
    return ProgramFit(
        total=round(explanation.total),
        low=round(explanation.low),
        high=round(explanation.high),
        excluded=explanation.excluded,
        known=[c for c in explanation.contributions if c.status != "unknown"],
        unknown=[c for c in explanation.contributions if c.status == "unknown"],
    )


def answered_facts(user) -> dict[int, dict[str, Any]]:
    """``{program id: {fit row key: value}}`` from the student's answered open questions.

    Amounts are taken in the program's currency (as the question asks) and converted like the
    catalog's (``USD_PER``); a fact with no fit row (accreditation) is left out. One query.
    """
    facts: dict[int, dict[str, Any]] = {}
    for question in (
        OpenQuestion.objects.for_student(user)
        .answered_facts()
        .select_related("program")
        .only(
            "program_id",
            "fact_key",
            "answer_number",
            "answer_flag",
            "answer_choice",
            "program__currency",
        )
    ):
        if question.fact_key not in STUDENT_FACT_ROWS:
            continue
        key = STUDENT_FACT_ROWS[question.fact_key][0]
        value = question.typed_value
        if key in ("stipend", "cost"):
            value = usd(value, question.program.currency)
        if value is not None:
            facts.setdefault(question.program_id, {})[key] = value
    return facts
