"""A proposed fact appears only after staff approve it; approval applies it with its history,
and a proposal whose field changed since is flagged, not applied."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from medmatch.contributions.models import FactChange, FactProposal
from medmatch.contributions.services import proposal_approve, proposal_create

pytestmark = pytest.mark.django_db

SOURCE = "https://www.rush.edu/residency/internal-medicine"


def propose(client, program, **data):
    url = reverse("contributions:propose", args=[program.pk])
    return client.post(url, {"source_url": SOURCE, "note": "", **data})


def test_it_asks_which_fact_then_shows_only_that_value(client, alice, world):
    client.force_login(alice)
    url = reverse("contributions:propose", args=[world["medicine"].pk])
    chooser = client.get(url).content.decode()
    assert 'name="field"' in chooser and "Stipend (yearly)" in chooser
    page = client.get(url, {"field": "stipend_amount"}).content.decode()
    assert 'name="stipend_amount"' in page and 'name="currency"' in page
    assert 'name="seats"' not in page


def test_it_keeps_a_proposal_private_until_approved(client, alice, bob, world, staff):
    program = world["medicine"]
    client.force_login(alice)
    response = propose(client, program, field="length_months", length_months="36")
    assert response.status_code == 302
    proposal = FactProposal.objects.get()
    assert proposal.status == "pending" and proposal.value == {"length_months": "36"}
    program.refresh_from_db()
    assert program.length_months is None
    # the program page still says unknown, with no "reported" line
    page = client.get(reverse("catalog:program", args=[program.pk])).content.decode()
    assert "36 months" not in page
    # bob does not see alice's proposal
    client.force_login(bob)
    mine = client.get(reverse("contributions:proposals"))
    assert list(mine.context["proposals"]) == []
    # (the page's text, not its markup: a CSRF token may hold "36" by chance)
    history = client.get(reverse("contributions:history", args=[program.pk])).content.decode()
    assert not re.search(r"\b36\b", re.sub(r"<[^>]*>", " ", history))
    # staff approve in the admin
    client.force_login(staff)
    client.post(
        reverse("admin:contributions_factproposal_changelist"),
        {"action": "approve", "_selected_action": [proposal.pk]},
    )
    program.refresh_from_db()
    assert program.length_months == 36
    change = FactChange.objects.get()
    assert change.kind == "approved_proposal" and change.approved_by == staff
    assert change.previous_value == {"length_months": ""}
    assert change.source_url == SOURCE
    client.logout()
    page = client.get(reverse("catalog:program", args=[program.pk])).content.decode()
    assert "36 months" in page
    assert "proposed by a user, approved by staff" in page
    assert reverse("contributions:history", args=[program.pk]) in page


def test_it_shows_a_student_only_their_own_proposals(client, alice, bob, world):
    proposal_create(
        proposer=bob,
        program=world["medicine"],
        field="seats",
        value={"seats": "12"},
        source_url=SOURCE,
    )
    client.force_login(alice)
    assert list(client.get(reverse("contributions:proposals")).context["proposals"]) == []
    client.force_login(bob)
    assert len(client.get(reverse("contributions:proposals")).context["proposals"]) == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"field": "length_months", "length_months": "999"},
            "length_months",
            "Length (months): at most 120 months.",
        ),
        (
            {"field": "length_months", "length_months": "\u0663\u0666"},
            "length_months",
            "Length (months): enter a whole number of months with the digits 0-9.",
        ),
        (
            {"field": "length_months", "length_months": ""},
            "length_months",
            "Length (months): enter the value you propose.",
        ),
        (
            {"field": "stipend_amount", "stipend_amount": "68500", "currency": ""},
            "currency",
            "Currency: say which currency the stipend is in.",
        ),
        (
            {"field": "stipend_amount", "stipend_amount": "-1", "currency": "USD"},
            "stipend_amount",
            "Stipend: cannot be negative.",
        ),
        (
            {"field": "stipend_amount", "stipend_amount": "68500", "currency": "DOLLARS"},
            "currency",
            "Currency: a three-letter code such as USD.",
        ),
        (
            {"field": "visa_sponsorship", "visa_sponsorship": "h9"},
            "visa_sponsorship",
            "Visa sponsorship: choose one of the listed options.",
        ),
        (
            {"field": "application_deadline", "application_deadline": "9999-12-31"},
            "application_deadline",
            "Application deadline: 9999-12-31 is not between 1900 and 2100",
        ),
        (
            {"field": "seats", "seats": "12", "source_url": ""},
            "source_url",
            "Source: give the web address where this can be checked.",
        ),
        (
            {"field": "url", "url": "javascript:alert(1)"},
            "url",
            "Program website: enter a full web address",
        ),
    ],
)
def test_it_names_the_field_and_the_reason_for_bad_input(
    client, alice, world, data, field, message
):
    client.force_login(alice)
    response = propose(client, world["medicine"], **data)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message.split(":")[0] in response.content.decode()
    assert not FactProposal.objects.exists()


def test_it_flags_a_proposal_whose_field_changed_since(world, alice, erin, staff):
    program = world["medicine"]
    proposal = proposal_create(
        proposer=alice,
        program=program,
        field="stipend_amount",
        value={"stipend_amount": "60000.00", "currency": "USD"},
        source_url=SOURCE,
    )
    program.stipend_amount, program.currency = Decimal("70000"), "USD"
    program.save()
    assert proposal_approve(proposal=proposal, by=staff) is False
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    assert "was unknown, now 70,000 USD" in proposal.conflict
    program.refresh_from_db()
    assert program.stipend_amount == Decimal("70000")
    assert proposal_approve(proposal=proposal, by=staff, override=True) is True
    program.refresh_from_db()
    assert program.stipend_amount == Decimal("60000")
    change = FactChange.objects.get()
    assert change.previous_value == {"stipend_amount": "70000.00", "currency": "USD"}


def test_it_does_not_let_a_proposal_replace_what_the_program_reported(
    client, world, alice, erin, staff
):
    from medmatch.contributions.services import program_facts_edit

    program = world["medicine"]
    program_facts_edit(program=program, user=erin, values={"seats": 14}, version=0)
    program.refresh_from_db()
    proposal = proposal_create(
        proposer=alice, program=program, field="seats", value={"seats": "20"}, source_url=SOURCE
    )
    assert proposal_approve(proposal=proposal, by=staff) is False
    proposal.refresh_from_db()
    assert "reported this value itself" in proposal.conflict
    program.refresh_from_db()
    assert program.seats == 14


def test_it_rejects_with_a_reason_shown_to_the_proposer(client, world, alice, staff):
    proposal = proposal_create(
        proposer=alice,
        program=world["medicine"],
        field="seats",
        value={"seats": "20"},
        source_url=SOURCE,
    )
    client.force_login(staff)
    client.post(
        reverse("admin:contributions_factproposal_changelist"),
        {
            "action": "reject",
            "_selected_action": [proposal.pk],
            "apply": "1",
            "reason": "The page says 18.",
        },
    )
    proposal.refresh_from_db()
    assert proposal.status == "rejected" and proposal.review_reason == "The page says 18."
    client.force_login(alice)
    assert "The page says 18." in client.get(reverse("contributions:proposals")).content.decode()
    assert not FactChange.objects.exists()
