"""Issue 12, items 2, 5 and 6 in a browser: a student adds their real name and CV contact block on
the account page; the letter request page says where the letter goes (ERAS with its Letter ID,
ResidencyCAS for Emergency Medicine), records the upload to ERAS and the application checklist
ticks a letter; the page says plainly when the site cannot send email and when the due date has
passed; the recommender's upload page shows the student's name. axe-core on each page."""

import datetime
import re

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.catalog.factories import make_institution, make_program, make_source, make_specialty
from tests.personas import make_user

from medmatch.applications.services import application_create
from medmatch.letters.models import LetterRequest, Recommender
from medmatch.letters.services import link_create, portal_url, request_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def student(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    source = make_source(key="nrmp-programs", name="NRMP program tracks", publisher="NRMP")
    today = datetime.date.today()
    kim = make_user("uxtester_kim")
    applications = []
    for title, code, hospital in [
        ("Internal Medicine", "140", "Advocate Illinois Masonic Medical Center"),
        ("Emergency Medicine", "110", "John H. Stroger Jr. Hospital of Cook County"),
    ]:
        program = make_program(
            title,
            institution=make_institution(hospital, city="Chicago", source=source),
            specialty=make_specialty(title, code=code),
            application_deadline=today + datetime.timedelta(days=40),
            source=source,
        )
        applications.append(application_create(student=kim, program=program)[0])
    recommender = Recommender.objects.create(
        student=kim, name="Dr. Ruth Okafor", email="okafor@example.org"
    )
    request_save(
        letter_request=LetterRequest(
            student=kim,
            recommender=recommender,
            due_on=today + datetime.timedelta(days=20),
            eras_letter_id="14021356-AB12",
        ),
        applications=applications,
    )
    return kim


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_it_names_the_student_and_routes_the_letter_to_eras(
    page, browser, live_server, student, screenshot_dir, assert_accessible, settings
):
    page.set_viewport_size({"width": 1280, "height": 1000})
    _log_in(page, live_server, student)

    # The account page asks for a name, in any script, and the CV's contact block.
    page.goto(f"{live_server.url}/accounts/")
    expect(page.get_by_text("Add your name: until you do")).to_be_visible()
    page.get_by_label("Full name").fill("Kim Min-jun (김민준)")
    page.get_by_label("Preferred name").fill("Min-jun")
    page.get_by_label("Phone").fill("+1 312 555 0100")
    page.get_by_label("Postal address").fill("1901 W Harrison St\nChicago, IL 60612")
    page.get_by_label("Licensing exams").select_option("usmle")
    page.get_by_label("Licensing exam results").fill("Step 1 Pass (2024); Step 2 CK 248")
    page.get_by_label("ECFMG certification").select_option("certified")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved your name and contact details.")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Kim Min-jun (김민준)")
    expect(page.get_by_text("Add your name: until you do")).to_have_count(0)
    assert_accessible(page, "the account page")
    page.screenshot(path=screenshot_dir / "names-account.png", full_page=True)

    # The request page: where the letter goes, per application; no email on this site.
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    letter_request = LetterRequest.objects.get()
    page.goto(f"{live_server.url}/letters/requests/{letter_request.pk}/")
    routes = page.locator(".letter-route")
    expect(routes.nth(0)).to_contain_text("ERAS — Internal Medicine")
    expect(routes.nth(0)).to_contain_text("Letter ID: 14021356-AB12")
    expect(routes.nth(1)).to_contain_text("ResidencyCAS — Emergency Medicine")
    expect(page.get_by_text("This site cannot send email yet")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Email the request"))).to_have_count(0)
    page.get_by_role("button", name="Record uploaded to ERAS / ResidencyCAS").click()
    expect(page.get_by_text("Recorded. The letter counts")).to_be_visible()
    expect(
        page.get_by_text(re.compile("Recorded: uploaded to ERAS / ResidencyCAS on"))
    ).to_be_visible()
    assert_accessible(page, "the request page")
    page.screenshot(path=screenshot_dir / "names-letter-route.png", full_page=True)

    # The application checklist ticked a letter.
    application = letter_request.applications.order_by("pk").first()
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    ticked = page.locator(".requirement.is-done", has_text="Letter of recommendation 1")
    expect(ticked).to_contain_text("Dr. Ruth Okafor's letter was uploaded to ERAS")
    page.screenshot(path=screenshot_dir / "names-checklist-ticked.png", full_page=True)

    # A past due date is warned about.
    LetterRequest.objects.filter(pk=letter_request.pk).update(
        due_on=datetime.date.today() - datetime.timedelta(days=2),
        asked_on=datetime.date.today() - datetime.timedelta(days=30),
    )
    page.goto(f"{live_server.url}/letters/requests/{letter_request.pk}/")
    expect(page.locator("#due-passed")).to_contain_text("has passed")
    page.screenshot(path=screenshot_dir / "names-due-passed.png", full_page=True)


def test_it_shows_the_students_name_to_the_recommender(
    browser, live_server, student, screenshot_dir, assert_accessible
):
    student.full_name = "Kim Min-jun"
    student.save()
    letter_request = LetterRequest.objects.get()
    LetterRequest.objects.filter(pk=letter_request.pk).update(waived=False)
    token, _ = link_create(request=letter_request)
    context = browser.new_context(viewport={"width": 375, "height": 800})
    portal = context.new_page()
    portal.goto(portal_url(live_server.url, letter_request, token))
    expect(portal.get_by_role("heading", level=1)).to_have_text(
        "Letter of recommendation for Kim Min-jun"
    )
    body = portal.inner_text("body").replace("uxtester_kim@example.org", "")
    assert "uxtester_kim" not in body
    assert_accessible(portal, "the upload page")
    portal.screenshot(path=screenshot_dir / "names-portal-375.png", full_page=True)
    context.close()
