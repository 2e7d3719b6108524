"""Another student, a coordinator and an anonymous visitor get 404 on every URL of alice's
shortlist items, for every method the URL accepts, and never see her items in their lists."""

import pytest
from django.urls import reverse

from medmatch.research.models import ShortlistItem
from tests.research.conftest import shortlist_for

pytestmark = pytest.mark.django_db

# Every object URL with every method it accepts (the item page is GET only).
OBJECT_URLS = [
    ("research:item", "get"),
    ("research:edit", "get"),
    ("research:edit", "post"),
    ("research:remove", "get"),
    ("research:remove", "post"),
]


@pytest.mark.parametrize(("name", "method"), OBJECT_URLS)
@pytest.mark.parametrize("htmx", [False, True])
def test_it_hides_every_item_url_from_everyone_else(outsiders, alice_items, name, method, htmx):
    item = alice_items[0]
    url = reverse(name, args=[item.pk])
    prefix = f"item-{item.pk}"
    data = {f"{prefix}-note": "pwned", f"{prefix}-tags": "x", f"{prefix}-rating": "1"}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    for who, client in outsiders.items():
        response = getattr(client, method)(url, data, **headers)
        assert response.status_code == 404, f"{who}: {method.upper()} {url}"
    item.refresh_from_db()
    assert item.note == "Strong cath lab. Ask about call."
    assert ShortlistItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("mine", [0, 1])
def test_it_hides_compare_with_someone_elses_items(outsiders, bob, programs, alice_items, mine):
    bobs = shortlist_for(bob, programs["mgh_anesthesia"])
    for who, client in outsiders.items():
        # alice's ids alone, or mixed with one of the outsider's own (bob's).
        ids = [alice_items[0].pk, alice_items[1].pk] + ([bobs[0].pk] if mine else [])
        response = client.get(reverse("research:compare"), {"item": ids})
        assert response.status_code == 404, who


def test_it_hides_compare_from_alice_for_bobs_items(client, alice, bob, programs, alice_items):
    bobs = shortlist_for(bob, programs["mgh_anesthesia"])
    client.force_login(alice)
    response = client.get(reverse("research:compare"), {"item": [alice_items[0].pk, bobs[0].pk]})
    assert response.status_code == 404


def test_it_shows_a_404_not_a_405_or_a_login_redirect_for_missing_items(outsiders):
    for who, client in outsiders.items():
        assert client.get(reverse("research:edit", args=[424242])).status_code == 404, who


def test_it_lists_only_ones_own_items(outsiders, alice_items):
    for who, client in outsiders.items():
        response = client.get(reverse("research:shortlist"))
        if who == "anonymous":
            assert response.status_code == 302
            continue
        assert list(response.context["items"]) == [], who
        assert "Strong cath lab." not in response.content.decode()
        assert response.context["tag_names"] == []


def test_it_does_not_let_a_shortlist_button_reveal_someone_elses_item(client, bob, alice_items):
    # bob adding alice's program gets his own item, never hers.
    client.force_login(bob)
    program = alice_items[0].program
    response = client.post(reverse("research:add", args=[program.pk]), HTTP_HX_REQUEST="true")
    assert reverse("research:remove", args=[alice_items[0].pk]) not in response.content.decode()
    assert ShortlistItem.objects.filter(program=program).count() == 2
