"""The fit explanation of one program for one student, when the goals app can give one."""

from dataclasses import dataclass

from medmatch.catalog.models import Program


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
    from medmatch.goals.fitting import explain_for_user

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
