"""Checks an uploaded letter by its content, not its name. A letter is a PDF (it starts with
``%PDF-`` and ends with ``%%EOF``, ISO 32000-1 7.5.2 and 7.5.5) that a real parser (pypdf) can
read, with at least one page, and nothing in it that acts on the reader's computer: no
JavaScript (``/JS``, ``/JavaScript``, in ``/OpenAction``, ``/AA`` or anywhere else), no
``/Launch`` action, no embedded or attached files, and no HTML mixed in (a file that is both a PDF
and a web page). Each refusal says what to do instead.
"""

import hashlib
import logging
import re

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from medmatch.letters import conf

HEADER = b"%PDF-"
TRAILER = b"%%EOF"
# Writers may put a little garbage after %%EOF (a newline, a null, a signature's padding).
TRAILER_WINDOW = 2048
# A letter has a few hundred objects; a file with more than this is refused, not walked.
MAX_OBJECTS = 100_000

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

# HTML that a browser would run if it took the file for a web page. PDF syntax never has "<"
# followed by these letters outside a string or stream ("<<" opens a dictionary, "<" + hex digits
# a hex string), and a letter's text does not contain them. Compressed streams are random bytes:
# anywhere in the file only tags of five letters or more are looked for (a chance match is about
# 1 in 10^6 per 5 MB file); the short ones only in the first kilobyte, where browsers that guess
# a file's type look.
HTML_ANYWHERE = re.compile(rb"<\s*(script|iframe|object|embed|!doctype\s+html)\b", re.I)
HTML_AT_START = re.compile(rb"<\s*(html|body|head|svg|img|meta)\b", re.I)
HTML_START = 1024
# How far a match may straddle two chunks.
HTML_OVERLAP = 32

NOT_READABLE = (
    "This file starts like a PDF but cannot be read as one: it is damaged, or something else "
    "renamed. Save or export the letter as PDF again and upload that file."
)
HAS_HTML = (
    "This file is a PDF with web-page code (HTML or a script) mixed in, which could run on the "
    "reader's computer. Export the letter to a new PDF (Print > Save as PDF) and upload that file."
)
HAS_JAVASCRIPT = (
    "This PDF contains JavaScript (code that runs when the PDF is opened or used), which "
    "programs do not accept in a letter. Print it to a new PDF (Print > Save as PDF drops "
    "scripts) and upload that file."
)
HAS_LAUNCH = (
    "This PDF contains an action that starts another program or file (a /Launch action), which "
    "programs do not accept in a letter. Print it to a new PDF (Print > Save as PDF) and upload "
    "that file."
)
HAS_FILES = (
    "This PDF has files embedded or attached inside it. A letter is the letter alone: save it "
    "as PDF without attachments (or print it to a new PDF) and upload that file."
)
ENCRYPTED = (
    "This PDF is protected by a password, so programs could not open it. Save it as PDF "
    "without a password and upload that file."
)
NO_PAGES = "This PDF has no pages. Save or export the letter as PDF again and upload that file."


class UploadError(ValueError):
    pass


def check_pdf(upload) -> str:
    """Return the file's SHA-256 if ``upload`` (a Django UploadedFile) is a PDF letter within
    the size limit (see the module docstring); raise UploadError with a clear message otherwise.
    Reads in chunks: a large file stays on disk where Django's upload handler put it."""
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
    html = bool(HTML_AT_START.search(head[:HTML_START]))
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        html = html or bool(HTML_ANYWHERE.search(tail[-HTML_OVERLAP:] + chunk))
        tail = (tail + chunk)[-TRAILER_WINDOW:]
    if TRAILER not in tail:
        raise UploadError(
            "This PDF looks incomplete (it has no end-of-file marker): the upload may have been "
            "cut off, or the file is damaged. Save the letter as PDF again and upload that file."
        )
    if html:
        raise UploadError(HAS_HTML)
    upload.seek(0)
    check_pdf_content(upload)
    upload.seek(0)
    return digest.hexdigest()


def check_pdf_content(stream) -> None:
    """Parse the PDF in ``stream`` and raise UploadError if it cannot be read, has no pages, or
    holds JavaScript, a /Launch action or embedded files anywhere in its objects."""
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UploadError(ENCRYPTED)
        if len(reader.pages) == 0:
            raise UploadError(NO_PAGES)
        problem = _active_content(reader)
    except UploadError:
        raise
    except Exception as error:  # pypdf raises many kinds on a damaged or hostile file
        logging.getLogger(__name__).info("letters: unreadable PDF upload: %r", error)
        raise UploadError(NOT_READABLE) from error
    if problem:
        raise UploadError(problem)


def _active_content(reader: PdfReader) -> str | None:
    """The message for the first script, launch action or embedded file found in any object of
    the file — everything reachable from the trailer, and every object the cross-reference
    table lists, reachable or not — or None."""
    roots = [reader.trailer]
    for generation, by_number in reader.xref.items():
        roots.extend(IndirectObject(number, generation, reader) for number in by_number)
    roots.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    stack = list(roots)
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_OBJECTS:
                raise UploadError(NOT_READABLE)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            problem = _dictionary_problem(item)
            if problem:
                return problem
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def _dictionary_problem(dictionary: DictionaryObject) -> str | None:
    keys = set(dictionary.keys())
    action = _value(dictionary, "/S")
    if keys & {"/JS", "/JavaScript"} or action == "/JavaScript":
        return HAS_JAVASCRIPT
    if action == "/Launch":
        return HAS_LAUNCH
    if (
        keys & {"/EmbeddedFiles", "/EF"}
        or _value(dictionary, "/Type") == "/EmbeddedFile"
        or _value(dictionary, "/Subtype") == "/FileAttachment"
    ):
        return HAS_FILES
    return None


def _value(dictionary: DictionaryObject, key: str):
    # dict.get does not resolve an indirect reference; a name may be stored as one.
    value = dictionary.get(key)
    return value.get_object() if value is not None else None


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
