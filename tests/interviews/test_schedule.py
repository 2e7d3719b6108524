"""The schedule: adding an interview in its own time zone, conflicts on the schedule and interview
pages, the ICS download, and interviews in the applications' calendar and next steps."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from medmatch.applications.next_steps import next_steps
from medmatch.interviews.models import Interview
from tests.interviews.conftest import DAY, at, make_interview

pytestmark = pytest.mark.django_db


def _form(application, **fields):
    return {
        "application": application.pk,
        "date": DAY.isoformat(),
        "time": "09:30",
        "time_zone": "America/Chicago",
        "duration_minutes": 90,
        "format": "virtual",
        "link": "https://meet.example.org/abc",
        "interviewers": "Dr. Ada Lovelace",
        **fields,
    }


def test_it_adds_an_interview_at_its_local_time(client, alice, applications):
    client.force_login(alice)
    response = client.post(reverse("interviews:interview_add"), _form(applications["mgh"]))
    interview = Interview.objects.get()
    assert response.status_code == 302 and response["Location"] == interview.get_absolute_url()
    assert interview.starts_at == at(DAY, 9, "America/Chicago", minute=30)
    assert interview.time_zone == "America/Chicago"
    page = client.get(interview.get_absolute_url()).content.decode()
    assert "09:30" in page and "America/Chicago" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone: “Mars/Olympus” is not a known time zone"),
        # "America" is a directory of the zone database (IsADirectoryError); 300 characters
        # made ZoneInfo raise OSError: both were 500s.
        ({"time_zone": "America"}, "time_zone: “America” is not a known time zone"),
        ({"time_zone": "x" * 300}, f"time_zone: “{'x' * 60}” is not a known time zone"),
        # 23:59 on 9999-12-31 at UTC-12 is past datetime.max in UTC: OverflowError, a 500.
        (
            {"date": "9999-12-31", "time": "23:59", "time_zone": "Etc/GMT+12"},
            "date: 9999-12-31 is not between 1900 and 2100",
        ),
        ({"date": "\u0662\u0660\u0662\u0665-01-01"}, "date: not a date"),
        ({"format": "in_person", "city": ""}, "city: an in-person interview needs its city."),
        ({"link": "not a url"}, "link: not a web address"),
        ({"date": "31/12"}, "date: not a date"),
    ],
)
def test_it_says_what_is_wrong_with_an_interview(client, alice, applications, fields, message):
    client.force_login(alice)
    response = client.post(
        reverse("interviews:interview_add"), _form(applications["mgh"], **fields)
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Interview.objects.exists()


def test_it_only_offers_the_students_own_applications(client, bob, applications):
    client.force_login(bob)
    response = client.post(reverse("interviews:interview_add"), _form(applications["mgh"]))
    assert response.status_code == 200 and not Interview.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("place", "Bulfinch\r\nBuilding"),
        ("city", "Boston\nMA"),
        ("interviewers", "Dr. Ada\tLovelace"),
    ],
)
def test_it_refuses_control_characters_in_names(client, alice, applications, field, value):
    client.force_login(alice)
    response = client.post(
        reverse("interviews:interview_add"), _form(applications["mgh"], **{field: value})
    )
    assert response.status_code == 200
    (message,) = response.context["form"].errors[field]
    assert message.startswith(f"{field}: use a single line of text without control characters")
    assert not Interview.objects.exists()


def test_it_takes_one_interviewer_a_line(client, alice, applications):
    client.force_login(alice)
    interviewers = "Dr. Ada Lovelace\r\nDr. Grace Hopper"
    client.post(
        reverse("interviews:interview_add"), _form(applications["mgh"], interviewers=interviewers)
    )
    assert Interview.objects.get().interviewer_names == ["Dr. Ada Lovelace", "Dr. Grace Hopper"]


def test_it_flags_two_interviews_on_the_same_day(client, alice, applications, interview):
    other = make_interview(applications["northwestern"], at(DAY, 15))
    client.force_login(alice)
    schedule = client.get(reverse("interviews:schedule"))
    (conflict,) = schedule.context["conflicts"]
    assert conflict.kind == "same_day"
    assert "are on the same day" in schedule.content.decode()
    page = client.get(other.get_absolute_url()).content.decode()
    assert "Same day" in page and "Internal Medicine, Massachusetts General Hospital" in page
    # The application's own view of the schedule shows it too.
    filtered = client.get(reverse("interviews:schedule"), {"application": other.application.pk})
    assert [i.pk for i in filtered.context["upcoming"]] == [other.pk]
    assert len(filtered.context["conflicts"]) == 1


def test_it_flags_travel_between_boston_and_chicago_on_consecutive_days(
    client, alice, applications, interview
):
    make_interview(
        applications["northwestern"],
        at(DAY + datetime.timedelta(days=1), 9, "America/Chicago"),
        zone="America/Chicago",
        format=Interview.Format.IN_PERSON,
        city="Chicago",
    )
    client.force_login(alice)
    (conflict,) = client.get(reverse("interviews:schedule")).context["conflicts"]
    assert conflict.kind == "travel" and conflict.distance_km > 1000


def test_it_downloads_the_interviews_as_ics(client, alice, interview):
    client.force_login(alice)
    response = client.get(reverse("interviews:calendar"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["UID"]) == f"interview-{interview.pk}@medmatch"
    assert event.decoded("DTSTART") == interview.starts_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == datetime.timedelta(hours=1)
    assert "Dr. Ada Lovelace, Dr. Grace Hopper" in str(event["DESCRIPTION"])
    assert str(event["LOCATION"]) == "Bulfinch Building, Boston, MA"


def test_it_puts_interviews_in_the_applications_calendar_and_feed(client, alice, interview):
    client.force_login(alice)
    response = client.get(reverse("applications:calendar"))
    uids = [str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert f"interview-{interview.pk}@medmatch" in uids


def test_it_lists_an_upcoming_interview_in_next_steps(alice, applications, interview):
    steps = next_steps(list(applications.values()), DAY - datetime.timedelta(days=2))
    (step,) = [s for s in steps if "interview at 09:00" in s.text]
    assert step.urgency == "soon" and step.due_on == DAY
    assert step.application == applications["mgh"]
    later = next_steps(list(applications.values()), DAY - datetime.timedelta(days=30))
    assert not [s for s in later if "interview at" in s.text]


def test_it_edits_and_removes_an_interview(client, alice, applications, interview):
    client.force_login(alice)
    client.post(
        reverse("interviews:interview_edit", args=[interview.pk]),
        _form(applications["mgh"], time="11:00", time_zone="America/New_York"),
    )
    interview.refresh_from_db()
    assert interview.starts_at == at(DAY, 11) and interview.format == "virtual"
    client.post(reverse("interviews:interview_delete", args=[interview.pk]))
    assert not Interview.objects.exists()


def test_it_moves_the_application_to_interview_invited(client, alice, applications):
    application = applications["mgh"]
    client.force_login(alice)
    client.post(reverse("interviews:interview_add"), _form(application))
    application.refresh_from_db()
    assert application.status == "interview_invited"
    assert application.status_changes.last().to_status == "interview_invited"


def test_it_never_moves_an_application_back(client, alice, applications):
    from medmatch.applications.services import application_move

    application = applications["mgh"]
    application_move(application=application, status="ranked")
    client.force_login(alice)
    client.post(reverse("interviews:interview_add"), _form(application))
    application.refresh_from_db()
    assert application.status == "ranked"


@pytest.mark.parametrize("value", ["\u00b2", "99999999999999999999", "abc", "0"])
def test_it_shows_the_whole_schedule_for_an_application_number_that_is_not_one(
    client, alice, interview, value
):
    # "\u00b2".isdigit() is True: the lookup raised ValueError, a 500.
    client.force_login(alice)
    response = client.get(reverse("interviews:schedule"), {"application": value})
    assert response.status_code == 200
    assert response.context["application"] is None
    response = client.get(reverse("interviews:interview_add"), {"application": value})
    assert response.status_code == 200


def test_it_shows_an_interview_saved_at_the_end_of_the_calendar(client, alice, interview):
    # Saved before dates were bounded: its end (and local time) are past datetime.max.
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=datetime.datetime(9999, 12, 31, 23, 30, tzinfo=datetime.UTC),
        time_zone="Etc/GMT-14",
    )
    client.force_login(alice)
    for name in ("interviews:schedule", "interviews:calendar", "applications:dashboard"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(interview.get_absolute_url()).status_code == 200


def test_it_warns_of_a_clash_before_saving_and_saves_when_confirmed(
    client, alice, applications, interview
):
    client.force_login(alice)
    url = reverse("interviews:interview_add")
    # 09:30 in Chicago is 10:30 in Boston: the same day as alice's 09:00 Boston interview.
    response = client.post(url, _form(applications["northwestern"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved yet: this interview clashes with your schedule." in html
    assert "are on the same day" in html
    assert f'href="{interview.get_absolute_url()}"' in html
    assert 'name="confirm_clash" value="on"' in html
    assert Interview.objects.count() == 1
    saved = client.post(url, _form(applications["northwestern"], confirm_clash="on"))
    assert saved.status_code == 302
    assert Interview.objects.count() == 2


def test_it_warns_of_an_overlap_when_an_edit_moves_into_another_interview(
    client, alice, applications, interview
):
    other = make_interview(applications["northwestern"], at(DAY + datetime.timedelta(days=3), 9))
    client.force_login(alice)
    url = reverse("interviews:interview_edit", args=[other.pk])
    # Unchanged, it clashes with nothing (not with itself).
    same = _form(applications["northwestern"], date=(DAY + datetime.timedelta(days=3)).isoformat())
    assert client.post(url, {**same, "time_zone": "America/New_York"}).status_code == 302
    moved = client.post(url, _form(applications["northwestern"], time="08:30"))
    assert "overlap" in moved.content.decode()
    other.refresh_from_db()
    assert other.starts_at.date() == DAY + datetime.timedelta(days=3)


def test_it_offers_the_iana_time_zones_defaulting_to_the_programs_place(
    client, alice, applications
):
    client.force_login(alice)
    page = client.get(reverse("interviews:interview_add"), {"application": applications["mgh"].pk})
    form = page.context["form"]
    assert form["time_zone"].value() == "America/New_York"  # Boston, MA
    choices = [value for value, _ in form.fields["time_zone"].widget.choices]
    assert "Asia/Kolkata" in choices and "America/Indiana/Indianapolis" in choices
    assert '<select name="time_zone"' in page.content.decode()
    # Left at "the program's own", the zone comes from the program's state (Chicago, IL).
    client.post(
        reverse("interviews:interview_add"), _form(applications["northwestern"], time_zone="")
    )
    assert Interview.objects.get().time_zone == "America/Chicago"


def test_it_asks_for_the_zone_when_the_programs_place_does_not_tell_it(client, alice):
    from medmatch.applications.services import application_create
    from tests.catalog.factories import make_institution, make_program

    sydney = make_institution("Royal Prince Alfred Hospital", city="Sydney", country="AU")
    application, _ = application_create(
        student=alice, program=make_program("Internal Medicine", institution=sydney)
    )
    client.force_login(alice)
    response = client.post(reverse("interviews:interview_add"), _form(application, time_zone=""))
    assert "time_zone: choose the zone the program gave the time in" in response.content.decode()
    assert not Interview.objects.exists()
