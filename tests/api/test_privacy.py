"""Privacy for every endpoint, generated from the API's own OpenAPI schema: each path with a path
parameter gets alice's real object from ``OBJECTS``; another student and a coordinator must get
404 (as on the pages), an anonymous visitor 401 — and alice herself a 2xx, so the test cannot
pass by refusing everyone. The program side's paths (``STAFF``) belong to walt, a verified
program director of the Boston program alice applied to: alice herself (the applicant), bob, an
unverified coordinator and gina, the verified coordinator of another program, all get 404. A new
path with a parameter that is not in ``OBJECTS`` fails
``test_it_knows_an_object_for_every_path_with_a_parameter``.

Public catalog paths are in ``PUBLIC``: everyone reads them, and that is checked too.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from medmatch.api.main import api
from tests.api.conftest import bearer, make_token
from tests.contributions.conftest import make_coordinatorship
from tests.cycles.factories import (
    make_couple,
    make_cycle,
    make_program_list,
    make_student_list,
)
from tests.letters.conftest import pdf_bytes
from tests.personas import make_user
from tests.workspace.conftest import submit
from tests.workspace.submit_factories import make_letter_request

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1"


# path -> what fills its parameters, from alice's world.
OBJECTS = {
    "/api/v1/applications/{pk}": lambda world: {"pk": world["application"].pk},
    "/api/v1/applications/{pk}/status": lambda world: {"pk": world["application"].pk},
    "/api/v1/shortlist/{pk}": lambda world: {"pk": world["item"].pk},
    "/api/v1/requirements/{pk}": lambda world: {"pk": world["application"].requirements.first().pk},
    "/api/v1/cv-entries/{pk}": lambda world: {"pk": world["cv_entry"].pk},
    "/api/v1/interviews/{pk}": lambda world: {"pk": world["interview"].pk},
    "/api/v1/statements/{pk}": lambda world: {"pk": world["statement"].pk},
    "/api/v1/statements/{pk}/versions": lambda world: {"pk": world["statement"].pk},
    # One without requests, so that alice may delete it too.
    "/api/v1/recommenders/{pk}": lambda world: {"pk": world["recommender"].pk},
    "/api/v1/letter-requests/{pk}": lambda world: {"pk": world["letter_request"].pk},
    "/api/v1/contacts/{pk}": lambda world: {"pk": world["conversation"].contact_id},
    "/api/v1/conversations/{pk}": lambda world: {"pk": world["conversation"].pk},
    "/api/v1/contacts/{pk}/conversations": lambda world: {"pk": world["conversation"].contact_id},
    "/api/v1/open-questions/{pk}": lambda world: {"pk": world["question"].pk},
    "/api/v1/open-questions/{pk}/answer": lambda world: {"pk": world["question"].pk},
    "/api/v1/open-questions/{pk}/reopen": lambda world: {"pk": world["question"].pk},
    "/api/v1/practice-attempts/{pk}": lambda world: {"pk": world["attempt"].pk},
    "/api/v1/rank-lists/{pk}": lambda world: {"pk": world["rank_list"].pk},
    "/api/v1/couples/{pk}": lambda world: {"pk": world["couple"].pk},
    "/api/v1/match-results/{cycle_id}": lambda world: {"cycle_id": world["outcome"].run.cycle_id},
    "/api/v1/statement-versions/{pk}": lambda world: {"pk": world["statement"].versions.first().pk},
    "/api/v1/rank-lists/{pk}/certify": lambda world: {"pk": world["rank_list"].pk},
    "/api/v1/couples/{pk}/list": lambda world: {"pk": world["couple"].pk},
    "/api/v1/couples/{pk}/certify": lambda world: {"pk": world["couple"].pk},
    # The program side: walt's (see STAFF).
    "/api/v1/programs/{pk}/inbox": lambda world: {"pk": world["program"].pk},
    "/api/v1/program-submissions/{pk}": lambda world: {"pk": world["submission"].pk},
    "/api/v1/program-submissions/{pk}/versions/{number}": lambda world: {
        "pk": world["submission"].pk,
        "number": 1,
    },
    "/api/v1/program-submissions/{pk}/versions/{number}/cv": lambda world: {
        "pk": world["submission"].pk,
        "number": 1,
    },
    "/api/v1/program-submissions/{pk}/documents/{document_pk}": lambda world: {
        "pk": world["submission"].pk,
        "document_pk": world["document"].pk,
    },
    "/api/v1/program-submissions/{pk}/letters/{letter_pk}": lambda world: {
        "pk": world["submission"].pk,
        "letter_pk": world["letter"].pk,
    },
    "/api/v1/program-submissions/{pk}/review": lambda world: {"pk": world["submission"].pk},
    "/api/v1/program-submissions/{pk}/decision": lambda world: {"pk": world["submission"].pk},
    "/api/v1/program-rank-lists/{pk}": lambda world: {"pk": world["entry"].pk},
    "/api/v1/program-rank-lists/{pk}/certify": lambda world: {"pk": world["entry"].pk},
    "/api/v1/programs/{pk}/rounds": lambda world: {"pk": world["program"].pk},
    "/api/v1/rounds/{pk}": lambda world: {"pk": world["round"].pk},
}
# Paths whose owner is the program's staff (walt), not alice.
STAFF = {path for path in OBJECTS if "/program" in path or path.startswith(f"{PREFIX}/rounds")}
# Catalog objects: public, the same answer for everyone.
PUBLIC = {
    "/api/v1/catalog/programs/{pk}": lambda world: {"pk": world["program"].pk},
    "/api/v1/catalog/hospitals/{pk}": lambda world: {"pk": world["institution"].pk},
}
# A public catalog object explained for the student asking: everyone logged in gets their own
# answer (no goals: 409), an anonymous visitor 401.
PER_STUDENT = {
    "/api/v1/recommendations/{program_id}": lambda world: {"program_id": world["program"].pk},
}
# A body each write accepts from alice.
BODIES = {
    ("patch", "/api/v1/applications/{pk}"): {"notes": "From the privacy test"},
    ("post", "/api/v1/applications/{pk}/status"): {"status": "preparing"},
    ("patch", "/api/v1/shortlist/{pk}"): {"rating": 3},
    ("patch", "/api/v1/requirements/{pk}"): {"done": True},
    ("post", "/api/v1/statements/{pk}/versions"): {"body": "A new text."},
    ("patch", "/api/v1/contacts/{pk}"): {"notes": "From the privacy test"},
    ("post", "/api/v1/contacts/{pk}/conversations"): {"date": "2026-10-05"},
    ("patch", "/api/v1/conversations/{pk}"): {"summary": "From the privacy test"},
    ("post", "/api/v1/open-questions/{pk}/answer"): {"answer": "About 60 hours a week"},
    ("post", "/api/v1/open-questions/{pk}/reopen"): {},
    ("patch", "/api/v1/recommenders/{pk}"): {"notes": "From the privacy test"},
    ("patch", "/api/v1/letter-requests/{pk}"): {"talking_points": "From the privacy test"},
    ("put", "/api/v1/rank-lists/{pk}"): lambda world: {"programs": [world["cycle_program"].pk]},
    ("post", "/api/v1/rank-lists/{pk}/certify"): {},
    ("put", "/api/v1/couples/{pk}/list"): lambda world: {
        "pairs": [{"mine": world["cycle_program"].pk, "partner": None}]
    },
    ("post", "/api/v1/couples/{pk}/certify"): {},
    ("put", "/api/v1/program-submissions/{pk}/review"): {"flags": ["research"], "note": "Strong"},
    ("post", "/api/v1/program-submissions/{pk}/decision"): {"action": "hold"},
    ("put", "/api/v1/program-rank-lists/{pk}"): lambda world: {
        "applicants": [{"code": world["code"]}]
    },
    ("post", "/api/v1/program-rank-lists/{pk}/certify"): {},
}


def schema() -> dict:
    return api.get_openapi_schema()


def operations_with_parameters():
    for path, methods in schema()["paths"].items():
        if "{" not in path:
            continue
        for method in methods:
            yield path, method


@pytest.fixture
def world(alice, application, goals, catalog, settings, tmp_path):
    from medmatch.applications.models import CVEntry
    from medmatch.applications.services import statement_create
    from medmatch.cycles.models import CycleProgram, MatchOutcome, MatchRun
    from medmatch.cycles.rank_lists import applicant_code
    from medmatch.interviews.models import Interview, PracticeAttempt, Question
    from medmatch.letters.models import LetterRequest, Recommender
    from medmatch.letters.services import request_save
    from medmatch.research.models import Contact, Conversation, OpenQuestion, ShortlistItem
    from medmatch.workspace.models import (
        InterviewSlot,
        Invitation,
        SlotRound,
        SubmissionDocument,
        SubmissionLetter,
    )

    program = catalog["programs"][0]
    contact = Contact.objects.create(student=alice, name="Dr Lee", program=program)
    published = make_cycle(state="published")
    run = MatchRun.objects.create(cycle=published, status=MatchRun.Status.DONE)
    question = Question.objects.create(student=alice, category="teamwork", text="A conflict?")
    # The program's side: walt directs the Boston programs; alice applied to one and ranks in an
    # open cycle where it takes part, and its list ranks her.
    walt = make_user("walt", role="coordinator")
    make_coordinatorship(walt, catalog["boston"], role="director")
    open_cycle = make_cycle(state="open", days_to_match=20)
    entry = CycleProgram.objects.create(cycle=open_cycle, program=program, quota=1)
    code = applicant_code(cycle=open_cycle, student=alice).code
    make_program_list(entry, [alice], certified=False)
    # An interview round of the program, alice invited to its one slot.
    submission = submit(alice, program)
    round_ = SlotRound.objects.create(
        program=program,
        title="Autumn interviews",
        time_zone="America/Chicago",
        window_closes_at=timezone.now() + datetime.timedelta(days=2),
    )
    InterviewSlot.objects.create(
        round=round_, starts_at=timezone.now() + datetime.timedelta(days=9)
    )
    Invitation.objects.create(round=round_, submission=submission, priority=1)
    # Its files: the version's CV, a document and a (waived) letter assigned to it.
    settings.MEDIA_ROOT = tmp_path / "media"
    version = submission.current_version
    version.cv_pdf.save("cv.pdf", ContentFile(pdf_bytes()), save=True)
    document = SubmissionDocument(version=version, kind="mspe", size=1, sha256="0" * 64)
    document.file.save("mspe.pdf", ContentFile(pdf_bytes()), save=True)
    sent = make_letter_request(alice, "Dr. Sent", waived=True)
    SubmissionLetter.objects.create(
        version=version, request=sent, position=1, recommender_name="Dr. Sent", waived=True
    )

    return {
        "interview": Interview.objects.create(
            application=application, starts_at=timezone.now(), time_zone="America/Chicago"
        ),
        "item": ShortlistItem.objects.create(student=alice, program=catalog["programs"][0]),
        "cv_entry": CVEntry.objects.create(student=alice, section="research", title="Sepsis"),
        "application": application,
        "rank_list": make_student_list(open_cycle, alice, [entry], certified=False),
        "cycle_program": entry,
        "entry": entry,
        "code": code,
        "walt": walt,
        "submission": submission,
        "document": document,
        "letter": sent.letter,
        "round": round_,
        "recommender": Recommender.objects.create(student=alice, name="Dr Ng"),
        # In the open cycle, with a pair, so that alice may replace and certify it.
        "couple": make_couple(open_cycle, alice, make_user("dora"), [(entry, None)]),
        "outcome": MatchOutcome.objects.create(run=run, student=alice),
        "conversation": Conversation.objects.create(contact=contact, date="2026-10-01"),
        "question": OpenQuestion.objects.create(
            student=alice, program=program, fact_key="hours", question="Weekly hours?"
        ),
        "attempt": PracticeAttempt.objects.create(
            student=alice, question=question, seconds_taken=60
        ),
        "letter_request": request_save(
            letter_request=LetterRequest(
                student=alice,
                recommender=Recommender.objects.create(student=alice, name="Dr Chen"),
            ),
            applications=[application],
        ),
        "statement": statement_create(
            student=alice, title="Base", application=application, body="My first text."
        ),
        "program": catalog["programs"][0],
        "institution": catalog["boston"],
        "institution_elsewhere": catalog["chicago"],
    }


def test_it_knows_an_object_for_every_path_with_a_parameter():
    known = OBJECTS.keys() | PUBLIC.keys() | PER_STUDENT.keys()
    unknown = sorted({path for path, _ in operations_with_parameters()} - known)
    assert not unknown, f"add these paths to tests/api/test_privacy.py OBJECTS: {unknown}"
    writes = {(m, p) for p, m in operations_with_parameters() if m in ("post", "put", "patch")}
    assert writes <= BODIES.keys(), f"add a body for {sorted(writes - BODIES.keys())}"


def _request(client, method, path, world, factories, extra=None):
    url = path.format(**factories[path](world))
    body = BODIES.get((method, path))
    if callable(body):
        body = body(world)
    if body is None:
        return getattr(client, method)(url, **(extra or {}))
    return getattr(client, method)(url, body, content_type="application/json", **(extra or {}))


def _clients(alice, world, staff: bool):
    bob, carol = make_user("bob"), make_user("carol", role="coordinator")
    gina = make_user("gina", role="coordinator")
    make_coordinatorship(gina, world["institution_elsewhere"])
    scopes = [
        "applications:write",
        "goals:write",
        "research:write",
        "interviews:read",
        "catalog:read",
        "letters:write",
        "match:write",
        "account:read",
        "program:write",
    ]
    people = {"another student": bob, "coordinator": carol, "another program's coordinator": gina}
    if staff:
        people["the applicant"] = alice
    by_token, sessions = {}, {}
    for who, user in people.items():
        by_token[f"{who} (token)"] = bearer(make_token(user, scopes))
        sessions[who] = Client()
        sessions[who].force_login(user)
    return by_token, sessions


@pytest.mark.parametrize("path,method", sorted(operations_with_parameters()))
def test_nobody_but_the_owner_reaches_an_object(alice, world, path, method):
    by_token, sessions = _clients(alice, world, staff=path in STAFF)
    if path in PUBLIC:
        factories = PUBLIC
        outsiders = [Client(), *sessions.values()]
        for client in outsiders:
            assert _request(client, method, path, world, factories).status_code == 200
        return
    factories = OBJECTS if path in OBJECTS else PER_STUDENT
    anonymous = _request(Client(), method, path, world, factories)
    assert anonymous.status_code == 401, path
    assert anonymous.json()["error"]["code"] == "unauthenticated"
    expected = 404 if path in OBJECTS else 409  # PER_STUDENT: the others have no goals
    for who, client in sessions.items():
        response = _request(client, method, path, world, factories)
        assert response.status_code == expected, f"{who}: {method.upper()} {path}"
        assert set(response.json()) == {"error"}
    for who, headers in by_token.items():
        response = _request(Client(), method, path, world, factories, headers)
        assert response.status_code == expected, f"{who}: {method.upper()} {path}"
    owner = Client()
    owner.force_login(world["walt"] if path in STAFF else alice)
    response = _request(owner, method, path, world, factories)
    assert 200 <= response.status_code < 300, f"owner: {method.upper()} {path}: {response.json()}"


# Paths answering a zip, not JSON: checked by ``test_an_archive_holds_only_the_askers_data``.
ARCHIVES = {f"{PREFIX}/export"}


def test_an_archive_holds_only_the_askers_data(alice, world):
    import io
    import zipfile

    bob = make_user("bob")
    alice.full_name = "Alice Privacy-Check"
    alice.save()
    for path in ARCHIVES:
        answers = {}
        for user in (alice, bob):
            client = Client()
            client.force_login(user)
            response = client.get(path)
            assert response.status_code == 200, path
            with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
                answers[user.username] = b"".join(archive.read(n) for n in archive.namelist())
        assert b"Alice Privacy-Check" in answers["alice"] and b"My first text." in answers["alice"]
        assert b"Alice Privacy-Check" not in answers["bob"] and b"Dr Chen" not in answers["bob"]
        assert b"My first text." not in answers["bob"]
        assert Client().get(path).status_code == 401


def test_every_list_is_the_owners_only(alice, world):
    """Paths without a parameter list the asker's own objects: bob's lists hold none of alice's."""
    bob = make_user("bob")
    client = Client()
    client.force_login(bob)
    for path, methods in schema()["paths"].items():
        if "{" in path or "get" not in methods or path.startswith(f"{PREFIX}/catalog"):
            continue
        if path in ARCHIVES:
            continue
        response = client.get(path)
        assert response.status_code in (200, 409), path
        body = response.json()
        assert not body.get("items") and not (body.get("data") or {}), path
