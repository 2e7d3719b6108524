"""An oversized form gets the page that says nothing was changed, before CSRF reads the body; a
Content-Length that is not a number of bytes gets a 400, never a 500."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from medmatch.applications.models import StatementVersion
from medmatch.applications.services import statement_create
from medmatch.lib.middleware import RequestSizeLimitMiddleware, accepts_uploads

pytestmark = pytest.mark.django_db

HUGE = "x" * (20 * 1024 * 1024)


@pytest.fixture
def statement(alice):
    return statement_create(student=alice, title="Base", body="Kept.")


def _client(user, *, csrf: bool) -> tuple[Client, dict]:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    client.get(reverse("applications:statements"))
    data = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value} if csrf else {}
    return client, data


@pytest.mark.parametrize("csrf", [True, False], ids=["csrf checked", "csrf not checked"])
def test_it_answers_a_20_mb_paste_in_the_statement_editor_with_its_413(alice, statement, csrf):
    client, data = _client(alice, csrf=csrf)
    url = reverse("applications:statement", args=[statement.pk])
    response = client.post(url, data | {"title": "Base", "body": HUGE})
    assert response.status_code == 413
    page = response.content.decode()
    assert "body: at most 10,000 characters" in page
    assert "nothing was saved" in page
    assert StatementVersion.objects.count() == 1
    assert statement.current_body() == "Kept."


def test_it_answers_an_htmx_paste_where_the_feedback_goes(alice, statement):
    client, data = _client(alice, csrf=True)
    url = reverse("applications:statement_analyze", args=[statement.pk])
    response = client.post(url, data | {"body": HUGE}, HTTP_HX_REQUEST="true")
    assert "nothing was saved or analyzed" in response.content.decode()


def test_it_answers_a_view_without_its_own_page_with_the_general_one(alice):
    client, data = _client(alice, csrf=True)
    response = client.post(reverse("accounts:delete"), data | {"password": HUGE})
    assert response.status_code == 413
    assert "nothing was changed" in response.content.decode()
    assert client.get(reverse("accounts:account")).status_code == 200  # still there


def test_it_lets_a_form_within_the_limit_through_to_csrf(alice, statement):
    client, _ = _client(alice, csrf=True)
    url = reverse("applications:statement", args=[statement.pk])
    assert client.post(url, {"title": "Base", "body": "New."}).status_code == 403


@pytest.mark.parametrize("length", ["abc", "-1", "1e3", "\uff11\uff12", "+5", " 7"])
def test_it_refuses_a_malformed_content_length(alice, statement, length):
    client, data = _client(alice, csrf=True)
    url = reverse("applications:statement", args=[statement.pk])
    response = client.post(url, data | {"body": "New."}, CONTENT_LENGTH=length)
    assert response.status_code == 400
    assert response.content.decode().startswith("Content-Length: not a whole number of bytes.")
    assert statement.current_body() == "Kept."


def _run(view, content_length: int):
    request = RequestFactory().post("/", data=b"", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(content_length)
    return RequestSizeLimitMiddleware(view).process_view(request, view, (), {})


def test_it_leaves_upload_views_their_own_limit(settings):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    uploads = accepts_uploads(10 * limit)(lambda request: None)
    assert _run(uploads, 5 * limit) is None
    assert _run(uploads, 11 * limit).status_code == 413
    assert _run(csrf_exempt(lambda request: None), 50 * limit) is None


@pytest.mark.parametrize(
    "url",
    [reverse("letters:portal", args=[1, "x" * 43]), reverse("accounts:login")],
    ids=["recommenders' portal (csrf-exempt)", "log-in"],
)
def test_it_refuses_a_malformed_content_length_anywhere(client, url):
    response = client.post(url, {"letter": "x"}, CONTENT_LENGTH="-5")
    assert response.status_code == 400
