"""A verified coordinator edits the program's facts directly: shown as "reported by the
program", with the history; everyone else is refused (404, or the login page when anonymous)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from medmatch.contributions.models import FactChange
from medmatch.contributions.services import program_facts_edit, program_version

pytestmark = pytest.mark.django_db

SOURCE = "https://www.rush.edu/gme/internal-medicine"


def edit_data(program, **values):
    return {
        "version": str(program_version(program)),
        "source_url": SOURCE,
        "note": "From our 2026 contract.",
        **values,
    }


def test_it_shows_a_coordinators_edit_as_reported_by_the_program(client, world, erin):
    program = world["medicine"]
    client.force_login(erin)
    page = client.get(reverse("catalog:program", args=[program.pk])).content.decode()
    assert "Edit this program&#x27;s facts" in page or "Edit this program's facts" in page
    response = client.post(
        reverse("contributions:edit", args=[program.pk]),
        edit_data(program, stipend_amount="68500", currency="usd", seats="14"),
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.stipend_amount == Decimal("68500") and program.currency == "USD"
    assert program.seats == 14
    changes = {change.field: change for change in FactChange.objects.all()}
    assert set(changes) == {"stipend_amount", "seats"}
    assert changes["seats"].previous_value == {"seats": ""}
    assert changes["seats"].changed_by == erin and changes["seats"].kind == "program"
    anonymous = Client()
    page = anonymous.get(reverse("catalog:program", args=[program.pk])).content.decode()
    assert "68,500 USD" in page
    assert "reported by the program" in page
    assert SOURCE in page
    history = anonymous.get(reverse("contributions:history", args=[program.pk])).content.decode()
    assert "a verified coordinator of Rush University Medical Center" in history
    assert "erin" not in history  # the public sees the role, not the person
    assert "From our 2026 contract." in history


def test_it_shows_staff_who_changed_a_fact(client, world, erin, staff):
    program_facts_edit(program=world["medicine"], user=erin, values={"seats": 14}, version=0)
    client.force_login(staff)
    history = client.get(reverse("contributions:history", args=[world["medicine"].pk]))
    assert "erin@rush.edu" in history.content.decode()


def test_it_keeps_the_previous_value_in_the_history(world, erin):
    program = world["medicine"]
    program_facts_edit(program=program, user=erin, values={"length_months": 36}, version=0)
    version = program_version(program)
    program_facts_edit(program=program, user=erin, values={"length_months": None}, version=version)
    newest = FactChange.objects.first()
    assert newest.previous_value == {"length_months": "36"}
    assert newest.new_value == {"length_months": ""}
    program.refresh_from_db()
    assert program.length_months is None


def test_it_refuses_a_save_over_a_newer_change(client, world, erin):
    program = world["medicine"]
    client.force_login(erin)
    url = reverse("contributions:edit", args=[program.pk])
    stale = edit_data(program, seats="10")
    program_facts_edit(program=program, user=erin, values={"seats": 12}, version=0)
    response = client.post(url, stale, follow=True)
    assert "Someone changed this program" in response.content.decode()
    program.refresh_from_db()
    assert program.seats == 12


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_hides_the_edit_page_from_everyone_else(client, world, alice, frank, gina, method):
    program = world["medicine"]
    url = reverse("contributions:edit", args=[program.pk])
    for who in (alice, frank, gina):
        client.force_login(who)
        response = getattr(client, method)(url, edit_data(program, seats="99"))
        assert response.status_code == 404, who.username
    anonymous = getattr(Client(), method)(url, edit_data(program, seats="99"))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    program.refresh_from_db()
    assert program.seats is None
    assert not FactChange.objects.exists()


def test_it_does_not_show_the_edit_link_to_other_coordinators(client, world, frank, gina):
    for who in (frank, gina):
        client.force_login(who)
        page = client.get(reverse("catalog:program", args=[world["medicine"].pk]))
        assert reverse("contributions:edit", args=[world["medicine"].pk]) not in (
            page.content.decode()
        )


def test_it_lets_a_coordinator_edit_only_their_own_programs(client, world, gina):
    client.force_login(gina)
    mine = world["other_program"]
    response = client.post(
        reverse("contributions:edit", args=[mine.pk]), edit_data(mine, seats="9")
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.seats == 9


def test_it_names_the_field_in_a_bad_edit(client, world, erin):
    client.force_login(erin)
    program = world["medicine"]
    response = client.post(
        reverse("contributions:edit", args=[program.pk]),
        edit_data(
            program,
            weekly_hours="500",
            application_opens="2026-09-01",
            application_deadline="2026-08-01",
        ),
    )
    errors = response.context["form"].errors
    assert errors["weekly_hours"] == ["Weekly hours: at most 120 hours."]
    assert errors["application_deadline"] == [
        "Application deadline: cannot be before the day applications open."
    ]
    assert not FactChange.objects.exists()


def test_it_does_not_claim_a_value_an_import_overwrote(client, world, erin):
    program = world["medicine"]
    program_facts_edit(program=program, user=erin, values={"seats": 14}, version=0)
    program.seats = 15  # e.g. a later import
    program.save()
    page = Client().get(reverse("catalog:program", args=[program.pk])).content.decode()
    assert "reported by the program" not in page


def test_it_keeps_the_cost_currency_when_the_stipend_stays_unknown(client, world, erin):
    program = world["medicine"]
    program.cost_amount, program.currency = Decimal("1200"), "EUR"
    program.save()
    client.force_login(erin)
    response = client.post(
        reverse("contributions:edit", args=[program.pk]),
        edit_data(program, currency="EUR", seats="3"),
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.currency == "EUR" and program.stipend_amount is None
    assert list(FactChange.objects.values_list("field", flat=True)) == ["seats"]


def test_it_ignores_values_of_other_facts_in_a_proposal(client, world, alice):
    from medmatch.contributions.models import FactProposal

    client.force_login(alice)
    response = client.post(
        reverse("contributions:propose", args=[world["medicine"].pk]),
        {"field": "seats", "seats": "12", "weekly_hours": "9999", "source_url": SOURCE},
    )
    assert response.status_code == 302
    assert FactProposal.objects.get().value == {"seats": "12"}
