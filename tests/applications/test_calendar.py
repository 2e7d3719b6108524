"""The ICS download and the private feed: parsed back by icalendar, every deadline in it,
nothing of anyone else's; the feed's secret stored hashed, revocable, unknown → 404."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from medmatch.applications.models import Application, CalendarFeed
from medmatch.applications.services import application_create
from tests.applications.conftest import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def deadlines(alice, bob, programs):
    """alice: columbia (deadline days(5), a letter due days(-3)), mgh (deadline unknown, photo due
    days(20)); bob: toronto with a deadline of his own."""
    columbia, _ = application_create(student=alice, program=programs["columbia"])
    letter = columbia.requirements.filter(kind="letter").first()
    letter.due_on = days(-3)
    letter.save()
    mgh, _ = application_create(student=alice, program=programs["mgh"])
    photo = mgh.requirements.get(title="Photo")
    photo.due_on = days(20)
    photo.set_done(True)
    photo.save()
    toronto, _ = application_create(student=bob, program=programs["toronto"])
    Application.objects.filter(pk=toronto.pk).update(deadline=days(7))
    return {"columbia": columbia, "letter": letter, "mgh": mgh, "photo": photo}


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_it_exports_every_deadline_as_an_all_day_event(client, alice, deadlines):
    client.force_login(alice)
    events = _events(client.get(reverse("applications:calendar")))
    columbia, letter, photo = deadlines["columbia"], deadlines["letter"], deadlines["photo"]
    assert set(events) == {
        f"application-{columbia.pk}-deadline@medmatch",
        f"requirement-{letter.pk}@medmatch",
        f"requirement-{photo.pk}@medmatch",
    }
    deadline = events[f"application-{columbia.pk}-deadline@medmatch"]
    start = deadline.decoded("DTSTART")
    assert start == days(5) and not isinstance(start, datetime.datetime)
    assert deadline.decoded("DTEND") == days(6)
    assert (
        str(deadline["SUMMARY"]) == "Application deadline: Internal Medicine — Columbia University"
    )
    assert str(deadline["URL"]) == f"http://testserver/applications/{columbia.pk}/"
    assert "Letter of recommendation 2" in str(deadline["DESCRIPTION"])  # still open, due with it
    assert "Letter of recommendation 1" not in str(deadline["DESCRIPTION"])  # has its own date
    letter_event = events[f"requirement-{letter.pk}@medmatch"]
    assert letter_event.decoded("DTSTART") == days(-3)
    assert str(letter_event["SUMMARY"]) == (
        "Letter of recommendation 1: Internal Medicine — Columbia University"
    )
    assert str(events[f"requirement-{photo.pk}@medmatch"]["SUMMARY"]).startswith("Photo (done): ")


def test_it_keeps_the_uids_stable_between_exports(client, alice, deadlines):
    client.force_login(alice)
    first = _events(client.get(reverse("applications:calendar")))
    second = _events(client.get(reverse("applications:calendar")))
    assert set(first) == set(second)


def test_it_exports_nothing_of_another_students(client, bob, deadlines):
    client.force_login(bob)
    events = _events(client.get(reverse("applications:calendar")))
    assert len(events) == 1
    (event,) = events.values()
    assert "Family Medicine" in str(event["SUMMARY"])


def test_it_asks_a_visitor_to_log_in_for_the_download(client):
    response = client.get(reverse("applications:calendar"))
    assert response.status_code == 302


def _feed_url(client) -> str:
    response = client.post(reverse("applications:calendar_settings"), {"action": "renew"})
    return response.context["feed_url"]


def test_it_serves_the_private_feed_without_a_session(client, alice, deadlines):
    client.force_login(alice)
    url = _feed_url(client)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(student=alice)
    assert token not in feed.token_hash  # only the hash is stored
    assert feed.token_hash == CalendarFeed.hash_token(token)
    client.logout()
    events = _events(client.get(url))
    assert len(events) == 3
    page = client.get(reverse("applications:calendar_settings"))
    assert page.status_code == 302  # the settings page needs the session


def test_it_shows_the_feed_address_only_once(client, alice):
    client.force_login(alice)
    url = _feed_url(client)
    page = client.get(reverse("applications:calendar_settings")).content.decode()
    assert "A feed address is active" in page
    assert url not in page


def test_it_revokes_and_renews_the_feed(client, alice, deadlines):
    client.force_login(alice)
    first = _feed_url(client)
    second = _feed_url(client)
    assert client.get(first).status_code == 404  # renewing replaced it
    assert client.get(second).status_code == 200
    client.post(reverse("applications:calendar_settings"), {"action": "revoke"})
    assert client.get(second).status_code == 404
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("token", ["nope", "x" * 43, "a" * 500])
def test_it_gives_404_for_an_unknown_feed_token(client, alice, token):
    client.force_login(alice)
    _feed_url(client)
    url = reverse("applications:calendar_feed", args=[token])
    assert client.get(url).status_code == 404


def test_it_exports_a_deadline_saved_at_the_end_of_the_calendar_as_that_day(
    client, alice, deadlines
):
    # Saved before dates were bounded: the day after 9999-12-31 overflowed (a 500 for the
    # download and for every calendar app polling the feed).
    Application.objects.filter(pk=deadlines["columbia"].pk).update(deadline=datetime.date.max)
    client.force_login(alice)
    event = _events(client.get(reverse("applications:calendar")))[
        f"application-{deadlines['columbia'].pk}-deadline@medmatch"
    ]
    assert event.decoded("dtstart") == event.decoded("dtend") == datetime.date.max
    feed = _feed_url(client)
    client.logout()
    assert client.get(feed).status_code == 200
