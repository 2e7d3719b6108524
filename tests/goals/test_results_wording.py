"""The recommendations' wording for an exploring student (walk): the list is not in score order,
and the page says why and how to get score order, so 91 above 97 is no puzzle."""

from django.urls import reverse

from medmatch.goals import fitting
from tests.goals.conftest import GOALS, give_goals
from tests.personas import make_user


def test_an_exploring_student_is_told_why_a_lower_score_can_sit_higher(client, catalog):
    fitting.clear_cache()
    student = make_user("explorer")
    exploring = {
        **GOALS,
        "specialties": {**GOALS["specialties"], "exploring": True},
    }
    give_goals(student, exploring)
    client.force_login(student)
    html = client.get(reverse("goals:recommendations")).content.decode()
    assert "a program can sit above one with a higher score" in html
    assert reverse("goals:step", args=["specialties"]) in html


def test_a_decided_student_gets_no_such_note(client, catalog):
    fitting.clear_cache()
    student = make_user("decided")
    give_goals(student)
    client.force_login(student)
    html = client.get(reverse("goals:recommendations")).content.decode()
    assert "a program can sit above one with a higher score" not in html


def test_a_student_who_chose_nothing_is_told_what_is_missing(client, catalog):
    from medmatch.goals.models import GoalProfile

    student = make_user("skipper")
    GoalProfile.objects.create(student=student, data={"format": "medmatch-goals/1"})
    client.force_login(student)
    response = client.get(reverse("goals:recommendations"), follow=True)
    html = response.content.decode()
    assert "without choosing anything" in html
    assert "Tell us what you want first" not in html
