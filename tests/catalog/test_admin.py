"""Django admin for every catalog model."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from medmatch.catalog.models import Accreditation, Department, Program
from medmatch.catalog.search import ProgramQuery, search_programs

pytestmark = pytest.mark.django_db

MODELS = ("source", "specialty", "institution", "program", "accreditation", "department")


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_it_lists_searches_and_filters_each_model(admin_client, small_catalog, model):
    program = small_catalog["programs"]["columbia_cardiology"]
    Accreditation.objects.create(program=program, body="ACGME", status="accredited")
    Department.objects.create(institution=program.institution, name="Cardiology")
    url = reverse(f"admin:catalog_{model}_changelist")
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(url, {"q": "cardio"}).status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_it_opens_the_add_form_of_each_model(admin_client, db, model):
    assert admin_client.get(reverse(f"admin:catalog_{model}_add")).status_code == 200


def test_it_opens_a_program_and_shows_provenance_read_only(admin_client, small_catalog):
    program = small_catalog["programs"]["columbia_cardiology"]
    response = admin_client.get(reverse("admin:catalog_program_change", args=[program.pk]))
    assert response.status_code == 200
    assert "search_text" in response.context["adminform"].readonly_fields


def test_it_reindexes_a_program_edited_in_the_admin(admin_client, small_catalog):
    program = small_catalog["programs"]["mgh_pediatrics"]
    url = reverse("admin:catalog_program_change", args=[program.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "title": "Neonatal-Perinatal Medicine",
            "institution": program.institution.pk,
            "specialty": program.specialty.pk,
            "source": program.source.pk,
            "accreditations-TOTAL_FORMS": "0",
            "accreditations-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    program.refresh_from_db()
    assert "Neonatal" in program.search_text
    found = search_programs(ProgramQuery(q="neonatal"))
    assert [hit.obj.pk for hit in found.hits] == [program.pk]


def test_it_reindexes_programs_when_their_institution_is_renamed(admin_client, small_catalog):
    mgh = small_catalog["institutions"]["mgh"]
    url = reverse("admin:catalog_institution_change", args=[mgh.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"name": "Mass General Brigham", "source": mgh.source.pk})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    found = search_programs(ProgramQuery(q="brigham"))
    assert {hit.obj.title for hit in found.hits} == {"Cardiology", "Pediatrics"}
    assert Program.objects.filter(search_text__contains="Brigham").count() == 2
