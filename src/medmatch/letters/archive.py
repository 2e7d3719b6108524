"""The letters part of the account archive (``accounts.archive``): recommenders, requests with
the applications they serve, and the letters the student may read, with their files.

A waived letter is never in the archive: not its content, name, size or hash (``export`` asks
``can_read_letter``, as the JSON export does). Its arrival is noted in records.json only, and it
stays with the programs it was sent to on the old server. Upload links, their access log and
reminders are this server's bookkeeping and do not move."""

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from medmatch.accounts.archive import (
    ArchiveError,
    create,
    fields_in,
    fields_out,
    rows,
    sha256,
)
from medmatch.letters.models import Letter, LetterAssignment, LetterRequest, Recommender
from medmatch.letters.permissions import can_read_letter
from medmatch.letters.uploads import UploadError, check_pdf
from medmatch.lib.models import iso_or_none

RECOMMENDER = (
    "name",
    "title",
    "role",
    "institution",
    "email",
    "relationship",
    "known_months",
    "knows_well",
    "notes",
    "created_at",
    "updated_at",
)
REQUEST = (
    "status",
    "asked_on",
    "due_on",
    "waived",
    "terms_fixed_at",
    "talking_points",
    "eras_letter_id",
    "service_uploaded_on",
    "created_at",
    "updated_at",
)
LETTER = ("original_name", "size", "sha256", "uploaded_at", "replaced_count", "waived")
ASSIGNMENT = ("assigned_at",)


def _requests(user):
    return (
        LetterRequest.objects.for_student(user)
        .select_related("recommender", "letter", "student")
        .order_by("created_at", "pk")
    )


def export(user, context) -> dict:
    recommenders = (
        Recommender.objects.for_student(user)
        .select_related("specialty")
        .order_by("created_at", "pk")
    )
    recommenders_out = [
        fields_out(recommender, RECOMMENDER)
        | {
            "key": context.key("recommender", recommender),
            "specialty": context.specialty(recommender.specialty)
            if recommender.specialty
            else None,
        }
        for recommender in recommenders
    ]
    requests_out = []
    for request in _requests(user):
        key = context.key("letter_request", request)
        assignments = LetterAssignment.objects.filter(request=request).order_by("assigned_at", "pk")
        data = fields_out(request, REQUEST) | {
            "key": key,
            "recommender": context.key_of("recommender", request.recommender_id),
            "applications": [
                fields_out(assignment, ASSIGNMENT)
                | {"application": context.key_of("application", assignment.application_id)}
                for assignment in assignments
            ],
            "letter": None,
        }
        letter = request.letter_or_none
        if letter is not None and can_read_letter(user, letter):
            with letter.file.open("rb") as stream:
                content = stream.read()
            data["letter"] = fields_out(letter, LETTER) | {
                "file": context.add_file(f"letters/{key}.pdf", content)
            }
        requests_out.append(data)
    return {"recommenders": recommenders_out, "requests": requests_out}


def records(user) -> dict:
    """When each waived letter arrived: the student may know that, never what it says."""
    waived = []
    for request in _requests(user):
        letter = request.letter_or_none
        if letter is not None and not can_read_letter(user, letter):
            waived.append(
                {
                    "recommender": request.recommender.name,
                    "uploaded_at": iso_or_none(letter.uploaded_at),
                }
            )
    return {"waived_letters_received": waived}


def import_(user, data: dict, context) -> None:
    part = "account.json letters"
    for row, where in rows(data, "recommenders", part):
        recommender = create(
            Recommender,
            where,
            fields_in(Recommender, row, RECOMMENDER, where),
            student=user,
            specialty=context.ref(row.get("specialty"), f"{where}.specialty", optional=True),
        )
        context.remember(row.get("key"), recommender, where)
    for row, where in rows(data, "requests", part):
        recommender = context.get(row.get("recommender"), "recommender", f"{where}.recommender")
        request = create(
            LetterRequest,
            where,
            fields_in(LetterRequest, row, REQUEST, where),
            student=user,
            recommender=recommender,
        )
        context.remember(row.get("key"), request, where)
        for assigned, at in rows(row, "applications", where):
            application = context.get(
                assigned.get("application"), "application", f"{at}.application"
            )
            create(
                LetterAssignment,
                at,
                fields_in(LetterAssignment, assigned, ASSIGNMENT, at),
                request=request,
                application=application,
            )
        if row.get("letter") is not None:
            _import_letter(request, row["letter"], context, f"{where}.letter")


def _import_letter(request, data, context, part: str) -> None:
    values = fields_in(Letter, data, LETTER, part)
    if values["waived"] or request.waived:
        raise ArchiveError(part, "a waived letter cannot be in an archive")
    content = context.file(data.get("file"), f"{part}.file")
    if len(content) != values["size"] or sha256(content) != values["sha256"]:
        raise ArchiveError(f"{part}.file", "its size or SHA-256 differs from the letter's record")
    try:
        # The same checks as an upload: a real PDF within the size limit, no active content.
        check_pdf(SimpleUploadedFile("letter.pdf", content, "application/pdf"))
    except UploadError as error:
        raise ArchiveError(data.get("file"), str(error)) from error
    letter = Letter(request=request, **values)
    letter.file.save("letter.pdf", ContentFile(content), save=False)
    context.file_saved(letter.file.storage, letter.file.name)
    create(Letter, part, values | {"file": letter.file.name}, request=request)
