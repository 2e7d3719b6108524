"""The site's staff read the round emails in the admin (to answer "I never got it"); they cannot
add, change or delete one, since a row is what keeps the worker from sending it twice."""

import pytest
from django.urls import reverse

from medmatch.workspace.models import SlotEmail
from medmatch.workspace.tasks import send_slot_emails
from tests.workspace.slot_factories import invite, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def email(world, alice):
    round_ = make_round(world["medicine"])
    invite(round_, [alice])
    send_slot_emails.call(round_.pk)
    return SlotEmail.objects.get(invitation__submission__student=alice)


def test_it_lists_and_shows_the_round_emails(admin_client, email):
    listing = admin_client.get(reverse("admin:workspace_slotemail_changelist"))
    assert listing.status_code == 200
    assert "Invitation" in listing.content.decode()
    searched = admin_client.get(reverse("admin:workspace_slotemail_changelist"), {"q": "alice"})
    assert searched.context["cl"].result_count == 1
    shown = admin_client.get(reverse("admin:workspace_slotemail_change", args=[email.pk]))
    assert shown.status_code == 200


def test_it_changes_adds_and_deletes_nothing(admin_client, email):
    change = reverse("admin:workspace_slotemail_change", args=[email.pk])
    admin_client.post(change, {"kind": "reminder", "key": "x"})
    email.refresh_from_db()
    assert (email.kind, email.key) == (SlotEmail.Kind.INVITED, "")
    assert admin_client.get(reverse("admin:workspace_slotemail_add")).status_code == 403
    delete = reverse("admin:workspace_slotemail_delete", args=[email.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert SlotEmail.objects.filter(pk=email.pk).exists()
