import pytest

from tests.cycles.factories import (
    make_couple,
    make_cycle,
    make_cycle_program,
    make_program_list,
    make_student_list,
)
from tests.personas import make_user


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
def market(alice, bob):
    """Five students (one couple, one with a supplemental list) and five programs; one student
    with an uncertified list, whom a program ranks, takes no part."""
    cycle = make_cycle()
    im = make_cycle_program(cycle, "Internal Medicine", quota=2)
    surgery = make_cycle_program(cycle, "General Surgery", quota=1)
    radiology = make_cycle_program(cycle, "Diagnostic Radiology", quota=1, track="advanced")
    prelim = make_cycle_program(cycle, "Preliminary Medicine", quota=1, track="preliminary")
    family = make_cycle_program(cycle, "Family Medicine", quota=2)
    erin, frank, gina, henry = (make_user(name) for name in ("erin", "frank", "gina", "henry"))
    make_student_list(cycle, alice, [surgery, im])
    make_student_list(cycle, bob, [surgery, im])
    make_student_list(cycle, erin, [radiology, im], supplemental={radiology: [prelim]})
    make_student_list(cycle, henry, [surgery], certified=False)
    make_couple(cycle, frank, gina, [(im, im), (surgery, family), (family, family)])
    make_program_list(surgery, [henry, bob, alice, frank])
    make_program_list(im, [gina, frank, alice, erin, bob])
    make_program_list(radiology, [erin])
    make_program_list(prelim, [erin])
    make_program_list(family, [frank, gina])
    return {
        "cycle": cycle,
        "programs": {"im": im, "surgery": surgery, "radiology": radiology, "prelim": prelim},
        "family": family,
        "students": {"alice": alice, "bob": bob, "erin": erin, "frank": frank, "gina": gina},
    }
