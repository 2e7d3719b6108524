"""Interview practice and the schedule in a browser: time an answer with the timer, save it and
read the duration and the checker's feedback; schedule two interviews on one day and see the
clash; the progress chart; axe-core on each page; a phone-sized screen."""

import datetime
import re

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program
from tests.personas import make_user

from medmatch.applications.services import application_create
from medmatch.interviews.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(el => !(el.parentElement && el.parentElement.closest('.table-wrap')))
  .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().right)
"""
STORY = (
    "During my third-year medicine rotation, a patient's son was angry about a delayed scan. "
    "I listened, explained the delay and called radiology. As a result the scan was done that "
    "afternoon, and I learned to update families early."
)


@pytest.fixture
def student(transactional_db):
    # A transactional test empties the tables, the bank included: load it again.
    import importlib

    from django.apps import apps

    importlib.import_module(
        "medmatch.interviews.migrations.0002_load_question_bank"
    ).load_question_bank(apps, None)
    alice = make_user("alice", first_name="Alice", last_name="Archer")
    boston = make_institution("Massachusetts General Hospital", city="Boston", region="MA")
    chicago = make_institution("Northwestern Memorial Hospital", city="Chicago", region="IL")
    application_create(student=alice, program=make_program("Internal Medicine", institution=boston))
    application_create(student=alice, program=make_program("Pediatrics", institution=chicago))
    return alice


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _assert_fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, page.evaluate(WIDE_ELEMENTS)


def _add_interview(
    page, live_server, program: str, day: datetime.date, time: str, *, clash_shot=None
) -> None:
    page.goto(f"{live_server.url}/interviews/schedule/add/")
    page.get_by_label("Application").select_option(label=program)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill(time)
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_label("Video link").fill("https://meet.example.org/room")
    page.get_by_label("Interviewers").fill("Dr. Ada Lovelace")
    page.get_by_role("button", name="Save").click()
    if clash_shot:
        # The clash is shown before anything is saved; "Save anyway" confirms it.
        expect(page.locator("#clash-warning")).to_contain_text("are on the same day")
        expect(page.get_by_label("Start time")).to_have_value(time)
        page.screenshot(path=clash_shot, full_page=True)
        page.get_by_role("button", name="Save anyway").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Interview:")


def test_it_times_a_practice_answer_and_flags_a_same_day_clash(
    page, live_server, student, screenshot_dir, assert_accessible
):
    page.set_viewport_size({"width": 1280, "height": 1000})
    _log_in(page, live_server, student)
    question = Question.objects.get(key="Q017")

    # Practise with the timer: start, about two seconds, stop; the seconds field fills itself.
    page.goto(f"{live_server.url}/interviews/questions/")
    page.get_by_role("link", name=re.compile(re.escape(question.text))).click()
    expect(page.locator("#timer-display")).to_have_text("0:00")
    assert_accessible(page, "practice page")
    page.get_by_role("button", name="Start the timer").click()
    page.wait_for_timeout(2200)
    expect(page.locator("#timer-display")).to_have_text(re.compile(r"0:0[2-3]"))
    page.get_by_role("button", name="Stop").click()
    seconds = int(page.get_by_label("Time taken (seconds)").input_value())
    assert 2 <= seconds <= 4
    expect(page.locator("#timer-status")).to_contain_text("Stopped at")
    page.get_by_label("Outline or transcript").fill(STORY)
    page.get_by_role("group", name="Clarity").get_by_label("4").check()
    page.get_by_role("group", name="Honesty").get_by_label("5").check()
    page.get_by_label("Notes").fill("Slow down at the start.")
    page.screenshot(path=screenshot_dir / "interviews-practice.png", full_page=True)
    page.get_by_role("button", name="Save and check").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Practice attempt")
    expect(page.locator(".duration")).to_have_text(f"0:0{seconds}")
    expect(page.locator(".star-parts")).to_contain_text("Result: found")
    # The whole story in a few seconds cannot be true: said so, and the time check fails.
    expect(page.locator(".findings")).to_contain_text(f"cannot be said in 0:0{seconds}")
    expect(page.get_by_text("100 / 100")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "interviews-attempt-implausible.png", full_page=True)

    # The same answer with the time it takes to say it passes every check.
    page.goto(f"{live_server.url}/interviews/questions/{question.pk}/practice/")
    page.get_by_label("Time taken (seconds)").fill("75")
    page.get_by_label("Outline or transcript").fill(STORY)
    page.get_by_role("button", name="Save and check").click()
    expect(page.locator(".duration")).to_have_text("1:15")
    expect(page.locator(".star-parts")).to_contain_text("Action: found")
    expect(page.get_by_text("100 / 100")).to_be_visible()
    assert_accessible(page, "attempt page")
    page.screenshot(path=screenshot_dir / "interviews-attempt.png", full_page=True)

    # A vague second answer: the checker names what is missing.
    page.goto(f"{live_server.url}/interviews/questions/{question.pk}/practice/")
    page.get_by_label("Time taken (seconds)").fill("150")
    page.get_by_label("Outline or transcript").fill("I am a team player, so I always help.")
    page.get_by_role("button", name="Save and check").click()
    expect(page.locator(".findings")).to_contain_text("No result")
    expect(page.locator(".star-parts")).to_contain_text("Action: missing")
    expect(page.locator(".findings")).to_contain_text("You took 2:30 for a 2:00 answer")

    page.goto(f"{live_server.url}/interviews/practice/")
    expect(page.locator("#progress-chart")).to_be_visible()
    expect(page.locator(".attempts-table tbody tr")).to_have_count(3)
    assert_accessible(page, "progress page")
    page.screenshot(path=screenshot_dir / "interviews-progress.png", full_page=True)

    # Two interviews on one day: the schedule flags the clash.
    day = datetime.date.today() + datetime.timedelta(days=10)
    _add_interview(
        page, live_server, "Internal Medicine — Massachusetts General Hospital", day, "09:00"
    )
    _add_interview(
        page,
        live_server,
        "Pediatrics — Northwestern Memorial Hospital",
        day,
        "14:00",
        clash_shot=screenshot_dir / "interviews-clash-warning.png",
    )
    expect(page.locator(".conflicts")).to_contain_text("are on the same day")
    assert_accessible(page, "interview page")
    page.screenshot(path=screenshot_dir / "interviews-interview.png", full_page=True)
    page.goto(f"{live_server.url}/interviews/schedule/")
    expect(page.locator(".conflict")).to_have_count(1)
    expect(page.locator(".conflict")).to_contain_text("Same day")
    assert_accessible(page, "schedule page")
    page.screenshot(path=screenshot_dir / "interviews-schedule.png", full_page=True)

    # On a phone.
    page.set_viewport_size({"width": 375, "height": 800})
    for path, name in [
        (f"/interviews/questions/{question.pk}/practice/", "practice"),
        ("/interviews/schedule/", "schedule"),
        ("/interviews/practice/", "progress"),
        ("/interviews/questions/", "questions"),
    ]:
        page.goto(f"{live_server.url}{path}")
        _assert_fits_the_screen(page)
        page.screenshot(path=screenshot_dir / f"interviews-{name}-375.png", full_page=True)
    assert_accessible(page, "question bank on a phone")
