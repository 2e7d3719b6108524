"""The verified-coordinator rule and the domain evidence staff see."""

import pytest

from medmatch.contributions.coordinators import (
    can_edit_program,
    coordinator_institutions,
    coordinator_programs,
)
from medmatch.contributions.evidence import coordinator_evidence
from medmatch.contributions.models import Coordinatorship
from medmatch.contributions.services import coordinator_request, coordinator_review
from tests.catalog.factories import make_institution, make_program
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def test_it_gives_a_verified_coordinator_the_programs_of_their_institution(world, erin):
    assert set(coordinator_programs(erin)) == {world["medicine"], world["pediatrics"]}
    assert list(coordinator_institutions(erin)) == [world["rush"]]
    assert can_edit_program(erin, world["medicine"])
    assert not can_edit_program(erin, world["other_program"])


def test_it_gives_nothing_to_an_unverified_or_rejected_or_inactive_coordinator(world, frank, erin):
    assert not coordinator_programs(frank).exists()
    assert not can_edit_program(frank, world["medicine"])
    Coordinatorship.objects.filter(user=frank).update(status="rejected")
    assert not can_edit_program(frank, world["medicine"])
    erin.is_active = False
    erin.save()
    assert not can_edit_program(erin, world["medicine"])


def test_it_gives_nothing_to_anonymous_visitors_and_students(world, alice):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), alice, None):
        assert not coordinator_programs(user).exists()
        assert not can_edit_program(user, world["medicine"])


def test_it_does_not_give_a_hospital_coordinator_the_programs_of_linked_sponsors(world, erin):
    sponsor = make_institution("Rush GME Sponsor", hospital=world["rush"])
    linked = make_program("Surgery", institution=sponsor)
    assert not can_edit_program(erin, linked)
    assert linked not in coordinator_programs(erin)


@pytest.mark.parametrize(
    ("email", "strength"),
    [
        ("jane@rush.edu", "website"),
        ("jane@med.rush.edu", "website"),
        ("jane@gmail.com", "none"),
        ("jane@notrush.edu", "none"),
    ],
)
def test_it_finds_website_evidence(world, email, strength):
    found, lines = coordinator_evidence(email=email, institution=world["rush"])
    assert found == strength
    assert lines[0].startswith("Email domain:")


def test_it_finds_university_evidence_from_the_shipped_domain_list(db):
    iowa = make_institution("U Iowa Hosps and Clinics", country="US")
    strength, lines = coordinator_evidence(email="jo@healthcare.uiowa.edu", institution=iowa)
    assert strength == "university"
    assert any("uiowa.edu belongs to University of Iowa" in line for line in lines)
    other = make_institution("Mayo Clinic", country="US")
    strength, lines = coordinator_evidence(email="jo@uiowa.edu", institution=other)
    assert strength == "none"
    assert any("does not match" in line for line in lines)


def test_it_records_a_request_with_its_evidence_and_staff_verify_it(world, staff):
    user = make_user("hal", email="hal@rush.edu")
    request = coordinator_request(user=user, institution=world["rush"], role_title="Coordinator")
    assert request.status == "requested"
    assert request.evidence_strength == "website"
    assert not can_edit_program(user, world["medicine"])
    coordinator_review(request=request, by=staff, verified=True)
    assert can_edit_program(user, world["medicine"])
    # asking again keeps a verified request verified
    again = coordinator_request(user=user, institution=world["rush"], role_title="Other")
    assert again.pk == request.pk and again.status == "verified"


def test_it_lets_staff_verify_and_reject_with_a_reason_in_the_admin(client, world, staff):
    from django.urls import reverse

    hal = make_user("hal", email="hal@rush.edu")
    ivy = make_user("ivy", email="ivy@gmail.com")
    first = coordinator_request(user=hal, institution=world["rush"], role_title="Coordinator")
    second = coordinator_request(user=ivy, institution=world["rush"], role_title="Coordinator")
    client.force_login(staff)
    url = reverse("admin:contributions_coordinatorship_changelist")
    page = client.get(reverse("admin:contributions_coordinatorship_change", args=[first.pk]))
    assert "Matches the website of Rush University Medical Center" in page.content.decode()
    client.post(url, {"action": "verify", "_selected_action": [first.pk]})
    asked = client.post(url, {"action": "reject", "_selected_action": [second.pk]})
    assert "Reason" in asked.content.decode()  # the intermediate page asks for the reason
    second.refresh_from_db()
    assert second.status == "requested"
    client.post(
        url,
        {
            "action": "reject",
            "_selected_action": [second.pk],
            "apply": "1",
            "reason": "No institutional address; call the GME office.",
        },
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "verified" and first.reviewed_by == staff
    assert second.status == "rejected"
    assert second.review_reason == "No institutional address; call the GME office."


def test_it_shows_the_request_page_and_saves_a_request(client, world):
    user = make_user("hal", email="hal@rush.edu")
    client.force_login(user)
    from django.urls import reverse

    url = reverse("contributions:coordinator_request", args=[world["rush"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"role_title": "", "message": ""})
    assert "Your role: say what you do at the institution." in response.content.decode()
    response = client.post(url, {"role_title": "GME coordinator", "message": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("contributions:coordinator")
    assert "Awaiting verification" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "email", "strength"),
    [
        ("Rush University Med Ctr", "jane@rush.edu", "name"),
        ("Rush University Med Ctr", "jane@med.rush.edu", "name"),
        ("University of Illinois at Chicago", "jane@uic.edu", "university"),
        ("Univ of Illinois College of Medicine at Peoria", "jane@uic.edu", "none"),
        ("Rush University Med Ctr", "jane@rush.com", "none"),
        ("University of Oxford Medical Sciences", "jane@medsci.ox.ac.uk", "university"),
        ("Mc Hospital", "jane@mc.edu", "none"),
    ],
)
def test_it_notes_an_academic_domain_named_like_the_institution(db, name, email, strength):
    institution = make_institution(name, country="US")
    assert coordinator_evidence(email=email, institution=institution)[0] == strength
