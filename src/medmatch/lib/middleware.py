"""Refuse an oversized or malformed request body before anything reads it.

Django reads a form body the first time ``request.POST`` is touched, and ``CsrfViewMiddleware``
touches it before the view: a 20 MB paste used to end as Django's bare 400 ("RequestDataTooBig")
raised inside that middleware, so the views' own guards with their guidance never ran. This
middleware sits before ``CsrfViewMiddleware`` and looks only at ``Content-Length``:

- not ASCII digits (``abc``, ``-1``, full-width digits): 400, the body is never read;
- a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (a form, urlencoded or multipart): 413 and
  nothing was changed. A view decorated with ``answers_too_large(handler)`` answers with its own
  page (which names its field and limit); any other view gets ``too_large.html``.

Views that take files say so: ``accepts_uploads(max_bytes)`` raises the limit for one view, and a
``csrf_exempt`` view reads its own body and is left alone (the recommenders' portal checks its own
file limit before reading anything).
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

TOO_LARGE_ATTRIBUTE = "too_large_response"
UPLOAD_LIMIT_ATTRIBUTE = "upload_limit_bytes"
BAD_LENGTH = "Content-Length: not a whole number of bytes. Nothing was changed."
TOO_LARGE = (
    "What you sent is far larger than any field here accepts, so nothing was changed. "
    "Go back (your browser keeps what you typed), shorten the long text, and try again."
)


def answers_too_large(handler):
    """Mark a view: ``handler(request)`` returns its own response to an oversized form.

    The mark survives decorators that use ``functools.wraps`` (login_required and the like)."""

    def decorator(view):
        setattr(view, TOO_LARGE_ATTRIBUTE, handler)
        return view

    return decorator


def accepts_uploads(max_bytes: int):
    """Mark a view that takes files: its bodies may be up to ``max_bytes``."""

    def decorator(view):
        setattr(view, UPLOAD_LIMIT_ATTRIBUTE, max_bytes)
        return view

    return decorator


def too_large_response(request):
    if getattr(request, "htmx", False):
        return HttpResponse(TOO_LARGE, status=413, content_type="text/plain; charset=utf-8")
    return render(request, "too_large.html", {"message": TOO_LARGE}, status=413)


class RequestSizeLimitMiddleware:
    """Must come before ``CsrfViewMiddleware`` in ``MIDDLEWARE``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or ""
        if raw and not (raw.isascii() and raw.isdigit()):
            return HttpResponse(BAD_LENGTH, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = getattr(view_func, UPLOAD_LIMIT_ATTRIBUTE, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if limit is None or request.method in ("GET", "HEAD"):
            return None
        if getattr(view_func, "csrf_exempt", False):
            return None
        if int(request.META.get("CONTENT_LENGTH") or 0) <= limit:
            return None
        handler = getattr(view_func, TOO_LARGE_ATTRIBUTE, too_large_response)
        return handler(request)
