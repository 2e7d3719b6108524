"""The home page's seven stages each lead to the page where that stage happens."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STAGES = [
    ("Clarify what you want", "goals:questionnaire"),
    ("Research hospitals and programs", "catalog:programs"),
    ("Align with your career goals", "goals:recommendations"),
    ("Prepare your application", "applications:statements"),
    ("Letters of recommendation", "letters:index"),
    ("Prepare for interviews", "interviews:index"),
    # No rank list exists yet: deciding happens on the board (interviewed, ranked, matched).
    ("Decide and match", "applications:board"),
]


def test_it_links_every_stage_to_its_page(client, alice):
    html = client.get(reverse("home")).content.decode()
    for label, url_name in STAGES:
        assert f'<a href="{reverse(url_name)}"><strong>{label}</strong></a>' in html
    assert "coming" not in html.lower()
    client.force_login(alice)
    for _, url_name in STAGES:
        assert client.get(reverse(url_name), follow=True).status_code == 200
