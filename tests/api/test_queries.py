"""The new list endpoints cost the same number of queries for one row as for several: no query
per row (select_related, prefetch_related and annotations instead)."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from medmatch.applications.services import application_create, statement_create
from medmatch.interviews.models import PracticeAttempt, Question
from medmatch.letters.models import LetterRequest, Recommender
from medmatch.letters.services import request_save
from medmatch.research.models import Contact, Conversation, Insight
from tests.api.conftest import bearer, make_token
from tests.cycles.factories import make_cycle, make_cycle_program, make_student_list

pytestmark = pytest.mark.django_db

SCOPES = ["applications:read", "research:read", "interviews:read", "letters:read", "match:read"]
PATHS = [
    "/api/v1/statements",
    "/api/v1/contacts",
    "/api/v1/conversations",
    "/api/v1/recommenders",
    "/api/v1/letter-requests",
    "/api/v1/practice-attempts",
    "/api/v1/rank-lists",
]


def _add_rows(alice, catalog, n: int, offset: int) -> None:
    """``n`` more of each of alice's objects."""
    question = Question.objects.create(student=alice, category="teamwork", text="Conflict?")
    for i in range(offset, offset + n):
        program = catalog["programs"][i % len(catalog["programs"])]
        application, _ = application_create(student=alice, program=program)
        statement_create(student=alice, title=f"S{i}", application=application, body="Text.")
        contact = Contact.objects.create(student=alice, name=f"C{i}", program=program)
        conversation = Conversation.objects.create(contact=contact, date=datetime.date(2026, 1, 1))
        Insight.objects.create(conversation=conversation, aspect="mentorship", rating=4)
        recommender = Recommender.objects.create(student=alice, name=f"R{i}")
        request_save(
            letter_request=LetterRequest(student=alice, recommender=recommender),
            applications=[application],
        )
        PracticeAttempt.objects.create(student=alice, question=question, seconds_taken=30)
        cycle = make_cycle(state="open", days_to_match=20)
        make_student_list(cycle, alice, [make_cycle_program(cycle, f"P{i}")])


def _counts(client) -> dict[str, int]:
    counts = {}
    for path in PATHS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(queries)
    return counts


def test_a_list_costs_no_query_per_row(alice, catalog):
    client = Client()
    client.defaults.update(bearer(make_token(alice, SCOPES)))
    client.get("/api/v1/rank-lists")  # the token's first use is recorded (a write, once a minute)
    _add_rows(alice, catalog, 1, 0)
    one = _counts(client)
    _add_rows(alice, catalog, 3, 1)
    four = _counts(client)
    assert four == one
