"""The recommender's upload page: no account, a personal link for one request. Every use is
logged; any token that does not open this request (unknown, expired, revoked, or made for
another request) gets the same 404."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from medmatch.letters import conf
from medmatch.letters.forms import UploadForm
from medmatch.letters.models import AccessLog
from medmatch.letters.services import (
    LetterError,
    can_replace,
    letter_store,
    link_resolve,
    log_access,
)
from medmatch.letters.uploads import UploadError, check_pdf, too_large_message

# Multipart framing around the file: a body larger than the limit plus this is refused unread.
MULTIPART_SLACK = 64 * 1024


@csrf_exempt  # checked below, after the size: CSRF parsing would read the whole body first
@never_cache
@require_http_methods(["GET", "POST"])
def portal(request, request_pk: int, token: str):
    address = request.META.get("REMOTE_ADDR", "")
    link, outcome = link_resolve(request_pk, token)
    action = AccessLog.Action.VIEW if request.method == "GET" else AccessLog.Action.UPLOAD
    if link is None:
        log_access(
            request_pk=request_pk, link=None, address=address, action=action, outcome=outcome
        )
        raise Http404("No such upload page.")
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and length > conf.get("LETTERS_MAX_UPLOAD_BYTES") + MULTIPART_SLACK:
        return _page(
            request,
            link,
            UploadForm(),
            error=too_large_message(length),
            status=413,
            address=address,
        )
    return csrf_protect(_portal)(request, link, address)


def _portal(request, link, address):
    if request.method == "GET":
        log_access(
            request_pk=link.request_id,
            link=link,
            address=address,
            action=AccessLog.Action.VIEW,
            outcome="ok",
        )
        return _page(request, link, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        error = " ".join(form.errors.get("letter", ["Choose a PDF file to upload."]))
        return _page(request, link, form, error=error, status=400, address=address)
    upload = form.cleaned_data["letter"]
    try:
        sha256 = check_pdf(upload)
        letter_store(link=link, upload=upload, sha256=sha256, address=address)
    except (UploadError, LetterError) as error:
        return _page(request, link, form, error=str(error), status=400, address=address)
    link.request.refresh_from_db()
    return _page(request, link, UploadForm(), uploaded=True)


def _page(request, link, form, *, error="", status=200, uploaded=False, address=None):
    letter_request = link.request
    if error:  # a refused upload is logged with its reason
        log_access(
            request_pk=letter_request.pk,
            link=link,
            address=address,
            action=AccessLog.Action.REFUSED,
            outcome=error,
        )
    letter = letter_request.letter_or_none
    student = letter_request.student
    context = {
        "letter_request": letter_request,
        "student_name": student.get_full_name() or student.username,
        "applications": letter_request.applications.with_program().order_by("deadline", "pk"),
        "form": form,
        "error": error,
        "uploaded": uploaded,
        "letter": letter,
        "can_upload": letter is None or can_replace(letter_request, timezone.localdate()),
        "max_mb": conf.get("LETTERS_MAX_UPLOAD_BYTES") // (1024 * 1024),
    }
    return render(request, "letters/portal.html", context, status=status)
