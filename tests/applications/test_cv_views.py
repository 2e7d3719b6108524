"""The CV pages: add, edit, order and remove entries; bad input says what to fix and keeps the
text; the PDF downloads; the tailored CV ranks, explains and lets the student change it."""

import datetime

import pytest
from django.urls import reverse

from medmatch.applications.models import CVEntry, TailoredCV
from tests.applications.cv_factories import make_cv, make_entry
from tests.catalog.factories import make_institution, make_program, make_specialty

pytestmark = pytest.mark.django_db

ADD = reverse("applications:cv_entry_add")


def _entry_data(**fields):
    return {
        "section": "clinical",
        "title": "Student clinician",
        "organisation": "Hope Clinic",
        "location": "Ypsilanti, MI",
        "start_date": "2022-10",
        "end_date": "",
        "hours_per_week": "4",
        "total_hours": "",
        "description": "Took histories.",
        "tags_text": "Internal Medicine, primary care, internal medicine",
        **fields,
    }


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


def test_it_adds_an_entry_with_normalised_tags_and_month_dates(as_alice, alice):
    response = as_alice.post(ADD, _entry_data(most_meaningful="on"))
    entry = CVEntry.objects.get(student=alice)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#entry-{entry.pk}")
    assert entry.tags == ["internal-medicine", "primary-care"]
    assert entry.start_date == datetime.date(2022, 10, 1)
    assert entry.is_ongoing and entry.most_meaningful
    page = as_alice.get(reverse("applications:cv")).content.decode()
    assert "Student clinician" in page and "internal medicine" in page and "present" in page


def test_it_refuses_an_empty_title_and_keeps_the_rest(as_alice):
    response = as_alice.post(ADD, _entry_data(title="  ", description="Kept text"))
    assert response.status_code == 200
    assert "title: required" in response.content.decode()
    assert "Kept text" in response.content.decode()
    assert not CVEntry.objects.exists()


@pytest.mark.parametrize("field", ["title", "organisation", "location"])
def test_it_refuses_a_line_break_in_a_name(as_alice, field):
    response = as_alice.post(ADD, _entry_data(**{field: "Hope\r\nClinic"}))
    assert response.status_code == 200
    assert (
        f"{field}: use a single line of text without control characters"
        in response.content.decode()
    )
    assert not CVEntry.objects.exists()


def test_it_refuses_dates_in_the_wrong_order(as_alice):
    response = as_alice.post(ADD, _entry_data(start_date="2024-05", end_date="2023-01"))
    assert "end_date: must be on or after the start (May 2024)" in response.content.decode()
    assert not CVEntry.objects.exists()


def test_it_refuses_an_end_without_a_start_and_a_bad_month(as_alice):
    page = as_alice.post(ADD, _entry_data(start_date="", end_date="2023-01")).content.decode()
    assert "start_date: needed with an end date." in page
    page = as_alice.post(ADD, _entry_data(start_date="last spring")).content.decode()
    assert "start_date: not a month; use the form YYYY-MM" in page
    assert not CVEntry.objects.exists()


def test_it_refuses_a_description_over_the_hard_cap_and_warns_over_750(as_alice, alice):
    long = "x" * 2_001
    page = as_alice.post(ADD, _entry_data(description=long)).content.decode()
    assert "description: at most 2,000 characters (this has 2,001)" in page
    assert long in page  # nothing lost
    assert not CVEntry.objects.exists()
    as_alice.post(ADD, _entry_data(description="y" * 800))
    page = as_alice.get(reverse("applications:cv")).content.decode()
    assert "800 characters" in page and "over ERAS\u2019s 750" in page


def test_it_allows_only_three_most_meaningful(as_alice, alice):
    for n in range(3):
        make_entry(alice, "clinical", f"E{n}", most_meaningful=True)
    page = as_alice.post(ADD, _entry_data(most_meaningful="on")).content.decode()
    assert "most_meaningful: at most 3, as ERAS allows" in page
    assert CVEntry.objects.count() == 3


def test_it_refuses_a_20_mb_paste_with_a_clear_message(as_alice):
    response = as_alice.post(ADD, _entry_data(description="x" * 20_000_000))
    assert response.status_code == 413
    assert "description: at most 2,000 characters" in response.content.decode()
    assert not CVEntry.objects.exists()


def test_it_edits_moves_and_removes_entries(as_alice, alice):
    first = make_entry(alice, "clinical", "First")
    second = make_entry(alice, "clinical", "Second")
    other = make_entry(alice, "education", "MD")
    url = reverse("applications:cv_entry_edit", args=[first.pk])
    assert "Internal" not in as_alice.get(url).content.decode()
    as_alice.post(url, _entry_data(title="First, renamed", tags_text="cardiology"))
    first.refresh_from_db()
    assert first.title == "First, renamed" and first.tags == ["cardiology"]
    as_alice.post(reverse("applications:cv_entry_move", args=[second.pk]), {"direction": "up"})
    order = list(CVEntry.objects.filter(section="clinical").values_list("title", flat=True))
    assert order == ["Second", "First, renamed"]
    other.refresh_from_db()
    as_alice.post(reverse("applications:cv_entry_delete", args=[second.pk]))
    assert not CVEntry.objects.filter(pk=second.pk).exists()


