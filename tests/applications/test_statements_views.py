"""Personal statements: base and per-program variants, a version only when the text changes, the
diff, restoring, inline feedback (htmx and the no-JS Analyze button), and bad input."""

import pytest
from django.urls import reverse

from medmatch.applications.models import Statement, StatementVersion
from medmatch.applications.services import statement_create, statement_save
from tests.catalog.factories import make_institution, make_program, make_specialty

pytestmark = pytest.mark.django_db

CLICHE = (
    "Ever since I was a child, I have wanted to help people. I am a hard-working and dedicated "
    "student who wants to train at your prestigious program."
)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def application(alice):
    from medmatch.applications.services import application_create

    specialty = make_specialty("Internal Medicine", slug="internal-medicine")
    institution = make_institution("Lakeshore University Hospital", city="Chicago", region="IL")
    program = make_program(
        "Internal Medicine",
        institution=institution,
        specialty=specialty,
        mentorship="Each intern has a faculty mentor.",
    )
    return application_create(student=alice, program=program)[0]


def _save(client, statement, body, **fields):
    data = {"title": statement.title, "word_limit": "650", "body": body, "note": "", **fields}
    return client.post(reverse("applications:statement", args=[statement.pk]), data)


def test_it_creates_a_base_statement_and_saves_versions_only_when_the_text_changes(as_alice, alice):
    response = as_alice.post(reverse("applications:statement_create"), {"title": "Base"})
    statement = Statement.objects.get(student=alice)
    assert response["Location"] == statement.get_absolute_url()
    assert statement.is_base and not statement.versions.exists()
    _save(as_alice, statement, "First draft.")
    _save(as_alice, statement, "First draft.", title="Base, renamed")
    _save(as_alice, statement, "Second draft.", title="Base, renamed", note="after Dr Chen")
    statement.refresh_from_db()
    assert statement.title == "Base, renamed"
    assert list(statement.versions.values_list("body", "note")) == [
        ("First draft.", ""),
        ("Second draft.", "after Dr Chen"),
    ]


def test_it_starts_a_program_variant_from_the_latest_base(as_alice, alice, application):
    base = statement_create(student=alice, title="Base", body="My base text.")
    url = reverse("applications:statement_start", args=[application.pk])
    response = as_alice.post(url)
    variant = Statement.objects.get(application=application)
    assert response["Location"] == variant.get_absolute_url()
    assert variant.based_on == base and variant.current_body() == "My base text."
    as_alice.post(url)  # the second time opens the same variant
    assert Statement.objects.filter(application=application).count() == 1


def test_it_refuses_an_empty_title_and_an_oversized_statement_keeping_the_text(as_alice, alice):
    page = as_alice.post(reverse("applications:statement_create"), {"title": " "})
    assert page.status_code == 400 and "title: required" in page.content.decode()
    statement = statement_create(student=alice, title="Base", body="Kept.")
    long = "word " * 2_001
    page = _save(as_alice, statement, long).content.decode()
    assert "body: at most 10,000 characters (this has 10,005)" in page
    assert long.strip() in page  # nothing lost: the text is back in the box
    assert statement.current_body() == "Kept."


def test_it_refuses_a_line_break_in_a_title_or_note(as_alice, alice):
    page = as_alice.post(reverse("applications:statement_create"), {"title": "Base\r\nX"})
    assert (
        page.status_code == 400
        and "title: use a single line of text without control characters" in page.content.decode()
    )
    statement = statement_create(student=alice, title="Base", body="Kept.")
    page = _save(as_alice, statement, "New text.", note="after\nDr Chen").content.decode()
    assert "note: use a single line of text without control characters" in page
    assert statement.current_body() == "Kept."


def test_it_refuses_a_20_mb_paste_everywhere_with_a_message(as_alice, alice):
    statement = statement_create(student=alice, title="Base", body="Kept.")
    huge = "x" * 20_000_000
    response = _save(as_alice, statement, huge)
    assert response.status_code == 413
    assert "body: at most 10,000 characters" in response.content.decode()
    url = reverse("applications:statement_analyze", args=[statement.pk])
    response = as_alice.post(url, {"body": huge}, **HTMX)
    assert response.status_code == 200
    assert "nothing was saved or analyzed" in response.content.decode()
    response = as_alice.post(url, {"body": "y" * 10_001}, **HTMX)
    assert "body: at most 10,000 characters (this has 10,001)" in response.content.decode()
    assert StatementVersion.objects.count() == 1


