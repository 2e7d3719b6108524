"""Two cancellations at once in one round: the round's row lock (``select_for_update``) makes the
second wait for the first, so neither chain of moves is lost. The engine is slowed down inside
the lock so that, without it, both would read the same state and the last write would undo the
first cancellation. Only PostgreSQL has row locks that threads can race on."""

import threading
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from medmatch.matching import slots as engine
from medmatch.workspace import slot_rounds
from medmatch.workspace.models import Invitation
from medmatch.workspace.slot_rounds import invitation_cancel, load_state, round_assign
from tests.workspace.slot_factories import invite, make_round, rank, students

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_cancellations_at_once_keep_both(world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL test (SQLite locks the whole file)")
    round_ = make_round(world["medicine"], hours=(9, 10, 11, 12))
    first, second, third, fourth = invite(round_, students("ann", "ben", "cat", "don"))
    rank(first, 9)
    rank(second, 10)
    rank(third, 9, 11)
    rank(fourth, 10, 12)
    round_assign(round_pk=round_.pk, now=timezone.now())
    real_cancel = engine.cancel

    def slow_cancel(state, student):
        time.sleep(0.5)
        return real_cancel(state, student)

    monkeypatch.setattr(slot_rounds.engine, "cancel", slow_cancel)
    barrier = threading.Barrier(2)

    def cancel(invitation):
        try:
            barrier.wait()
            invitation_cancel(invitation_pk=invitation.pk, now=timezone.now())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(who,)) for who in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    round_.refresh_from_db()
    state = load_state(round_.state)
    assert sorted(state.cancelled) == sorted([str(first.pk), str(second.pk)])
    held = dict(Invitation.objects.filter(round=round_).values_list("pk", "assigned_slot_id"))
    slots = {slot.starts_at.hour: slot.pk for slot in round_.slots.all()}
    assert held[third.pk] is not None and held[fourth.pk] is not None
    assert {held[first.pk], held[second.pk]} == {None}
    assert state.assignment == {str(pk): str(slot) for pk, slot in held.items() if slot}
    assert len(slots) == 4
