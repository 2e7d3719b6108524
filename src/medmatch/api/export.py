"""``GET /export``: the asker's whole account as the archive of /accounts/ (a zip: manifest,
account.json, records.json and the letters the student may read; never a waived letter). It
needs the read-only ``account:read`` scope, which no other area's scope implies: the archive
holds every area at once."""

from django.http import HttpResponse
from ninja import Router

from medmatch.accounts.services import account_archive
from medmatch.api.auth import student_auth
from medmatch.api.schemas import ERRORS

router = Router(tags=["account"], auth=student_auth("account"))

ZIP = {
    "description": (
        "The account archive (format medmatch-account-archive, version 2), as "
        "/accounts/export/archive/ gives it; `medmatch account import` restores it."
    ),
    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
}


@router.get(
    "/export",
    response=ERRORS,
    summary="Your account archive (zip)",
    openapi_extra={"responses": {200: ZIP}},
)
def export_account(request):
    response = HttpResponse(account_archive(user=request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="medmatch-{request.user.username}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
