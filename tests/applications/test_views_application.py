"""Tracking a program, the application page, and editing its dates and notes — including the
bad input a student can give (dates in the wrong order, a 20 MB paste)."""

import pytest
from django.test import Client
from django.urls import reverse

from medmatch.applications.forms import MAX_NOTES_LENGTH
from medmatch.applications.models import Application
from tests.applications.conftest import days

pytestmark = pytest.mark.django_db


def test_it_creates_an_application_from_a_program(client, alice, programs):
    client.force_login(alice)
    program = programs["columbia"]
    response = client.post(reverse("applications:create", args=[program.pk]))
    application = Application.objects.get(student=alice, program=program)
    assert response.status_code == 302
    assert response.url == reverse("applications:detail", args=[application.pk])
    assert application.requirements.count() == 10
    page = client.get(response.url)
    assert "Tracking your application to “Internal Medicine”." in page.content.decode()


def test_it_swaps_the_track_button_for_a_link(client, alice, programs):
    client.force_login(alice)
    program = programs["mgh"]
    url = reverse("applications:create", args=[program.pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    application = Application.objects.get(student=alice, program=program)
    html = response.content.decode()
    assert reverse("applications:detail", args=[application.pk]) in html
    assert "Application tracked" in html
    client.post(url, HTTP_HX_REQUEST="true")
    assert Application.objects.filter(student=alice).count() == 1


def test_it_asks_a_visitor_to_log_in_before_tracking(client, programs):
    response = client.post(reverse("applications:create", args=[programs["mgh"].pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not Application.objects.exists()


def test_it_gives_a_404_for_a_program_that_does_not_exist(client, alice):
    client.force_login(alice)
    assert client.post(reverse("applications:create", args=[999999])).status_code == 404


def test_it_renders_the_track_button_include(rf, alice, bob, alice_application):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    program = alice_application.program
    for user, expected in [
        (alice, "Application tracked"),
        (bob, "Track this application"),
        (AnonymousUser(), "Log in to track an application"),
    ]:
        request = rf.get("/catalog/programs/1/")
        request.user = user
        html = render_to_string(
            "applications/_track_button.html", {"program": program, "user": user}, request
        )
        assert expected in html, user


def test_it_shows_the_application_page(client, alice, alice_application, today):
    client.force_login(alice)
    response = client.get(reverse("applications:detail", args=[alice_application.pk]))
    html = response.content.decode()
    assert "Columbia University" in html
    assert reverse("catalog:program", args=[alice_application.program.pk]) in html
    assert "started tracking (Researching)" in html
    assert "0 of 10 done" in html
    assert "Due soon · 15 Sep 2025" in html


def test_it_saves_dates_and_notes(client, alice, alice_application):
    client.force_login(alice)
    url = reverse("applications:edit", args=[alice_application.pk])
    data = {"opens_on": "2025-06-01", "deadline": "2025-09-30", "notes": "  Ask about call.  "}
    response = client.post(url, data)
    assert response.status_code == 302
    alice_application.refresh_from_db()
    assert (alice_application.opens_on, alice_application.deadline) == (
        days(-101),
        days(20),
    )
    assert alice_application.notes == "Ask about call."


def test_it_keeps_unknown_dates_unknown(client, alice, alice_application):
    client.force_login(alice)
    url = reverse("applications:edit", args=[alice_application.pk])
    client.post(url, {"opens_on": "", "deadline": "", "notes": ""})
    alice_application.refresh_from_db()
    assert (alice_application.opens_on, alice_application.deadline) == (None, None)


def _unchanged(application):
    before = Application.objects.filter(pk=application.pk).values().get()
    return lambda: Application.objects.filter(pk=application.pk).values().get() == before


def test_it_names_dates_in_the_wrong_order(client, alice, alice_application):
    client.force_login(alice)
    unchanged = _unchanged(alice_application)
    url = reverse("applications:edit", args=[alice_application.pk])
    data = {"opens_on": "2025-10-01", "deadline": "2025-09-15", "notes": "keep me"}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["deadline"] == [
        "deadline: must be on or after the day applications open (1 Oct 2025); check both dates."
    ]
    html = response.content.decode()
    assert 'value="2025-10-01"' in html and "keep me" in html  # nothing lost
    assert unchanged()


def test_it_names_a_date_that_is_not_a_date(client, alice, alice_application):
    client.force_login(alice)
    url = reverse("applications:edit", args=[alice_application.pk])
    response = client.post(url, {"opens_on": "next week", "deadline": "", "notes": ""})
    assert response.context["form"].errors["opens_on"] == [
        "opens_on: not a date; use the form YYYY-MM-DD."
    ]


def test_it_refuses_notes_over_the_limit_and_keeps_the_text(client, alice, alice_application):
    client.force_login(alice)
    unchanged = _unchanged(alice_application)
    url = reverse("applications:edit", args=[alice_application.pk])
    notes = "x" * (MAX_NOTES_LENGTH + 1)
    response = client.post(url, {"opens_on": "", "deadline": "", "notes": notes})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["notes"]
    assert error.startswith("notes: at most 20,000 characters (this has 20,001).")
    assert notes in response.content.decode()
    assert unchanged()


def test_it_answers_a_20_mb_paste_with_a_clear_message(client, alice, alice_application):
    client.force_login(alice)
    unchanged = _unchanged(alice_application)
    url = reverse("applications:edit", args=[alice_application.pk])
    huge = "x" * (20 * 1024 * 1024)
    response = client.post(url, {"opens_on": "", "deadline": "", "notes": huge})
    assert response.status_code == 413
    html = response.content.decode()
    assert "notes: at most 20,000 characters." in html
    assert "nothing was changed" in html
    assert unchanged()
    htmx = client.post(url, {"notes": huge}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 413
    assert htmx.content.decode().startswith("notes: at most 20,000 characters.")


def test_it_answers_a_20_mb_paste_with_its_413_when_csrf_is_checked(alice, alice_application):
    # CSRF reads the body before the view; lib.middleware answers before CSRF runs.
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("applications:edit", args=[alice_application.pk])
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"notes": "x" * (20 * 1024 * 1024), "csrfmiddlewaretoken": token})
    assert response.status_code == 413
    assert "nothing was changed" in response.content.decode()


def test_it_deletes_an_application_with_its_checklist(client, alice, alice_application):
    client.force_login(alice)
    url = reverse("applications:delete", args=[alice_application.pk])
    assert "Delete the application" in client.get(url).content.decode()
    response = client.post(url)
    assert response.url == reverse("applications:board")
    assert not Application.objects.exists()
    assert not alice_application.requirements.exists()
    assert not alice_application.status_changes.exists()
