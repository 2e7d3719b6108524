# ruff: noqa: F811  (pytest fixtures imported from another area's conftest, then requested by name)
"""The program side through the API: a verified coordinator's programs with their dashboard
counts, the inbox under the page's filters, sorts and paging, one submission as the staff page
shows it (a waived letter included, for the program), reviews and decisions through the pages'
services — and none of it for another program's staff or any student."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from medmatch.workspace.models import DecisionChange, Review, RubricCriterion, Submission
from tests.api.conftest import token_client
from tests.personas import make_user
from tests.workspace.conftest import erin, gina, rita, submit, world  # noqa: F401 (fixtures)
from tests.workspace.submit_factories import (
    logged_in,
    make_application,
    make_letter_request,
    make_statement,
    private_media,  # noqa: F401 (fixture)
    submit_data,
)

pytestmark = pytest.mark.django_db

NOTE = "Private: strong research, weak letters"


def _api(user, scopes=("program:write",)) -> Client:
    return token_client(user, scopes)


@pytest.fixture
def inbox(world, alice, bob):
    medicine = world["medicine"]
    criterion = RubricCriterion.objects.create(
        program=medicine, name="Research", max_score=5, weight=1
    )
    first = submit(alice, medicine, graduation_year=2024)
    second = submit(bob, medicine, graduation_year=2026, needs_visa=True)
    third = submit(make_user("cara"), medicine, graduation_year=2025)
    elsewhere = submit(alice, world["surgery"])
    return {
        "criterion": criterion,
        "first": first,
        "second": second,
        "third": third,
        "elsewhere": elsewhere,
    }


def test_it_lists_my_programs_with_the_dashboard_counts(erin, gina, inbox):
    Submission.objects.filter(pk=inbox["second"].pk).update(decision="hold")
    items = _api(erin, ["program:read"]).get("/api/v1/programs").json()["items"]
    assert [(p["title"], p["institution"]) for p in items] == [
        ("Internal Medicine", "Rush University Medical Center")
    ]
    counts = items[0]["dashboard"]
    assert (counts["received"], counts["unreviewed"], counts["held"]) == (3, 2, 1)
    others = _api(gina, ["program:read"]).get("/api/v1/programs").json()["items"]
    assert [(p["title"], p["dashboard"]["received"]) for p in others] == [("Surgery", 1)]


def test_the_inbox_filters_sorts_and_pages_as_the_page_does(erin, inbox, world):
    api = _api(erin, ["program:read"])
    url = f"/api/v1/programs/{world['medicine'].pk}/inbox"
    body = api.get(url, {"sort": "oldest", "limit": 2}).json()
    assert body["total"] == 3 and body["sort"] == "oldest"
    assert [row["id"] for row in body["items"]] == [inbox["first"].pk, inbox["second"].pk]
    # When it was sent, to the millisecond of the API's JSON (the page shows the minute).
    sent = datetime.datetime.fromisoformat(body["items"][0]["submitted_at"])
    exact = Submission.objects.get(pk=inbox["first"].pk).submitted_at
    assert abs(sent - exact) < datetime.timedelta(milliseconds=1)
    rest = api.get(url, {"sort": "oldest", "limit": 2, "cursor": body["next_cursor"]}).json()
    assert [row["id"] for row in rest["items"]] == [inbox["third"].pk]
    assert rest["next_cursor"] is None
    ranged = api.get(url, {"year_from": 2025, "visa": "yes"}).json()
    assert [row["id"] for row in ranged["items"]] == [inbox["second"].pk]
    assert ranged["items"][0]["needs_visa"] == "yes" and ranged["items"][0]["signal"] is None
    # The page's form says what is wrong, by field.
    wrong = api.get(url, {"year_from": 2026, "year_to": 2024})
    assert wrong.status_code == 422
    assert [f["field"] for f in wrong.json()["error"]["fields"]] == ["year_to"]
    unknown = api.get(url, {"specialty": "999"})
    assert unknown.status_code == 422
    assert [f["field"] for f in unknown.json()["error"]["fields"]] == ["specialty"]
    # Another program's inbox is a 404, as on the page.
    other = api.get(url.replace(str(world["medicine"].pk), str(world["surgery"].pk)))
    assert other.status_code == 404


def test_the_inbox_filters_by_my_reviews_and_decision(erin, inbox, world):
    api = _api(erin)
    review = f"/api/v1/program-submissions/{inbox['second'].pk}/review"
    scores = [{"criterion_id": inbox["criterion"].pk, "score": 4}]
    assert api.put(review, {"scores": scores}, content_type="application/json").status_code == 200
    url = f"/api/v1/programs/{world['medicine'].pk}/inbox"
    mine = api.get(url, {"reviewed": "me"}).json()["items"]
    assert [(row["id"], row["mean_score"], row["reviewed_by_me"]) for row in mine] == [
        (inbox["second"].pk, 80.0, True)
    ]
    by_score = api.get(url, {"sort": "score"}).json()["items"]
    assert by_score[0]["id"] == inbox["second"].pk
    undecided = api.get(url, {"decision": "undecided"}).json()["total"]
    assert undecided == 3


def test_a_review_and_a_decision_go_through_the_pages_services(erin, rita, inbox):
    submission = inbox["first"]
    api = _api(erin)
    url = f"/api/v1/program-submissions/{submission.pk}"
    body = {
        "scores": [{"criterion_id": inbox["criterion"].pk, "score": 5}],
        "flags": ["research"],
        "note": NOTE,
    }
    panel = api.put(f"{url}/review", body, content_type="application/json").json()
    assert panel["mean_score"] == 100.0 and panel["scored_reviews"] == 1
    assert [(r["reviewer"], r["mine"], r["note"]) for r in panel["reviews"]] == [
        ("erin", True, NOTE)
    ]
    # Another member of the program's staff reads it, not as theirs.
    seen = _api(rita, ["program:read"]).get(url).json()["review"]["reviews"]
    assert [(r["note"], r["mine"], r["flags"]) for r in seen] == [(NOTE, False, ["research"])]
    decided = api.post(f"{url}/decision", {"action": "invite"}, content_type="application/json")
    assert decided.json()["decision"] == "invite"
    assert [(h["previous"], h["decision"], h["by"]) for h in decided.json()["history"]] == [
        ("", "invite", "erin")
    ]
    submission.refresh_from_db()
    assert submission.decision == "invite" and submission.mean_score == 100.0
    assert DecisionChange.objects.filter(submission=submission).count() == 1


def test_a_bad_review_names_its_field_and_changes_nothing(erin, inbox):
    api = _api(erin)
    url = f"/api/v1/program-submissions/{inbox['first'].pk}/review"
    too_high = {"scores": [{"criterion_id": inbox["criterion"].pk, "score": 6}]}
    response = api.put(url, too_high, content_type="application/json")
    assert response.status_code == 422
    assert [f["field"] for f in response.json()["error"]["fields"]] == [
        f"score_{inbox['criterion'].pk}"
    ]
    other = RubricCriterion.objects.create(program=inbox["elsewhere"].program, name="X")
    foreign = {"scores": [{"criterion_id": other.pk, "score": 1}]}
    response = api.put(url, foreign, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "scores.0.criterion_id"
    bad_flag = api.put(url, {"flags": ["nope"]}, content_type="application/json")
    assert bad_flag.status_code == 422
    assert not Review.objects.exists()


def test_a_withdrawn_submission_takes_no_review_or_decision(erin, inbox):
    from django.utils import timezone

    Submission.objects.filter(pk=inbox["first"].pk).update(withdrawn_at=timezone.now())
    api = _api(erin)
    url = f"/api/v1/program-submissions/{inbox['first'].pk}"
    assert api.get(url).json()["withdrawn_at"] is not None
    review = api.put(f"{url}/review", {"note": "x"}, content_type="application/json")
    assert review.status_code == 409 and "withdrew" in review.json()["error"]["message"]
    decision = api.post(f"{url}/decision", {"action": "hold"}, content_type="application/json")
    assert decision.status_code == 409
    assert not Review.objects.exists() and not DecisionChange.objects.exists()


def test_a_read_scope_cannot_write(erin, inbox):
    api = _api(erin, ["program:read"])
    url = f"/api/v1/program-submissions/{inbox['first'].pk}"
    assert api.get(url).status_code == 200
    review = api.put(f"{url}/review", {"note": "x"}, content_type="application/json")
    assert review.status_code == 403
    assert "program:write" in review.json()["error"]["message"]
    decision = api.post(f"{url}/decision", {"action": "hold"}, content_type="application/json")
    assert decision.status_code == 403
    assert not Review.objects.exists() and not DecisionChange.objects.exists()
    # A token without the program area reads nothing of it.
    assert _api(erin, ["applications:write"]).get(url).status_code == 403


def test_one_programs_reviews_never_show_to_another_program_or_a_student(erin, gina, inbox, alice):
    api = _api(erin)
    url = f"/api/v1/program-submissions/{inbox['first'].pk}"
    body = {"note": NOTE, "flags": ["research"]}
    assert api.put(f"{url}/review", body, content_type="application/json").status_code == 200
    assert api.post(f"{url}/decision", {"action": "decline"}, content_type="application/json")
    # Another program's coordinator: its own submission of alice's shows none of it.
    as_gina = _api(gina)
    assert as_gina.get(url).status_code == 404
    own = as_gina.get(f"/api/v1/program-submissions/{inbox['elsewhere'].pk}").json()
    assert own["review"]["reviews"] == [] and own["review"]["decision"] == ""
    assert NOTE not in str(as_gina.get(f"/api/v1/programs/{inbox['elsewhere'].program_id}/inbox"))
    # The student who applied: a 404, and nothing of the review in any list they can read.
    as_alice = Client()
    as_alice.force_login(alice)
    assert as_alice.get(url).status_code == 404
    from medmatch.api.main import api as ninja_api

    for path, methods in ninja_api.get_openapi_schema()["paths"].items():
        if "{" in path or "get" not in methods or path.endswith("/export"):
            continue
        text = as_alice.get(path).content.decode()
        assert NOTE not in text and "decline" not in text, path


@pytest.mark.usefixtures("private_media")
def test_a_waived_letter_is_listed_for_the_program_as_the_page_lists_it(erin, gina, world, alice):
    application = make_application(alice, world["medicine"])
    waived = make_letter_request(alice, "Dr. Waived", waived=True)
    open_letter = make_letter_request(alice, "Dr. Open", waived=False, arrived=False)
    third = make_letter_request(alice, "Dr. Third", waived=False)
    letters = [waived, open_letter, third]
    data = submit_data(statement=make_statement(alice, application), letters=letters)
    sent = logged_in(alice).post(
        reverse("workspace:submission_create", args=[application.pk]), data
    )
    assert sent.status_code == 302, [
        line for line in sent.content.decode().splitlines() if "error" in line
    ][:5]
    submission = Submission.objects.get(application=application)
    body = _api(erin, ["program:read"]).get(f"/api/v1/program-submissions/{submission.pk}").json()
    letters = {item["recommender"]: item for item in body["version"]["letters"]}
    assert letters["Dr. Waived"]["waived"] and letters["Dr. Waived"]["arrived"]
    assert letters["Dr. Waived"]["url"] == (
        f"/api/v1/program-submissions/{submission.pk}/letters/{waived.letter.pk}"
    )
    assert letters["Dr. Open"]["arrived"] is False and letters["Dr. Open"]["url"] is None
    assert body["version"]["profile"]["name"] == "Alice Example"
    # The files come through the API with the program's token: the waived letter (the program
    # reads it) and the CV, as PDFs; the student, another program's staff and the student's own
    # token never get them.
    staff = _api(erin, ["program:read"])
    letter = staff.get(letters["Dr. Waived"]["url"])
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content) == waived.letter.file.open("rb").read()
    cv = staff.get(body["version"]["cv_url"])
    assert cv.status_code == 200 and b"".join(cv.streaming_content).startswith(b"%PDF")
    assert cv["Cache-Control"] == "private, no-store"
    for outsider in (_api(alice, ["program:read", "letters:read"]), _api(gina, ["program:read"])):
        for url in (letters["Dr. Waived"]["url"], body["version"]["cv_url"]):
            assert outsider.get(url).status_code == 404, url
    # The page's link still opens for the program's staff with the session.
    page = reverse("workspace:submission_staff_letter", args=[submission.pk, waived.letter.pk])
    assert logged_in(erin).get(page).status_code == 200
    Submission.objects.filter(pk=submission.pk).update(withdrawn_at=submission.submitted_at)
    closed = _api(erin).get(f"/api/v1/program-submissions/{submission.pk}").json()
    assert [item["url"] for item in closed["version"]["letters"]] == [None, None, None]
    assert closed["version"]["cv_url"] is None
    assert staff.get(letters["Dr. Waived"]["url"]).status_code == 404


def test_a_page_past_the_end_gives_the_last_page_as_the_page_does(erin, inbox, world):
    api = _api(erin, ["program:read"])
    url = f"/api/v1/programs/{world['medicine'].pk}/inbox"
    first = api.get(url, {"sort": "oldest", "limit": 2}).json()
    # The inbox shrinks before the next page is asked for: the last page, not an empty one.
    Submission.objects.filter(pk=inbox["third"].pk).delete()
    rest = api.get(url, {"sort": "oldest", "limit": 2, "cursor": first["next_cursor"]}).json()
    assert [row["id"] for row in rest["items"]] == [inbox["first"].pk, inbox["second"].pk]
    assert rest["total"] == 2 and rest["next_cursor"] is None
    # A cursor is one program's: another program's inbox refuses it.
    erin_elsewhere = api.get(f"/api/v1/programs/{world['medicine'].pk}/inbox", {"cursor": "forged"})
    assert erin_elsewhere.status_code == 422
    assert erin_elsewhere.json()["error"]["fields"][0]["field"] == "cursor"


def test_an_earlier_version_reads_as_it_was_sent(erin, inbox):
    from medmatch.workspace.models import SubmissionVersion

    submission = inbox["first"]
    second = SubmissionVersion.objects.create(
        submission=submission,
        number=2,
        profile={"name": "Alice Renamed"},
        statement_text="The second text.",
        note="Fixed a typo",
    )
    Submission.objects.filter(pk=submission.pk).update(current_version=second)
    api = _api(erin, ["program:read"])
    url = f"/api/v1/program-submissions/{submission.pk}"
    current = api.get(url).json()
    assert current["current_version"] == 2 and current["version"]["number"] == 2
    assert [v["number"] for v in current["versions"]] == [2, 1]
    earlier = api.get(f"{url}/versions/1").json()["version"]
    assert earlier["statement_text"] == "Why I want Internal Medicine."
    assert earlier["profile"]["name"] == "alice"
    assert api.get(f"{url}/versions/3").status_code == 404
