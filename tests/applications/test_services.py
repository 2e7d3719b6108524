"""Creating an application (its default checklist, dates from the catalog, its first history
entry) and moving it between statuses."""

import pytest

from medmatch.applications.checklists import CARMS, ERAS, GENERIC
from medmatch.applications.models import Application, Requirement, StatusChange
from medmatch.applications.services import application_create, application_move
from tests.applications.conftest import days

pytestmark = pytest.mark.django_db


def test_it_starts_a_residency_application_with_the_eras_checklist(alice, programs):
    application, created = application_create(student=alice, program=programs["columbia"])
    assert created
    titles = list(application.requirements.values_list("title", flat=True))
    assert titles == [title for _, title in ERAS]
    kinds = list(application.requirements.values_list("kind", flat=True))
    assert kinds.count(Requirement.Kind.LETTER) == 3
    fee = application.requirements.get(kind=Requirement.Kind.FEE)
    assert fee.amount is None  # unknown, not 0
    assert not application.requirements.filter(done=True).exists()
    assert not application.requirements.exclude(due_on=None).exists()  # due with the application


def test_it_uses_the_carms_checklist_for_a_canadian_stream(alice, programs):
    application, _ = application_create(student=alice, program=programs["toronto"])
    assert list(application.requirements.values_list("title", flat=True)) == [t for _, t in CARMS]


def test_it_uses_a_short_generic_checklist_for_other_programs(alice, programs):
    application, _ = application_create(student=alice, program=programs["rotation"])
    assert application.requirements.count() == len(GENERIC)


def test_it_takes_the_dates_from_the_catalog_when_known(alice, programs):
    columbia, _ = application_create(student=alice, program=programs["columbia"])
    assert (columbia.opens_on, columbia.deadline) == (days(-60), days(5))
    mgh, _ = application_create(student=alice, program=programs["mgh"])
    assert (mgh.opens_on, mgh.deadline) == (None, None)  # unknown stays unknown


def test_it_keeps_the_deadline_when_the_catalog_dates_contradict(alice, programs):
    program = programs["mgh"]
    program.application_opens, program.application_deadline = days(10), days(1)
    program.save()
    application, _ = application_create(student=alice, program=program)
    assert (application.opens_on, application.deadline) == (None, days(1))


def test_it_keeps_one_application_per_program(alice, bob, programs):
    first, _ = application_create(student=alice, program=programs["columbia"])
    again, created = application_create(student=alice, program=programs["columbia"])
    assert (again, created) == (first, False)
    assert first.requirements.count() == len(ERAS)  # not doubled
    bobs, created = application_create(student=bob, program=programs["columbia"])
    assert created and bobs != first


def test_it_records_every_move_in_the_history(alice_application):
    Status = Application.Status
    assert application_move(application=alice_application, status=Status.PREPARING)
    assert application_move(application=alice_application, status=Status.SUBMITTED)
    assert not application_move(application=alice_application, status=Status.SUBMITTED)
    history = list(
        StatusChange.objects.filter(application=alice_application).values_list(
            "from_status", "to_status"
        )
    )
    assert history == [
        ("", "researching"),
        ("researching", "preparing"),
        ("preparing", "submitted"),
    ]
    alice_application.refresh_from_db()
    assert alice_application.status == Status.SUBMITTED
    assert alice_application.status_changed_at == alice_application.status_changes.last().changed_at


def test_it_refuses_an_unknown_status(alice_application):
    with pytest.raises(ValueError, match="status"):
        application_move(application=alice_application, status="hired")