def test_it_highlights_cliches_and_generic_sentences_with_numbered_reasons(as_alice, alice):
    statement = statement_create(student=alice, title="Base")
    url = reverse("applications:statement_analyze", args=[statement.pk])
    page = as_alice.post(url, {"body": CLICHE}, **HTMX).content.decode()
    # The cliché sits inside the generic sentence: both kinds on its mark.
    assert '<mark class="flag flag-generic flag-cliche">Ever since I was a child</mark>' in page
    assert "Try: " in page  # every generic flag carries one concrete suggestion
    assert 'href="#note-1"' in page and 'id="note-1"' in page
    assert "Cliché:" in page and "ResidencyAdvisor" in page
    assert "Generic sentence" in page and "Any applicant could write this" in page
    assert "mentorship opportunities" in page  # could mention, without a program
    assert not StatementVersion.objects.exists()  # analyzing saves nothing


def test_it_checks_a_variant_against_its_program(as_alice, alice, application):
    statement = statement_create(student=alice, title="Lakeshore", application=application)
    url = reverse("applications:statement_analyze", args=[statement.pk])
    body = "At Lakeshore I would join the internal medicine clinic in Chicago."
    page = as_alice.post(url, {"body": body}, **HTMX).content.decode()
    assert "Specific to Internal Medicine, Lakeshore University Hospital" in page
    mentioned = page[page.index("You mention") : page.index("You could mention")]
    assert "Chicago" in mentioned
    assert "mentorship" in page[page.index("You could mention") :].lower()
    assert "11 of 650" in page  # words vs limit


def test_it_analyzes_without_javascript_keeping_the_unsaved_text(as_alice, alice):
    statement = statement_create(student=alice, title="Base", body="Saved.")
    url = reverse("applications:statement_analyze", args=[statement.pk])
    page = as_alice.post(url, {"body": CLICHE}).content.decode()
    assert "<h1>Base</h1>" in page and "not saved" in page
    assert "Ever since I was a child, I have wanted" in page  # in the textarea
    assert "flag-cliche" in page
    assert statement.current_body() == "Saved."


def test_it_shows_feedback_for_the_saved_text_on_opening(as_alice, alice):
    statement = statement_create(student=alice, title="Base", body=CLICHE)
    page = as_alice.get(statement.get_absolute_url()).content.decode()
    assert "flag-cliche" in page and 'hx-trigger="keyup changed delay:800ms' in page


def test_it_diffs_two_versions_with_ins_and_del(as_alice, alice):
    statement = statement_create(student=alice, title="Base", body="I want to help people.")
    statement_save(
        statement=statement, body="I want to train in Chicago.", title="Base", word_limit=650
    )
    old, new = statement.versions.all()
    url = reverse("applications:statement_diff", args=[statement.pk])
    page = as_alice.get(url, {"from": old.pk, "to": new.pk}).content.decode()
    assert '<del><span class="visually-hidden">[removed: </span>help people.' in page
    assert 'train in Chicago.<span class="visually-hidden">]</span></ins>' in page
    assert "<strong>3</strong> words added, <strong>2</strong> removed" in page
    versions = as_alice.get(reverse("applications:statement_versions", args=[statement.pk]))
    assert versions.content.decode().count('name="from"') == 2


def test_it_refuses_a_diff_with_versions_of_another_statement(as_alice, alice, bob):
    statement = statement_create(student=alice, title="Mine", body="a")
    bobs = statement_create(student=bob, title="Bob's", body="secret")
    url = reverse("applications:statement_diff", args=[statement.pk])
    response = as_alice.get(
        url, {"from": statement.versions.get().pk, "to": bobs.versions.get().pk}
    )
    assert response.status_code == 302
    assert "secret" not in as_alice.get(response["Location"]).content.decode()


def test_it_restores_an_earlier_version_as_a_new_one(as_alice, alice):
    statement = statement_create(student=alice, title="Base", body="One.")
    statement_save(statement=statement, body="Two.", title="Base", word_limit=650)
    first = statement.versions.first()
    as_alice.post(reverse("applications:statement_version_restore", args=[first.pk]))
    assert list(statement.versions.values_list("body", flat=True)) == ["One.", "Two.", "One."]


def test_it_deletes_a_statement_with_its_versions(as_alice, alice):
    statement = statement_create(student=alice, title="Base", body="One.")
    as_alice.post(reverse("applications:statement_delete", args=[statement.pk]))
    assert not Statement.objects.exists() and not StatementVersion.objects.exists()


def test_it_keeps_a_variant_when_its_application_is_deleted(alice, application):
    statement = statement_create(
        student=alice, title="Lakeshore", application=application, body="x"
    )
    application.delete()
    statement.refresh_from_db()
    assert statement.application is None and statement.current_body() == "x"


