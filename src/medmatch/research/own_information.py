"""A student's own information, laid over the catalog's facts wherever a program's facts show.

What the student learnt answers a fact nobody published: their answers to open questions, and a
contact's rated insight, which answers the matching question (``open_questions_refresh``). The
program page, the compare table and the briefing show facts through ``with_own_information``;
the recommendations' fit reads the same answered questions (``goals.fitting.student_facts``).
Only for that student, marked "your own information"; a published fact always wins.
"""

from collections.abc import Iterable

from medmatch.catalog.facts import Fact, FactSheet, Scope
from medmatch.research.models import OpenQuestion
from medmatch.research.questions import FACTS

OWN_INFORMATION = OpenQuestion.SOURCE
# Open-question fact key -> the label of that fact on a program's fact sheet.
SHEET_LABELS = {
    "weekly_hours": "Weekly hours",
    "stipend": "Stipend",
    "length_months": "Length",
    "cost": "Cost to the trainee",
    "visa": "Visa sponsorship",
    "mentorship": "Mentorship",
    "research": "Research opportunities",
    "emphasis": "Teaching or service emphasis",
    "accreditation": "Accreditation",
}


def own_answers(user, program_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """``{program id: {fact-sheet label: the answer in words}}`` from the student's answered
    fact questions about these programs (one query; {} for an anonymous user)."""
    if user is None or not user.is_authenticated:
        return {}
    questions = (
        OpenQuestion.objects.for_student(user)
        .filter(program_id__in=list(program_ids), answered=True, insight__isnull=True)
        .select_related("program")
        .only(
            "program_id",
            "fact_key",
            "answer",
            "answer_number",
            "answer_flag",
            "answer_choice",
            "program__currency",
        )
    )
    answers: dict[int, dict[str, str]] = {}
    for question in questions:
        label = SHEET_LABELS.get(question.fact_key)
        if label is None:
            continue
        fact = FACTS[question.fact_key]
        typed = fact.show(question.typed_value, question.program.currency or "USD")
        text = question.answer.strip()
        words = f"{typed} — {text}" if typed and text and text != typed else typed or text
        if words:
            answers.setdefault(question.program_id, {})[label] = words
    return answers


def with_own_information(sheet: FactSheet, answers: dict[str, str]) -> FactSheet:
    """A new sheet with each *unknown* fact the student answered filled in and marked as their
    own information (no source cited); published facts and the sheet itself are untouched."""
    if not answers:
        return sheet
    facts = []
    for fact in sheet.facts:
        if fact.label in answers and (fact.unknown or fact.scope == Scope.RULE):
            # What the student learnt about this program outranks a rule for every program of
            # its kind; the rule stays beside it as context.
            context = f"; {fact.note}: {fact.value}" if not fact.unknown else ""
            fact = Fact(
                fact.label,
                answers[fact.label],
                None,
                note=OWN_INFORMATION + context,
                scope=Scope.STUDENT,
            )
        facts.append(fact)
    return FactSheet(facts, subject=sheet.subject)


def own_fact_sheet(user, program, sheet: FactSheet) -> FactSheet:
    """``sheet`` (the program's facts) with this student's own information over it."""
    return with_own_information(sheet, own_answers(user, [program.pk]).get(program.pk, {}))
