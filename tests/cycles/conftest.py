import pytest

from tests.cycles.factories import make_small_market
from tests.cycles.rank_fixtures import erin, market  # noqa: F401


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


HAND_MADE = {"market": "hand_made", "strength": "average", "seed": "5"}


@pytest.fixture
def alices_run(as_alice):
    data = dict(HAND_MADE, **{"rank_prog-a": "1", "rank_prog-b": "2", "rank_prog-c": "3"})
    response = as_alice.post("/match/practice/new/", data)
    from medmatch.cycles.models import PracticeRun

    assert response.status_code == 302, response.content.decode()[:2000]
    return PracticeRun.objects.get()


@pytest.fixture
def run_market(alice, bob):
    """A small locked cycle with certified lists, a couple and a supplemental list (for runs)."""
    return make_small_market(alice, bob)
