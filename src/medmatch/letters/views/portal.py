"""The recommender's upload page: no account, a personal link for one request. Every use is
counted (medmatch.letters.ratelimit) and logged — on the request's access log when the link is
one of the request's own, in the server's log when the token is unknown — and any token that
does not open this request (unknown, expired, revoked, or made for another request) gets the
same 404."""

import re

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from medmatch.letters import conf
from medmatch.letters.forms import UploadForm
from medmatch.letters.models import AccessLog
from medmatch.letters.ratelimit import portal_allowed
from medmatch.letters.services import (
    LetterError,
    can_replace,
    letter_store,
    link_resolve,
    log_access,
    log_unknown_token,
)
from medmatch.letters.uploads import UploadError, check_pdf, too_large_message
from medmatch.lib.client_ip import client_ip
from medmatch.lib.validators import single_line

# Multipart framing around the file: a body larger than the limit plus this is refused unread.
MULTIPART_SLACK = 64 * 1024
# A Content-Length header is ASCII digits (RFC 9110, 8.6); twelve of them are a terabyte.
CONTENT_LENGTH = re.compile(r"\A[0-9]{1,12}\Z")
BAD_LENGTH = (
    "The upload arrived with a broken Content-Length header, so it was not read. Try again; if "
    "it happens again, try another browser or network (a proxy on the way may be at fault)."
)


@csrf_exempt  # checked below, after the size: CSRF parsing would read the whole body first
@never_cache
@require_http_methods(["GET", "POST"])
def portal(request, request_pk: int, token: str):
    address = client_ip(request) or ""  # the recommender's, not the reverse proxy's
    action = AccessLog.Action.VIEW if request.method == "GET" else AccessLog.Action.UPLOAD
    if not portal_allowed(address=address, token=token):
        return _busy(request)
    link, outcome = link_resolve(request_pk, token)
    if link is None:
        log_unknown_token(request_pk=request_pk, address=address, action=action, outcome=outcome)
        raise Http404("No such upload page.")
    if outcome != "ok":  # expired or revoked: one of this request's links, so its log
        log_access(link=link, address=address, action=action, outcome=outcome)
        raise Http404("No such upload page.")
    if request.method == "POST":
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        if not CONTENT_LENGTH.match(raw_length):
            return _refuse(request, link, BAD_LENGTH, status=400, address=address)
        length = int(raw_length)
        if length > conf.get("LETTERS_MAX_UPLOAD_BYTES") + MULTIPART_SLACK:
            return _refuse(request, link, too_large_message(length), status=413, address=address)
    return csrf_protect(_portal)(request, link, address)


def _portal(request, link, address):
    if request.method == "GET":
        log_access(link=link, address=address, action=AccessLog.Action.VIEW, outcome="ok")
        return _page(request, link, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        error = " ".join(form.errors.get("letter", ["Choose a PDF file to upload."]))
        return _refuse(request, link, error, status=400, address=address, form=form)
    upload = form.cleaned_data["letter"]
    try:
        sha256 = check_pdf(upload)
        letter_store(link=link, upload=upload, sha256=sha256, address=address)
    except (UploadError, LetterError) as error:
        return _refuse(request, link, str(error), status=400, address=address, form=form)
    link.request.refresh_from_db()
    return _page(request, link, UploadForm(), uploaded=True)


def _refuse(request, link, error, *, status, address, form=None):
    # A refused upload is logged with its reason (the student sees the reason only for letters
    # they may read; see AccessLog.outcome_for_student).
    log_access(link=link, address=address, action=AccessLog.Action.REFUSED, outcome=error)
    return _page(request, link, form or UploadForm(), error=error, status=status)


def _page(request, link, form, *, error="", status=200, uploaded=False):
    letter_request = link.request
    letter = letter_request.letter_or_none
    student = letter_request.student
    context = {
        "letter_request": letter_request,
        "student_name": single_line(student.display_name),
        "recommender_name": single_line(letter_request.recommender.name),
        # The terms as the letter arrived under them (or, before it arrives, as fixed).
        "confidential": letter_request.confidential,
        "applications": letter_request.applications.with_program().order_by("deadline", "pk"),
        "form": form,
        "error": error,
        "uploaded": uploaded,
        "letter": letter,
        "can_upload": letter is None or can_replace(letter_request, timezone.localdate()),
        # Past the due date a first letter is still taken (until the link expires), but it can
        # no longer be replaced: the page must not promise a replacement.
        "replaceable": can_replace(letter_request, timezone.localdate()),
        "max_mb": conf.get("LETTERS_MAX_UPLOAD_BYTES") // (1024 * 1024),
    }
    return render(request, "letters/portal.html", context, status=status)


def _busy(request):
    window = conf.get("LETTERS_PORTAL_WINDOW_SECONDS")
    response = render(request, "letters/portal_busy.html", {"window": window}, status=429)
    response["Retry-After"] = str(window)
    return response
