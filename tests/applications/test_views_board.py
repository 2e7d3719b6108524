"""The board, the table and moving an application between statuses."""

import pytest
from django.urls import reverse

from medmatch.applications.models import Application, StatusChange
from medmatch.applications.services import application_create

pytestmark = pytest.mark.django_db
Status = Application.Status


def test_it_shows_a_column_per_status_with_the_cards(client, alice, programs, today):
    columbia, _ = application_create(student=alice, program=programs["columbia"])
    mgh, _ = application_create(student=alice, program=programs["mgh"])
    Application.objects.filter(pk=mgh.pk).update(status=Status.SUBMITTED)
    client.force_login(alice)
    response = client.get(reverse("applications:board"))
    columns = response.context["columns"]
    assert [c["status"] for c in columns] == Status.values
    assert [a.pk for a in columns[0]["cards"]] == [columbia.pk]
    assert [a.pk for a in columns[2]["cards"]] == [mgh.pk]
    html = response.content.decode()
    assert "Due soon · 15 Sep 2025" in html  # columbia: 5 days away
    assert "Deadline unknown" not in html  # mgh is submitted: its deadline no longer matters
    assert "0 of 10 done" in html
    assert 'draggable="true"' in html
    assert html.count('<select name="status"') == 2  # the no-JavaScript way to move


def test_it_asks_a_visitor_to_log_in(client):
    for name in ["applications:board", "applications:table", "applications:dashboard"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_it_moves_a_card_with_the_status_menu(client, alice, alice_application):
    client.force_login(alice)
    url = reverse("applications:move", args=[alice_application.pk])
    response = client.post(url, {"status": "preparing", "next": reverse("applications:board")})
    assert response.status_code == 302
    assert response.url == reverse("applications:board")
    alice_application.refresh_from_db()
    assert alice_application.status == Status.PREPARING
    assert StatusChange.objects.filter(
        application=alice_application, from_status="researching", to_status="preparing"
    ).exists()


def test_it_returns_the_moved_card_to_the_drag_and_drop_script(client, alice, alice_application):
    client.force_login(alice)
    url = reverse("applications:move", args=[alice_application.pk])
    response = client.post(url, {"status": "interview_invited"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith(f'<li class="card" id="application-{alice_application.pk}"')
    assert 'data-status="interview_invited"' in html
    assert "Interview invited since" in html


@pytest.mark.parametrize("status", ["hired", "", "RESEARCHING"])
def test_it_refuses_an_unknown_status_with_a_message(client, alice, alice_application, status):
    client.force_login(alice)
    url = reverse("applications:move", args=[alice_application.pk])
    response = client.post(url, {"status": status}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().startswith("status: ")
    alice_application.refresh_from_db()
    assert alice_application.status == Status.RESEARCHING
    assert alice_application.status_changes.count() == 1


def test_it_ignores_an_unsafe_next_address(client, alice, alice_application):
    client.force_login(alice)
    url = reverse("applications:move", args=[alice_application.pk])
    response = client.post(url, {"status": "preparing", "next": "https://evil.example/"})
    assert response.url == reverse("applications:board")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["columbia", "mgh"]),  # by deadline, unknown last
        ("?sort=deadline&direction=desc", ["mgh", "columbia"]),
        ("?sort=program", ["mgh", "columbia"]),  # Cardiology < Internal Medicine
        ("?sort=status", ["columbia", "mgh"]),
        ("?sort=nonsense", ["columbia", "mgh"]),
    ],
)
def test_it_sorts_the_table(client, alice, programs, today, query, expected):
    made = {key: application_create(student=alice, program=programs[key])[0] for key in expected}
    Application.objects.filter(pk=made["mgh"].pk).update(status=Status.PREPARING)
    client.force_login(alice)
    response = client.get(reverse("applications:table") + query)
    assert [a.pk for a in response.context["applications"]] == [made[k].pk for k in expected]


def test_it_offers_to_track_shortlisted_programs(client, alice, bob, programs, alice_application):
    from medmatch.research.models import ShortlistItem

    for key in ["columbia", "mgh"]:  # columbia is already tracked
        ShortlistItem.objects.create(student=alice, program=programs[key])
    ShortlistItem.objects.create(student=bob, program=programs["toronto"])
    client.force_login(alice)
    response = client.get(reverse("applications:board"))
    assert response.context["suggestions"] == [programs["mgh"]]
    html = response.content.decode()
    assert reverse("applications:create", args=[programs["mgh"].pk]) in html
    assert "hx-post" not in html.split("suggestions-heading")[1]  # a plain post: opens the page


def test_it_warns_before_submitting_with_the_checklist_unfinished(client, alice, alice_application):
    client.force_login(alice)
    url = reverse("applications:move", args=[alice_application.pk])
    response = client.post(url, {"status": "submitted", "next": reverse("applications:board")})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only 0 of 10 requirements done" in html
    checklist = reverse("applications:detail", args=[alice_application.pk]) + "#checklist"
    assert f'href="{checklist}"' in html
    assert 'name="confirm" value="on"' in html
    alice_application.refresh_from_db()
    assert alice_application.status == Status.RESEARCHING
    # The explicit confirmation moves it.
    confirmed = client.post(
        url, {"status": "submitted", "confirm": "on", "next": reverse("applications:board")}
    )
    assert confirmed.status_code == 302
    alice_application.refresh_from_db()
    assert alice_application.status == Status.SUBMITTED


def test_it_answers_the_drag_and_drop_script_with_the_warning(client, alice, alice_application):
    client.force_login(alice)
    url = reverse("applications:move", args=[alice_application.pk])
    response = client.post(url, {"status": "submitted"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 409
    html = response.content.decode()
    assert html.strip().startswith('<div class="move-confirm')
    assert "Only 0 of 10 requirements done" in html
    alice_application.refresh_from_db()
    assert alice_application.status == Status.RESEARCHING
    response = client.post(url, {"status": "submitted", "confirm": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    alice_application.refresh_from_db()
    assert alice_application.status == Status.SUBMITTED


def test_it_submits_without_a_warning_when_the_checklist_is_done(client, alice, alice_application):
    alice_application.requirements.update(done=True)
    client.force_login(alice)
    url = reverse("applications:move", args=[alice_application.pk])
    response = client.post(url, {"status": "submitted"})
    assert response.status_code == 302
    alice_application.refresh_from_db()
    assert alice_application.status == Status.SUBMITTED
