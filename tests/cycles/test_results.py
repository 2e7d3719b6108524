"""Match day pages: a student's own result with the reasons, a couple's pair, a program's
filled list for its staff only, the unfilled positions for the cycle's participants, and
nothing for anyone before the administrator publishes."""

import pytest
from django.test import Client

from medmatch.cycles.models import MatchCycle
from tests.contributions.conftest import make_coordinatorship
from tests.cycles.factories import run_through_the_page
from tests.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(client, run_market, django_capture_on_commit_callbacks):
    run = run_through_the_page(client, run_market["cycle"], django_capture_on_commit_callbacks)
    MatchCycle.objects.filter(pk=run_market["cycle"].pk).update(state=MatchCycle.State.PUBLISHED)
    run_market["run"] = run
    return run_market


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def urls(run_market) -> dict[str, str]:
    cycle = run_market["cycle"].pk
    surgery = run_market["programs"]["surgery"].pk
    return {
        "result": f"/match/results/{cycle}/",
        "program": f"/match/results/{cycle}/programs/{surgery}/",
        "unfilled": f"/match/results/{cycle}/unfilled/",
    }


def test_a_student_sees_their_result_and_why_not_higher(published):
    page = as_user(published["students"]["alice"]).get(urls(published)["result"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "You did not match in this cycle" in text
    assert "General Surgery Hospital</strong>: It filled its 1 position" in text
    assert "you were its 3rd" in text
    for other in ("bob", "frank", "gina", "erin", "henry"):
        assert other not in text


def test_a_student_with_a_supplemental_list_sees_the_preliminary_year(published):
    text = as_user(published["students"]["erin"]).get(urls(published)["result"]).content.decode()
    assert "You matched to <strong>Diagnostic Radiology</strong>" in text
    assert (
        "Your preliminary year: <strong>Preliminary Medicine, Preliminary Medicine Hospital" in text
    )
    assert "None: you matched to your first choice." in text


def test_a_couple_sees_the_pair(published):
    text = as_user(published["students"]["gina"]).get(urls(published)["result"]).content.decode()
    assert "You matched to <strong>Internal Medicine</strong>" in text
    assert "the 1st row of your joint list" in text
    assert "your partner frank matched to Internal Medicine" in text


def test_each_student_sees_only_their_own_result(published):
    text = as_user(published["students"]["bob"]).get(urls(published)["result"]).content.decode()
    assert "You matched to <strong>General Surgery</strong>" in text
    assert "your 1st choice" in text and "You did not match" not in text


def test_a_program_s_staff_see_its_filled_list(published):
    director = make_user("pd")
    make_coordinatorship(
        director, published["programs"]["surgery"].program.institution, role="director"
    )
    text = as_user(director).get(urls(published)["program"]).content.decode()
    assert "1 of 1 position filled" in text
    assert "bob" in text and "alice" not in text
    assert ">2<" in text  # bob's place on the program's own list


def test_the_unfilled_positions_are_listed_for_participants(published):
    text = as_user(published["students"]["alice"]).get(urls(published)["unfilled"]).content.decode()
    assert "2 positions in 1 program did not fill" in text
    assert "Family Medicine" in text


@pytest.mark.parametrize("page", ["result", "program", "unfilled"])
def test_outsiders_get_404(published, carol, page):
    """Another student (not in the cycle), a coordinator of no cycle program, and anonymous."""
    url = urls(published)[page]
    strangers = {
        "another student": as_user(make_user("zoe")),
        "coordinator": as_user(carol),
        "anonymous": Client(),
    }
    for who, client in strangers.items():
        assert client.get(url).status_code == 404, (who, url)


def test_another_program_s_staff_get_404_for_its_list(published):
    other = make_user("other-pd")
    make_coordinatorship(other, published["programs"]["im"].program.institution, role="director")
    assert as_user(other).get(urls(published)["program"]).status_code == 404
    # A student of the cycle is not the program's staff either.
    alice = published["students"]["alice"]
    assert as_user(alice).get(urls(published)["program"]).status_code == 404


@pytest.mark.parametrize("page", ["result", "program", "unfilled"])
def test_nobody_sees_results_before_publishing(
    client,
    run_market,
    django_capture_on_commit_callbacks,
    page,
):
    run_through_the_page(client, run_market["cycle"], django_capture_on_commit_callbacks)
    director = make_user("pd")
    make_coordinatorship(
        director, run_market["programs"]["surgery"].program.institution, role="director"
    )
    url = urls(run_market)[page]
    for user in (run_market["students"]["alice"], director):
        assert as_user(user).get(url).status_code == 404, (user, url)


def test_the_index_lists_what_the_user_may_see(published):
    text = as_user(published["students"]["alice"]).get("/match/results/").content.decode()
    assert f'href="/match/results/{published["cycle"].pk}/"' in text and "unmatched" in text
    assert as_user(make_user("zed")).get("/match/results/").status_code == 200
    assert Client().get("/match/results/").status_code == 302
