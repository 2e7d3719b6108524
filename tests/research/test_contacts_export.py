"""The account export carries contacts, conversations, insights, reviews and open questions;
deleting the account deletes them all (reviews too: see ResearchConfig.export_user_data)."""

from medmatch.accounts.services import account_delete, account_export
from medmatch.research.models import Contact, Insight, OpenQuestion, Review
from medmatch.research.services import open_question_answer, open_questions_refresh
from tests.research.conftest import shortlist_for
from tests.research.factories import make_contact, make_conversation, make_review


def test_it_exports_and_deletes_everything_the_student_gathered(alice, bob, programs):
    program = programs["columbia_cardiology"]
    shortlist_for(alice, program)
    contact = make_contact(alice, program, name="Sam Lee")
    make_conversation(contact, [("teaching", 5, "high", "Superb")])
    make_review(alice, program, text="My review")
    make_review(bob, programs["mgh_cardiology"], text="Bob's")
    open_questions_refresh(student=alice)
    open_question_answer(
        question=OpenQuestion.objects.get(fact_key="stipend"), answer="", value=61000
    )
    data = account_export(user=alice)["research"]
    assert data["contacts"][0]["name"] == "Sam Lee"
    assert data["contacts"][0]["conversations"][0]["insights"] == [
        {"aspect": "teaching", "rating": 5, "note": "Superb", "confidence": "high"}
    ]
    assert [r["text"] for r in data["reviews"]] == ["My review"]
    stipend = next(q for q in data["open_questions"] if q["fact_key"] == "stipend")
    assert (stipend["value"], stipend["source"]) == (61000.0, "your own information")

    account_delete(user=alice)
    assert not Contact.objects.exists() and not Insight.objects.exists()
    assert not OpenQuestion.objects.exists()
    assert list(Review.objects.values_list("text", flat=True)) == ["Bob's"]
