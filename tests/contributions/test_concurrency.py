"""Two staff members approving the same proposal at once, or a coordinator saving while a
proposal is approved: the program row lock (``select_for_update``) lets one through and the
other sees the result. Only PostgreSQL has row locks that threads can race on."""

import threading

import pytest
from django.db import connection, connections

from medmatch.contributions.models import FactChange
from medmatch.contributions.services import proposal_approve, proposal_create
from tests.catalog.factories import make_institution, make_program
from tests.personas import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_applies_a_proposal_once_when_two_approve_it_at_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL test (SQLite locks the whole file)")
    program = make_program("Internal Medicine", institution=make_institution("Rush"))
    alice = make_user("alice")
    staff = [make_user(f"staff{i}", is_staff=True) for i in range(2)]
    proposal = proposal_create(
        proposer=alice,
        program=program,
        field="seats",
        value={"seats": "12"},
        source_url="https://example.org/seats",
    )
    barrier = threading.Barrier(2)
    results = []

    def approve(by):
        try:
            barrier.wait()
            results.append(proposal_approve(proposal=proposal, by=by))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(who,)) for who in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert FactChange.objects.count() == 1
    program.refresh_from_db()
    assert program.seats == 12
