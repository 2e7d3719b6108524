"""Overdue and due-soon markers and the "what is next" order, with today passed explicitly."""

import pytest

from medmatch.applications.models import DUE_SOON_DAYS, Application, Requirement, date_state
from medmatch.applications.next_steps import next_steps
from medmatch.applications.services import application_create, application_move
from tests.applications.conftest import TODAY, days

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (None, "unknown"),
        (days(-1), "overdue"),
        (TODAY, "soon"),
        (days(DUE_SOON_DAYS), "soon"),
        (days(DUE_SOON_DAYS + 1), "later"),
    ],
)
def test_it_marks_dates_overdue_due_soon_later_or_unknown(day, state):
    assert date_state(day, TODAY) == state


def test_it_marks_the_application_deadline_only_before_submission(alice_application):
    alice_application.deadline = days(-2)
    assert alice_application.deadline_state(TODAY) == "overdue"
    application_move(application=alice_application, status=Application.Status.SUBMITTED)
    assert alice_application.deadline_state(TODAY) == ""


def test_it_marks_a_requirement_by_its_own_date_or_the_applications(alice_application):
    own, inherited = alice_application.requirements.all()[:2]
    own.due_on = days(-3)
    assert own.due_state(TODAY) == "overdue"
    assert inherited.due_state(TODAY) == "soon"  # the application's deadline is days(5)
    inherited.set_done(True)
    assert inherited.due_state(TODAY) == "done"
    assert inherited.done_at is not None
    inherited.set_done(False)
    assert inherited.done_at is None


def test_it_does_not_mark_requirements_of_a_closed_application(alice_application):
    application_move(application=alice_application, status=Application.Status.WITHDRAWN)
    requirement = alice_application.requirements.first()
    requirement.due_on = days(-3)
    assert requirement.due_state(TODAY) == ""


def _applications(user):
    return list(
        Application.objects.for_student(user).with_program().prefetch_related("requirements")
    )


def test_it_lists_overdue_first_then_due_soon_then_next_steps(alice, programs):
    columbia, _ = application_create(student=alice, program=programs["columbia"])  # due days(5)
    mgh, _ = application_create(student=alice, program=programs["mgh"])  # deadline unknown
    toronto, _ = application_create(student=alice, program=programs["toronto"])
    Application.objects.filter(pk=toronto.pk).update(deadline=days(-1))
    letter = mgh.requirements.filter(kind=Requirement.Kind.LETTER).first()
    letter.due_on = days(-10)
    letter.save()
    photo = mgh.requirements.get(title="Photo")
    photo.due_on = days(2)
    photo.save()
    application_move(application=mgh, status=Application.Status.PREPARING)

    steps = next_steps(_applications(alice), TODAY)

    assert [(s.urgency, s.application.pk, s.due_on) for s in steps[:4]] == [
        ("overdue", mgh.pk, days(-10)),  # the letter, oldest first
        ("overdue", toronto.pk, days(-1)),  # toronto's submission deadline
        ("soon", mgh.pk, days(2)),  # the photo
        ("soon", columbia.pk, days(5)),  # columbia's submission deadline
    ]
    assert steps[0].requirement == letter
    assert steps[1].text == "Submit the application — 10 requirements still open"
    # Then one next step per application, by stage: researching before preparing.
    later = steps[4:]
    assert [s.urgency for s in later] == ["next"] * 3
    assert [s.application.pk for s in later] == [toronto.pk, columbia.pk, mgh.pk]
    assert (
        later[2].text
        == "0 of 10 requirements done — next: ERAS application (MyERAS) completed and certified"
    )


def test_it_counts_progress_and_says_when_the_deadline_is_unknown(alice, programs):
    mgh, _ = application_create(student=alice, program=programs["mgh"])
    (step,) = next_steps(_applications(alice), TODAY)
    assert "the deadline is unknown" in step.text
    application_move(application=mgh, status=Application.Status.PREPARING)
    for requirement in mgh.requirements.all()[:2]:
        requirement.set_done(True)
        requirement.save()
    (step,) = next_steps(_applications(alice), TODAY)
    assert step.text.startswith("2 of 10 requirements done — next: ")


def test_it_still_counts_open_requirements_after_submission(alice_application):
    application_move(application=alice_application, status=Application.Status.SUBMITTED)
    Application.objects.filter(pk=alice_application.pk).update(deadline=days(-1))
    steps = next_steps(_applications(alice_application.student), TODAY)
    (overdue,) = [s for s in steps if s.urgency == "overdue"]
    assert overdue.text == "10 requirements still open, due with the application"
    for requirement in alice_application.requirements.all():
        requirement.set_done(True)
        requirement.save()
    steps = next_steps(_applications(alice_application.student), TODAY)
    assert [s.urgency for s in steps] == ["next"]


def test_it_leaves_closed_applications_out(alice_application):
    application_move(application=alice_application, status=Application.Status.MATCHED)
    assert next_steps(_applications(alice_application.student), TODAY) == []
