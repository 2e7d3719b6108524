"""Fixtures for the rank list tests: an open cycle with a categorical, an advanced and a
preliminary program (and one program outside it), the personas' clients, and a couple."""

import datetime

import pytest
from django.utils import timezone

from medmatch.cycles.models import CycleProgram, MatchCycle
from tests.catalog.factories import make_institution, make_program
from tests.personas import make_user


def make_open_cycle(**dates) -> MatchCycle:
    now = timezone.now()
    fields = {
        "rank_lists_open_at": now - datetime.timedelta(days=1),
        "certification_deadline": now + datetime.timedelta(days=5),
        "match_day": now + datetime.timedelta(days=10),
    }
    return MatchCycle.objects.create(name="Main match 2027", state="open", **(fields | dates))


@pytest.fixture
def market(db):
    hospital = make_institution("Lakeside Hospital", city="Chicago", country="US")
    other_hospital = make_institution("Hilltop Clinic", city="Denver", country="US")
    cycle = make_open_cycle()

    def entry(title, track="categorical", institution=hospital):
        program = make_program(title, institution=institution, track_type=track)
        return CycleProgram.objects.create(cycle=cycle, program=program, quota=2, track=track)

    return {
        "cycle": cycle,
        "hospital": hospital,
        "other_hospital": other_hospital,
        "medicine": entry("Internal Medicine"),
        "surgery": entry("General Surgery"),
        "radiology": entry("Diagnostic Radiology", track="advanced"),
        "prelim": entry("Preliminary Medicine", track="preliminary"),
        "hilltop": entry("Family Medicine", institution=other_hospital),
        "outside": make_program("Pediatrics", institution=hospital),
    }


@pytest.fixture
def erin(db):
    return make_user("erin")


def logged_in(client_class, user):
    client = client_class()
    client.force_login(user)
    return client
