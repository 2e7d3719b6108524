"""Where a letter goes: ERAS (with the student's Letter ID), ResidencyCAS for Emergency Medicine
and OB/GYN, CaRMS's referee process, or the program's own way; the student records the upload
to the service, and letters that are in tick the application checklists."""

from io import BytesIO

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from medmatch.applications.models import Requirement
from medmatch.applications.services import application_create
from medmatch.catalog.models import Specialty
from medmatch.letters.models import LetterRequest, UploadLink
from medmatch.letters.routes import route_for
from medmatch.letters.services import request_save
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.letters.conftest import TODAY, days, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _program(source_key: str, specialty=("Internal Medicine", "140"), **fields):
    source = make_source(key=source_key)
    name, code = specialty
    system = "carms" if source_key.startswith("carms") else "acgme"
    institution = make_institution(f"Hospital for {name}", source=source)
    found = Specialty.objects.filter(system=system, code=code).first()
    return make_program(
        name,
        institution=institution,
        specialty=found or make_specialty(name, code=code, system=system),
        source=source,
        application_deadline=days(60),
        **fields,
    )


@pytest.mark.parametrize(
    ("source_key", "specialty", "fields", "route"),
    [
        ("nrmp-programs", ("Internal Medicine", "140"), {}, "eras"),
        ("nrmp-programs", ("Emergency Medicine", "110"), {}, "residencycas"),
        ("nrmp-programs", ("Obstetrics and Gynecology", "220"), {}, "residencycas"),
        ("acgme-program-locations", ("Pediatrics", "320"), {}, "eras"),
        ("manual-entry", ("Surgery", "440"), {"nrmp_code": "1234140C0"}, "eras"),
        ("carms-programs", ("Internal Medicine", "IM"), {}, "carms"),
        ("international-programs", ("Internal Medicine", "x1"), {}, "program"),
        ("nrmp-programs", ("Internal Medicine", "140"), {"program_type": "observership"},
         "program"),
    ],
)  # fmt: skip
def test_it_routes_a_letter_by_the_programs_catalog_source(source_key, specialty, fields, route):
    assert route_for(_program(source_key, specialty, **fields)).key == route


@pytest.fixture
def eras_request(alice, recommender):
    application, _ = application_create(student=alice, program=_program("nrmp-programs"))
    request = LetterRequest(
        student=alice,
        recommender=recommender,
        due_on=days(30),
        waived=True,
        eras_letter_id="14021356-AB12",
    )
    return request_save(letter_request=request, applications=[application])


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_it_sends_an_eras_letter_to_the_letter_writer_portal_with_its_letter_id(
    alice, eras_request
):
    _as(alice).post(reverse("letters:send", args=[eras_request.pk]))
    message = mail.outbox[-1]
    assert "ERAS — Internal Medicine" in message.body
    assert "Letter ID 14021356-AB12" in message.body
    # A waived letter for ERAS programs only is never uploaded to medmatch.
    assert "/letters/upload/" not in message.body
    assert not UploadLink.objects.exists()
    eras_request.refresh_from_db()
    assert eras_request.terms_fixed and eras_request.status == "asked"
    packet = _text(message.attachments[0][1])
    assert "Letter ID 14021356-AB12" in " ".join(packet.split())
    assert "personal link" not in packet


def test_it_offers_the_medmatch_link_only_for_a_copy_of_a_letter_not_waived(alice, eras_request):
    LetterRequest.objects.filter(pk=eras_request.pk).update(waived=False)
    _as(alice).post(reverse("letters:send", args=[eras_request.pk]))
    body = mail.outbox[-1].body
    assert "Only if alice should have a copy" in body
    assert "Nothing uploaded here reaches a program." in body
    assert "/letters/upload/" in body


def test_it_sends_residencycas_and_carms_letters_through_their_services(alice, recommender):
    em, _ = application_create(
        student=alice, program=_program("nrmp-programs", ("Emergency Medicine", "110"))
    )
    carms, _ = application_create(student=alice, program=_program("carms-programs"))
    request = request_save(
        letter_request=LetterRequest(student=alice, recommender=recommender, due_on=days(30)),
        applications=[em, carms],
    )
    _as(alice).post(reverse("letters:send", args=[request.pk]))
    body = mail.outbox[-1].body
    assert "ResidencyCAS — Emergency Medicine" in body
    assert "ResidencyCAS (Liaison) emails you a request" in body
    assert "CaRMS — Internal Medicine" in body
    assert "names you as a referee in CaRMS Online" in body
    assert "ERAS" not in body.replace("ResidencyCAS", "")


def test_it_keeps_the_upload_link_for_a_program_outside_the_services(alice, letter_request):
    _as(alice).post(reverse("letters:send", args=[letter_request.pk]))
    body = mail.outbox[-1].body
    assert "Other programs — Internal Medicine, Columbia University" in body
    assert "Upload it as a PDF here" in body and "/letters/upload/" in body


def _letter_items(application):
    return list(application.requirements.filter(kind=Requirement.Kind.LETTER))


def test_it_records_the_eras_upload_and_ticks_the_checklist(alice, eras_request):
    application = eras_request.applications.get()
    page = _as(alice).get(reverse("letters:request_detail", args=[eras_request.pk]))
    assert b"Record uploaded to ERAS" in page.content
    assert b"14021356-AB12" in page.content
    response = _as(alice).post(
        reverse("letters:service_upload", args=[eras_request.pk]),
        {"uploaded_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    eras_request.refresh_from_db()
    assert (eras_request.service_uploaded_on, eras_request.status) == (TODAY, "submitted")
    first, second, *_ = _letter_items(application)
    assert first.done and not second.done
    assert "Dr. Ruth Okafor's letter was uploaded to ERAS" in first.notes
    detail = _as(alice).get(reverse("applications:detail", args=[application.pk]))
    assert "letter was uploaded to ERAS" in detail.content.decode()


def test_it_refuses_a_future_upload_date_and_other_students(alice, bob, eras_request):
    url = reverse("letters:service_upload", args=[eras_request.pk])
    response = _as(alice).post(url, {"uploaded_on": days(3).isoformat()})
    assert response.status_code == 400
    assert "Uploaded on: that date is in the future" in response.content.decode()
    assert _as(alice).post(url, {"uploaded_on": "3 May"}).status_code == 400
    assert _as(bob).post(url, {"uploaded_on": TODAY.isoformat()}).status_code == 404
    eras_request.refresh_from_db()
    assert eras_request.service_uploaded_on is None


def test_it_ticks_a_letter_on_each_checklist_when_the_letter_arrives(letter_request, token):
    Client().post(
        reverse("letters:portal", args=[letter_request.pk, token]),
        {"letter": upload(pdf_bytes())},
    )
    for application in letter_request.applications.all():
        items = _letter_items(application)
        assert [item.done for item in items[:2]] == [True, False]
        assert "Dr. Ruth Okafor's letter arrived on" in items[0].notes


def test_it_exports_the_letter_id_and_the_recorded_upload(alice, eras_request):
    from medmatch.accounts.services import account_export

    LetterRequest.objects.filter(pk=eras_request.pk).update(service_uploaded_on=TODAY)
    (exported,) = account_export(user=alice)["letters"]["requests"]
    assert exported["eras_letter_id"] == "14021356-AB12"
    assert exported["service_uploaded_on"] == TODAY.isoformat()
