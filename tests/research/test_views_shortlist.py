import pytest
from django.urls import reverse

from medmatch.research.models import ShortlistItem, Tag
from tests.research.conftest import shortlist_for

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    return [item.program.title for item in response.context["items"]]


def test_it_lists_the_students_shortlist_newest_first(client, alice, alice_items):
    client.force_login(alice)
    response = client.get(reverse("research:shortlist"))
    assert response.status_code == 200
    assert _titles(response) == ["Pediatrics", "Cardiology", "Cardiovascular Disease"]
    page = response.content.decode()
    assert "Strong cath lab." in page
    assert "not rated yet" in page  # an unrated program is unknown, never 0 stars
    assert 'aria-label="Your rating: 5 of 5"' in page


def test_it_filters_by_tag(client, alice, alice_items):
    client.force_login(alice)
    response = client.get(reverse("research:shortlist"), {"tag": "NYC"})
    assert _titles(response) == ["Cardiovascular Disease"]
    assert "1 of 3 programs tagged" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("rating", ["Cardiovascular Disease", "Cardiology", "Pediatrics"]),
        ("name", ["Cardiology", "Cardiovascular Disease", "Pediatrics"]),
        ("added", ["Pediatrics", "Cardiology", "Cardiovascular Disease"]),
    ],
)
def test_it_sorts_by_rating_added_or_name(client, alice, alice_items, sort, expected):
    client.force_login(alice)
    assert _titles(client.get(reverse("research:shortlist"), {"sort": sort})) == expected


def test_it_names_the_field_of_a_bad_sort_and_uses_the_default(client, alice, alice_items):
    client.force_login(alice)
    response = client.get(reverse("research:shortlist"), {"sort": "price"})
    assert response.status_code == 200
    assert "sort: must be one of added, rating, name." in response.content.decode()
    assert len(response.context["items"]) == 3


def test_it_shows_an_empty_shortlist_with_a_way_to_fill_it(client, alice):
    client.force_login(alice)
    response = client.get(reverse("research:shortlist"))
    assert "Your shortlist is empty" in response.content.decode()


