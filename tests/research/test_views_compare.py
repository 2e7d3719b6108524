import json

import pytest
from django.urls import reverse

from medmatch.fit import Contribution, Explanation
from medmatch.research import comparison
from tests.research.conftest import shortlist_for

pytestmark = pytest.mark.django_db


def _contribution(criterion, label, score, status="known"):
    return Contribution(
        criterion=criterion,
        label=label,
        weight=3.0,
        dealbreaker=False,
        status=status,
        score=score,
        points=0.0,
        widening=0.0 if score is not None else 12.0,
        sentence=f"{label}: {'unknown, ask' if score is None else 'scored'}",
    )


def _explanation(program_id, hours_score):
    return Explanation(
        program_id=program_id,
        rank=1,
        total=70.0,
        low=55.0 if hours_score is None else 70.0,
        high=82.0 if hours_score is None else 70.0,
        excluded=False,
        excluded_by=(),
        checks=(),
        contributions=(
            _contribution("specialty", "Specialty", 1.0),
            _contribution(
                "hours", "Weekly hours", hours_score, "unknown" if hours_score is None else "known"
            ),
        ),
    )


@pytest.fixture
def fake_fit(monkeypatch, programs):
    """Goals that know the weekly hours of one program only."""
    known = programs["columbia_cardiology"].pk

    def explain_for_user(user, program_ids):
        return {pk: _explanation(pk, 0.55 if pk == known else None) for pk in program_ids}

    monkeypatch.setattr(comparison, "explain_for_user", explain_for_user)


def _compare(client, items):
    return client.get(reverse("research:compare"), {"item": [item.pk for item in items]})


def test_it_compares_shortlisted_programs_side_by_side(client, alice, alice_items):
    client.force_login(alice)
    response = _compare(client, alice_items[:2])
    assert response.status_code == 200
    columns = response.context["comparison"].columns
    assert [c.program.title for c in columns] == ["Cardiovascular Disease", "Cardiology"]
    page = response.content.decode()
    assert "Strong cath lab." in page  # the student's own note
    assert 'aria-label="Your rating: 3 of 5"' in page
    assert "62 hours" in page


def test_it_marks_unknown_facts_as_unknown(client, alice, alice_items):
    client.force_login(alice)
    response = _compare(client, alice_items[:2])
    rows = dict(response.context["comparison"].fact_rows)
    hours = rows["Weekly hours"]
    assert hours[0].value == "62 hours"
    assert hours[1].unknown
    assert '<span class="unknown">unknown</span>' in response.content.decode()


def test_it_compares_four_and_refuses_five_with_a_clear_message(client, alice, programs):
    items = shortlist_for(alice, *programs.values())
    client.force_login(alice)
    assert len(_compare(client, items[:4]).context["comparison"].columns) == 4
    response = _compare(client, items)
    assert response.status_code == 200
    assert response.context["comparison"] is None
    assert (
        "item: you can compare at most 4 programs side by side; you chose 5. "
        "Untick 1 and compare again."
    ) in response.content.decode()


def test_it_names_an_id_that_is_not_a_number(client, alice, alice_items):
    client.force_login(alice)
    response = client.get(reverse("research:compare"), {"item": ["abc"]})
    assert "item: “abc” is not a shortlist item number." in response.content.decode()


def test_it_offers_the_shortlist_to_choose_from(client, alice, alice_items):
    client.force_login(alice)
    response = client.get(reverse("research:compare"))
    assert response.status_code == 200
    assert response.context["comparison"] is None
    page = response.content.decode()
    for item in alice_items:
        assert f'name="item" value="{item.pk}"' in page


def test_it_shows_no_chart_without_goals(client, alice, alice_items, monkeypatch):
    monkeypatch.setattr(comparison, "explain_for_user", lambda user, ids: {})
    client.force_login(alice)
    response = _compare(client, alice_items[:2])
    page = response.content.decode()
    assert 'id="fit-chart"' not in page
    assert "Set your goals" in page


def test_it_works_for_a_student_without_goals(client, alice, alice_items):
    # The real fit, not a stand-in: a student who has not set goals gets no explanation.
    client.force_login(alice)
    assert _compare(client, alice_items[:2]).status_code == 200


def test_it_charts_criterion_scores_with_null_for_unknown(client, alice, alice_items, fake_fit):
    client.force_login(alice)
    response = _compare(client, alice_items[:2])
    page = response.content.decode()
    assert 'id="fit-chart"' in page
    assert "vendor/chart-4." in page
    start = page.index('<script id="fit-chart-data" type="application/json">')
    raw = page[page.index(">", start) + 1 : page.index("</script>", start)]
    data = json.loads(raw)
    assert data["labels"] == ["Specialty", "Weekly hours"]
    assert [d["data"] for d in data["datasets"]] == [[100.0, 55.0], [100.0, None]]
    # The fit total and its range, and the table fallback says unknown, not 0.
    assert "(range 55\u201382)" in page
    scores = dict(response.context["comparison"].score_rows)
    assert scores["Weekly hours"][1]["score"] is None


def test_it_charts_the_real_fit_of_the_students_goals(client, alice, alice_items, programs):
    from medmatch.goals import fitting
    from medmatch.goals.models import GoalProfile

    assert comparison.explain_for_user is fitting.explain_for_user
    cardiology = programs["columbia_cardiology"].specialty
    GoalProfile.objects.create(
        student=alice,
        data={
            "format": "medmatch-goals/1",
            "specialties": {"interests": [{"specialty": cardiology.code, "weight": 5}]},
            "hours": {"pace": "steady", "weight": 3},
        },
    )
    client.force_login(alice)
    response = _compare(client, alice_items[:2])
    result = response.context["comparison"]
    assert result.has_fit
    data = result.chart_data()
    hours = [label for _, label in result.criteria].index("Weekly hours")
    # Columbia publishes its weekly hours; MGH does not: a gap, not a 0.
    assert data["datasets"][0]["data"][hours] is not None
    assert data["datasets"][1]["data"][hours] is None


@pytest.mark.parametrize("value", ["\u00b2", "\u0661", "99999999999999999999", "0"])
def test_it_names_an_item_number_that_is_not_one(client, alice, alice_items, value):
    # "\u00b2".isdigit() is True and int() refused it: a 500.
    client.force_login(alice)
    response = client.get(reverse("research:compare"), {"item": [value]})
    assert response.status_code == 200
    assert f"item: “{value}” is not a shortlist item number." in response.content.decode()
