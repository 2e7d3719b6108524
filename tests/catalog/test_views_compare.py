"""The compare page (/catalog/compare/?p=1&p=2...)."""

import pytest
from django.urls import reverse
from tests.catalog.factories import make_institution, make_program

pytestmark = pytest.mark.django_db

URL = reverse("catalog:compare")


def test_it_explains_itself_when_nothing_is_picked(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Nothing to compare yet" in response.text


def test_it_shows_programs_side_by_side_with_unknowns(client, small_catalog):
    programs = small_catalog["programs"]
    ids = [programs["columbia_cardiology"].pk, programs["toronto_cardiology"].pk]
    response = client.get(URL, {"p": ids})
    text = response.text
    assert response.status_code == 200
    assert "Cardiovascular Disease Fellowship" in text and "Cardiology (CMG stream)" in text
    assert "Weekly hours" in text
    assert '<span class="unknown">unknown</span>' in text
    assert "CMG" in text  # the stream row exists because one program has it


def test_it_shows_at_most_four_and_says_so(client, small_catalog):
    ids = [p.pk for p in small_catalog["programs"].values()]
    response = client.get(URL, {"p": ids})
    assert len(response.context["programs"]) == 4
    assert "compare shows up to 4 programs side by side; showing the first 4 of 7" in response.text


def test_it_reports_unknown_and_malformed_program_numbers(client, small_catalog):
    pk = small_catalog["programs"]["mgh_pediatrics"].pk
    response = client.get(URL, {"p": [str(pk), "999", "abc"]})
    assert [p.pk for p in response.context["programs"]] == [pk]
    assert "there is no program number 999" in response.text
    assert "“abc” is not a program number" in response.text


@pytest.mark.parametrize(
    "value", ["\u00b2", "99999999999999999999", "9223372036854775808", "\u0661", "0", "-1"]
)
def test_it_names_a_program_number_that_is_not_one(client, small_catalog, value):
    # "\u00b2".isdigit() is True and int() refused it (500); 10^20 overflowed the query (500).
    program = small_catalog["programs"]["columbia_cardiology"]
    response = client.get(URL, {"p": [value, program.pk]})
    assert response.status_code == 200
    assert f"p: “{value}” is not a program number." in response.text
    assert "Cardiovascular Disease Fellowship" in response.text


def test_it_heads_each_column_with_the_institution_and_carries_hospital_facts(client, db):
    hospital = make_institution(
        "JOHN H STROGER JR HOSPITAL", kind="academic", city="CHICAGO", region="IL", country="US",
        beds=464, cms_star_rating=3, resident_fte=431.5,
    )  # fmt: skip
    cook = make_institution(
        "Cook County Health and Hosps Sys-IL", kind="sponsor", region="IL", country="US",
        hospital=hospital,
    )  # fmt: skip
    masonic = make_institution(
        "Advocate Illinois Masonic Med Ctr", kind="sponsor", region="IL", country="US"
    )
    ids = [
        make_program("Internal Medicine", institution=cook, track_type="categorical").pk,
        make_program("Internal Medicine", institution=masonic, track_type="preliminary").pk,
    ]
    text = " ".join(client.get(URL, {"p": ids}).text.split())
    head = text[text.index("<thead>") : text.index("</thead>")]
    assert "Cook County Health and Hosps Sys-IL</a>" in head
    assert "Advocate Illinois Masonic Med Ctr</a>" in head
    assert "Internal Medicine · Categorical" in head and "Internal Medicine · Preliminary" in head
    for fact in ("Hospital beds", "CMS overall star rating", "Resident FTE at the hospital"):
        assert f'<th scope="row">{fact}</th>' in text
    # Whose the fact is shows beside it (issue 11: the linked hospital, by name).
    assert (
        '464<span class="fact-meta"><span class="scope-tag">JOHN H STROGER JR HOSPITAL</span>'
        in text
    )
    assert "3 of 5" in text and "431.5" in text


def test_it_does_not_repeat_the_headings_as_rows(client, small_catalog):
    ids = [p.pk for p in list(small_catalog["programs"].values())[:2]]
    text = client.get(URL, {"p": ids}).text
    assert '<th scope="row">Institution</th>' not in text
    assert '<th scope="row">Program</th>' not in text
