"""The JSON API at ``/api/v1/``: one ``NinjaAPI``, one router per area, one error shape.

The schema is at ``/api/v1/openapi.json`` and its docs at ``/api/v1/docs`` (Swagger UI from
ninja's bundled static files: nothing is fetched from a CDN, and the page passes the site's CSP).
"""

import copy
from functools import wraps

from django.urls import path, register_converter
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from medmatch.api import (
    applications,
    catalog,
    contacts,
    export,
    goals,
    interviews,
    letters,
    match,
    program_lists,
    programs,
    research,
    rounds,
    statements,
)
from medmatch.api.errors import error_response, install_handlers


class API(NinjaAPI):
    """A NinjaAPI that builds its OpenAPI schema once per path prefix. Ninja builds it anew for
    every request to openapi.json (about 0.25 s of CPU), yet it cannot change while the process
    runs: every router is added below, when this module is imported. Callers get a copy, so
    one that changes its schema (schemathesis resolves references in place) changes no other's."""

    def __init__(self, *args, **kwargs):
        self._schemas = {}
        super().__init__(*args, **kwargs)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self._schemas:
            self._schemas[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return copy.deepcopy(self._schemas[path_prefix])

    def add_router(self, *args, **kwargs):
        self._schemas.clear()
        super().add_router(*args, **kwargs)


api = API(
    title="medmatch API",
    version="1",
    description=(
        "The catalog, a student's own objects, and a program's side for its verified staff. "
        "Authenticate with a personal access token "
        "(`Authorization: Bearer mm_…`, made on /accounts/tokens/) or the site's session. "
        "Lists page with cursors (`limit`, `cursor` → `next_cursor`); every error is "
        '`{"error": {"status", "code", "message", "fields": [{"field", "reason"}]}}`.'
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_handlers(api)
api.add_router("/catalog", catalog.router)
api.add_router("/", goals.router)
api.add_router("/", research.router)
api.add_router("/", contacts.router)
api.add_router("/", applications.router)
api.add_router("/", statements.router)
api.add_router("/", interviews.router)
api.add_router("/", letters.router)
api.add_router("/", match.router)
api.add_router("/", programs.router)
api.add_router("/", program_lists.router)
api.add_router("/", rounds.router)
api.add_router("/", export.router)


class AnyPathConverter:
    """Any rest of a path, line breaks included (Django's ``path`` converter stops at them, and
    the fuzz sent one)."""

    regex = r"[\s\S]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AnyPathConverter, "anypath")

REASONS = {405: "This endpoint does not take this method; see the Allow header."}


def json_errors(view):
    """An error ninja answers in plain text (405 for a method a path does not take) comes out
    in the API's error shape too."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        content_type = response.get("Content-Type", "")
        if response.status_code < 400 or content_type.startswith("application/json"):
            return response
        message = REASONS.get(response.status_code) or response.reason_phrase
        replaced = error_response(response.status_code, message)
        if response.has_header("Allow"):
            replaced["Allow"] = response["Allow"]
        return replaced

    return wrapped


@csrf_exempt  # it changes nothing, and a POST to an unknown path deserves the API's 404 too
def not_found(request, rest: str = ""):
    """A path under /api/v1/ that names no endpoint: the API's 404, not the site's HTML page."""
    return error_response(404, "No such endpoint; see /api/v1/docs.")


def _patterns():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = json_errors(pattern.callback)
    return patterns, app_name, namespace


urlpatterns = [
    path("", _patterns()),
    path("<anypath:rest>", not_found, name="api_not_found"),
]
