"""The account export holds alice's own questions, practice attempts, interviews, impressions and
thank-you drafts; deleting the account (or the application) takes them with it."""

import pytest
from django.apps import apps

from medmatch.accounts.services import account_delete
from medmatch.interviews.models import Impression, Interview, PracticeAttempt, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_data(alice, interview):
    question = Question.objects.create(student=alice, category="ethics", text="Own question")
    PracticeAttempt.objects.create(student=alice, question=question, seconds_taken=61)
    builtin = Question.objects.get(key="Q001")
    attempt = PracticeAttempt(student=alice, question=builtin, seconds_taken=30, answer="Hi.")
    attempt.run_check()
    attempt.save()
    Impression.objects.create(interview=interview, overall=4, notes="Kind people.")
    interview.thank_you_note = "Dear Dr. Lovelace"
    interview.save()
    return interview


def test_it_exports_everything_of_alices(alice, bob, alices_data):
    data = apps.get_app_config("interviews").export_user_data(alice)
    assert [q["text"] for q in data["questions"]] == ["Own question"]
    assert [a["seconds_taken"] for a in data["practice_attempts"]] == [61, 30]
    assert data["practice_attempts"][1]["question_key"] == "Q001"
    assert data["practice_attempts"][1]["feedback"]["word_count"] == 1
    (interview,) = data["interviews"]
    assert interview["time_zone"] == "America/New_York"
    assert interview["thank_you_note"] == "Dear Dr. Lovelace"
    assert interview["impression"]["overall"] == 4 and interview["impression"]["culture"] is None
    assert apps.get_app_config("interviews").export_user_data(bob) == {
        "questions": [],
        "practice_attempts": [],
        "interviews": [],
    }


def test_it_deletes_everything_with_the_account(alice, alices_data):
    account_delete(user=alice)
    assert not Question.objects.filter(student__isnull=False).exists()
    assert Question.objects.built_in().count() == 38  # the bank stays
    assert not PracticeAttempt.objects.exists()
    assert not Interview.objects.exists() and not Impression.objects.exists()


def test_it_deletes_interviews_with_their_application(alices_data):
    alices_data.application.delete()
    assert not Interview.objects.exists() and not Impression.objects.exists()
