"""A verified coordinator of any institution — a hospital outside North America too — adds a
listing of any type: public at once, shown as reported by the program, with a "created" history
entry, found by the catalog search and its type filter. Everyone else gets a 404 (anonymous
visitors the login page), and a bad value is named with its reason."""

import pytest
from django.test import Client
from django.urls import reverse

from medmatch.catalog.models import Program
from medmatch.catalog.search import ProgramQuery, program_type_choices, search_programs
from medmatch.contributions.models import FactChange
from medmatch.contributions.services import (
    PROGRAM_LISTINGS_KEY,
    NotACoordinator,
    program_create,
)
from tests.catalog.factories import make_institution, make_specialty
from tests.contributions.conftest import make_coordinatorship
from tests.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def charite(world):
    return make_institution(
        "Charité - Universitätsmedizin Berlin",
        kind="hospital",
        city="Berlin",
        country="DE",
        country_name="Germany",
        source=world["rush"].source,
    )


@pytest.fixture
def hanna(charite):
    user = make_user("hanna", role="coordinator", email="hanna@charite.de")
    make_coordinatorship(user, charite)
    return user


def create_url(institution) -> str:
    return reverse("contributions:create_program", args=[institution.pk])


def listing_data(**values) -> dict:
    return {
        "title": "Observership in cardiology",
        "program_type": "observership",
        "city": "Berlin",
        "country": "DE",
        "source_url": "https://www.charite.de/observership",
        **values,
    }


@pytest.mark.parametrize("program_type", Program.ProgramType.values)
def test_it_creates_a_public_listing_of_every_type_abroad(client, charite, hanna, program_type):
    cardiology = make_specialty("Cardiology", code="cardio", slug="cardiology", system="general")
    client.force_login(hanna)
    response = client.post(
        create_url(charite),
        listing_data(
            title="Kardiologie Hospitation",
            program_type=program_type,
            specialty=str(cardiology.pk),
            seats="4",
            length_months="2",
            language="German",
        ),
    )
    program = Program.objects.get(institution=charite)
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog:program", args=[program.pk])
    assert program.program_type == program_type and program.specialty == cardiology
    assert (program.seats, program.length_months, program.language) == (4, 2, "German")
    assert program.city == "" and program.country == ""  # the institution's, followed
    assert program.source.key == PROGRAM_LISTINGS_KEY
    created = FactChange.objects.get(program=program, kind=FactChange.Kind.CREATED)
    assert created.changed_by == hanna and created.field == "listing"
    facts = FactChange.objects.filter(program=program, kind=FactChange.Kind.PROGRAM)
    assert set(facts.values_list("field", flat=True)) == {"seats", "length_months", "language"}
    anonymous = Client()
    page = anonymous.get(reverse("catalog:program", args=[program.pk])).content.decode()
    assert "Kardiologie Hospitation" in page and "reported by the program" in page
    history = anonymous.get(reverse("contributions:history", args=[program.pk])).content.decode()
    assert "Created by the program" in history
    assert "a verified coordinator of Charité - Universitätsmedizin Berlin" in history
    assert "hanna" not in history
    found = search_programs(ProgramQuery(q="kardiologie", program_type=program_type, country="DE"))
    assert [hit.obj for hit in found.hits] == [program]
    assert program_type in dict(program_type_choices())
    listed = anonymous.get(reverse("catalog:programs"), {"program_type": program_type})
    assert "Kardiologie Hospitation" in listed.content.decode()


