"""Personas and small factories shared by the tests (as healthchecks' hc/test.py has alice/bob).

- alice: a student, the owner of whatever a test creates
- bob: another student
- carol: a program coordinator
- dave: a match administrator
- an anonymous visitor is simply the unauthenticated test client
"""

import pytest

from medmatch.accounts.models import User

PASSWORD = "correct horse battery staple"


def make_user(username: str, role: str = User.Role.STUDENT, **fields) -> User:
    return User.objects.create_user(
        username=username,
        email=fields.pop("email", f"{username}@example.org"),
        password=PASSWORD,
        role=role,
        **fields,
    )


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def carol(db):
    return make_user("carol", role=User.Role.COORDINATOR)


@pytest.fixture
def dave(db):
    return make_user("dave", role=User.Role.MATCH_ADMIN)


@pytest.fixture
def outsiders(client, bob, carol):
    """Clients of everyone who must not see alice's objects: another student, a coordinator,
    and an anonymous visitor."""
    from django.test import Client

    as_bob, as_carol = Client(), Client()
    as_bob.force_login(bob)
    as_carol.force_login(carol)
    return {"another student": as_bob, "coordinator": as_carol, "anonymous": Client()}
