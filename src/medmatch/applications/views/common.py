"""What every application page shares: the access helpers (one per owned object, returning the
student's own object or raising 404, so that no view filters by owner itself), the safe "back"
redirect and the guard that turns an oversized POST into a clear message, not an error page."""

import datetime
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from medmatch.applications.forms import MAX_NOTES_LENGTH
from medmatch.applications.models import Application, Requirement
from medmatch.lib.access import get_owned_or_404
from medmatch.lib.middleware import answers_too_large

TOO_LARGE = (
    f"notes: at most {MAX_NOTES_LENGTH:,} characters. What you sent is far larger, so nothing "
    "was saved; shorten the text and save again."
)


def get_application(request, pk: int) -> Application:
    return get_owned_or_404(Application.objects.with_program(), request.user, pk=pk)


def get_requirement(request, pk: int) -> Requirement:
    return get_owned_or_404(
        Requirement.objects.select_related("application__program__institution"),
        request.user,
        pk=pk,
    )


def today() -> datetime.date:
    return timezone.localdate()


def safe_next(request, default: str) -> str:
    """The POSTed ``next`` when it is a path on this site, else ``default``."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # A path on this site only: redirect() would read "abc" as a URL pattern name and fail.
    return target if safe and target.startswith("/") else default


def back(request, default: str):
    return redirect(safe_next(request, default))


def post_size_guard(view):
    """Read the POST body up front; one larger than DATA_UPLOAD_MAX_MEMORY_SIZE (a 20 MB paste)
    gets a 413 page that says what to do, and nothing is written. The browser keeps the text:
    Back returns to the form with it."""

    @answers_too_large(_too_large)  # lib.middleware answers before CSRF reads the body
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 — parsing is what raises
            except RequestDataTooBig:
                return _too_large(request)
        return view(request, *args, **kwargs)

    return guarded


def _too_large(request):
    if request.htmx:  # board.js shows this text; the form keeps what was typed
        return HttpResponse(TOO_LARGE, status=413, content_type="text/plain")
    context = {"max_notes": MAX_NOTES_LENGTH}
    return render(request, "applications/too_large.html", context, status=413)
