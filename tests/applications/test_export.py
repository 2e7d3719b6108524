import json

import pytest
from django.urls import reverse

from medmatch.applications.models import Application, CalendarFeed, Requirement, StatusChange
from medmatch.applications.services import application_create, application_move
from medmatch.catalog.models import Program
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_exports_applications_history_and_requirements(client, alice, alice_application):
    application_move(application=alice_application, status=Application.Status.PREPARING)
    requirement = alice_application.requirements.first()
    requirement.set_done(True)
    requirement.notes = "Certified on the 1st."
    requirement.save()
    client.force_login(alice)
    data = json.loads(client.get(reverse("accounts:export")).content)["applications"]
    (exported,) = data["applications"]
    assert exported["program_id"] == alice_application.program.pk
    assert exported["nrmp_code"] == "1234140C0"
    assert exported["status"] == "preparing"
    assert exported["deadline"] == "2025-09-15"
    assert [(c["from"], c["to"]) for c in exported["status_history"]] == [
        ("", "researching"),
        ("researching", "preparing"),
    ]
    assert len(exported["requirements"]) == 10
    first = exported["requirements"][0]
    assert first["done"] is True and first["notes"] == "Certified on the 1st."
    assert first["due_on"] is None
    assert data["calendar_feed"] is None


def test_it_exports_nothing_of_another_students_applications(client, bob, alice_application):
    client.force_login(bob)
    data = json.loads(client.get(reverse("accounts:export")).content)
    assert data["applications"] == {
        "applications": [],
        "calendar_feed": None,
        "cv_entries": [],
        "tailored_cvs": [],
        "statements": [],
    }


def test_it_deletes_everything_with_the_account(client, alice, bob, programs, alice_application):
    application_create(student=bob, program=programs["mgh"])
    client.force_login(alice)
    client.post(reverse("applications:calendar_settings"), {"action": "renew"})
    exported = json.loads(client.get(reverse("accounts:export")).content)
    assert len(exported["applications"]["applications"]) == 1
    assert exported["applications"]["calendar_feed"] is not None
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not Application.objects.filter(student__username="alice").exists()
    assert not Requirement.objects.filter(application__student__username="alice").exists()
    assert StatusChange.objects.count() == 1  # bob's creation only
    assert not CalendarFeed.objects.exists()
    assert Application.objects.filter(student=bob).count() == 1
    assert Program.objects.count() == 4  # the catalog stays


def test_it_protects_a_program_someone_applies_to(alice_application):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        alice_application.program.delete()
