"""Checks an uploaded letter by its content, not its name: a PDF starts with ``%PDF-`` and ends
with ``%%EOF`` (ISO 32000-1, 7.5.2 and 7.5.5). Without a PDF parser installed this is a sanity
check, not a validation; it refuses renamed programs, images, Word files and empty or truncated
uploads with a message the recommender can act on."""

import hashlib

from medmatch.letters import conf

HEADER = b"%PDF-"
TRAILER = b"%%EOF"
# Writers may put a little garbage after %%EOF (a newline, a null, a signature's padding).
TRAILER_WINDOW = 2048

# First bytes of what people upload by mistake, to say what the file looks like instead.
LOOKS_LIKE = [
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"PK\x03\x04", "a Word document or ZIP archive"),
    (b"\xd0\xcf\x11\xe0", "an old Word document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
]


class UploadError(ValueError):
    pass


def check_pdf(upload) -> str:
    """Return the file's SHA-256 if ``upload`` (a Django UploadedFile) looks like a PDF within the
    size limit; raise UploadError with a clear message otherwise. Reads in chunks: a large
    file stays on disk where Django's upload handler put it."""
    limit = conf.get("LETTERS_MAX_UPLOAD_BYTES")
    if upload is None:
        raise UploadError("Choose a PDF file to upload.")
    if upload.size == 0:
        raise UploadError("The file is empty. Choose the PDF of the letter and upload it again.")
    if upload.size > limit:
        raise UploadError(too_large_message(upload.size))
    upload.seek(0)
    head = upload.read(1024)
    if not head.startswith(HEADER):
        raise UploadError(not_pdf_message(head))
    digest = hashlib.sha256()
    tail = b""
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        tail = (tail + chunk)[-TRAILER_WINDOW:]
    if TRAILER not in tail:
        raise UploadError(
            "This PDF looks incomplete (it has no end-of-file marker): the upload may have been "
            "cut off, or the file is damaged. Save the letter as PDF again and upload that file."
        )
    upload.seek(0)
    return digest.hexdigest()


def too_large_message(size: int) -> str:
    limit = conf.get("LETTERS_MAX_UPLOAD_BYTES")
    return (
        f"The file is {size / 1024 / 1024:.1f} MB; letters can be at most "
        f"{limit / 1024 / 1024:.0f} MB. Save it as PDF without embedded images at full "
        "resolution (most 'Save as PDF' or 'Reduce file size' options do this) and upload again."
    )


def not_pdf_message(head: bytes) -> str:
    what = next((name for magic, name in LOOKS_LIKE if head.startswith(magic)), None)
    looks = f" (it looks like {what})" if what else ""
    return (
        f"This file is not a PDF{looks}, whatever its name says. Save or export the letter as "
        "PDF and upload that file."
    )
