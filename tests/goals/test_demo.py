"""The demo student shows every stage of the journey, and nobody can lock the others out of it."""

from django.core import mail
from django.urls import reverse

from medmatch.accounts.models import User
from medmatch.applications.models import Application, Statement
from medmatch.goals.demo import DEMO_EMAIL, DEMO_PASSWORD, create_demo
from medmatch.interviews.models import Interview
from medmatch.letters.models import LetterAssignment, LetterRequest, Recommender
from medmatch.research.models import ShortlistItem


def _counts(user) -> dict[str, int]:
    return {
        "shortlist": ShortlistItem.objects.filter(student=user).count(),
        "applications": Application.objects.filter(student=user).count(),
        "statements": Statement.objects.filter(student=user).count(),
        "recommenders": Recommender.objects.filter(student=user).count(),
        "letter requests": LetterRequest.objects.filter(student=user).count(),
        "assignments": LetterAssignment.objects.filter(request__student=user).count(),
        "interviews": Interview.objects.filter(application__student=user).count(),
    }


def test_it_seeds_every_stage_once(catalog):
    user, created = create_demo()
    assert created
    seeded = _counts(user)
    assert seeded == {
        "shortlist": 2,  # the test catalog has two internal medicine programs in MA
        "applications": 2,
        "statements": 1,
        "recommenders": 1,
        "letter requests": 1,
        "assignments": 2,
        "interviews": 1,
    }
    # All fictional and marked as such; the shortlisted programs are the demo's internal medicine.
    assert all(item.note.startswith("(demo)") for item in ShortlistItem.objects.all())
    assert Statement.objects.get().title.endswith("(demo)")
    assert Recommender.objects.get().name.endswith("(demo)")
    interview = Interview.objects.select_related("application").get()
    assert interview.application.status == Application.Status.INTERVIEW_INVITED
    again, created = create_demo()
    assert again == user and not created
    assert _counts(user) == seeded


def test_it_seeds_the_statement_even_with_an_empty_catalog(db):
    user, _ = create_demo()
    assert _counts(user)["statements"] == 1
    assert _counts(user)["applications"] == 0


def test_it_shows_each_stage_to_the_demo(client, catalog):
    user, _ = create_demo()
    client.force_login(user)
    pages = {
        "research:shortlist": "(demo)",
        "applications:board": "Interview invited",
        "applications:statements": "Personal statement (demo)",
        "letters:index": "Dr. Alex Rivera (demo)",
        "interviews:schedule": 'Upcoming <span class="count">1</span>',
    }
    for url_name, text in pages.items():
        assert text in client.get(reverse(url_name)).content.decode(), url_name


def test_it_refuses_to_delete_the_shared_demo(client, db):
    user, _ = create_demo()
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": DEMO_PASSWORD}, follow=True)
    assert User.objects.filter(pk=user.pk).exists()
    assert "The demo account is shared, so it cannot be deleted" in response.content.decode()
    account = client.get(reverse("accounts:account")).content.decode()
    assert reverse("accounts:delete") not in account
    assert reverse("accounts:password_reset") not in account


def test_it_sends_no_password_reset_for_the_demo(client, db):
    create_demo()
    client.post(reverse("accounts:password_reset"), {"email": DEMO_EMAIL})
    assert mail.outbox == []
