"""Another student, a coordinator and an anonymous visitor get 404 on every URL of alice's
recommenders, requests and links, for every method the URL accepts — and nothing changes."""

import pytest
from django.core import mail
from django.urls import reverse

from medmatch.letters.models import LetterRequest, Recommender, UploadLink
from medmatch.letters.services import link_create

pytestmark = pytest.mark.django_db

RECOMMENDER_URLS = [
    ("letters:recommender_edit", "get"),
    ("letters:recommender_edit", "post"),
    ("letters:recommender_delete", "post"),
]
REQUEST_URLS = [
    ("letters:request_detail", "get"),
    ("letters:request_edit", "get"),
    ("letters:request_edit", "post"),
    ("letters:request_delete", "get"),
    ("letters:request_delete", "post"),
    ("letters:packet", "get"),
    ("letters:send", "post"),
    ("letters:link_create", "post"),
    ("letters:letter_download", "get"),
]
LINK_URLS = [("letters:link_revoke", "post")]


def _snapshot():
    return (
        list(Recommender.objects.values()),
        list(LetterRequest.objects.values()),
        list(UploadLink.objects.values()),
    )


@pytest.mark.parametrize(("name", "method"), RECOMMENDER_URLS + REQUEST_URLS + LINK_URLS)
def test_it_hides_every_object_url_from_everyone_else(outsiders, letter_request, name, method):
    _, link = link_create(request=letter_request)
    pk = {
        **{url: letter_request.recommender.pk for url, _ in RECOMMENDER_URLS},
        **{url: letter_request.pk for url, _ in REQUEST_URLS},
        **{url: link.pk for url, _ in LINK_URLS},
    }[name]
    url = reverse(name, args=[pk])
    before = _snapshot()
    for who, client in outsiders.items():
        response = getattr(client, method)(url, {"name": "pwned", "status": "declined"})
        assert response.status_code == 404, f"{who}: {method.upper()} {url}"
        assert b"Okafor" not in response.content
    assert _snapshot() == before
    assert mail.outbox == []


def test_it_lists_only_ones_own_letters(outsiders, letter_request):
    for who, client in outsiders.items():
        if who == "anonymous":
            continue
        response = client.get(reverse("letters:index"))
        assert response.status_code == 200
        assert b"Okafor" not in response.content, who


def test_it_sends_anonymous_visitors_to_log_in_for_the_lists(client):
    for name in ["letters:index", "letters:recommender_create", "letters:request_create"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_offers_only_ones_own_recommenders_and_applications(outsiders, letter_request, bob):
    client = outsiders["another student"]
    Recommender.objects.create(student=bob, name="Bob's mentor")
    response = client.post(
        reverse("letters:request_create"),
        {
            "recommender": letter_request.recommender.pk,
            "applications": [a.pk for a in letter_request.applications.all()],
            "status": "to_ask",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "recommender" in errors and "applications" in errors
    assert LetterRequest.objects.count() == 1
