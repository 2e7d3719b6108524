"""Who may open which contributions page, for every method each accepts: a proposal is seen by
its author and staff only; the edit page is a 404 for another student, an unverified
coordinator, a coordinator of another institution; anonymous visitors are sent to log in."""

import pytest
from django.test import Client
from django.urls import reverse

from medmatch.contributions.models import FactProposal
from medmatch.contributions.services import proposal_create

pytestmark = pytest.mark.django_db

LOGIN_ONLY = [
    ("contributions:propose", "program", "get"),
    ("contributions:propose", "program", "post"),
    ("contributions:edit", "program", "get"),
    ("contributions:edit", "program", "post"),
    ("contributions:proposals", None, "get"),
    ("contributions:coordinator", None, "get"),
    ("contributions:coordinator_request", "institution", "get"),
    ("contributions:coordinator_request", "institution", "post"),
    ("contributions:create_program", "institution", "get"),
    ("contributions:create_program", "institution", "post"),
    ("contributions:my_programs", None, "get"),
]


def _url(world, name, arg):
    if arg == "program":
        return reverse(name, args=[world["medicine"].pk])
    if arg == "institution":
        return reverse(name, args=[world["rush"].pk])
    return reverse(name)


@pytest.mark.parametrize(("name", "arg", "method"), LOGIN_ONLY)
def test_it_sends_anonymous_visitors_to_log_in(world, name, arg, method):
    response = getattr(Client(), method)(_url(world, name, arg), {"seats": "3", "field": "seats"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not FactProposal.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_hides_the_edit_page_from_every_outsider(world, outsiders, frank, gina, method):
    clients = dict(outsiders)
    for who in (frank, gina):
        clients[who.username] = Client()
        clients[who.username].force_login(who)
    url = _url(world, "contributions:edit", "program")
    for who, client in clients.items():
        response = getattr(client, method)(url, {"version": "0", "seats": "99"})
        expected = 302 if who == "anonymous" else 404
        assert response.status_code == expected, who
    world["medicine"].refresh_from_db()
    assert world["medicine"].seats is None


def test_it_shows_a_404_for_a_missing_program(world, erin):
    client = Client()
    client.force_login(erin)
    for name in ("contributions:edit", "contributions:propose", "contributions:history"):
        assert client.get(reverse(name, args=[424242])).status_code == 404, name


def test_it_never_shows_someone_elses_pending_proposal(world, alice, outsiders):
    proposal_create(
        proposer=alice,
        program=world["medicine"],
        field="mentorship",
        value={"mentorship": "Weekly mentor meetings, secret detail"},
        source_url="https://example.org/a",
    )
    pages = [
        reverse("contributions:proposals"),
        reverse("contributions:history", args=[world["medicine"].pk]),
        reverse("catalog:program", args=[world["medicine"].pk]),
        reverse("contributions:coordinator"),
    ]
    for who, client in outsiders.items():
        for url in pages:
            response = client.get(url)
            assert "secret detail" not in response.content.decode(), (who, url)


def test_it_shows_the_history_to_everyone(world, outsiders):
    for who, client in outsiders.items():
        url = reverse("contributions:history", args=[world["medicine"].pk])
        assert client.get(url).status_code == 200, who
