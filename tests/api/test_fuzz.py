"""The API fuzzed from its own OpenAPI schema with schemathesis: for every operation, generated
requests (valid and invalid) against the app in this process, as alice with a token for every
area. No answer may be a server error, and every answer must match the schema (its status,
content type, headers and body, the error shape included).

The number of examples is bounded so the suite stays fast (``API_FUZZ_EXAMPLES``, 15 by
default); ``make bench`` runs the longer fuzz (benchmarks/api_fuzz.py) with many more.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from medmatch.api.main import api
from tests.api.conftest import bearer, make_token
from tests.contributions.conftest import make_coordinatorship

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
SCOPES = [
    "catalog:read",
    "goals:write",
    "applications:write",
    "research:write",
    "interviews:write",
    "letters:write",
    "match:write",
    "account:read",
    "program:write",
]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()  # requests go to the app in this process, the test database


@pytest.fixture
def app(settings, alice, application, goals):
    """The site as a WSGI app, for alice (a token for every area), with her objects in place;
    she directs the program she applied to as well, so the program side's lists have rows.

    A WSGI request closes old database connections when it starts and ends; on PostgreSQL that
    closes the test's own connection, its transaction with it. Django's test client turns this
    off for its requests; so does this fixture, for the fuzz's."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    make_coordinatorship(alice, application.program.institution, role="director")
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield bearer(make_token(alice, SCOPES))["HTTP_AUTHORIZATION"]
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
def test_it_answers_every_generated_request_within_its_schema(app, case):
    case.call_and_validate(headers={"Authorization": app}, checks=CHECKS)