def test_it_downloads_the_cv_as_pdf(as_alice, alice):
    make_cv(alice)
    response = as_alice.get(reverse("applications:cv_pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="alice-cv.pdf"' in response["Content-Disposition"]


@pytest.fixture
def medicine_application(alice):
    from medmatch.applications.services import application_create

    specialty = make_specialty("Internal Medicine", slug="internal-medicine")
    institution = make_institution("Michigan Medicine", city="Ann Arbor", region="MI", country="US")
    program = make_program(
        "Internal Medicine", institution=institution, specialty=specialty, emphasis="teaching"
    )
    return application_create(student=alice, program=program)[0]


def test_it_shows_a_tailored_cv_ranked_for_the_program_with_reasons(
    as_alice, alice, medicine_application
):
    cv = make_cv(alice)
    url = reverse("applications:tailored_cv", args=[medicine_application.pk])
    page = as_alice.get(url).content.decode()
    assert "tagged Internal Medicine = program&#x27;s specialty" in page
    assert page.index("Readmissions after heart failure") < page.index("Anatomy peer tutor")
    # Clinical (tagged, suits a residency) comes before teaching; the food bank is left out.
    assert page.index("Student clinician") < page.index("Anatomy peer tutor")
    assert page.index("Left out of this CV") < page.index("Food bank shift lead")
    assert not TailoredCV.objects.exists()  # viewing writes nothing
    pdf = as_alice.get(reverse("applications:tailored_cv_pdf", args=[medicine_application.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert cv


def test_it_lets_the_student_adjust_the_tailored_cv(as_alice, alice, medicine_application):
    cv = make_cv(alice)
    url = reverse("applications:tailored_cv_change", args=[medicine_application.pk])
    as_alice.post(url, {"action": "include", "entry": cv["food"].pk})
    tailored = TailoredCV.objects.get(application=medicine_application)
    assert cv["food"].pk in tailored.entry_ids and tailored.adjusted
    as_alice.post(url, {"action": "leave_out", "entry": cv["tutor"].pk})
    as_alice.post(url, {"action": "up", "entry": cv["bs"].pk})
    tailored.refresh_from_db()
    assert cv["tutor"].pk not in tailored.entry_ids
    assert tailored.entry_ids[:2] == [cv["bs"].pk, cv["md"].pk]
    response = as_alice.post(url, {"action": "reset"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="tailored-cv"' in response.content.decode()
    tailored.refresh_from_db()
    assert cv["tutor"].pk in tailored.entry_ids and not tailored.adjusted


def test_it_offers_entries_added_after_tailoring_as_new(as_alice, alice, medicine_application):
    cv = make_cv(alice)
    url = reverse("applications:tailored_cv_change", args=[medicine_application.pk])
    as_alice.post(url, {"action": "leave_out", "entry": cv["tutor"].pk})
    make_entry(alice, "volunteering", "Mentor, high-school outreach")
    page = as_alice.get(reverse("applications:tailored_cv", args=[medicine_application.pk]))
    assert "New since you tailored" in page.content.decode()


def test_it_refuses_an_unknown_action_or_another_students_entry(
    as_alice, alice, bob, medicine_application
):
    url = reverse("applications:tailored_cv_change", args=[medicine_application.pk])
    bobs = make_entry(bob, "clinical", "Bob's clinic")
    assert as_alice.post(url, {"action": "explode"}).status_code == 400
    assert as_alice.post(url, {"action": "include", "entry": bobs.pk}).status_code == 400
    assert as_alice.post(url, {"action": "include", "entry": "x"}).status_code == 400
    # "\u00b2".isdigit() is True: it passed the check and reached int().
    assert as_alice.post(url, {"action": "include", "entry": "\u00b2"}).status_code == 400
    assert as_alice.post(url, {"action": "up", "entry": "99999999999999999999"}).status_code == 400
    tailored = TailoredCV.objects.filter(application=medicine_application).first()
    assert tailored is None or bobs.pk not in tailored.entry_ids


def test_it_links_cv_and_statement_from_the_application_page(as_alice, medicine_application):
    page = as_alice.get(medicine_application.get_absolute_url()).content.decode()
    assert reverse("applications:tailored_cv", args=[medicine_application.pk]) in page
    assert reverse("applications:statement_start", args=[medicine_application.pk]) in page
