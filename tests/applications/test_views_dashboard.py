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


@pytest.mark.parametrize("target", ["abc", "9999-12-31", "x" * 300, "https://evil.example/"])
def test_it_goes_back_only_to_a_path_on_this_site(client, alice, programs, target):
    # redirect("abc") looked "abc" up as a URL pattern name: NoReverseMatch, a 500.
    application, _ = application_create(student=alice, program=programs["columbia"])
    client.force_login(alice)
    response = client.post(reverse("applications:delete", args=[application.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:board")


def test_it_lists_next_steps_when_a_saved_deadline_is_at_the_end_of_the_calendar(
    client, alice, programs, today
):
    application, _ = application_create(student=alice, program=programs["columbia"])
    Application.objects.filter(pk=application.pk).update(deadline="9999-12-31")
    application.requirements.update(due_on="9999-12-31")
    client.force_login(alice)
    for name in ("applications:dashboard", "applications:board", "applications:table"):
        assert client.get(reverse(name)).status_code == 200, name
