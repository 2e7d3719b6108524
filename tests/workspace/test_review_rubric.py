"""The rubric: add, edit, reorder and retire criteria, within bounds; a new weight re-weighs every
review's score; a scored criterion keeps its scale."""

import pytest
from django.test import Client
from django.urls import reverse

from medmatch.workspace.models import Review, RubricCriterion
from medmatch.workspace.review_services import review_save
from tests.workspace.conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_erin(erin):
    client = Client()
    client.force_login(erin)
    return client


def _rubric(world):
    return reverse("workspace:rubric", args=[world["medicine"].pk])


def _names(world):
    return list(
        RubricCriterion.objects.filter(program=world["medicine"]).values_list("name", flat=True)
    )


def test_it_adds_criteria_at_the_end(world, as_erin):
    for name in ("Clinical grades", "Letters", "Research"):
        response = as_erin.post(
            _rubric(world), {"name": name, "description": "", "max_score": "5", "weight": "2"}
        )
        assert response.status_code == 302
    assert _names(world) == ["Clinical grades", "Letters", "Research"]
    page = as_erin.get(_rubric(world)).content.decode()
    assert "Clinical grades" in page and "1\u20135" in page


@pytest.mark.parametrize(
    "data",
    [
        {"name": "A", "max_score": "1", "weight": "1"},
        {"name": "A", "max_score": "11", "weight": "1"},
        {"name": "A", "max_score": "5", "weight": "0"},
        {"name": "A", "max_score": "5", "weight": "11"},
        {"name": "A", "max_score": "\uff15", "weight": "1"},
        {"name": "A", "max_score": "99999999999999999999", "weight": "1"},
        {"name": "", "max_score": "5", "weight": "1"},
        {"name": "Line\nbreak", "max_score": "5", "weight": "1"},
        {"name": "x" * 121, "max_score": "5", "weight": "1"},
    ],
)
def test_it_refuses_a_criterion_out_of_bounds(world, as_erin, data):
    response = as_erin.post(_rubric(world), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not RubricCriterion.objects.exists()


def test_it_moves_criteria_up_and_down(world, as_erin):
    for position, name in enumerate(["A", "B", "C"]):
        RubricCriterion.objects.create(program=world["medicine"], position=position, name=name)
    c = RubricCriterion.objects.get(name="C")
    a = RubricCriterion.objects.get(name="A")
    program = world["medicine"].pk
    as_erin.post(reverse("workspace:criterion_move", args=[program, c.pk]), {"direction": "up"})
    assert _names(world) == ["A", "C", "B"]
    as_erin.post(reverse("workspace:criterion_move", args=[program, a.pk]), {"direction": "down"})
    assert _names(world) == ["C", "A", "B"]
    # Past either end nothing moves.
    as_erin.post(reverse("workspace:criterion_move", args=[program, c.pk]), {"direction": "up"})
    assert _names(world) == ["C", "A", "B"]
    as_erin.post(
        reverse("workspace:criterion_move", args=[program, c.pk]), {"direction": "sideways"}
    )
    assert _names(world) == ["C", "A", "B"]


def test_a_new_weight_reweighs_every_review(world, as_erin, erin, alice):
    program = world["medicine"]
    grades = RubricCriterion.objects.create(program=program, name="Grades", max_score=5, weight=1)
    letters = RubricCriterion.objects.create(program=program, name="Letters", max_score=5, weight=1)
    submission = submit(alice, program)
    review_save(
        submission=submission,
        reviewer=erin,
        scores={str(grades.pk): 5, str(letters.pk): 1},
        flags=[],
        note="",
    )
    assert Review.objects.get().weighted_score == pytest.approx(60)
    url = reverse("workspace:criterion", args=[program.pk, grades.pk])
    response = as_erin.post(
        url, {"name": "Grades", "description": "Clerkships", "max_score": "5", "weight": "4"}
    )
    assert response.status_code == 302
    # (4 * 1 + 1 * 0.2) / 5
    assert Review.objects.get().weighted_score == pytest.approx(84)
    grades.refresh_from_db()
    assert (grades.weight, grades.description) == (4, "Clerkships")


def test_a_scored_criterion_keeps_its_highest_score(world, as_erin, erin, alice):
    program = world["medicine"]
    grades = RubricCriterion.objects.create(program=program, name="Grades", max_score=5)
    url = reverse("workspace:criterion", args=[program.pk, grades.pk])
    data = {"name": "Grades", "max_score": "3", "weight": "1"}
    # Unscored: the scale may change.
    assert as_erin.post(url, data).status_code == 302
    grades.refresh_from_db()
    assert grades.max_score == 3
    review_save(
        submission=submit(alice, program),
        reviewer=erin,
        scores={str(grades.pk): 3},
        flags=[],
        note="",
    )
    response = as_erin.post(url, {**data, "max_score": "10"})
    assert response.status_code == 200
    assert "retire it" in response.content.decode()
    grades.refresh_from_db()
    assert grades.max_score == 3


def test_retiring_and_bringing_back_a_criterion(world, as_erin, erin, alice):
    program = world["medicine"]
    grades = RubricCriterion.objects.create(program=program, name="Grades", max_score=5)
    letters = RubricCriterion.objects.create(program=program, name="Letters", max_score=5)
    review_save(
        submission=submit(alice, program),
        reviewer=erin,
        scores={str(grades.pk): 5, str(letters.pk): 1},
        flags=[],
        note="",
    )
    url = reverse("workspace:criterion_retire", args=[program.pk, letters.pk])
    as_erin.post(url, {"retired": "1"})
    letters.refresh_from_db()
    assert letters.retired
    review = Review.objects.get()
    assert review.weighted_score == 100
    assert review.scores[str(letters.pk)] == 1  # kept, readable
    assert "retired" in as_erin.get(_rubric(world)).content.decode()
    as_erin.post(url, {"retired": "0"})
    assert Review.objects.get().weighted_score == pytest.approx(60)
