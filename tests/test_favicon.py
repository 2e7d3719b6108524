"""The site has an icon: every page links it and /favicon.ico answers (a 404 on every page)."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_links_an_icon_that_is_shipped(client):
    html = client.get(reverse("home")).content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in html
    assert 'rel="icon" href="/static/img/favicon.ico"' in html
    assert finders.find("img/favicon.svg") and finders.find("img/favicon.ico")


def test_it_answers_favicon_ico_with_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO header


def test_it_refuses_to_post_to_the_favicon(client):
    assert client.post("/favicon.ico").status_code == 405
