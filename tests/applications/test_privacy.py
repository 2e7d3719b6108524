"""Another student, a coordinator and an anonymous visitor get 404 on every URL of alice's
applications and requirements, for every method the URL accepts, with and without htmx — and
nothing changes."""

import pytest
from django.urls import reverse

from medmatch.applications.models import Application, Requirement, StatusChange

pytestmark = pytest.mark.django_db

# Every object URL with every method it accepts.
APPLICATION_URLS = [
    ("applications:detail", "get"),
    ("applications:edit", "get"),
    ("applications:edit", "post"),
    ("applications:move", "post"),
    ("applications:delete", "get"),
    ("applications:delete", "post"),
    ("applications:requirement_add", "get"),
    ("applications:requirement_add", "post"),
]
REQUIREMENT_URLS = [
    ("applications:requirement", "get"),
    ("applications:requirement_edit", "get"),
    ("applications:requirement_edit", "post"),
    ("applications:requirement_toggle", "post"),
    ("applications:requirement_delete", "post"),
]


def _snapshot():
    return (
        list(Application.objects.values()),
        list(Requirement.objects.values()),
        list(StatusChange.objects.values()),
    )


def _hostile_data(requirement):
    prefix = f"requirement-{requirement.pk}"
    return {
        "status": "withdrawn",
        "done": "1",
        "notes": "pwned",
        "deadline": "2030-01-01",
        "new-kind": "other",
        "new-title": "pwned",
        f"{prefix}-kind": "other",
        f"{prefix}-title": "pwned",
    }


@pytest.mark.parametrize(("name", "method"), APPLICATION_URLS + REQUIREMENT_URLS)
@pytest.mark.parametrize("htmx", [False, True])
def test_it_hides_every_object_url_from_everyone_else(
    outsiders, alice_application, name, method, htmx
):
    requirement = alice_application.requirements.first()
    pk = requirement.pk if (name, method) in REQUIREMENT_URLS else alice_application.pk
    url = reverse(name, args=[pk])
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    before = _snapshot()
    for who, client in outsiders.items():
        response = getattr(client, method)(url, _hostile_data(requirement), **headers)
        assert response.status_code == 404, f"{who}: {method.upper()} {url}"
        assert b"Internal Medicine" not in response.content
    assert _snapshot() == before


def test_it_gives_404_not_a_login_redirect_for_missing_objects(outsiders):
    for who, client in outsiders.items():
        assert client.get(reverse("applications:detail", args=[424242])).status_code == 404, who
        url = reverse("applications:requirement_edit", args=[424242])
        assert client.get(url).status_code == 404, who


def test_it_lists_only_ones_own_applications(outsiders, alice_application):
    for who, client in outsiders.items():
        for name in ["applications:board", "applications:table", "applications:dashboard"]:
            response = client.get(reverse(name))
            if who == "anonymous":
                assert response.status_code == 302
                continue
            assert "Internal Medicine" not in response.content.decode(), (who, name)


def test_it_does_not_let_tracking_reveal_someone_elses_application(client, bob, alice_application):
    client.force_login(bob)
    program = alice_application.program
    response = client.post(
        reverse("applications:create", args=[program.pk]), HTTP_HX_REQUEST="true"
    )
    assert (
        reverse("applications:detail", args=[alice_application.pk]) not in response.content.decode()
    )
    assert Application.objects.filter(program=program).count() == 2
