"""The student's letters pages: recommenders, a request for two applications with the due date
the planner suggests, the per-application limit, the packet, sending by email, upload links,
the guidance and the dashboard panel."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from medmatch.letters.models import LetterRequest, Recommender, UploadLink
from medmatch.letters.planning import dashboard_panel_context
from medmatch.letters.services import request_save
from tests.letters.conftest import TODAY, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_alice(alice):
    client = Client()
    client.force_login(alice)
    return client


def test_it_adds_a_recommender_and_goes_on_to_the_request(as_alice, programs, alice):
    response = as_alice.post(
        reverse("letters:recommender_create"),
        {
            "name": "Dr. Lee",
            "role": "professor",
            "specialty": programs["mgh"].specialty.pk,
            "email": "lee@example.org",
            "known_months": "24",
            "knows_well": "4",
        },
    )
    recommender = Recommender.objects.get()
    assert (recommender.student, recommender.knows_well) == (alice, 4)
    assert response.url == reverse("letters:request_create") + f"?recommender={recommender.pk}"


def test_it_refuses_a_knows_well_outside_one_to_five(as_alice):
    response = as_alice.post(
        reverse("letters:recommender_create"), {"name": "X", "role": "other", "knows_well": "9"}
    )
    assert response.status_code == 200
    assert not Recommender.objects.exists()


def test_it_requests_a_letter_for_two_applications_with_a_suggested_due_date(
    as_alice, recommender, applications, today
):
    response = as_alice.post(
        reverse("letters:request_create"),
        {
            "recommender": recommender.pk,
            "applications": [a.pk for a in applications],
            "status": "to_ask",
            "waived": "on",
            "talking_points": "Night float.",
        },
    )
    letter_request = LetterRequest.objects.get()
    assert response.url == letter_request.get_absolute_url()
    assert set(letter_request.applications.all()) == set(applications)
    # A week before the earliest deadline (Columbia, in 50 days).
    assert letter_request.due_on == days(43)
    assert letter_request.waived


def test_it_limits_letters_per_application(as_alice, alice, recommender, applications, settings):
    settings.LETTERS_PER_APPLICATION = 2
    for _ in range(2):
        request_save(
            letter_request=LetterRequest(student=alice, recommender=recommender),
            applications=[applications[0]],
        )
    response = as_alice.post(
        reverse("letters:request_create"),
        {"recommender": recommender.pk, "applications": [applications[0].pk], "status": "to_ask"},
    )
    assert response.status_code == 200
    assert "already has 2 letters assigned" in response.content.decode()
    assert LetterRequest.objects.count() == 2
    # A declined request frees its place.
    LetterRequest.objects.filter(pk=LetterRequest.objects.first().pk).update(status="declined")
    response = as_alice.post(
        reverse("letters:request_create"),
        {"recommender": recommender.pk, "applications": [applications[0].pk], "status": "to_ask"},
    )
    assert response.status_code == 302


def test_it_downloads_the_packet_as_a_pdf(as_alice, letter_request):
    response = as_alice.get(reverse("letters:packet", args=[letter_request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_it_emails_the_request_with_the_packet_and_a_link(as_alice, letter_request):
    LetterRequest.objects.filter(pk=letter_request.pk).update(status="to_ask", asked_on=None)
    response = as_alice.post(reverse("letters:send", args=[letter_request.pk]))
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["okafor@example.org"]
    assert message.reply_to == ["alice@example.org"]
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("letter-packet.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")
    link = UploadLink.objects.get()
    assert link.purpose == "email"
    token = message.body.split("/letters/upload/")[1].split("/")[1]
    assert UploadLink.hash_token(token) == link.token_hash
    letter_request.refresh_from_db()
    assert (letter_request.status, letter_request.asked_on) == ("asked", TODAY)


def test_it_shows_a_new_upload_link_once(as_alice, letter_request):
    response = as_alice.post(reverse("letters:link_create", args=[letter_request.pk]))
    url = response.context["new_link_url"]
    assert f"/letters/upload/{letter_request.pk}/" in url
    assert url.encode() in response.content
    again = as_alice.get(reverse("letters:request_detail", args=[letter_request.pk]))
    assert url.encode() not in again.content
    assert Client().get(url).status_code == 200


def test_it_revokes_a_link(as_alice, letter_request, token):
    link = UploadLink.objects.get()
    as_alice.post(reverse("letters:link_revoke", args=[link.pk]))
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert (
        Client().get(reverse("letters:portal", args=[letter_request.pk, token])).status_code == 404
    )


def test_it_shows_which_applications_still_lack_letters(as_alice, recommender, applications):
    response = as_alice.get(reverse("letters:index"))
    text = response.content.decode()
    assert "0 of 3 letters — still needs 3 more letters and a letter from Internal Medicine" in text
    request_save(
        letter_request=LetterRequest(student=recommender.student, recommender=recommender),
        applications=applications,
    )
    text = as_alice.get(reverse("letters:index")).content.decode()
    # Dr. Okafor is in internal medicine: Columbia has its specialty letter, MGH (cardiology) not.
    assert "1 of 3 letters — still needs 2 more letters." in text
    assert "a letter from Cardiovascular Disease" in text


def test_it_flags_late_and_at_risk_requests_for_the_dashboard(alice, recommender, applications):
    soon = request_save(
        letter_request=LetterRequest(student=alice, recommender=recommender, status="to_ask"),
        applications=[applications[0]],  # deadline in 50 days: ask within 8 days
    )
    request_save(
        letter_request=LetterRequest(
            student=alice, recommender=recommender, status="asked", asked_on=days(-60)
        ),
        applications=[applications[1]],  # deadline in 80 days, asked in time
    )
    context = dashboard_panel_context(alice, TODAY)
    assert [(flag.request, flag.plan.state) for flag in context["letter_flags"]] == [
        (soon, "at_risk")
    ]
    assert context["letter_requests_total"] == 2
    html = Client()
    html.force_login(alice)
    assert "(in 8 days)" in html.get(reverse("letters:index")).content.decode()


def test_it_will_not_delete_a_recommender_with_requests(as_alice, letter_request):
    as_alice.post(reverse("letters:recommender_delete", args=[letter_request.recommender.pk]))
    assert Recommender.objects.exists()


def test_it_deletes_a_request_and_its_links(as_alice, letter_request, token):
    as_alice.post(reverse("letters:request_delete", args=[letter_request.pk]))
    assert not LetterRequest.objects.exists()
    assert not UploadLink.objects.exists()


def test_it_refuses_a_due_date_before_the_date_asked(as_alice, recommender, applications):
    response = as_alice.post(
        reverse("letters:request_create"),
        {
            "recommender": recommender.pk,
            "applications": [applications[0].pk],
            "status": "asked",
            "asked_on": TODAY.isoformat(),
            "due_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert "The due date is before the date asked." in response.content.decode()


@pytest.mark.parametrize("field", ["name", "title", "institution"])
def test_it_refuses_control_characters_in_a_recommenders_one_line_fields(as_alice, field):
    data = {"name": "Dr. Eve", "role": "other", field: "Dr. Eve\r\nBcc: evil@example.org"}
    response = as_alice.post(reverse("letters:recommender_create"), data)
    assert response.status_code == 200
    assert "without control characters" in response.context["form"].errors[field][0]
    assert not Recommender.objects.exists()


def _pdf_text(pdf: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_it_names_the_student_in_the_packet_and_the_email(as_alice, alice, letter_request):
    alice.full_name = "María José Pérez García"
    alice.save()
    packet = as_alice.get(reverse("letters:packet", args=[letter_request.pk])).content
    text = _pdf_text(packet)
    assert "Letter of recommendation — María José Pérez García" in text
    assert "alice" not in text.replace("alice@example.org", "")
    as_alice.post(reverse("letters:send", args=[letter_request.pk]))
    message = mail.outbox[-1]
    assert message.subject == "Letter of recommendation request from María José Pérez García"
    assert "María José Pérez García would be grateful" in message.body
    assert "alice" not in message.body.replace("alice@example.org", "")


def test_it_asks_a_student_without_a_name_to_add_one_before_the_packet(as_alice, letter_request):
    page = as_alice.get(reverse("letters:request_detail", args=[letter_request.pk]))
    assert b"Add your name" in page.content
    assert "Letter of recommendation — alice" in _pdf_text(
        as_alice.get(reverse("letters:packet", args=[letter_request.pk])).content
    )


def test_it_numbers_the_packets_pages_out_of_all_of_them_cv_included(
    as_alice, alice, letter_request
):
    from tests.applications.cv_factories import make_cv

    make_cv(alice)
    pdf = as_alice.get(reverse("letters:packet", args=[letter_request.pk])).content
    from io import BytesIO

    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text
    assert "Curriculum vitae" in pages[-1]


def test_it_says_plainly_when_the_site_cannot_send_email(as_alice, letter_request, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    page = as_alice.get(reverse("letters:request_detail", args=[letter_request.pk]))
    content = page.content.decode()
    assert "This site cannot send email yet" in content
    assert "Email the request" not in content
    response = as_alice.post(reverse("letters:send", args=[letter_request.pk]), follow=True)
    content = response.content.decode()
    assert "Nothing was sent: this site has no mail server configured" in content
    assert "on their way" not in content
    assert not UploadLink.objects.exists()


def test_it_warns_about_a_due_date_in_the_past(as_alice, letter_request):
    LetterRequest.objects.filter(pk=letter_request.pk).update(due_on=days(-2), asked_on=days(-20))
    page = as_alice.get(reverse("letters:request_detail", args=[letter_request.pk]))
    assert b"has passed: the packet would ask for the letter by a day that is gone" in (
        page.content
    )
    packet = _pdf_text(as_alice.get(reverse("letters:packet", args=[letter_request.pk])).content)
    assert "this date has passed" in " ".join(packet.split())


def test_it_links_plan_your_letters_to_asking_for_one_not_to_itself(as_alice, recommender):
    page = as_alice.get(reverse("letters:index")).content.decode()
    assert f'href="{reverse("letters:index")}">Plan your letters' not in page
    assert f'href="{reverse("letters:request_create")}">Ask someone for your first letter' in page
