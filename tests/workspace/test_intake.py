"""Listing upkeep: a program's staff say how it takes applications in medmatch (dates, letters
1 to 4, statement, documents, signals, instructions) and keep its questions (add, reorder,
retire; never delete an answered one). Everyone else gets 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from medmatch.workspace.models import Intake, IntakeQuestion
from medmatch.workspace.submitting import SubmitError, question_delete
from tests.catalog.factories import make_program
from tests.workspace.conftest import submit
from tests.workspace.submit_factories import logged_in

TODAY = timezone.localdate()


def _intake_url(program) -> str:
    return reverse("workspace:intake", args=[program.pk])


def _intake_data(**overrides) -> dict:
    data = {
        "is_open": "on",
        "opens_on": (TODAY - datetime.timedelta(days=5)).isoformat(),
        "deadline": (TODAY + datetime.timedelta(days=20)).isoformat(),
        "rank_deadline": (TODAY + datetime.timedelta(days=90)).isoformat(),
        "letters_required": "2",
        "requires_statement": "on",
        "documents": ["transcript", "mspe"],
        "uses_signals": "on",
        "instructions": "Send your MSPE as soon as your school releases it.",
    }
    data.update(overrides)
    return data


def test_staff_keep_the_intake(world, erin):
    client = logged_in(erin)
    page = client.get(_intake_url(world["medicine"]))
    assert page.status_code == 200
    # Positions and the other facts are kept with the listing: the page links there.
    assert reverse("contributions:edit", args=[world["medicine"].pk]).encode() in page.content
    response = client.post(_intake_url(world["medicine"]), _intake_data())
    assert response.status_code == 302
    intake = Intake.objects.get(program=world["medicine"])
    assert intake.letters_required == 2 and intake.uses_signals and intake.is_open
    assert intake.documents == ["mspe", "transcript"]  # in the catalog's order, once each
    assert intake.instructions.startswith("Send your MSPE")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"letters_required": "5"}, "less than or equal to 4"),
        ({"letters_required": "0"}, "greater than or equal to 1"),
        ({"letters_required": "٣"}, "Enter a whole number"),
        ({"letters_required": "10000000000000000000000"}, "less than or equal to 4"),
        ({"opens_on": (TODAY + datetime.timedelta(days=30)).isoformat()}, "before the opening"),
        (
            {"rank_deadline": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "before the application deadline",
        ),
        ({"deadline": "9999-12-31"}, "is not between 1900 and 2100"),
        ({"documents": ["passport"]}, "Select a valid choice"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message(world, erin, overrides, message):
    before = Intake.objects.get(program=world["medicine"])
    response = logged_in(erin).post(_intake_url(world["medicine"]), _intake_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    after = Intake.objects.get(program=world["medicine"])
    assert (after.letters_required, after.deadline, after.documents) == (
        before.letters_required,
        before.deadline,
        before.documents,
    )


def test_an_empty_deadline_means_rolling_applications(world, erin):
    response = logged_in(erin).post(_intake_url(world["medicine"]), _intake_data(deadline=""))
    assert response.status_code == 302
    intake = Intake.objects.get(program=world["medicine"])
    assert intake.deadline is None and intake.accepts_on(TODAY + datetime.timedelta(days=400))


def test_a_program_without_an_intake_gets_one_closed_until_opened(world, erin):
    listing = make_program("Transitional Year", institution=world["rush"])
    client = logged_in(erin)
    page = client.get(_intake_url(listing))
    assert page.status_code == 200 and not Intake.objects.filter(program=listing).exists()
    url = reverse("workspace:intake_question_add", args=[listing.pk])
    client.post(url, {"question-text": "Why us?", "question-max_words": "200"})
    intake = Intake.objects.get(program=listing)
    assert not intake.is_open and [q.text for q in intake.questions.all()] == ["Why us?"]


def _question_url(name, question) -> str:
    return reverse(f"workspace:{name}", args=[question.intake.program_id, question.pk])


def test_staff_add_reorder_and_retire_questions(world, erin):
    client = logged_in(erin)
    add = reverse("workspace:intake_question_add", args=[world["medicine"].pk])
    for text in ("First?", "Second?", "Third?"):
        data = {"question-text": text, "question-required": "on", "question-max_words": "150"}
        assert client.post(add, data).status_code == 302
    intake = world["medicine"].intake
    first, second, third = intake.questions.all()
    assert (first.max_words, first.required) == (150, True)
    client.post(_question_url("intake_question_move", third), {"direction": "up"})
    assert [q.text for q in intake.questions.all()] == ["First?", "Third?", "Second?"]
    client.post(_question_url("intake_question_move", first), {"direction": "up"})  # at the top
    client.post(_question_url("intake_question_move", first), {"direction": "sideways"})
    assert [q.text for q in intake.questions.all()] == ["First?", "Third?", "Second?"]
    client.post(_question_url("intake_question_retire", second), {"retired": "1"})
    second.refresh_from_db()
    assert second.retired
    client.post(_question_url("intake_question_retire", second), {"retired": "0"})
    second.refresh_from_db()
    assert not second.retired


def test_it_refuses_a_bad_question(world, erin):
    add = reverse("workspace:intake_question_add", args=[world["medicine"].pk])
    client = logged_in(erin)
    for data, message in [
        ({"question-text": "", "question-max_words": "100"}, "This field is required."),
        ({"question-text": "Why?", "question-max_words": "5"}, "greater than or equal to 10"),
        ({"question-text": "Why?", "question-max_words": "9000"}, "less than or equal to 2000"),
        ({"question-text": "Why\nnow?", "question-max_words": "100"}, "Question: "),
    ]:
        response = client.post(add, data)
        assert response.status_code == 400 and message in response.content.decode(), data
    assert not IntakeQuestion.objects.exists()


def test_an_answered_question_is_retired_never_deleted(world, erin, alice):
    intake = world["medicine"].intake
    answered = IntakeQuestion.objects.create(intake=intake, text="Answered?")
    unanswered = IntakeQuestion.objects.create(intake=intake, text="Unanswered?")
    submission = submit(alice, world["medicine"])
    version = submission.current_version
    version.answers = [{"question_id": answered.pk, "question": "Answered?", "answer": "Yes."}]
    version.save()
    client = logged_in(erin)
    response = client.post(_question_url("intake_question_delete", answered), follow=True)
    assert b"cannot be deleted. Retire it instead" in response.content
    assert IntakeQuestion.objects.filter(pk=answered.pk).exists()
    with pytest.raises(SubmitError):
        question_delete(question=answered)
    client.post(_question_url("intake_question_delete", unanswered))
    assert not IntakeQuestion.objects.filter(pk=unanswered.pk).exists()


def test_everyone_else_gets_a_404(world, gina, frank, alice, erin):
    question = IntakeQuestion.objects.create(intake=world["medicine"].intake, text="Why?")
    before = Intake.objects.get(program=world["medicine"]).updated_at
    posts = [
        (_intake_url(world["medicine"]), _intake_data(letters_required="4")),
        (
            reverse("workspace:intake_question_add", args=[world["medicine"].pk]),
            {"question-text": "Injected?", "question-max_words": "100"},
        ),
        (_question_url("intake_question_move", question), {"direction": "down"}),
        (_question_url("intake_question_retire", question), {"retired": "1"}),
        (_question_url("intake_question_delete", question), {}),
    ]
    for user in (gina, frank, alice, None):
        client = logged_in(user)
        assert client.get(_intake_url(world["medicine"])).status_code == 404
        for url, data in posts:
            assert client.post(url, data).status_code == 404, (user, url)
    assert Intake.objects.get(program=world["medicine"]).updated_at == before
    assert list(IntakeQuestion.objects.values_list("text", "retired")) == [("Why?", False)]
    # Erin cannot reach a Northwestern question through her own program either.
    other = IntakeQuestion.objects.create(intake=world["surgery"].intake, text="Theirs?")
    url = reverse("workspace:intake_question_delete", args=[world["medicine"].pk, other.pk])
    assert logged_in(erin).post(url).status_code == 404
    assert IntakeQuestion.objects.filter(pk=other.pk).exists()


def test_my_programs_links_to_each_programs_intake(world, erin):
    page = logged_in(erin).get(reverse("contributions:my_programs"))
    assert _intake_url(world["medicine"]).encode() in page.content
    assert _intake_url(world["surgery"]).encode() not in page.content
