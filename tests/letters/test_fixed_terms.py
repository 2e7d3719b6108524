"""The terms a recommender writes under — the waiver and who writes — are fixed the moment an
upload link exists or an email went to the recommender, and nothing the student does afterwards
(edit the request, change its status, make or revoke links, delete and recreate it, rename the
recommender) lets them read a letter uploaded under a waiver or relabel it as someone else's."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.urls import reverse

from medmatch.letters.models import Letter, LetterRequest, Recommender, UploadLink
from medmatch.letters.permissions import can_read_letter
from medmatch.letters.services import (
    TermsFixedError,
    link_create,
    recommender_save,
    request_save,
)
from medmatch.letters.tasks import send_recommender_reminders
from tests.letters.conftest import days, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_alice(alice):
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def to_ask_request(alice, recommender, applications):
    request = LetterRequest(
        student=alice, recommender=recommender, status="to_ask", due_on=days(40), waived=True
    )
    return request_save(letter_request=request, applications=applications)


@pytest.fixture
def other_recommender(alice):
    return Recommender.objects.create(student=alice, name="Dr. Famous", email="famous@example.org")


def _edit(client, letter_request, **changes):
    """Post the edit form as the browser would, the waiver box unticked unless ``waived``."""
    data = {
        "recommender": letter_request.recommender_id,
        "applications": [a.pk for a in letter_request.applications.all()],
        "status": letter_request.status,
        "asked_on": letter_request.asked_on.isoformat() if letter_request.asked_on else "",
        "due_on": letter_request.due_on.isoformat(),
        "talking_points": "",
    }
    data.update(changes)
    return client.post(reverse("letters:request_edit", args=[letter_request.pk]), data)


def _portal_url(letter_request, token):
    return reverse("letters:portal", args=[letter_request.pk, token])


def _upload_letter(letter_request, token=None):
    token = token or link_create(request=letter_request)[0]
    response = Client().post(_portal_url(letter_request, token), {"letter": upload(pdf_bytes())})
    assert response.status_code == 200, response.content
    return Letter.objects.get(request=letter_request)


def _assert_student_cannot_read(client, alice, letter_request):
    letter = Letter.objects.get(request=letter_request)
    assert letter.waived
    assert not can_read_letter(alice, letter)
    download = client.get(reverse("letters:letter_download", args=[letter_request.pk]))
    assert download.status_code == 404
    page = client.get(letter_request.get_absolute_url()).content
    assert reverse("letters:letter_download", args=[letter_request.pk]).encode() not in page


def test_it_keeps_the_waiver_once_a_link_to_copy_was_made(as_alice, alice, to_ask_request):
    # (a) The link leaves the request "to ask"; the recommender reads that the letter is
    # confidential; the student unticks the waiver; the recommender uploads.
    response = as_alice.post(reverse("letters:link_create", args=[to_ask_request.pk]))
    url = response.context["new_link_url"]
    to_ask_request.refresh_from_db()
    assert to_ask_request.status == "to_ask" and to_ask_request.terms_fixed_at is not None
    portal = Client().get(url)
    assert "waived the right to read this letter" in portal.content.decode()

    response = _edit(as_alice, to_ask_request)
    assert response.status_code == 302
    assert LetterRequest.objects.get().waived is True

    response = Client().post(url, {"letter": upload(pdf_bytes())})
    assert response.status_code == 200
    _assert_student_cannot_read(as_alice, alice, to_ask_request)


def test_it_keeps_the_waiver_when_an_emailed_request_is_set_back_to_ask(
    as_alice, alice, to_ask_request
):
    # (b) Asked by email, the student posts status "to ask", then unticks the waiver.
    as_alice.post(reverse("letters:send", args=[to_ask_request.pk]))
    to_ask_request.refresh_from_db()
    assert to_ask_request.status == "asked" and to_ask_request.terms_fixed_at is not None
    token = mail.outbox[-1].body.split("/letters/upload/")[1].split("/")[1]

    assert _edit(as_alice, to_ask_request, status="to_ask", waived="on").status_code == 302
    to_ask_request.refresh_from_db()
    assert to_ask_request.status == "to_ask"
    assert _edit(as_alice, to_ask_request, status="to_ask").status_code == 302
    assert LetterRequest.objects.get().waived is True

    _upload_letter(to_ask_request, token)
    _assert_student_cannot_read(as_alice, alice, to_ask_request)


def _edit_form(client, letter_request, other):
    _edit(client, letter_request, recommender=other.pk)


def _status_to_ask(client, letter_request, other):
    _edit(client, letter_request, status="to_ask", waived="on")
    letter_request.refresh_from_db()
    _edit(client, letter_request, status="to_ask", recommender=other.pk)


def _status_declined(client, letter_request, other):
    _edit(client, letter_request, status="declined", waived="on")
    letter_request.refresh_from_db()
    _edit(client, letter_request, status="to_ask", recommender=other.pk)


def _revoke_every_link(client, letter_request, other):
    for link in UploadLink.objects.filter(request=letter_request):
        client.post(reverse("letters:link_revoke", args=[link.pk]))
    _edit(client, letter_request, recommender=other.pk)


def _new_link(client, letter_request, other):
    _edit(client, letter_request)
    client.post(reverse("letters:link_create", args=[letter_request.pk]))
    _edit(client, letter_request, recommender=other.pk)


def _after_the_letter_arrived(client, letter_request, other):
    _upload_letter(letter_request)
    _edit(client, letter_request, status="to_ask", recommender=other.pk)


def _email_again(client, letter_request, other):
    _edit(client, letter_request, recommender=other.pk)
    client.post(reverse("letters:send", args=[letter_request.pk]))
    _edit(client, letter_request)


@pytest.mark.parametrize(
    "step",
    [
        _edit_form,
        _status_to_ask,
        _status_declined,
        _revoke_every_link,
        _new_link,
        _after_the_letter_arrived,
        _email_again,
    ],
)
def test_it_keeps_the_terms_through_every_later_edit(
    as_alice, alice, letter_request, token, recommender, other_recommender, step
):
    step(as_alice, letter_request, other_recommender)
    stored = LetterRequest.objects.get()
    assert (stored.waived, stored.recommender) == (True, recommender)
    # The recommender uploads (or replaces) through a link made now: still unreadable.
    _upload_letter(stored)
    _assert_student_cannot_read(as_alice, alice, stored)
    # Every email went to the recommender who was asked, or to the student.
    assert {tuple(m.to) for m in mail.outbox} <= {("okafor@example.org",), ("alice@example.org",)}


def test_it_shows_the_student_that_the_terms_are_fixed(as_alice, letter_request, token):
    form = as_alice.get(reverse("letters:request_edit", args=[letter_request.pk]))
    assert form.context["form"].fields["waived"].disabled
    assert form.context["form"].fields["recommender"].disabled
    assert "Fixed: the recommender was given these terms" in form.content.decode()
    page = as_alice.get(letter_request.get_absolute_url()).content.decode()
    assert "neither the waiver nor who writes the letter can change now" in page


def test_it_lets_the_student_change_the_terms_until_a_link_or_email(
    as_alice, letter_request, other_recommender
):
    # Marked "asked" by hand (in person), with no link and no email yet: nothing was fixed, and
    # the first link will show the recommender the terms as they are then.
    response = _edit(as_alice, letter_request, recommender=other_recommender.pk)
    assert response.status_code == 302
    stored = LetterRequest.objects.get()
    assert (stored.waived, stored.recommender, stored.terms_fixed_at) == (
        False,
        other_recommender,
        None,
    )


def test_it_fixes_the_terms_when_a_reminder_goes_out(letter_request, settings):
    settings.SITE_URL = ""  # a reminder without a link: the email alone fixes them
    sent = send_recommender_reminders(letter_request.due_on - datetime.timedelta(days=7))
    assert sent == {"sent": 1, "failed": 0} and not UploadLink.objects.exists()
    letter_request.refresh_from_db()
    assert letter_request.terms_fixed_at is not None


def test_it_refuses_to_change_fixed_terms_from_a_stale_copy(letter_request):
    # A form loaded before a link was made in another tab still must not change them.
    stale = LetterRequest.objects.get(pk=letter_request.pk)
    link_create(request=letter_request)
    fixed_at = LetterRequest.objects.get().terms_fixed_at
    stale.waived = False
    with pytest.raises(TermsFixedError, match="can no longer change"):
        request_save(letter_request=stale, applications=[])
    assert LetterRequest.objects.get().waived is True
    # Any other change from the stale copy keeps the moment they were fixed.
    stale.waived, stale.talking_points = True, "New points."
    request_save(letter_request=stale, applications=[])
    stored = LetterRequest.objects.get()
    assert (stored.talking_points, stored.terms_fixed_at) == ("New points.", fixed_at)


def test_it_decides_from_the_waiver_recorded_on_the_letter(alice, letter_request, token):
    letter = _upload_letter(letter_request, token)
    # Even if the request's row were changed behind the form's back, the letter keeps the
    # waiver it arrived under: for reading, for the recommender's page and for a replacement.
    LetterRequest.objects.filter(pk=letter_request.pk).update(waived=False)
    letter.refresh_from_db()
    assert letter.waived and not can_read_letter(alice, letter)
    portal = Client().get(_portal_url(letter_request, token)).content.decode()
    assert "waived the right to read this letter" in portal
    _upload_letter(letter_request, token)
    assert Letter.objects.get().waived is True
    client = Client()
    client.force_login(alice)
    _assert_student_cannot_read(client, alice, letter_request)


def test_it_gives_a_recreated_request_nothing_of_the_deleted_ones_letter(
    as_alice, alice, letter_request, token, private_media, django_capture_on_commit_callbacks
):
    letter = _upload_letter(letter_request, token)
    path = private_media / letter.file.name
    applications = [a.pk for a in letter_request.applications.all()]
    with django_capture_on_commit_callbacks(execute=True):
        as_alice.post(reverse("letters:request_delete", args=[letter_request.pk]))
    assert not path.exists() and not Letter.objects.exists()
    as_alice.post(
        reverse("letters:request_create"),
        {
            "recommender": letter_request.recommender_id,
            "applications": applications,
            "status": "to_ask",
        },
    )
    new = LetterRequest.objects.get()
    assert not new.waived and new.terms_fixed_at is None
    # The old link opens neither the old request nor the new one.
    for pk in (letter_request.pk, new.pk):
        assert Client().get(reverse("letters:portal", args=[pk, token])).status_code == 404
    assert as_alice.get(reverse("letters:letter_download", args=[new.pk])).status_code == 404


def test_it_fixes_requests_that_had_a_link_or_a_letter_before_the_rule(letter_request, token):
    migration = importlib.import_module(
        "medmatch.letters.migrations.0002_fix_terms_and_record_the_letters_waiver"
    )
    _upload_letter(letter_request, token)
    unasked = request_save(
        letter_request=LetterRequest(
            student=letter_request.student, recommender=letter_request.recommender
        ),
        applications=[],
    )
    LetterRequest.objects.update(terms_fixed_at=None)
    Letter.objects.update(waived=False)
    migration.fix_existing(apps, None)
    first_link = UploadLink.objects.get().created_at
    assert LetterRequest.objects.get(pk=letter_request.pk).terms_fixed_at == first_link
    assert LetterRequest.objects.get(pk=unasked.pk).terms_fixed_at is None
    assert Letter.objects.get().waived is True


# --- the recommender's name and email (M1) -------------------------------------------------


def _recommender_data(**changes):
    return {
        "name": "Dr. Ruth Okafor",
        "title": "Associate Professor of Medicine",
        "role": "attending",
        "email": "okafor@example.org",
        **changes,
    }


def test_it_keeps_the_name_and_email_of_a_recommender_who_was_asked(
    as_alice, letter_request, token, recommender
):
    url = reverse("letters:recommender_edit", args=[recommender.pk])
    form = as_alice.get(url)
    assert "Fixed: a letter was asked for under this name" in form.content.decode()
    response = as_alice.post(
        url,
        _recommender_data(name="Dr. Famous", email="famous@example.org", title="Professor"),
    )
    assert response.status_code == 302
    stored = Recommender.objects.get()
    # Name and email stay; the rest of the record is still the student's to keep up to date.
    assert (stored.name, stored.email, stored.title) == (
        "Dr. Ruth Okafor",
        "okafor@example.org",
        "Professor",
    )
    page = as_alice.get(letter_request.get_absolute_url()).content.decode()
    assert "Letter from Dr. Ruth Okafor" in page and "Famous" not in page


def test_it_refuses_a_new_name_for_an_asked_recommender_in_the_service(letter_request, token):
    stale = Recommender.objects.get()
    stale.name = "Dr. Famous"
    with pytest.raises(TermsFixedError, match="add them as a new recommender"):
        recommender_save(recommender=stale)
    assert Recommender.objects.get().name == "Dr. Ruth Okafor"


def test_it_lets_the_student_rename_a_recommender_not_yet_asked(as_alice, letter_request):
    url = reverse("letters:recommender_edit", args=[letter_request.recommender_id])
    as_alice.post(url, _recommender_data(name="Dr. Ruth A. Okafor", email="ruth@example.org"))
    assert Recommender.objects.get().name == "Dr. Ruth A. Okafor"


def test_it_keeps_fixed_terms_read_only_in_the_admin_and_exports_them(
    alice, letter_request, recommender
):
    from django.contrib import admin

    from medmatch.accounts.services import account_export

    request_admin = admin.site._registry[LetterRequest]
    recommender_admin = admin.site._registry[Recommender]
    assert "recommender" not in request_admin.get_readonly_fields(None, letter_request)
    assert recommender_admin.get_readonly_fields(None, recommender) == []
    link_create(request=letter_request)
    letter_request.refresh_from_db()
    assert {"waived", "recommender"} <= set(request_admin.get_readonly_fields(None, letter_request))
    assert recommender_admin.get_readonly_fields(None, recommender) == ["name", "email"]
    exported = account_export(user=alice)["letters"]["requests"][0]
    assert exported["terms_fixed_at"] == letter_request.terms_fixed_at.isoformat("T", "seconds")
