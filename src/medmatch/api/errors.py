"""One JSON shape for every error the API answers, whoever raised it (ninja, Django, our code):

    {"error": {"status": 422, "code": "invalid", "message": "...",
               "fields": [{"field": "limit", "reason": "..."}]}}

``fields`` names each input at fault (empty when the error is not about one input).
"""

import math

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
}


class ApiError(Exception):
    """An error an endpoint raises on purpose, with its status, message and fields at fault."""

    def __init__(self, status: int, message: str, fields: list[dict] | None = None):
        super().__init__(message)
        self.status, self.message, self.fields = status, message, fields or []


def error_response(status: int, message: str, fields: list[dict] | None = None, **headers):
    body = {
        "error": {
            "status": status,
            "code": CODES.get(status, "error"),
            "message": message,
            "fields": fields or [],
        }
    }
    response = JsonResponse(body, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def form_fields(form) -> list[dict]:
    """A Django form's errors as ``fields``; each message already names its field or not."""
    return [
        {"field": name if name != "__all__" else "", "reason": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


def _location(loc) -> str:
    # ninja says where: ("query", "limit"), ("body", "payload", "status"), ("path", "pk"). Only
    # the leading source and the body's parameter name go: a field may itself be called "body".
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("query", "body", "path", "header", "cookie"):
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == "payload":
            parts.pop(0)
    return ".".join(parts)


def _validation(request, exc: ValidationError):
    fields = [
        {"field": _location(error.get("loc", ())), "reason": error.get("msg", "invalid")}
        for error in exc.errors
    ]
    names = ", ".join(dict.fromkeys(f["field"] for f in fields if f["field"])) or "the request"
    return error_response(422, f"Invalid input: {names}.", fields)


def _authentication(request, exc: AuthenticationError):
    message = str(exc) if str(exc) != "Unauthorized" else ""
    return error_response(
        401,
        message or "Log in, or send a personal access token as “Authorization: Bearer mm_…”.",
        WWW_Authenticate="Bearer",
    )


def _throttled(request, exc: Throttled):
    wait = max(1, math.ceil(exc.wait or 1))
    return error_response(
        429, f"Too many requests for this token: try again in {wait} s.", Retry_After=str(wait)
    )


def _http_error(request, exc: HttpError):
    return error_response(exc.status_code, str(exc))


def _api_error(request, exc: ApiError):
    return error_response(exc.status, exc.message, exc.fields)


def _not_found(request, exc):
    # Never says whether the object exists for someone else.
    return error_response(404, "Not found.")


def _forbidden(request, exc):
    return error_response(403, str(exc) or "Forbidden.")


def install_handlers(api) -> None:
    api.add_exception_handler(ValidationError, _validation)
    api.add_exception_handler(AuthenticationError, _authentication)
    api.add_exception_handler(Throttled, _throttled)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(ApiError, _api_error)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(PermissionDenied, _forbidden)
