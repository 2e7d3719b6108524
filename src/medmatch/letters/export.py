"""The letters part of the account export. A waived letter appears only as its status and
arrival time: no content, file name, size or hash (a hash would let the student confirm a
guess of the text). What the student may read is decided by ``can_read_letter``."""

from medmatch.letters.models import LetterRequest, Recommender
from medmatch.letters.permissions import can_read_letter
from medmatch.lib.models import iso_or_none as _iso


def export_letters(user) -> dict:
    recommenders = Recommender.objects.for_student(user).select_related("specialty")
    requests = (
        LetterRequest.objects.for_student(user)
        .select_related("recommender", "letter", "student")
        .prefetch_related("applications__program")
        .order_by("created_at", "pk")
    )
    return {
        "recommenders": [recommender.to_export() for recommender in recommenders],
        "requests": [_request(user, request) for request in requests],
    }


def _request(user, request: LetterRequest) -> dict:
    letter = request.letter_or_none
    data = {
        "recommender": request.recommender.name,
        "recommender_email": request.recommender.email,
        "applications": [
            {"program_id": a.program_id, "title": a.program.title}
            for a in request.applications.all()
        ],
        "status": request.status,
        "asked_on": _iso(request.asked_on),
        "due_on": _iso(request.due_on),
        "waived": request.waived,
        "eras_letter_id": request.eras_letter_id,
        "service_uploaded_on": _iso(request.service_uploaded_on),
        "terms_fixed_at": _iso(request.terms_fixed_at),
        "talking_points": request.talking_points,
        "created_at": _iso(request.created_at),
        "letter": None,
    }
    if letter is not None:
        data["letter"] = {"uploaded_at": _iso(letter.uploaded_at)}
        if can_read_letter(user, letter):
            data["letter"] |= {
                "file_name": letter.original_name,
                "size": letter.size,
                "sha256": letter.sha256,
                "note": "Download the letter itself from its request page.",
            }
    return data
