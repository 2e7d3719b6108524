import pytest
from django.urls import reverse

from medmatch.applications.models import Application
from medmatch.applications.services import application_create
from tests.applications.conftest import days

pytestmark = pytest.mark.django_db


def test_it_shows_overdue_then_due_soon_then_next_steps(client, alice, programs, today):
    application_create(student=alice, program=programs["columbia"])  # due in 5 days
    toronto, _ = application_create(student=alice, program=programs["toronto"])
    Application.objects.filter(pk=toronto.pk).update(deadline=days(-2))
    client.force_login(alice)
    response = client.get(reverse("applications:dashboard"))
    html = response.content.decode()
    assert [s.application.pk for s in response.context["overdue"]] == [toronto.pk]
    assert len(response.context["soon"]) == 1
    assert len(response.context["later"]) == 2
    assert html.index("Overdue · 8 Sep 2025") < html.index("Due soon · 15 Sep 2025")
    assert html.index("Due soon · 15 Sep 2025") < html.index("Decide whether to apply")


def test_it_invites_a_new_student_to_track_a_program(client, alice):
    client.force_login(alice)
    html = client.get(reverse("applications:dashboard")).content.decode()
    assert "Track this application" in html
    assert reverse("catalog:programs") in html
