"""Open questions: generated for unknown facts and doubtful insights of shortlisted programs,
answered with a typed value that then counts in the fit explanation as the student's own."""

import pytest
from django.urls import reverse

from medmatch.goals import fitting
from medmatch.goals.models import GoalProfile
from medmatch.research.models import OpenQuestion
from medmatch.research.services import open_question_answer, open_questions_refresh
from tests.research.conftest import shortlist_for
from tests.research.factories import make_contact, make_conversation

STIPEND_GOALS = {
    "format": "medmatch-goals/1",
    "stipend": {"min_amount": 60000, "weight": 4},
    "hours": {"pace": "steady", "max_weekly_hours": 70, "weight": 3},
}


@pytest.fixture(autouse=True)
def _fresh_features():
    fitting.clear_cache()
    yield
    fitting.clear_cache()


def keys(student, program) -> set[str]:
    return set(
        OpenQuestion.objects.filter(student=student, program=program).values_list(
            "fact_key", flat=True
        )
    )


def test_it_turns_each_unknown_fact_of_a_shortlisted_program_into_one_question(alice, programs):
    program = programs["columbia_cardiology"]  # weekly hours known (62), the rest unknown
    shortlist_for(alice, program)
    open_questions_refresh(student=alice)
    open_questions_refresh(student=alice)  # idempotent
    assert keys(alice, program) == {
        "stipend",
        "length_months",
        "cost",
        "visa",
        "mentorship",
        "research",
        "emphasis",
        "accreditation",
    }
    assert OpenQuestion.objects.count() == 8


def test_it_asks_about_a_low_confidence_or_low_rated_insight(alice, programs):
    program = programs["columbia_cardiology"]
    shortlist_for(alice, program)
    contact = make_contact(alice, program, name="Sam Lee")
    make_conversation(
        contact,
        [
            ("workload", 2, "high", "Brutal ICU months"),
            ("culture", 4, "low", "Heard it is friendly"),
            ("teaching", 5, "high", "Great"),
        ],
    )
    open_questions_refresh(student=alice)
    asked = OpenQuestion.objects.filter(insight__isnull=False)
    assert sorted(q.insight.aspect for q in asked) == ["culture", "workload"]
    assert "Sam Lee on workload (rated 2 of 5)" in asked.get(insight__aspect="workload").question


def test_it_drops_an_unanswered_question_once_the_catalog_publishes_the_fact(alice, programs):
    program = programs["columbia_cardiology"]
    shortlist_for(alice, program)
    open_questions_refresh(student=alice)
    length = OpenQuestion.objects.get(fact_key="length_months")
    open_question_answer(question=length, answer="", value=36)
    program.stipend_amount = 70000
    program.length_months = 36
    program.save()
    open_questions_refresh(student=alice)
    assert "stipend" not in keys(alice, program)
    assert OpenQuestion.objects.filter(pk=length.pk, answered=True).exists()  # answers stay


def test_it_records_a_typed_answer_from_the_page(client, alice, programs):
    program = programs["columbia_cardiology"]
    (item,) = shortlist_for(alice, program)
    client.force_login(alice)
    page = client.get(reverse("research:program_questions", args=[item.pk])).content.decode()
    assert "What is the stipend" in page
    question = OpenQuestion.objects.get(fact_key="stipend")
    response = client.post(
        reverse("research:answer", args=[question.pk]),
        {f"q{question.pk}-answer": "Asked the coordinator", f"q{question.pk}-value": "65000"},
    )
    assert response.url.endswith(f"#question-{question.pk}")
    question.refresh_from_db()
    assert (question.answered, question.answer_number) == (True, 65000.0)
    assert question.answer == "Asked the coordinator"


def test_it_names_the_field_of_a_bad_value(client, alice, programs):
    shortlist_for(alice, programs["columbia_cardiology"])
    open_questions_refresh(student=alice)
    question = OpenQuestion.objects.get(fact_key="length_months")
    client.force_login(alice)
    response = client.post(
        reverse("research:answer", args=[question.pk]),
        {f"q{question.pk}-value": "500"},
        follow=True,
    )
    assert "length_months: must be at most 120." in response.content.decode()
    question.refresh_from_db()
    assert not question.answered