def test_it_sends_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("research:shortlist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_adds_a_program_and_goes_back_without_javascript(client, alice, programs):
    client.force_login(alice)
    program = programs["mgh_pediatrics"]
    back = reverse("catalog:program", args=[program.pk])
    response = client.post(reverse("research:add", args=[program.pk]), {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert ShortlistItem.objects.filter(student=alice, program=program).exists()


def test_it_adds_a_program_once_however_often_it_is_pressed(client, alice, programs):
    client.force_login(alice)
    url = reverse("research:add", args=[programs["mgh_pediatrics"].pk])
    client.post(url)
    client.post(url)
    assert ShortlistItem.objects.filter(student=alice).count() == 1


def test_it_ignores_an_offsite_next_address(client, alice, programs):
    client.force_login(alice)
    response = client.post(
        reverse("research:add", args=[programs["mgh_pediatrics"].pk]),
        {"next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("research:shortlist")


def test_it_adds_with_htmx_and_returns_the_remove_button(client, alice, programs):
    client.force_login(alice)
    program = programs["mgh_pediatrics"]
    response = client.post(reverse("research:add", args=[program.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    item = ShortlistItem.objects.get(student=alice, program=program)
    page = response.content.decode()
    assert reverse("research:remove", args=[item.pk]) in page
    assert "On your shortlist" in page
    assert "<html" not in page


def test_it_refuses_to_add_a_program_that_does_not_exist(client, alice):
    client.force_login(alice)
    assert client.post(reverse("research:add", args=[999999])).status_code == 404


def test_it_refuses_to_add_with_get(client, alice, programs):
    client.force_login(alice)
    response = client.get(reverse("research:add", args=[programs["mgh_pediatrics"].pk]))
    assert response.status_code == 405


def test_it_edits_note_tags_and_rating(client, alice, alice_items):
    client.force_login(alice)
    item = alice_items[2]
    prefix = f"item-{item.pk}"
    response = client.post(
        reverse("research:edit", args=[item.pk]),
        {
            f"{prefix}-note": "  Great mentors.  ",
            f"{prefix}-tags": "Safety, near family, safety",
            f"{prefix}-rating": "4",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.note == "Great mentors."
    assert item.rating == 4
    assert item.tag_names == ["near family", "safety"]
    # "safety" is alice's existing tag, reused rather than duplicated.
    assert Tag.objects.filter(student=alice, name="safety").count() == 1


def test_it_edits_inline_with_htmx(client, alice, alice_items):
    client.force_login(alice)
    item = alice_items[0]
    url = reverse("research:edit", args=[item.pk])
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    assert f'id="item-{item.pk}"' in form.content.decode()
    assert "<html" not in form.content.decode()
    prefix = f"item-{item.pk}"
    response = client.post(
        url,
        {f"{prefix}-note": "Call is q4.", f"{prefix}-tags": "reach", f"{prefix}-rating": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Call is q4." in response.content.decode()
    item.refresh_from_db()
    assert item.rating is None  # cleared means unknown again, not 0
    # "nyc" is no longer on any item, so it is gone from the tag filter.
    assert list(Tag.objects.filter(student=alice).values_list("name", flat=True)) == [
        "reach",
        "safety",
    ]


@pytest.mark.parametrize("rating", ["7", "0", "-1", "five"])
def test_it_names_the_field_of_a_bad_rating(client, alice, alice_items, rating):
    client.force_login(alice)
    item = alice_items[0]
    prefix = f"item-{item.pk}"
    response = client.post(
        reverse("research:edit", args=[item.pk]),
        {f"{prefix}-note": "changed", f"{prefix}-tags": "", f"{prefix}-rating": rating},
    )
    assert response.status_code == 200
    assert "rating: must be 1\u20135" in response.content.decode()
    item.refresh_from_db()
    assert item.rating == 5
    assert item.note == "Strong cath lab. Ask about call."


def test_it_names_the_field_of_a_too_long_tag(client, alice, alice_items):
    client.force_login(alice)
    item = alice_items[0]
    prefix = f"item-{item.pk}"
    response = client.post(
        reverse("research:edit", args=[item.pk]),
        {f"{prefix}-note": "", f"{prefix}-tags": "x" * 41, f"{prefix}-rating": ""},
    )
    assert "tags: “xxxxxxxxxxxxxxxxxxxx…” is longer than 40 characters." in (
        response.content.decode()
    )


def test_it_removes_a_program_after_confirming(client, alice, alice_items):
    client.force_login(alice)
    item = alice_items[0]
    url = reverse("research:remove", args=[item.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Remove “Cardiovascular Disease” from your shortlist?" in confirm.content.decode()
    assert ShortlistItem.objects.filter(pk=item.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not ShortlistItem.objects.filter(pk=item.pk).exists()
    assert not Tag.objects.filter(student=alice, name="nyc").exists()


def test_it_removes_with_htmx_from_the_list_and_from_the_button(client, alice, alice_items):
    client.force_login(alice)
    row = client.post(reverse("research:remove", args=[alice_items[0].pk]), HTTP_HX_REQUEST="true")
    assert row.status_code == 200
    assert row.content == b""
    program = alice_items[1].program
    button = client.post(
        reverse("research:remove", args=[alice_items[1].pk]),
        {"button": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert reverse("research:add", args=[program.pk]) in button.content.decode()
    assert ShortlistItem.objects.filter(student=alice).count() == 1


def test_it_shows_one_item_page_and_its_htmx_fragment(client, alice, alice_items):
    client.force_login(alice)
    url = reverse("research:item", args=[alice_items[0].pk])
    assert "Strong cath lab." in client.get(url).content.decode()
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith("<li")


def test_it_keeps_two_students_shortlists_apart(client, alice, bob, programs, alice_items):
    shortlist_for(bob, programs["mgh_anesthesia"], note="bob's secret", tags=["bobtag"])
    client.force_login(alice)
    response = client.get(reverse("research:shortlist"))
    page = response.content.decode()
    assert "Anesthesiology" not in page
    assert "bob&#x27;s secret" not in page and "bob's secret" not in page
    assert "bobtag" not in page
    assert response.context["tag_names"] == ["nyc", "reach", "safety"]


def test_it_edits_on_a_page_of_its_own_without_javascript(client, alice, alice_items):
    client.force_login(alice)
    response = client.get(reverse("research:edit", args=[alice_items[0].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    assert "Strong cath lab." in page
    assert 'value="nyc, reach"' in page
