"""A practice run is alice's alone: another student, a coordinator and an anonymous visitor get a
404 on its URLs, and nobody else's history shows it."""

import pytest
from django.urls import reverse

from medmatch.cycles.models import PracticeRun

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["cycles:practice_run", "cycles:practice_delete"])
def test_it_hides_alices_run_from_everyone_else(outsiders, alices_run, name):
    url = reverse(name, args=[alices_run.pk])
    for who, client in outsiders.items():
        statuses = {client.get(url).status_code, client.post(url).status_code}
        assert 404 in statuses and statuses <= {404, 405}, (who, url, statuses)
    assert PracticeRun.objects.filter(pk=alices_run.pk).exists()


def test_it_lists_alices_runs_to_no_one_else(outsiders, alices_run):
    url = alices_run.get_absolute_url()
    for who, client in outsiders.items():
        if who == "anonymous":
            continue
        page = client.get(reverse("cycles:practice")).content.decode()
        assert url not in page, who
