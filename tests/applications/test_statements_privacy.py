"""Another student, a coordinator and an anonymous visitor get 404 on every URL of alice's CV
entries, tailored CV (page, changes, PDF), statements (editor, analyze, versions, diff, restore,
delete) — and nothing changes. Lists show only one's own; export and deletion cover it all."""

import pytest
from django.urls import reverse

from medmatch.accounts.services import account_delete
from medmatch.applications.models import CVEntry, Statement, StatementVersion, TailoredCV
from medmatch.applications.services import statement_create, statement_save, tailored_cv_create
from tests.applications.conftest import TODAY
from tests.applications.cv_factories import make_cv

pytestmark = pytest.mark.django_db

ENTRY_URLS = [
    ("applications:cv_entry_edit", "get"),
    ("applications:cv_entry_edit", "post"),
    ("applications:cv_entry_move", "post"),
    ("applications:cv_entry_delete", "get"),
    ("applications:cv_entry_delete", "post"),
]
APPLICATION_URLS = [
    ("applications:tailored_cv", "get"),
    ("applications:tailored_cv_change", "post"),
    ("applications:tailored_cv_pdf", "get"),
    ("applications:statement_start", "post"),
]
STATEMENT_URLS = [
    ("applications:statement", "get"),
    ("applications:statement", "post"),
    ("applications:statement_analyze", "post"),
    ("applications:statement_versions", "get"),
    ("applications:statement_diff", "get"),
    ("applications:statement_delete", "get"),
    ("applications:statement_delete", "post"),
]
VERSION_URLS = [("applications:statement_version_restore", "post")]
SECRET = "My secret statement about Columbia."


@pytest.fixture
def alices(alice, alice_application):
    cv = make_cv(alice)
    tailored_cv_create(application=alice_application, today=TODAY)
    statement = statement_create(
        student=alice, title="Columbia", application=alice_application, body=SECRET
    )
    statement_save(statement=statement, body=SECRET + " More.", title="Columbia", word_limit=650)
    return {
        "entry": cv["heart"],
        "application": alice_application,
        "statement": statement,
        "version": statement.versions.first(),
    }


def _snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (CVEntry, TailoredCV, Statement, StatementVersion)
    ]


@pytest.mark.parametrize(
    ("name", "method"), ENTRY_URLS + APPLICATION_URLS + STATEMENT_URLS + VERSION_URLS
)
@pytest.mark.parametrize("htmx", [False, True])
def test_it_hides_every_object_url_from_everyone_else(outsiders, alices, name, method, htmx):
    kind = (
        "entry"
        if (name, method) in ENTRY_URLS
        else "application"
        if (name, method) in APPLICATION_URLS
        else "version"
        if (name, method) in VERSION_URLS
        else "statement"
    )
    url = reverse(name, args=[alices[kind].pk])
    first, last = alices["statement"].versions.all()
    data = {
        "title": "pwned",
        "body": "pwned",
        "section": "clinical",
        "direction": "up",
        "action": "leave_out",
        "entry": alices["entry"].pk,
        "from": first.pk,
        "to": last.pk,
    }
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    before = _snapshot()
    for who, client in outsiders.items():
        if method == "get":
            response = client.get(url, {"from": first.pk, "to": last.pk}, **headers)
        else:
            response = client.post(url, data, **headers)
        assert response.status_code == 404, f"{who}: {method.upper()} {url}"
        assert b"secret" not in response.content.lower()
        assert b"Readmissions" not in response.content
    assert _snapshot() == before


def test_it_lists_only_ones_own_cv_and_statements(outsiders, alices):
    for who, client in outsiders.items():
        for name in ["applications:cv", "applications:statements", "applications:cv_pdf"]:
            response = client.get(reverse(name))
            if who == "anonymous":
                assert response.status_code == 302, name
                assert "/login" in response["Location"] or "login" in response["Location"]
                continue
            assert response.status_code == 200, (who, name)
            assert b"Readmissions" not in response.content
            assert b"Columbia" not in response.content


def test_it_offers_only_ones_own_applications_for_a_new_statement(client, bob, alices):
    client.force_login(bob)
    application = alices["application"]
    response = client.post(
        reverse("applications:statement_create"), {"title": "x", "application": application.pk}
    )
    assert response.status_code == 400
    assert "application: choose one of your applications" in response.content.decode()
    assert not Statement.objects.filter(student=bob).exists()


def test_it_exports_every_entry_tailoring_statement_and_version(alice, alices):
    from django.apps import apps

    from medmatch.applications.apps import ApplicationsConfig

    data = apps.get_app_config("applications").export_user_data(alice)
    assert isinstance(apps.get_app_config("applications"), ApplicationsConfig)
    assert len(data["cv_entries"]) == 9
    assert data["cv_entries"][3]["tags"] == ["internal-medicine", "cardiology", "registry"]
    (tailored,) = data["tailored_cvs"]
    assert tailored["program_id"] == alices["application"].program_id
    assert set(tailored["entry_ids"]) <= {entry["id"] for entry in data["cv_entries"]}
    (statement,) = data["statements"]
    assert [v["body"] for v in statement["versions"]] == [SECRET, SECRET + " More."]
    assert statement["program_id"] == alices["application"].program_id


def test_it_exports_nothing_of_another_students(bob, alices):
    from django.apps import apps

    data = apps.get_app_config("applications").export_user_data(bob)
    assert data["cv_entries"] == [] and data["statements"] == [] and data["tailored_cvs"] == []


def test_it_deletes_everything_with_the_account(alice, bob, alices):
    statement_create(student=bob, title="Bob's", body="kept")
    account_delete(user=alice)
    assert not CVEntry.objects.exists() and not TailoredCV.objects.exists()
    assert list(Statement.objects.values_list("title", flat=True)) == ["Bob's"]
    assert StatementVersion.objects.count() == 1
