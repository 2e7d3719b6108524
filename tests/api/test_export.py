"""``GET /api/v1/export``: the account archive through the API, with the ``account:read``
scope only (no other scope implies it)."""

import io
import json
import zipfile

import pytest
from django.test import Client

from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/export"


def test_it_gives_the_archive_to_a_token_with_the_account_scope(alice, application):
    response = Client().get(URL, **bearer(make_token(alice, ["account:read"])))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        account = json.loads(archive.read("account.json"))
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["version"] == 2
    assert account["account"]["username"] == "alice"
    assert len(account["applications"]["applications"]) == 1


def test_it_refuses_a_token_without_the_account_scope(alice, application):
    every_other = ["applications:write", "goals:write", "research:write", "letters:read"]
    response = Client().get(URL, **bearer(make_token(alice, every_other)))
    assert response.status_code == 403
    assert "account:read" in response.json()["error"]["message"]


def test_it_refuses_a_write_to_the_export(alice):
    response = Client().post(URL, **bearer(make_token(alice, ["account:read"])))
    assert response.status_code == 405
