"""Running and publishing a match cycle in a browser: the administrator runs a locked cycle of
five students (one couple, one supplemental list) and sees the run's summary, publishes it on
match day; a student reads their result with the reasons on a phone, and a program's director
its filled list; axe-core on each page. A queued run with no worker is cancelled, and a stale one
replaced by a new run."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect
from tests.contributions.conftest import make_coordinatorship
from tests.cycles.factories import make_small_market
from tests.personas import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def market(alice, bob):
    return make_small_market(alice, bob)


def _log_in(page, live_server, user) -> None:
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _assert_fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_cycle_is_run_published_and_read(
    page, live_server, market, assert_accessible, screenshot_dir
):
    cycle = market["cycle"]
    _log_in(page, live_server, make_user("dave-admin", role="match_admin"))
    page.goto(f"{live_server.url}/match/cycles/{cycle.pk}/")
    expect(page.get_by_text("The match has not been run.")).to_be_visible()
    page.get_by_role("button", name="Run the match").click()
    # The test settings run tasks at once: the run has finished when the page comes back.
    expect(page.get_by_text("4 of 5 applicants matched (1 couple)")).to_be_visible()
    expect(
        page.get_by_text("The independent checker found the result valid and stable.")
    ).to_be_visible()
    assert_accessible(page, "cycle after its run")
    page.screenshot(path=screenshot_dir / "cycle-run.png", full_page=True)
    page.get_by_role("button", name="Publish the result").click()
    expect(page.get_by_text("The result is published")).to_be_visible()

    page.set_viewport_size({"width": 375, "height": 812})
    _log_in(page, live_server, market["students"]["alice"])
    page.goto(f"{live_server.url}/match/results/")
    page.get_by_role("link", name=cycle.name).click()
    expect(page.get_by_text("You did not match in this cycle.")).to_be_visible()
    expect(
        page.get_by_role("listitem").filter(has_text="It filled its 1 position")
    ).to_contain_text("the last one it took was its 2nd choice; you were its 3rd")
    assert_accessible(page, "student's result")
    _assert_fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "cycle-result-phone.png", full_page=True)
    page.get_by_role("link", name="See the unfilled positions").click()
    expect(page.get_by_role("cell", name="2", exact=True)).to_be_visible()
    assert_accessible(page, "unfilled positions")
    _assert_fits_the_screen(page)

    director = make_user("pd")
    make_coordinatorship(
        director, market["programs"]["surgery"].program.institution, role="director"
    )
    _log_in(page, live_server, director)
    page.goto(f"{live_server.url}/match/results/")
    page.get_by_role("link", name="General Surgery").click()
    expect(page.get_by_text("1 of 1 position filled")).to_be_visible()
    assert_accessible(page, "program's filled list")
    _assert_fits_the_screen(page)


def test_a_queued_run_with_no_worker_is_cancelled_and_run_again(
    page, live_server, market, settings, assert_accessible, screenshot_dir
):
    from medmatch.cycles.models import MatchRun

    # The real queue, and no worker: the run waits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cycle = market["cycle"]
    _log_in(page, live_server, make_user("dave-admin", role="match_admin"))
    page.goto(f"{live_server.url}/match/cycles/{cycle.pk}/")
    page.get_by_role("button", name="Run the match").click()
    run = MatchRun.objects.get(cycle=cycle)
    expect(page.get_by_text(f"Run {run.pk}: queued, 0% done.")).to_be_visible()
    expect(page.get_by_role("button", name="Run the match")).to_have_count(0)
    assert_accessible(page, "cycle with a queued run")
    page.get_by_role("button", name=f"Cancel run {run.pk}").click()
    expect(page.get_by_text(f"Run {run.pk} is cancelled; nothing of it is stored.")).to_be_visible()
    expect(page.get_by_text(f"Run {run.pk} was cancelled")).to_be_visible()
    run.refresh_from_db()
    assert run.status == MatchRun.Status.CANCELLED

    # A run queued long ago, that no worker took: the page says so and Run replaces it.
    stale = MatchRun.objects.create(
        cycle=cycle, queued_at=timezone.now() - datetime.timedelta(minutes=15)
    )
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("is medmatch worker running?")
    page.screenshot(path=screenshot_dir / "cycle-run-stale.png", full_page=True)
    page.get_by_role("button", name="Run the match again").click()
    expect(page.get_by_text("The match is queued")).to_be_visible()
    stale.refresh_from_db()
    assert stale.status == MatchRun.Status.CANCELLED and "replaced by a new run" in stale.error
    assert cycle.runs.filter(status=MatchRun.Status.QUEUED).count() == 1
