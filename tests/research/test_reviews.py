"""Reviews: moderation, who sees an unapproved review, the aggregate (never a rating for one
review), verification by institutional email domain, and the admin actions."""

import pytest
from django.urls import reverse

from medmatch.research.models import Review
from medmatch.research.reviews import email_matches_institution, summarize
from tests.personas import make_user
from tests.research.factories import make_review

REVIEW_POST = {
    "relation": "resident",
    "teaching": "5",
    "mentorship": "4",
    "workload": "2",
    "culture": "4",
    "text": "Night float is hard, but the teaching is superb.",
}


@pytest.fixture
def staff(db):
    return make_user("sid", is_staff=True, is_superuser=True)


def test_it_saves_a_new_review_as_awaiting_moderation(client, alice, programs):
    program = programs["columbia_cardiology"]
    client.force_login(alice)
    response = client.post(reverse("research:review_write", args=[program.pk]), REVIEW_POST)
    review = Review.objects.get()
    assert (review.author, review.status, review.verified) == (alice, "pending", False)
    assert response.url.endswith("#reviews-h")


def test_it_keeps_an_unapproved_review_from_everyone_but_staff_and_its_author(
    client, alice, bob, carol, staff, programs
):
    program = programs["columbia_cardiology"]
    make_review(alice, program, status=Review.Status.PENDING, text="Secret pending words")
    url = reverse("catalog:program", args=[program.pk])
    for who in (bob, carol, None):
        client.logout()
        if who:
            client.force_login(who)
        page = client.get(url).content.decode()
        assert "Secret pending words" not in page and "No reviews yet" in page
    client.force_login(alice)
    assert "Secret pending words" in client.get(url).content.decode()
    client.force_login(staff)
    admin_page = client.get(reverse("admin:research_review_changelist")).content.decode()
    assert "Columbia" in admin_page or program.title in admin_page


def test_it_hides_a_rejected_review_from_others(client, alice, bob, programs):
    program = programs["columbia_cardiology"]
    make_review(alice, program, status=Review.Status.REJECTED, text="Rejected words")
    client.force_login(bob)
    assert (
        "Rejected words"
        not in client.get(reverse("catalog:program", args=[program.pk])).content.decode()
    )


def test_it_shows_one_review_as_1_review_and_not_as_a_rating(client, alice, programs):
    program = programs["columbia_cardiology"]
    make_review(alice, program, text="Great mentors.")
    page = client.get(reverse("catalog:program", args=[program.pk])).content.decode()
    assert "1 review" in page and "Great mentors." in page
    assert "Median" not in page


def test_it_shows_median_range_and_spread_from_two_reviews(client, alice, bob, programs):
    program = programs["columbia_cardiology"]
    make_review(alice, program, teaching=2)
    make_review(bob, program, teaching=5, status=Review.Status.APPROVED)
    summary = summarize(list(Review.objects.approved()))
    teaching = summary.aspects[0]
    assert (teaching.label, teaching.median, teaching.low, teaching.high) == ("Teaching", 3.5, 2, 5)
    assert teaching.counts == (0, 1, 0, 0, 1)
    page = client.get(reverse("catalog:program", args=[program.pk])).content.decode()
    assert "2 reviews" in page and "2\u20135" in page and "1 gave 2" in page


def test_it_sends_an_edited_review_back_to_moderation(client, alice, staff, programs):
    program = programs["columbia_cardiology"]
    review = make_review(alice, program, verified=True, verified_how="by hand", verified_by=staff)
    client.force_login(alice)
    client.post(reverse("research:review_write", args=[program.pk]), REVIEW_POST)
    review.refresh_from_db()
    assert (review.status, review.verified, review.text) == ("pending", False, REVIEW_POST["text"])
    assert Review.objects.count() == 1


def test_it_asks_an_anonymous_visitor_to_log_in_to_write(client, programs):
    url = reverse("research:review_write", args=[programs["columbia_cardiology"].pk])
    assert client.get(url).status_code == 302
    assert client.post(url, REVIEW_POST).status_code == 302
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("email", "website", "verified"),
    [
        ("jo@columbia.edu", "https://www.columbia.edu/", True),
        ("jo@cumc.columbia.edu", "columbia.edu", True),
        ("jo@gmail.com", "https://www.columbia.edu", False),
        ("jo@notcolumbia.edu", "https://columbia.edu", False),
        ("jo@columbia.edu", "", False),
    ],
)
def test_it_verifies_only_an_institutional_email_domain(email, website, verified):
    assert email_matches_institution(email, website) is verified


def test_it_lets_staff_approve_and_verify_in_the_admin(client, staff, programs):
    program = programs["columbia_cardiology"]
    program.institution.website = "https://www.columbia.edu"
    program.institution.save()
    resident = make_user("res", email="res@cumc.columbia.edu")
    outsider = make_user("out", email="out@gmail.com")
    first = make_review(resident, program, status=Review.Status.PENDING)
    second = make_review(outsider, program, status=Review.Status.PENDING)
    client.force_login(staff)
    url = reverse("admin:research_review_changelist")
    ids = [first.pk, second.pk]
    client.post(url, {"action": "approve", "_selected_action": ids})
    client.post(url, {"action": "verify_by_email", "_selected_action": ids})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == "approved"
    assert first.verified and first.verified_by == staff
    assert "cumc.columbia.edu" in first.verified_how
    assert not second.verified
    client.post(url, {"action": "reject", "_selected_action": [second.pk]})
    second.refresh_from_db()
    assert second.status == "rejected"
