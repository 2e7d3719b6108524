"""The JSON API at ``/api/v1/``: one ``NinjaAPI``, one router per area, one error shape.

The schema is at ``/api/v1/openapi.json`` and its docs at ``/api/v1/docs`` (Swagger UI from
ninja's bundled static files: nothing is fetched from a CDN, and the page passes the site's CSP).
"""

from django.urls import path, re_path
from ninja import NinjaAPI

from medmatch.api import applications, catalog, goals
from medmatch.api.errors import error_response, install_handlers

api = NinjaAPI(
    title="medmatch API",
    version="1",
    description=(
        "The catalog and a student's own objects. Authenticate with a personal access token "
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
api.add_router("/", applications.router)


def not_found(request, rest: str = ""):
    """A path under /api/v1/ that names no endpoint: the API's 404, not the site's HTML page."""
    return error_response(404, "No such endpoint; see /api/v1/docs.")


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found, name="api_not_found"),
]
