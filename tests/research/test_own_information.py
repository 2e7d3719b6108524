"""A student's own information (answered questions, a contact's settled rating) fills the facts
nobody published on the program page, in compare, in the briefing and in the fit alike, for that
student only."""

import pytest
from django.urls import reverse

from medmatch.goals import fitting
from medmatch.goals.models import GoalProfile
from medmatch.research.models import OpenQuestion
from medmatch.research.services import (
    conversation_save,
    open_question_answer,
    open_questions_refresh,
)
from tests.research.conftest import shortlist_for
from tests.research.factories import make_application, make_contact

VISA_GOALS = {"format": "medmatch-goals/1", "visa": {"needed": "j1", "weight": 5}}


@pytest.fixture(autouse=True)
def _fresh_features():
    fitting.clear_cache()
    yield
    fitting.clear_cache()


@pytest.fixture
def answered_visa(alice, programs):
    """alice heard that Columbia cardiology (visa unknown in the catalog) sponsors J-1."""
    program = programs["columbia_cardiology"]
    shortlist_for(alice, program)
    open_questions_refresh(student=alice)
    question = OpenQuestion.objects.get(student=alice, program=program, fact_key="visa")
    open_question_answer(question=question, answer="Asked the coordinator", value="j1")
    return program


def _visa_cell(html: str) -> str:
    start = html.index("Visa sponsorship")
    return html[start : start + 400]


def test_it_shows_an_answered_fact_on_the_program_page_for_that_student_only(
    client, alice, bob, answered_visa
):
    client.force_login(alice)
    page = client.get(reverse("catalog:program", args=[answered_visa.pk])).text
    cell = _visa_cell(page)
    assert "J-1" in cell and "your own information" in cell
    assert "How is" not in cell
    client.force_login(bob)
    other_page = client.get(reverse("catalog:program", args=[answered_visa.pk])).text
    other = _visa_cell(other_page)
    # For bob it is one of the unknown facts (listed by name in the "Not known yet" group).
    unknown = other_page[other_page.index('id="facts-unknown-h"') :]
    assert "your own information" not in other and "<li>Visa sponsorship</li>" in unknown


def test_it_shows_an_answered_fact_in_compare(client, alice, programs, answered_visa):
    items = [
        shortlist_for(alice, programs["mgh_cardiology"])[0],
        alice.shortlist_items.get(program=answered_visa),
    ]
    client.force_login(alice)
    response = client.get(reverse("research:compare"), {"item": [i.pk for i in items]})
    rows = dict(response.context["comparison"].fact_rows)
    cells = rows["Visa sponsorship"]
    own = cells[1]
    assert own.value.startswith("J-1") and own.note == "your own information"


def test_it_shows_an_answered_fact_in_the_briefing(client, alice, answered_visa):
    application = make_application(alice, answered_visa)
    client.force_login(alice)
    response = client.get(reverse("research:briefing", args=[application.pk]))
    facts = {f.label: f for f in response.context["briefing"].sheet.facts}
    assert facts["Visa sponsorship"].note == "your own information"
    assert not facts["Visa sponsorship"].unknown


def test_it_moves_the_fit_with_an_answered_fact(alice, programs, answered_visa):
    GoalProfile.objects.create(student=alice, data=VISA_GOALS)
    explanation = fitting.explain_for_user(alice, [answered_visa.pk])[answered_visa.pk]
    visa = next(c for c in explanation.contributions if c.criterion == "visa")
    assert visa.status == "known" and visa.earned == 5
    assert "your own information" in visa.fact
    assert explanation.total == 100


def test_it_closes_the_mentorship_question_with_a_contacts_settled_rating(alice, programs):
    program = programs["columbia_cardiology"]  # mentorship not published
    shortlist_for(alice, program)
    open_questions_refresh(student=alice)
    assert not OpenQuestion.objects.get(fact_key="mentorship").answered
    contact = make_contact(alice, program, name="Sam Lee")
    conversation_save(
        contact=contact,
        insights={"mentorship": {"rating": 4, "confidence": "high", "note": "Weekly 1:1s"}},
        date="2025-10-02",
        channel="video",
    )
    question = OpenQuestion.objects.get(fact_key="mentorship")
    assert question.answered and question.answer_flag is True
    assert question.answer == "Sam Lee rated mentorship 4 of 5: Weekly 1:1s"
    # It feeds the fit like any answer of the student's.
    assert fitting.student_facts(alice)[program.pk]["has_mentorship"] is True


def test_it_leaves_the_question_open_for_a_doubtful_rating(alice, programs):
    program = programs["columbia_cardiology"]
    shortlist_for(alice, program)
    contact = make_contact(alice, program, name="Sam Lee")
    conversation_save(
        contact=contact,
        insights={"mentorship": {"rating": 4, "confidence": "low", "note": "Heard so"}},
        date="2025-10-02",
        channel="video",
    )
    assert not OpenQuestion.objects.get(fact_key="mentorship", insight__isnull=True).answered


def test_it_writes_the_fit_as_a_sum_of_its_parts(client, alice, programs, answered_visa):
    from medmatch.research.fit import explain_program

    GoalProfile.objects.create(
        student=alice,
        data={**VISA_GOALS, "hours": {"pace": "steady", "max_weekly_hours": 70, "weight": 3}},
    )
    fit = explain_program(alice, answered_visa)
    assert fit.possible == 8  # visa 5 (her own information) + hours 3 (62 h published)
    assert round(100 * fit.earned / fit.possible) == fit.total
    item = alice.shortlist_items.get(program=answered_visa)
    client.force_login(alice)
    page = client.get(reverse("research:program_questions", args=[item.pk])).text
    assert "<strong>79</strong> of 100" in page  # 100 x 6.3 / 8
    assert "Score = 100 \u00d7 6.3 \u00f7 8" in page
    assert "Sponsors J-1 (you need J-1) (your own information): 5.0 of 5" in page
