"""send_each: every item in its own transaction; one that fails, even with a database error that
aborts a PostgreSQL transaction, is rolled back, logged by its ids and counted, and the next
items still run and keep their writes."""

import pytest
from django.db import connection
from tests.personas import make_user

from medmatch.accounts.models import User
from medmatch.lib.scans import send_each

pytestmark = pytest.mark.django_db


def test_it_rolls_back_only_the_item_that_fails(caplog):
    def send(number: int) -> bool:
        make_user(f"student{number}")
        if number == 2:
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM no_such_table")
        return number != 4  # 4: nothing was due

    counts = send_each([1, 2, 3, 4], send, kind="test email", identify=lambda n: f"item {n}")
    assert counts == {"sent": 2, "failed": 1}
    assert sorted(User.objects.values_list("username", flat=True)) == [
        "student1",
        "student3",
        "student4",
    ]
    assert "Could not send the test email for item 2; the next scan tries again." in caplog.text
