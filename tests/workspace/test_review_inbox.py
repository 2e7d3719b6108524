"""The inbox: the program's submissions, filtered through a bounded form, sorted by date or mean
score, 50 a page in a fixed number of queries, and decided for several rows at once."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medmatch.workspace.models import DecisionChange, Intake, RubricCriterion, Submission
from medmatch.workspace.review_selectors import specialty_interests_column
from medmatch.workspace.review_services import decisions_set, review_save
from tests.personas import make_user
from tests.workspace.conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_erin(erin):
    client = Client()
    client.force_login(erin)
    return client


def _names(response) -> list[str]:
    return [row["name"] for row in response.context["page"].rows]


def _student(name, **fields):
    return make_user(name.lower(), full_name=name, **fields)


def _inbox(world):
    return reverse("workspace:inbox", args=[world["medicine"].pk])


def test_it_lists_only_this_programs_current_submissions(world, as_erin, alice, bob):
    submit(alice, world["medicine"])
    gone = submit(bob, world["medicine"])
    Submission.objects.filter(pk=gone.pk).update(withdrawn_at=timezone.now())
    submit(_student("Carmen Ortiz"), world["surgery"])
    response = as_erin.get(_inbox(world))
    assert response.status_code == 200
    assert _names(response) == ["alice"]
    shown = as_erin.get(_inbox(world), {"withdrawn": "on"})
    assert sorted(_names(shown)) == ["alice", "bob"]
    assert "withdrawn" in shown.content.decode()
    assert "invitations go out from an interview round" in response.content.decode()


def test_it_filters_by_each_field(world, as_erin, erin):
    medicine = world["medicine"]
    Intake.objects.filter(program=medicine).update(uses_signals=True)
    ana = submit(_student("Ana"), medicine, graduation_year=2024, needs_visa=True, signal=True)
    ben = submit(_student("Ben"), medicine, graduation_year=2026, needs_visa=False)
    submit(_student("Cy"), medicine, graduation_year=2027)
    Submission.objects.filter(pk=ana.pk).update(
        specialty_interests=specialty_interests_column(["140", "020"])
    )
    Submission.objects.filter(pk=ben.pk).update(
        specialty_interests=specialty_interests_column(["020"])
    )
    criterion = RubricCriterion.objects.create(program=medicine, name="Grades", max_score=5)
    review_save(
        submission=ben, reviewer=erin, scores={str(criterion.pk): 3}, flags=["concern"], note=""
    )
    decisions_set(program=medicine, submission_ids=[ana.pk], decision="invite", by=erin)
    cases = {
        "visa=yes": ["Ana"],
        "visa=no": ["Ben"],
        "visa=unknown": ["Cy"],
        "year_from=2026": ["Ben", "Cy"],
        "year_from=2025&year_to=2026": ["Ben"],
        "signal=yes": ["Ana"],
        "signal=no": ["Ben", "Cy"],
        "decision=invite": ["Ana"],
        "decision=undecided": ["Ben", "Cy"],
        "reviewed=me": ["Ben"],
        "reviewed=not_me": ["Ana", "Cy"],
        "reviewed=nobody": ["Ana", "Cy"],
        "flag=concern": ["Ben"],
        "flag=mission_fit": [],
        "specialty=140": ["Ana"],
        "specialty=020": ["Ana", "Ben"],
    }
    for query, expected in cases.items():
        response = as_erin.get(f"{_inbox(world)}?{query}")
        assert response.status_code == 200, query
        assert sorted(_names(response)) == expected, query


@pytest.mark.parametrize(
    "query",
    [
        "year_from=1800",
        "year_to=99999999999999999999",
        "year_from=2030&year_to=2020",
        "year_from=%D9%A2%D9%A0%D9%A2%D9%A6",  # 2026 in Arabic-Indic digits
        "visa=maybe",
        "specialty=999",
        "sort=name",
        "page=0",
    ],
)
def test_it_refuses_a_filter_out_of_bounds_with_a_message(world, as_erin, alice, query):
    submit(alice, world["medicine"])
    response = as_erin.get(f"{_inbox(world)}?{query}")
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Fix the filters" in response.content.decode()


def test_it_hides_the_signal_filter_when_the_program_takes_no_signals(world, as_erin):
    response = as_erin.get(_inbox(world), {"signal": "yes"})
    assert "signal" not in response.context["form"].fields
    assert "Sent a signal" not in response.content.decode()


def test_it_sorts_by_date_and_by_mean_weighted_score(world, as_erin, erin, rita):
    medicine = world["medicine"]
    grades = RubricCriterion.objects.create(program=medicine, name="Grades", max_score=5, weight=3)
    letters = RubricCriterion.objects.create(program=medicine, name="Letters", max_score=10)
    now = timezone.now()
    rows = {}
    for days, name in enumerate(["Old", "Middle", "New", "Unscored"]):
        rows[name] = submit(_student(name), medicine)
        Submission.objects.filter(pk=rows[name].pk).update(
            submitted_at=now - datetime.timedelta(days=10 - days)
        )

    def score(name, reviewer, grade, letter):
        scores = {str(grades.pk): grade, str(letters.pk): letter}
        review_save(submission=rows[name], reviewer=reviewer, scores=scores, flags=[], note="")

    score("Old", erin, 5, 10)  # 100
    score("Middle", erin, 1, 2)  # (3 * .2 + .2) / 4 = 20
    score("Middle", rita, 5, 10)  # mean of 20 and 100: 60
    score("New", erin, 4, 5)  # (3 * .8 + .5) / 4 = 72.5
    assert _names(as_erin.get(_inbox(world))) == ["Unscored", "New", "Middle", "Old"]
    assert _names(as_erin.get(_inbox(world), {"sort": "oldest"})) == [
        "Old",
        "Middle",
        "New",
        "Unscored",
    ]
    by_score = as_erin.get(_inbox(world), {"sort": "score"})
    assert _names(by_score) == ["Old", "New", "Middle", "Unscored"]
    assert [row["mean_score"] for row in by_score.context["page"].rows] == [
        100.0,
        72.5,
        60.0,
        None,
    ]
    assert _names(as_erin.get(_inbox(world), {"sort": "score_low"})) == [
        "Middle",
        "New",
        "Old",
        "Unscored",
    ]


def test_it_pages_by_fifty_in_a_fixed_number_of_queries(
    world, as_erin, erin, django_assert_max_num_queries
):
    medicine = world["medicine"]
    criterion = RubricCriterion.objects.create(program=medicine, name="Grades", max_score=5)
    for number in range(120):
        row = submit(_student(f"Student {number:03}"), medicine)
        if number % 3 == 0:
            review_save(
                submission=row, reviewer=erin, scores={str(criterion.pk): 3}, flags=[], note="x"
            )
    first = as_erin.get(_inbox(world))
    assert len(first.context["page"].rows) == 50
    # session, user, program with its intake, specialty choices, and the page (its rows with the
    # count of all): not one per row.
    with django_assert_max_num_queries(5):
        last = as_erin.get(_inbox(world), {"page": "3", "sort": "score"})
    assert len(last.context["page"].rows) == 20
    assert last.context["page"].paginator.count == 120
    assert last.context["page"].paginator.num_pages == 3
    with django_assert_max_num_queries(5):
        as_erin.get(_inbox(world), {"visa": "unknown", "reviewed": "me", "flag": "concern"})
    beyond = as_erin.get(_inbox(world), {"page": "999"})
    assert beyond.context["page"].number == 3
    assert _names(beyond) == _names(as_erin.get(_inbox(world), {"page": "3"}))
    assert beyond.context["page"].paginator.count == 120


def test_it_decides_for_the_ticked_rows_in_one_go(world, as_erin, erin, alice, bob):
    medicine = world["medicine"]
    first, second = submit(alice, medicine), submit(bob, medicine)
    gone = submit(_student("Gone"), medicine)
    Submission.objects.filter(pk=gone.pk).update(withdrawn_at=timezone.now())
    url = reverse("workspace:inbox_decide", args=[medicine.pk])
    response = as_erin.post(
        url,
        {"action": "invite", "submissions": [first.pk, second.pk, gone.pk], "query": "visa=no"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{_inbox(world)}?visa=no"
    rows = {row.pk: row for row in Submission.objects.all()}
    assert rows[first.pk].decision == rows[second.pk].decision == "invite"
    assert rows[first.pk].decided_by == erin
    # The program's decision only: the invitation itself goes out from an interview round.
    assert rows[first.pk].invited_at is None
    assert rows[gone.pk].decision == ""
    changes = DecisionChange.objects.order_by("submission_id")
    assert [(c.submission_id, c.previous, c.decision, c.changed_by) for c in changes] == [
        (first.pk, "", "invite", erin),
        (second.pk, "", "invite", erin),
    ]
    as_erin.post(url, {"action": "clear", "submissions": [first.pk]})
    first.refresh_from_db()
    assert first.decision == ""
    assert DecisionChange.objects.filter(submission=first).count() == 2


def test_it_refuses_a_bulk_action_with_nothing_ticked_or_a_bad_id(world, as_erin, alice):
    row = submit(alice, world["medicine"])
    url = reverse("workspace:inbox_decide", args=[world["medicine"].pk])
    for data in (
        {"action": "invite"},
        {"action": "invite", "submissions": ["99999999999999999999"]},
        {"action": "promote", "submissions": [row.pk]},
    ):
        response = as_erin.post(url, data, follow=True)
        assert response.status_code == 200
        assert list(response.context["messages"]), data
    row.refresh_from_db()
    assert row.decision == ""
    assert not DecisionChange.objects.exists()


def test_a_bulk_decision_is_all_or_nothing(world, erin, alice, bob, monkeypatch):
    medicine = world["medicine"]
    rows = [submit(alice, medicine), submit(bob, medicine)]

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(DecisionChange.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        decisions_set(
            program=medicine, submission_ids=[row.pk for row in rows], decision="hold", by=erin
        )
    assert set(Submission.objects.values_list("decision", flat=True)) == {""}


def test_it_escapes_what_students_wrote_and_keeps_the_chosen_filters(world, as_erin):
    submit(_student("Eve"), world["medicine"], name="<script>alert(1)</script>")
    response = as_erin.get(
        _inbox(world), {"visa": "unknown", "year_from": "2020", "withdrawn": "on"}
    )
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<option value="unknown" selected>' in page
    assert 'name="year_from" id="id_year_from" min="1950" max="2100" value="2020"' in page
    assert 'name="withdrawn" id="id_withdrawn" checked' in page


def test_it_shows_the_inbox_of_a_program_that_has_no_intake(world, as_erin, alice):
    # A listing of Rush that never took applications in medmatch (no Intake row at all).
    medicine = world["medicine"]
    submit(alice, medicine)
    medicine.intake.delete()
    response = as_erin.get(_inbox(world))
    assert response.status_code == 200
    assert response.context["uses_signals"] is False
    assert "signal" not in response.context["form"].fields
    assert len(response.context["page"].rows) == 1
