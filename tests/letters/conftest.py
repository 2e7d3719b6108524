"""Fixtures for the letters tests: two of alice's applications, a recommender, a request for both
applications, and a private MEDIA_ROOT per test. TODAY is fixed and passed to the functions
that compare with today. Upload links expire by the clock, so TODAY is the real date and every
other date is counted from it."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from medmatch.applications.services import application_create
from medmatch.letters.models import LetterRequest, Recommender
from medmatch.letters.services import link_create, request_save
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


PDF_OBJECTS = [
    b"<</Type/Catalog/Pages 2 0 R>>",
    b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
    b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>",
]


def pdf_bytes(size: int = 0, comment: bytes = b"", objects=None) -> bytes:
    """A small PDF a parser reads (header, a catalog, one empty page or the ``objects`` given,
    a cross-reference table, the trailer), with ``comment`` as a comment line, padded to
    ``size`` bytes with a comment after the header."""

    def build(padding: int) -> bytes:
        out = b"%PDF-1.4\n"
        if padding >= 2:
            out += b"%" + b"x" * (padding - 2) + b"\n"
        if comment:
            out += b"% " + comment + b"\n"
        offsets = []
        for number, body in enumerate(objects or PDF_OBJECTS, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
            len(offsets) + 1,
            xref,
        )
        return out

    out = build(0)
    if size > len(out):
        padding = size - len(out)
        out = build(padding)
        # The startxref offset may have grown by a digit.
        out = build(padding - (len(out) - size))
    return out


def upload(content: bytes, name: str = "letter.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def portal_counts():
    # The portal's rate limit counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("medmatch.letters.planning.today", lambda: TODAY)
    for module in ("recommenders", "requests"):
        monkeypatch.setattr(f"medmatch.letters.views.{module}.today", lambda: TODAY)
    return TODAY


@pytest.fixture
def programs(db):
    source = make_source(key="nrmp-letters", name="NRMP (test)", publisher="NRMP")
    cardiology = make_specialty("Cardiovascular Disease", code="020")
    medicine = make_specialty("Internal Medicine", code="140")
    columbia = make_institution("Columbia University", city="New York", source=source)
    mgh = make_institution("Massachusetts General Hospital", city="Boston", source=source)
    return {
        "columbia": make_program(
            "Internal Medicine",
            institution=columbia,
            specialty=medicine,
            application_deadline=days(50),
            mentorship="Each intern has a faculty mentor.",
            emphasis="teaching",
            source=source,
        ),
        "mgh": make_program(
            "Cardiology",
            institution=mgh,
            specialty=cardiology,
            application_deadline=days(80),
            source=source,
        ),
    }


@pytest.fixture
def applications(alice, programs):
    return [
        application_create(student=alice, program=programs["columbia"])[0],
        application_create(student=alice, program=programs["mgh"])[0],
    ]


@pytest.fixture
def recommender(alice, programs):
    return Recommender.objects.create(
        student=alice,
        name="Dr. Ruth Okafor",
        title="Associate Professor of Medicine",
        role=Recommender.Role.ATTENDING,
        institution="Columbia University",
        specialty=programs["columbia"].specialty,
        email="okafor@example.org",
        relationship="Supervised my medicine sub-internship.",
        known_months=14,
        knows_well=5,
    )


@pytest.fixture
def letter_request(alice, recommender, applications):
    request = LetterRequest(
        student=alice,
        recommender=recommender,
        status=LetterRequest.Status.ASKED,
        asked_on=TODAY,
        due_on=days(40),
        waived=True,
        talking_points="My work in the night-float team.",
    )
    return request_save(letter_request=request, applications=applications)


@pytest.fixture
def token(letter_request):
    token, _ = link_create(request=letter_request)
    return token