def test_it_starts_with_the_institutions_place_and_keeps_another(client, charite, hanna):
    client.force_login(hanna)
    form = client.get(create_url(charite)).context["form"]
    assert form["city"].value() == "Berlin" and form["country"].value() == "DE"
    client.post(create_url(charite), listing_data(city="Potsdam", country="de"))
    program = Program.objects.get(institution=charite)
    assert (program.city, program.country) == ("Potsdam", "")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"title": ""}, "title", "Title: name the listing"),
        ({"title": "x" * 301}, "title", "Title: at most 300 characters."),
        ({"title": "Line\r\nBreak"}, "title", "single line"),
        ({"program_type": "internship-abroad"}, "program_type", "Type: choose one"),
        ({"program_type": ""}, "program_type", "Type: choose what kind"),
        ({"specialty": "\u0661"}, "specialty", "Specialty: choose one"),
        ({"country": "D1"}, "country", "Country: a two-letter code"),
        ({"seats": "0"}, "seats", "at least 1 positions"),
        ({"seats": "\u0661\u0662"}, "seats", "digits 0-9"),
        ({"stipend_amount": "1200"}, "currency", "say which currency"),
    ],
)
def test_it_names_the_field_of_a_bad_value(client, charite, hanna, values, field, message):
    client.force_login(hanna)
    response = client.post(create_url(charite), listing_data(**values))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not Program.objects.filter(institution=charite).exists()


def test_it_refuses_a_second_listing_of_the_same_title_and_type(client, charite, hanna):
    client.force_login(hanna)
    client.post(create_url(charite), listing_data())
    response = client.post(create_url(charite), listing_data(title="observership  in Cardiology"))
    assert "already has a listing" in response.context["form"].errors["title"][0]
    assert Program.objects.filter(institution=charite).count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_hides_the_create_page_from_everyone_else(world, charite, frank, gina, alice, method):
    make_coordinatorship(frank, charite, verified=False)
    url = create_url(charite)
    for who in (frank, gina, alice):
        client = Client()
        client.force_login(who)
        assert getattr(client, method)(url, listing_data()).status_code == 404, who.username
    anonymous = getattr(Client(), method)(url, listing_data())
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    assert not Program.objects.filter(institution=charite).exists()


def test_it_shows_a_404_for_a_missing_institution(client, hanna):
    client.force_login(hanna)
    url = reverse("contributions:create_program", args=[424242])
    assert client.get(url).status_code == 404


def test_it_refuses_a_create_by_someone_no_longer_verified(charite, gina):
    with pytest.raises(NotACoordinator):
        program_create(
            institution=charite, user=gina, title="X", program_type="research", values={}
        )
    assert not Program.objects.filter(institution=charite).exists()


def test_it_creates_nothing_when_a_fact_cannot_be_saved(charite, hanna, monkeypatch):
    from medmatch.contributions import services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "program_facts_edit", broken)
    with pytest.raises(RuntimeError):
        program_create(
            institution=charite,
            user=hanna,
            title="Research placement",
            program_type="research",
            values={"seats": 2},
        )
    assert not Program.objects.filter(institution=charite).exists()
    assert not FactChange.objects.exists()


def test_it_lets_the_creator_edit_the_new_listing(client, charite, hanna):
    client.force_login(hanna)
    client.post(create_url(charite), listing_data(seats="3"))
    program = Program.objects.get(institution=charite)
    edit = reverse("contributions:edit", args=[program.pk])
    form = client.get(edit).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    response = client.post(edit, {**data, "seats": "5"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.seats == 5


def test_it_lists_my_programs_with_their_links(client, world, charite, erin, hanna):
    make_coordinatorship(hanna, world["other"], verified=False)
    client.force_login(hanna)
    page = client.get(reverse("contributions:my_programs")).content.decode()
    assert "Charité" in page and "No listing yet." in page
    assert create_url(charite) in page
    assert "Northwestern" not in page  # not verified there
    client.force_login(erin)
    page = client.get(reverse("contributions:my_programs")).content.decode()
    for program in (world["medicine"], world["pediatrics"]):
        assert reverse("contributions:edit", args=[program.pk]) in page
    assert create_url(world["rush"]) in page
    assert "Charité" not in page
    assert reverse("contributions:edit", args=[world["other_program"].pk]) not in page


def test_it_sends_anonymous_visitors_of_my_programs_to_log_in():
    response = Client().get(reverse("contributions:my_programs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
