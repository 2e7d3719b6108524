"""The sources page (/catalog/sources/)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_lists_every_source_with_licence_date_and_row_counts(client, small_catalog):
    response = client.get(reverse("catalog:sources"))
    assert response.status_code == 200
    rows = {source.key: source for source in response.context["sources"]}
    assert rows["nrmp-test"].program_count == 5
    assert rows["cms-test"].program_count == 2
    assert rows["nrmp-test"].institution_count == 3
    assert rows["cms-test"].institution_count == 2
    assert "Public domain" in response.text
    assert "2025-11-01" in response.text


def test_it_is_linked_from_the_footer(client, db):
    assert reverse("catalog:sources") in client.get(reverse("catalog:programs")).text
