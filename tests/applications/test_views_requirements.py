"""The checklist: add, edit, tick and remove requirements, with htmx and without."""

import datetime

import pytest
from django.urls import reverse

from medmatch.applications.models import Requirement

pytestmark = pytest.mark.django_db


def _add(client, application, htmx=True, **fields):
    data = {"new-kind": "letter", "new-title": "", "new-due_on": "", "new-amount": ""}
    data |= {f"new-{key}": value for key, value in fields.items()}
    data.setdefault("new-currency", "")
    data.setdefault("new-notes", "")
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(
        reverse("applications:requirement_add", args=[application.pk]), data, **headers
    )


def test_it_adds_a_requirement_and_returns_the_checklist(client, alice, alice_application, today):
    client.force_login(alice)
    response = _add(
        client, alice_application, title="  Letter   from Dr Chen ", due_on="2025-09-01"
    )
    assert response.status_code == 200
    requirement = alice_application.requirements.last()
    assert requirement.title == "Letter from Dr Chen"
    assert requirement.due_on == datetime.date(2025, 9, 1)
    assert requirement.position == 10
    html = response.content.decode()
    assert html.strip().startswith('<section id="checklist"')
    assert "Overdue · 1 Sep 2025" in html
    assert "0 of 11 done" in html


def test_it_adds_without_javascript(client, alice, alice_application):
    client.force_login(alice)
    response = _add(client, alice_application, htmx=False, title="Visa letter")
    assert response.status_code == 302
    assert response.url.endswith("#checklist")


@pytest.mark.parametrize("htmx", [True, False])
def test_it_names_an_empty_title_and_keeps_the_rest(client, alice, alice_application, htmx):
    client.force_login(alice)
    response = _add(
        client,
        alice_application,
        htmx=htmx,
        title="   ",
        notes="Ask in October",
        due_on="2025-10-01",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "title: required — name it, e.g. “Letter from Dr Chen”." in html
    assert "Ask in October" in html and 'value="2025-10-01"' in html
    assert alice_application.requirements.count() == 10


def test_it_names_a_fee_without_a_currency(client, alice, alice_application):
    client.force_login(alice)
    response = _add(client, alice_application, kind="fee", title="Fee", amount="99")
    assert "currency: needed with an amount, e.g. USD." in response.content.decode()
    response = _add(client, alice_application, kind="fee", title="Fee", amount="-1")
    assert "amount: cannot be negative." in response.content.decode()
    _add(client, alice_application, kind="fee", title="Fee", amount="99.5", currency="usd")
    fee = alice_application.requirements.get(title="Fee")
    assert (str(fee.amount), fee.currency) == ("99.50", "USD")


def test_it_refuses_a_title_over_the_limit(client, alice, alice_application):
    client.force_login(alice)
    response = _add(client, alice_application, title="x" * 201)
    assert "title: at most 200 characters." in response.content.decode()


def test_it_refuses_a_line_break_in_a_title(client, alice, alice_application):
    client.force_login(alice)
    response = _add(client, alice_application, title="Letter\r\nBcc: x@example.org")
    assert (
        "title: use a single line of text without control characters" in response.content.decode()
    )
    assert alice_application.requirements.count() == 10


def test_it_refuses_long_notes_on_a_requirement(client, alice, alice_application):
    client.force_login(alice)
    response = _add(client, alice_application, title="CV", notes="y" * 20_001)
    assert "notes: at most 20,000 characters (this has 20,001)." in response.content.decode()
    assert alice_application.requirements.count() == 10


def test_it_ticks_and_unticks_a_requirement(client, alice, alice_application):
    client.force_login(alice)
    requirement = alice_application.requirements.first()
    url = reverse("applications:requirement_toggle", args=[requirement.pk])
    response = client.post(url, {"done": "1"}, HTTP_HX_REQUEST="true")
    requirement.refresh_from_db()
    assert requirement.done and requirement.done_at is not None
    assert "1 of 10 done" in response.content.decode()
    client.post(url, {"done": "0"})
    requirement.refresh_from_db()
    assert not requirement.done and requirement.done_at is None


def test_it_edits_a_requirement_inline(client, alice, alice_application):
    client.force_login(alice)
    requirement = alice_application.requirements.first()
    url = reverse("applications:requirement_edit", args=[requirement.pk])
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert (
        form.content.decode()
        .strip()
        .startswith(f'<li class="requirement editing" id="requirement-{requirement.pk}"')
    )
    prefix = f"requirement-{requirement.pk}"
    data = {f"{prefix}-kind": "document", f"{prefix}-title": "ERAS done", f"{prefix}-due_on": ""}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.content.decode().strip().startswith('<section id="checklist"')
    requirement.refresh_from_db()
    assert requirement.title == "ERAS done"


def test_it_swaps_only_the_row_back_when_an_edit_has_errors(client, alice, alice_application):
    client.force_login(alice)
    requirement = alice_application.requirements.first()
    url = reverse("applications:requirement_edit", args=[requirement.pk])
    prefix = f"requirement-{requirement.pk}"
    data = {f"{prefix}-kind": "document", f"{prefix}-title": "", f"{prefix}-notes": "kept"}
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == f"#requirement-{requirement.pk}"
    assert "title: required" in response.content.decode()
    assert "kept" in response.content.decode()
    without_js = client.post(url, data)
    assert "title: required" in without_js.content.decode()
    requirement.refresh_from_db()
    assert requirement.title.startswith("ERAS application")


def test_it_removes_a_requirement(client, alice, alice_application):
    client.force_login(alice)
    requirement = alice_application.requirements.first()
    client.post(reverse("applications:requirement_delete", args=[requirement.pk]))
    assert not Requirement.objects.filter(pk=requirement.pk).exists()
    assert alice_application.requirements.count() == 9
