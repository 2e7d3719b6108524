"""Every administrator cycle page is a 404 for a student, a coordinator and an anonymous
visitor, for GET and POST, and changes nothing."""

import pytest
from django.urls import reverse

from medmatch.cycles.models import CycleProgram, MatchCycle
from medmatch.cycles.urls import urlpatterns
from tests.catalog.factories import make_program

ADMIN_URLS = [p.name for p in urlpatterns if p.name.startswith("cycle")]


def test_it_sweeps_every_cycle_url():
    assert {
        "cycles",
        "cycle_new",
        "cycle",
        "cycle_edit",
        "cycle_program_add",
        "cycle_programs_bulk",
        "cycle_program_remove",
        "cycle_open",
        "cycle_lock",
    } <= set(ADMIN_URLS)


@pytest.fixture
def cycle_program(dave):
    from django.utils import timezone

    now = timezone.now()
    cycle = MatchCycle.objects.create(
        name="Match",
        rank_lists_open_at=now,
        certification_deadline=now + timezone.timedelta(days=1),
        match_day=now + timezone.timedelta(days=2),
        created_by=dave,
    )
    return CycleProgram.objects.create(cycle=cycle, program=make_program(), quota=2)


def url_for(name: str, entry: CycleProgram) -> str:
    pattern = next(p for p in urlpatterns if p.name == name)
    kwargs = {}
    if "pk" in pattern.pattern.converters:
        kwargs["pk"] = entry.cycle.pk
    if "cpk" in pattern.pattern.converters:
        kwargs["cpk"] = entry.pk
    return reverse(f"cycles:{name}", kwargs=kwargs)


@pytest.mark.parametrize("name", ADMIN_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_hides_every_cycle_page_from_everyone_but_administrators(
    outsiders, cycle_program, name, method
):
    url = url_for(name, cycle_program)
    for who, client in outsiders.items():
        response = getattr(client, method)(url, {"confirm_early": "on", "quota": "3"})
        # A 404 even for a method the page does not take: a 405 would say the address exists.
        assert response.status_code == 404, (who, url, response.status_code)
    cycle = MatchCycle.objects.get()
    assert cycle.state == MatchCycle.State.DRAFT
    assert not cycle.audit.exists()
    assert CycleProgram.objects.count() == 1


@pytest.mark.parametrize("name", ["cycles", "cycle_new", "cycle", "cycle_edit"])
def test_it_shows_the_pages_to_an_administrator(client, dave, cycle_program, name):
    client.force_login(dave)
    assert client.get(url_for(name, cycle_program)).status_code == 200


def test_it_links_the_cycles_from_the_navigation_for_administrators_only(client, dave, alice):
    client.force_login(alice)
    assert 'href="/match/cycles/"' not in client.get("/").content.decode()
    client.force_login(dave)
    assert 'href="/match/cycles/"' in client.get("/").content.decode()