@pytest.mark.parametrize("value", ["\u00b2", "99999999999999999999", "", "abc"])
def test_it_refuses_a_diff_whose_version_number_is_not_one(as_alice, alice, value):
    # "\u00b2".isdigit() is True and int() refused it: a 500.
    statement = statement_create(student=alice, title="Mine", body="a")
    url = reverse("applications:statement_diff", args=[statement.pk])
    response = as_alice.get(url, {"from": statement.versions.get().pk, "to": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:statement_versions", args=[statement.pk])


def test_it_numbers_the_notes_in_the_order_they_appear_without_running_together(as_alice, alice):
    import re

    statement = statement_create(student=alice, title="Base")
    url = reverse("applications:statement_analyze", args=[statement.pk])
    # Notes in a row, then a generic sentence ending in a cliché: two notes at one place.
    body = (
        "Ever since I was a child, I have truly loved this. I look forward to your program. "
        "I am a dedicated student and I want to help people"
    )
    page = as_alice.post(url, {"body": body}, **HTMX).content.decode()
    refs = [int(number) for number in re.findall(r'id="ref-(\d+)"', page)]
    assert len(refs) >= 4
    assert refs == list(range(1, len(refs) + 1))  # 1, 2, 3… through the text
    notes = [int(number) for number in re.findall(r'<li id="note-(\d+)"', page)]
    assert notes == refs
    # Two notes at one place are one superscript, separated: "1,2", never "12".
    last, before = refs[-1], refs[-2]
    assert f'>{before}</a><span aria-hidden="true">,</span><a href="#note-{last}"' in page
    assert re.search(r"\b[CG]\d{2,3}\b", page) is None  # no internal rule codes


def test_it_never_lists_as_mentioned_what_the_text_does_not_name(as_alice, alice, application):
    statement = statement_create(student=alice, title="Lakeshore", application=application)
    url = reverse("applications:statement_analyze", args=[statement.pk])
    body = "I study hard, learn by trial and error and serve my community. I chose medicine."
    page = as_alice.post(url, {"body": body}, **HTMX).content.decode()
    mentioned = page[page.index("You mention") : page.index("You could mention")]
    assert "Nothing specific yet." in mentioned


def _other_program(name, city, region, **fields):
    institution = make_institution(name, city=city, region=region)
    return make_program("Internal Medicine", institution=institution, **fields)


def test_it_asks_whether_a_sentence_naming_another_application_was_copied(
    as_alice, alice, application
):
    from medmatch.applications.services import application_create

    mayo = _other_program("Mayo Clinic", "Rochester", "MN")
    application_create(student=alice, program=mayo)
    statement = statement_create(student=alice, title="Lakeshore", application=application)
    url = reverse("applications:statement_analyze", args=[statement.pk])
    body = "At Lakeshore I would join the clinic. At Mayo Clinic I learned to listen."
    page = as_alice.post(url, {"body": body}, **HTMX).content.decode()
    block = page[page.index("Written for another program?") : page.index("Specific to")]
    assert "At Mayo Clinic I learned to listen." in block
    assert "This names Mayo Clinic, another program you apply to" in block
    assert "At Lakeshore I would join" not in block
    # Without a mention of the other program, no block.
    page = as_alice.post(url, {"body": "At Lakeshore I would join the clinic."}, **HTMX)
    assert "Written for another program?" not in page.content.decode()


def test_it_never_checks_against_another_students_programs(as_alice, alice, bob, application):
    from medmatch.applications.services import application_create

    mayo = _other_program(
        "Mayo Clinic", "Rochester", "MN", description="We run the Quarry Street Free Clinic."
    )
    application_create(student=bob, program=mayo)
    statement = statement_create(student=alice, title="Lakeshore", application=application)
    url = reverse("applications:statement_analyze", args=[statement.pk])
    body = "At Mayo Clinic I learned to listen. I want to serve at the Quarry Street Free Clinic."
    page = as_alice.post(url, {"body": body}, **HTMX).content.decode()
    assert "Written for another program?" not in page
    assert "another program you apply to" not in page


def test_a_base_statement_has_no_copy_paste_check(as_alice, alice, application):
    from medmatch.applications.services import application_create

    application_create(student=alice, program=_other_program("Mayo Clinic", "Rochester", "MN"))
    statement = statement_create(student=alice, title="Base")
    url = reverse("applications:statement_analyze", args=[statement.pk])
    page = as_alice.post(url, {"body": "At Mayo Clinic I learned to listen."}, **HTMX)
    assert "Written for another program?" not in page.content.decode()


def test_it_names_a_feature_of_another_application_described_in_a_variant(
    as_alice, alice, application
):
    from medmatch.applications.services import application_create

    mayo = _other_program(
        "Mayo Clinic", "Rochester", "MN", description="Residents run the Quarry Street Free Clinic."
    )
    application_create(student=alice, program=mayo)
    statement = statement_create(student=alice, title="Lakeshore", application=application)
    url = reverse("applications:statement_analyze", args=[statement.pk])
    body = "In Chicago I would serve. I want my Saturdays at the Quarry Street Free Clinic."
    page = as_alice.post(url, {"body": body}, **HTMX).content.decode()
    block = page[page.index("Written for another program?") : page.index("Specific to")]
    assert "I want my Saturdays at the Quarry Street Free Clinic." in block
    assert "a feature of Mayo Clinic (Internal Medicine), another program you apply to" in block
    assert "not of Lakeshore University Hospital" in block
