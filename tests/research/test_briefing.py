"""The program briefing per application: what it brings together, its PDF (page 1 rendered to
PNG for a look), and 404 for everyone else."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from medmatch.catalog.models import Accreditation, Department
from medmatch.goals import fitting
from medmatch.goals.models import GoalProfile
from medmatch.research.models import OpenQuestion
from medmatch.research.services import open_question_answer
from tests.catalog.factories import make_institution
from tests.research.conftest import shortlist_for
from tests.research.factories import make_application, make_contact, make_conversation, make_review

RESULTS = Path(__file__).resolve().parents[2] / "test-results" / "research"


@pytest.fixture(autouse=True)
def _fresh_features():
    fitting.clear_cache()
    yield
    fitting.clear_cache()


@pytest.fixture
def briefed(alice, bob, programs):
    """alice applies to Columbia cardiology: a note, a contact with insights, a review by bob."""
    program = programs["columbia_cardiology"]
    shortlist_for(alice, program, note="Ask about the cath lab schedule.", tags=[], rating=4)
    Department.objects.create(
        institution=program.institution,
        specialty=program.specialty,
        name="Division of Cardiology",
        strength_notes="Structural heart program; TAVR research.",
    )
    Accreditation.objects.create(program=program, body="ACGME", status="continued")
    contact = make_contact(alice, program, name="Dr Priya Shah", email="ps@columbia.edu")
    make_conversation(
        contact,
        [
            ("mentorship", 5, "high", "Every fellow has a named mentor."),
            ("workload", 2, "low", "Maybe q4 call?"),
        ],
    )
    make_review(bob, program, text="Bedside teaching every day.")
    GoalProfile.objects.create(
        student=alice,
        data={"format": "medmatch-goals/1", "stipend": {"min_amount": 60000, "weight": 4}},
    )
    return make_application(alice, program, notes="Interview on 14 November.")


def test_it_brings_together_facts_insights_questions_reviews_and_notes(client, alice, briefed):
    client.force_login(alice)
    page = client.get(reverse("research:briefing", args=[briefed.pk])).content.decode()
    for text in (
        "Every fellow has a named mentor.",  # insight
        "Dr Priya Shah",  # contact
        "What is the stipend",  # open question from an unknown fact
        "Maybe q4 call?",  # doubtful insight, and its question
        "Ask about the cath lab schedule.",  # shortlist note
        "Interview on 14 November.",  # application note
        "1 review",  # never a rating for one
        "Bedside teaching every day.",
        "Division of Cardiology",
        "Structural heart program",
        "ACGME",
        "NRMP program tracks (test)",  # a source
        "Stipend unknown",  # fit explanation
    ):
        assert text in page, text


def test_it_carries_the_linked_hospitals_beds_stars_and_residents(client, alice, briefed):
    sponsor = briefed.program.institution
    sponsor.hospital = make_institution(
        "NEW YORK-PRESBYTERIAN HOSPITAL", country="US", beds=2600, cms_star_rating=4,
        resident_fte=1649.0,
    )  # fmt: skip
    sponsor.country = "US"
    sponsor.save()
    client.force_login(alice)
    page = " ".join(client.get(reverse("research:briefing", args=[briefed.pk])).text.split())
    for text in ("Hospital beds", "2600", "CMS overall star rating", "4 of 5", "1,649.0"):
        assert text in page, text
    assert "Hospital: NEW YORK-PRESBYTERIAN HOSPITAL" in page  # its scope (issue 11)


def test_it_shows_an_answered_question_as_the_students_own_information(client, alice, briefed):
    client.force_login(alice)
    client.get(reverse("research:briefing", args=[briefed.pk]))
    question = OpenQuestion.objects.get(fact_key="stipend")
    open_question_answer(question=question, answer="from the coordinator", value=64000)
    page = client.get(reverse("research:briefing", args=[briefed.pk])).content.decode()
    assert "64,000 USD a year" in page
    assert "(your own information)" in page


def test_it_renders_a_pdf_whose_first_page_can_be_looked_at(client, alice, briefed):
    client.force_login(alice)
    response = client.get(reverse("research:briefing_pdf", args=[briefed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "briefing.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(RESULTS / "briefing.pdf"),
            str(RESULTS / "briefing-page"),
        ],
        check=True,
    )
    assert list(RESULTS.glob("briefing-page*.png"))


@pytest.mark.parametrize("name", ["research:briefing", "research:briefing_pdf"])
def test_it_hides_the_briefing_from_everyone_else(briefed, outsiders, name):
    for who, client in outsiders.items():
        assert client.get(reverse(name, args=[briefed.pk])).status_code == 404, who
