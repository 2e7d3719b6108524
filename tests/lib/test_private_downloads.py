"""Every download of a person's private data tells caches not to keep it:
``Cache-Control: private, no-store`` (lib.downloads.private_download)."""

import pytest
from django.urls import reverse
from tests.catalog.factories import make_program

from medmatch.applications.services import application_create, calendar_feed_renew

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(alice):
    return application_create(student=alice, program=make_program("Internal Medicine"))[0]


def _private_urls(alice, application) -> dict[str, str]:
    return {
        "account export": reverse("accounts:export"),
        "briefing PDF": reverse("research:briefing_pdf", args=[application.pk]),
        "CV PDF": reverse("applications:cv_pdf"),
        "tailored CV PDF": reverse("applications:tailored_cv_pdf", args=[application.pk]),
        "deadlines ICS": reverse("applications:calendar"),
        "private ICS feed": reverse(
            "applications:calendar_feed", args=[calendar_feed_renew(student=alice)]
        ),
        "interviews ICS": reverse("interviews:calendar"),
    }


def test_it_keeps_private_downloads_out_of_caches(client, alice, application):
    client.force_login(alice)
    for name, url in _private_urls(alice, application).items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Cache-Control"] == "private, no-store", name
