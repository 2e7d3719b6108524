"""The practice pages: start page, list builder, a run with its lessons, history and deleting;
a student with no programs on the site; bad input gets field messages."""

import re

import pytest
from django.urls import reverse

from medmatch.catalog.models import Program
from medmatch.cycles.models import PracticeRun
from medmatch.goals.models import GoalProfile
from tests.catalog.factories import make_institution, make_program, make_specialty
from tests.cycles.conftest import HAND_MADE

pytestmark = pytest.mark.django_db

BANNER = "A simulation with made-up competitors, not a prediction of your match."


def test_it_offers_the_practice_match_in_the_navigation(as_alice):
    # "Match" leads to the match page (/match/), which links the practice match; it stays the
    # current item on every page under /match/.
    page = as_alice.get(reverse("cycles:practice")).content.decode()
    assert '<a href="/match/" aria-current="page">Match</a>' in page
    home = as_alice.get(reverse("cycles:home")).content.decode()
    assert '<a href="/match/practice/">practice match</a>' in home
    assert BANNER in page


def test_it_runs_the_hand_made_market_with_an_empty_catalog(as_alice, alice):
    assert not Program.objects.exists()
    builder = as_alice.get(reverse("cycles:practice_new"), {"market": "hand_made"})
    assert builder.status_code == 200
    page = builder.content.decode()
    assert BANNER in page and "Maya" in page and 'name="rank_prog-a"' in page
    data = dict(HAND_MADE, **{"rank_prog-a": "1", "rank_prog-b": "2", "rank_prog-c": "5"})
    response = as_alice.post(reverse("cycles:practice_new"), data)
    run = PracticeRun.objects.get(student=alice)
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.ranking == ["prog-a", "prog-b", "prog-c"]
    assert run.summary["result"]["matched"] == "prog-c"
    page = as_alice.get(run.get_absolute_url()).content.decode()
    assert BANNER in page
    assert "You matched at <strong>Program C</strong>, your choice 3 of 3." in page
    assert "the lowest-ranked it took is Maya" in page
    assert "In none of these reruns did you end up worse off" in page
    assert "<strong>You would go unmatched</strong>" in page
    history = as_alice.get(reverse("cycles:practice")).content.decode()
    assert run.get_absolute_url() in history and "Program C" in history


def test_it_falls_back_to_fictional_programs_with_a_note(as_alice, alice):
    builder = as_alice.get(reverse("cycles:practice_new"), {"market": "generated", "seed": "9"})
    page = builder.content.decode()
    assert "40 fictional programs" in page and "Fictional program 1" in page
    data = {"market": "generated", "strength": "weaker", "seed": "9"}
    data.update({"rank_p1": "1", "rank_p2": "2", "rank_p3": "3", "rank_p4": "4"})
    response = as_alice.post(reverse("cycles:practice_new"), data)
    assert response.status_code == 302
    run = PracticeRun.objects.get(student=alice)
    assert run.seed == 9 and run.strength == "weaker"
    assert "40 fictional programs" in run.summary["market"]["notes"][0]
    assert BANNER in as_alice.get(run.get_absolute_url()).content.decode()


def test_it_generates_a_market_from_the_catalogs_tracks(as_alice, alice):
    specialty = make_specialty("Pediatrics", code="320")
    institution = make_institution("Lakeside Hospital", city="Springfield")
    tracks = [
        make_program(f"Pediatrics {i}", specialty=specialty, institution=institution, seats=seats)
        for i, seats in enumerate([3, None, 8, None, 5])
    ]
    GoalProfile.objects.create(
        student=alice,
        data={
            "format": "medmatch-goals/1",
            "specialties": {"interests": [{"specialty": "320", "weight": 5}], "weight": 3},
        },
    )
    start = as_alice.get(reverse("cycles:practice")).content.decode()
    assert re.search(rf'<option value="{specialty.pk}" selected>Pediatrics', start)
    query = {"market": "generated", "specialty": specialty.pk, "seed": "3"}
    page = as_alice.get(reverse("cycles:practice_new"), query).content.decode()
    assert "All 5 tracks of Pediatrics" in page
    assert "each is assumed to have 5 (the median known in this specialty)" in page
    data = dict(query, strength="average")
    data.update({f"rank_p{p.pk}": str(n) for n, p in enumerate(tracks, start=1)})
    assert as_alice.post(reverse("cycles:practice_new"), data).status_code == 302
    run = PracticeRun.objects.get(student=alice)
    assert run.specialty == specialty and run.specialty_name == "Pediatrics"
    programs = run.summary["market"]["programs"]
    assert programs[f"p{tracks[1].pk}"] == {
        "name": "Pediatrics 1 — Lakeside Hospital",
        "where": "Springfield",
        "seats": 5,
        "assumed": True,
    }
    assert programs[f"p{tracks[0].pk}"]["assumed"] is False
    assert 1.1 * 26 <= run.summary["market"]["rival_count"] <= 1.3 * 26
    # The same seed gives the same run; the run page offers its market again.
    page = as_alice.get(run.get_absolute_url()).content.decode()
    assert (
        f"/match/practice/new/?market=generated&amp;strength=average&amp;seed=3&amp;specialty={specialty.pk}"
        in page
    )
    as_alice.post(reverse("cycles:practice_new"), data)
    first, again = PracticeRun.objects.order_by("pk")
    assert first.summary["result"]["matched"] == again.summary["result"]["matched"]
    assert first.summary["result"]["moves"] == again.summary["result"]["moves"]


