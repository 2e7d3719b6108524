"""Who may open the review pages, for every method each accepts: the staff of the program (erin,
rita) only. Another program's coordinator (gina), an unverified coordinator (frank), students
(alice, bob) and anonymous visitors get a 404 and change nothing; the workspace home, which names
no object, sends anonymous visitors to log in and shows the others only their own programs."""

import pytest
from django.test import Client
from django.urls import reverse

from medmatch.workspace.models import DecisionChange, Review, RubricCriterion, Submission
from medmatch.workspace.review_services import decisions_set, review_save
from tests.workspace.conftest import submit

pytestmark = pytest.mark.django_db

# (url name, what its pk names, method, POST data)
OBJECT_URLS = [
    ("workspace:inbox", "program", "get", {}),
    ("workspace:inbox_decide", "program", "post", {"action": "decline", "submissions": "S"}),
    ("workspace:rubric", "program", "get", {}),
    ("workspace:rubric", "program", "post", {"name": "Sneaky", "max_score": "5", "weight": "1"}),
    ("workspace:criterion", "criterion", "get", {}),
    ("workspace:criterion", "criterion", "post", {"name": "X", "max_score": "5", "weight": "9"}),
    ("workspace:criterion_move", "criterion", "post", {"direction": "down"}),
    ("workspace:criterion_retire", "criterion", "post", {"retired": "1"}),
    ("workspace:review", "submission", "get", {}),
    ("workspace:review", "submission", "post", {"note": "sneaky", "flags": ["concern"]}),
    ("workspace:decide", "submission", "post", {"action": "decline"}),
]


@pytest.fixture
def scene(world, erin, alice):
    submission = submit(alice, world["medicine"])
    criterion = RubricCriterion.objects.create(
        program=world["medicine"], name="Clinical grades", max_score=5
    )
    review_save(
        submission=submission,
        reviewer=erin,
        scores={str(criterion.pk): 4},
        flags=["mission_fit"],
        note="Secret note: strong sub-internship.",
    )
    decisions_set(
        program=world["medicine"], submission_ids=[submission.pk], decision="hold", by=erin
    )
    return {"program": world["medicine"], "submission": submission, "criterion": criterion}


def _url(scene, name):
    if name.startswith("workspace:criterion"):
        return reverse(name, args=[scene["program"].pk, scene["criterion"].pk])
    return reverse(name, args=[scene[_kind(name)].pk])


def _kind(name):
    return next(kind for url_name, kind, *_ in OBJECT_URLS if url_name == name)


def _data(scene, data):
    return {key: (scene["submission"].pk if value == "S" else value) for key, value in data.items()}


def _clients(gina, frank, alice, bob):
    clients = {"anonymous": Client()}
    for user in (gina, frank, alice, bob):
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    return clients


def _state(scene):
    submission = Submission.objects.get(pk=scene["submission"].pk)
    criterion = RubricCriterion.objects.get(pk=scene["criterion"].pk)
    return (
        submission.decision,
        DecisionChange.objects.count(),
        list(Review.objects.values_list("note", "flags", "scores")),
        list(RubricCriterion.objects.values_list("name", "weight", "position", "retired")),
        criterion.weight,
    )


@pytest.mark.parametrize(("name", "kind", "method", "data"), OBJECT_URLS)
def test_it_gives_every_outsider_a_404_and_changes_nothing(
    scene, gina, frank, alice, bob, name, kind, method, data
):
    before = _state(scene)
    for who, client in _clients(gina, frank, alice, bob).items():
        response = getattr(client, method)(_url(scene, name), _data(scene, data))
        assert response.status_code == 404, (who, name, method)
        assert b"Secret note" not in response.content
    assert _state(scene) == before


@pytest.mark.parametrize(("name", "kind", "method", "data"), OBJECT_URLS)
def test_it_lets_the_programs_staff_in(scene, erin, rita, name, kind, method, data):
    for user in (erin, rita):
        client = Client()
        client.force_login(user)
        response = getattr(client, method)(_url(scene, name), _data(scene, data))
        assert response.status_code in (200, 302), (user.username, name, method)


def test_it_gives_a_404_for_a_criterion_of_another_program(scene, world, gina, erin):
    other = RubricCriterion.objects.create(program=world["surgery"], name="Operative skill")
    client = Client()
    client.force_login(erin)
    for name in ("workspace:criterion", "workspace:criterion_move", "workspace:criterion_retire"):
        # erin's own program in the path, gina's criterion: still nothing.
        url = reverse(name, args=[scene["program"].pk, other.pk])
        response = client.post(url, {"direction": "up", "retired": "1", "name": "X"})
        assert response.status_code == 404, name
    other.refresh_from_db()
    assert (other.name, other.retired) == ("Operative skill", False)


def test_it_ignores_another_programs_rows_in_a_bulk_decision(scene, world, erin, bob):
    theirs = submit(bob, world["surgery"])
    client = Client()
    client.force_login(erin)
    url = reverse("workspace:inbox_decide", args=[scene["program"].pk])
    client.post(url, {"action": "invite", "submissions": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.decision == ""
    assert not DecisionChange.objects.filter(submission=theirs).exists()


def test_it_sends_anonymous_visitors_from_the_home_to_log_in(scene):
    response = Client().get(reverse("workspace:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_home_shows_nobody_else_a_programs_cycle(scene, gina, frank, alice, bob):
    for who, client in _clients(gina, frank, alice, bob).items():
        if who == "anonymous":
            continue
        response = client.get(reverse("workspace:home"))
        assert response.status_code == 200, who
        page = response.content.decode()
        assert "Internal Medicine" not in page, who
        assert reverse("workspace:inbox", args=[scene["program"].pk]) not in page, who


def test_a_student_never_sees_scores_notes_or_decisions(scene, alice):
    """alice's own pages (her board, her application) say nothing of the program's review."""
    client = Client()
    client.force_login(alice)
    application = scene["submission"].application
    pages = [
        reverse("applications:board"),
        reverse("applications:detail", args=[application.pk]),
        reverse("workspace:home"),
        reverse("accounts:export"),
    ]
    for url in pages:
        response = client.get(url)
        page = response.content.decode()
        for secret in (
            "Secret note",
            "Clinical grades",
            "mission_fit",
            "Hold",
            "weighted_score",
            "mean_score",
        ):
            assert secret not in page, (url, secret)
