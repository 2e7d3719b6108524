"""The archive on the account page (download, import page) and on the command line."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from medmatch.accounts.archive import build_archive
from medmatch.accounts.services import account_delete
from medmatch.applications.models import Application
from medmatch.cli import main
from tests.accounts.archive_world import fill_account, make_catalog
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def archive(alice):
    """alice's archive, alice moved away, and a fresh empty alice on this "other" server."""
    catalog = make_catalog()
    fill_account(alice, catalog)
    content = build_archive(alice)
    account_delete(user=alice)
    return content, catalog


def _upload(content: bytes, name="medmatch-alice.zip"):
    return {"archive": SimpleUploadedFile(name, content, "application/zip")}


def test_it_downloads_the_archive_privately(alice):
    response = _client(alice).get(reverse("accounts:archive"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert 'filename="medmatch-alice.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as zipped:
        assert json.loads(zipped.read("account.json"))["account"]["username"] == "alice"
    page = _client(alice).get(reverse("accounts:account"))
    assert reverse("accounts:archive").encode() in page.content
    assert reverse("accounts:import").encode() in page.content


def test_it_imports_an_archive_through_the_page(archive):
    archive, _catalog = archive
    fresh = make_user("alice")
    client = _client(fresh)
    assert client.get(reverse("accounts:import")).status_code == 200
    response = client.post(reverse("accounts:import"), _upload(archive))
    assert response.status_code == 302
    assert Application.objects.filter(student=fresh).count() == 2
    assert client.get(reverse("accounts:archive")).status_code == 200


def test_it_shows_why_an_archive_was_refused(archive):
    archive, _catalog = archive
    fresh = make_user("alice")
    response = _client(fresh).post(reverse("accounts:import"), _upload(b"not a zip"))
    assert response.status_code == 200
    assert b"Nothing was imported. archive: not a zip file" in response.content
    response = _client(fresh).post(reverse("accounts:import"), {})
    assert b"archive: choose the .zip file to import." in response.content
    assert not Application.objects.filter(student=fresh).exists()


def test_it_refuses_an_account_that_holds_data(archive, bob):
    archive, catalog = archive
    fill_account(bob, catalog)
    response = _client(bob).post(reverse("accounts:import"), _upload(archive))
    assert b"already holds data" in response.content
    assert Application.objects.filter(student=bob).count() == 2


def test_it_reads_an_upload_larger_than_a_form(alice):
    # Larger than DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): the view takes files, so the form answers.
    response = _client(alice).post(reverse("accounts:import"), _upload(b"x" * 3_000_000))
    assert response.status_code == 200
    assert b"archive: not a zip file" in response.content


def test_it_refuses_an_archive_too_large(alice, settings, monkeypatch):
    monkeypatch.setattr("medmatch.accounts.archive.MAX_ARCHIVE_BYTES", 10)
    response = _client(alice).post(reverse("accounts:import"), _upload(b"x" * 11))
    assert b"archive: at most 0 MB" in response.content


def test_it_answers_a_body_past_the_upload_limit_with_413_unread(alice):
    # The request says it is larger than the page takes: refused before a byte is read, with
    # the import page and the archive's limit named.
    response = _client(alice).generic(
        "POST",
        reverse("accounts:import"),
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(52 * 1024 * 1024 + 1),
    )
    assert response.status_code == 413
    assert b"archive: at most 50 MB" in response.content


def test_it_keeps_the_demo_account_as_it_is(db):
    demo = make_user("demo", is_demo=True)
    response = _client(demo).post(reverse("accounts:import"), _upload(b"x"))
    assert response.status_code == 302


@pytest.mark.parametrize("name", ["accounts:archive", "accounts:import"])
def test_it_asks_an_anonymous_visitor_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_command_line_exports_and_imports(alice, tmp_path, capsys):
    fill_account(alice, make_catalog())
    path = tmp_path / "alice.zip"
    with pytest.raises(SystemExit) as done:
        main(["account", "export", str(path), "--user", "alice"])
    assert done.value.code == 0
    fresh = make_user("alice2")
    with pytest.raises(SystemExit) as done:
        main(["account", "import", str(path), "--user", "alice2"])
    assert done.value.code == 0
    assert Application.objects.filter(student=fresh).count() == 2
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main(["account", "import", str(path), "--user", "alice2"])
    assert done.value.code == 2
    assert "already holds data" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(["account", "import", str(path), "--user", "nobody"])
    assert done.value.code == 2
    assert "--user: no user is called 'nobody'" in capsys.readouterr().err