@pytest.mark.parametrize(
    ("ranks", "field", "message"),
    [
        ({"rank_prog-a": "0"}, "rank_prog-a", "greater than or equal to 1"),
        ({"rank_prog-a": "7"}, "rank_prog-a", "less than or equal to 6"),
        ({"rank_prog-a": "two"}, "rank_prog-a", "Enter a whole number"),
        ({"rank_prog-a": "1", "rank_prog-b": "1"}, "rank_prog-b", "Rank 1 is also given to"),
    ],
)
def test_it_shows_field_messages_for_bad_ranks(as_alice, ranks, field, message):
    response = as_alice.post(reverse("cycles:practice_new"), dict(HAND_MADE, **ranks))
    assert response.status_code == 200
    assert message in str(response.context["list_form"].errors[field])
    assert f'id="id_{field}_errors"' in response.content.decode()
    assert not PracticeRun.objects.exists()


def test_it_asks_for_at_least_one_rank(as_alice):
    response = as_alice.post(reverse("cycles:practice_new"), HAND_MADE)
    assert "Give at least one program a rank number." in response.content.decode()
    assert not PracticeRun.objects.exists()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"market": "auction"}, "market"),
        ({"market": "generated", "seed": "0"}, "seed"),
        ({"market": "generated", "seed": "99999999999"}, "seed"),
        ({"market": "generated", "specialty": "123456"}, "specialty"),
        ({"market": "generated", "couple": "on"}, "couple"),
    ],
)
def test_it_refuses_a_bad_market_choice_with_a_message(as_alice, query, field):
    response = as_alice.get(reverse("cycles:practice_new"), query)
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_it_runs_a_couples_list_and_checks_its_rows(as_alice, alice):
    base = dict(HAND_MADE, couple="on")
    page = as_alice.get(reverse("cycles:practice_new"), base).content.decode()
    assert "Sam's program" in page
    bad = dict(base, row1_you="prog-a", row2_you="none", row2_partner="none")
    response = as_alice.post(reverse("cycles:practice_new"), bad)
    errors = response.context["list_form"].errors
    assert "Choose a program" in str(errors["row1_partner"])
    assert "“No match” for both of you" in str(errors["row2_you"])
    rows = {"row1_you": "prog-a", "row1_partner": "prog-d", "row2_you": "prog-c"}
    rows["row2_partner"] = "none"
    assert as_alice.post(reverse("cycles:practice_new"), dict(base, **rows)).status_code == 302
    run = PracticeRun.objects.get(student=alice)
    assert run.couple and run.ranking == [["prog-a", "prog-d"], ["prog-c", None]]
    page = as_alice.get(run.get_absolute_url()).content.decode()
    assert "Lesson: what a “no match” row does" in page
    assert "<strong>Your “no match” rows changed the outcome</strong>" in page
    assert BANNER in page


def test_it_deletes_a_run(as_alice, alices_run):
    response = as_alice.post(reverse("cycles:practice_delete", args=[alices_run.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("cycles:practice")
    assert not PracticeRun.objects.exists()
    assert as_alice.get(reverse("cycles:practice_delete", args=[1])).status_code == 405


def test_it_sends_an_anonymous_visitor_to_log_in(client):
    for name in ("cycles:practice", "cycles:practice_new"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