def test_it_changes_the_fit_explanation_when_the_stipend_is_answered(alice, programs):
    program = programs["columbia_cardiology"]
    shortlist_for(alice, program)
    GoalProfile.objects.create(student=alice, data=STIPEND_GOALS)
    open_questions_refresh(student=alice)
    before = fitting.explain_for_user(alice, [program.pk])[program.pk]
    assert any(c.sentence.startswith("Stipend unknown") for c in before.contributions)
    question = OpenQuestion.objects.get(student=alice, fact_key="stipend")
    open_question_answer(question=question, answer="From a resident", value=45000)
    after = fitting.explain_for_user(alice, [program.pk])[program.pk]
    sentences = [c.sentence for c in after.contributions]
    assert any(
        s.startswith("Stipend 45,000") and "(your own information)" in s for s in sentences
    ), sentences
    assert after.low > before.low  # the range narrowed: one unknown fewer
    # Weekly hours come from the catalog (62): not marked as the student's.
    assert any(s.startswith("Weekly hours 62") and "own" not in s for s in sentences)


def test_it_keeps_the_students_facts_to_themselves(alice, bob, programs):
    program = programs["columbia_cardiology"]
    shortlist_for(alice, program)
    for user in (alice, bob):
        GoalProfile.objects.create(student=user, data=STIPEND_GOALS)
    open_questions_refresh(student=alice)
    question = OpenQuestion.objects.get(student=alice, fact_key="stipend")
    open_question_answer(question=question, answer="", value=45000)
    sentences = [
        c.sentence for c in fitting.explain_for_user(bob, [program.pk])[program.pk].contributions
    ]
    assert any(s.startswith("Stipend unknown") for s in sentences)


def test_it_never_overrides_a_published_fact_or_changes_the_cached_features(programs):
    program = programs["columbia_cardiology"]
    features = fitting.catalog_features()
    position = features.index[program.pk]
    patched, own = fitting.apply_student_facts(
        features, {program.pk: {"weekly_hours": 40.0, "stipend": 50000.0, "has_mentorship": True}}
    )
    assert patched.weekly_hours[position] == 62  # published: kept
    assert patched.stipend[position] == 50000 and patched.has_mentorship[position] == 1
    assert own == {position: frozenset({"stipend", "objective"})}
    assert features.stipend[position] != features.stipend[position]  # still NaN in the cache
    assert patched.specialty is features.specialty  # untouched columns are shared, not copied


def test_it_reopens_an_answered_question(client, alice, programs):
    shortlist_for(alice, programs["columbia_cardiology"])
    open_questions_refresh(student=alice)
    question = OpenQuestion.objects.get(fact_key="visa")
    open_question_answer(question=question, answer="", value="j1")
    client.force_login(alice)
    client.post(reverse("research:reopen", args=[question.pk]))
    question.refresh_from_db()
    assert not question.answered and question.answer_choice == ""


def test_it_lists_questions_per_shortlisted_program(client, alice, programs):
    shortlist_for(alice, programs["columbia_cardiology"], programs["mgh_cardiology"])
    client.force_login(alice)
    page = client.get(reverse("research:questions")).content.decode()
    assert programs["mgh_cardiology"].title in page and "Columbia University" in page


@pytest.mark.parametrize(
    ("name", "method", "of"),
    [
        ("research:program_questions", "get", "item"),
        ("research:answer", "post", "question"),
        ("research:reopen", "post", "question"),
    ],
)
def test_it_hides_open_questions_from_everyone_else(alice, programs, outsiders, name, method, of):
    (item,) = shortlist_for(alice, programs["columbia_cardiology"])
    open_questions_refresh(student=alice)
    question = OpenQuestion.objects.get(fact_key="stipend")
    pk = item.pk if of == "item" else question.pk
    for who, client in outsiders.items():
        response = getattr(client, method)(reverse(name, args=[pk]), {f"q{question.pk}-value": "1"})
        assert response.status_code == 404, who
    question.refresh_from_db()
    assert not question.answered
