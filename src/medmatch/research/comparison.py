"""The compare page's data: catalog facts, the student's own notes, and (with goals) the fit.

The fit comes from ``medmatch.goals.fitting.explain_for_user`` when the student has goals;
without goals the page still compares facts, notes and ratings.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from medmatch.catalog.facts import Fact, program_facts
from medmatch.catalog.models import Accreditation, Program
from medmatch.goals.fitting import explain_for_user
from medmatch.research.models import ShortlistItem
from medmatch.research.own_information import own_answers, with_own_information

COLUMN_LETTERS = "ABCD"
# The column headings already name the program and its institution.
_HEADING_FACTS = {"Program", "Institution"}
_INSTITUTION_RELATED = ("source", "coordinates_source", "teaching_source")


@dataclass
class Column:
    letter: str
    item: ShortlistItem
    program: Program
    explanation: Any = None  # medmatch.fit.Explanation, or None without goals

    @property
    def chart_label(self) -> str:
        # Headed by the institution: four "Internal Medicine" columns are told apart by where.
        name = self.program.institution.name
        return f"{self.letter}. {name if len(name) <= 30 else name[:29] + '…'}"


@dataclass
class Comparison:
    columns: list[Column]
    fact_rows: list[tuple[str, list[Fact | None]]]
    has_fit: bool = False
    criteria: list[tuple[str, str]] = field(default_factory=list)  # (criterion, label)
    # criterion -> one cell per column: {"score": 0..100 or None, "status", "sentence"}
    scores: dict[str, list[dict | None]] = field(default_factory=dict)

    @property
    def score_rows(self) -> list[tuple[str, list[dict | None]]]:
        return [(label, self.scores[criterion]) for criterion, label in self.criteria]

    def chart_data(self) -> dict:
        """Plain data for the chart; an unknown score is None (a gap), never 0."""
        return {
            "labels": [label for _, label in self.criteria],
            "datasets": [
                {
                    "label": column.chart_label,
                    "title": f"{column.program.title} — {column.program.institution.name}",
                    "data": [
                        (self.scores[criterion][i] or {}).get("score")
                        for criterion, _ in self.criteria
                    ],
                }
                for i, column in enumerate(self.columns)
            ],
        }


def _programs(ids: list[int]) -> dict[int, Program]:
    related = (
        "source",
        "specialty__source",
        *(f"institution__{name}" for name in _INSTITUTION_RELATED),
        *(f"institution__hospital__{name}" for name in _INSTITUTION_RELATED),
    )
    programs = (
        Program.objects.filter(pk__in=ids)
        .select_related(*related)
        .prefetch_related(
            Prefetch("accreditations", Accreditation.objects.select_related("source"))
        )
    )
    return {program.pk: program for program in programs}


def build_comparison(user, items: list[ShortlistItem]) -> Comparison:
    programs = _programs([item.program_id for item in items])
    columns = [
        Column(letter, item, programs[item.program_id])
        for letter, item in zip(COLUMN_LETTERS, items, strict=False)
    ]
    answers = own_answers(user, [column.program.pk for column in columns])
    sheets = [
        with_own_information(program_facts(column.program), answers.get(column.program.pk, {}))
        for column in columns
    ]
    # One row per fact label, in the order the programs list them; a missing fact is unknown.
    labels = list(
        dict.fromkeys(
            fact.label
            for sheet in sheets
            for fact in sheet.facts
            if fact.label not in _HEADING_FACTS
        )
    )
    fact_rows = [
        (label, [next((f for f in sheet.facts if f.label == label), None) for sheet in sheets])
        for label in labels
    ]
    comparison = Comparison(columns=columns, fact_rows=fact_rows)
    explanations = explain_for_user(user, [c.program.pk for c in columns])
    if explanations:
        _add_fit(comparison, explanations)
    return comparison


def _add_fit(comparison: Comparison, explanations: dict) -> None:
    comparison.has_fit = True
    for column in comparison.columns:
        column.explanation = explanations.get(column.program.pk)
    criteria: dict[str, str] = {}
    for column in comparison.columns:
        for contribution in getattr(column.explanation, "contributions", ()):
            criteria.setdefault(contribution.criterion, contribution.label)
    comparison.criteria = list(criteria.items())
    for criterion in criteria:
        cells = []
        for column in comparison.columns:
            found = next(
                (
                    c
                    for c in getattr(column.explanation, "contributions", ())
                    if c.criterion == criterion
                ),
                None,
            )
            if found is None:
                cells.append(None)
                continue
            known = found.status != "unknown" and found.score is not None
            cells.append(
                {
                    "score": round(found.score * 100, 1) if known else None,
                    "status": found.status,
                    "sentence": found.sentence,
                }
            )
        comparison.scores[criterion] = cells
