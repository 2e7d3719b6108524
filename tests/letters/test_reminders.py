"""Reminders to recommenders before the due date and a weekly digest to the student, sent by a
task; a rerun (a restarted worker) sends nothing twice. ``medmatch worker`` and
``medmatch letters remind``."""

import argparse
import datetime

import pytest
from django.core import mail

from medmatch.letters.cli import run_remind, run_worker
from medmatch.letters.models import LetterRequest, ReminderSent
from medmatch.letters.tasks import reminder_kind, send_reminders
from tests.letters.conftest import TODAY

pytestmark = pytest.mark.django_db


def on(due_in: int) -> str:
    """The ISO date ``due_in`` days before the request's due date (TODAY + 40)."""
    return (TODAY + datetime.timedelta(days=40 - due_in)).isoformat()


def _recommender_mail():
    return [m for m in mail.outbox if m.to == ["okafor@example.org"]]


def _digests():
    return [m for m in mail.outbox if m.to == ["alice@example.org"]]


@pytest.mark.parametrize(
    ("days_left", "kind"),
    [(20, None), (14, "before_14"), (10, "before_14"), (7, "before_7"), (2, "before_2"),
     (0, "before_2"), (-1, None)],
)  # fmt: skip
def test_it_picks_the_closest_reminder_reached(letter_request, days_left, kind):
    assert reminder_kind(letter_request, datetime.date.fromisoformat(on(days_left))) == kind


def test_it_sends_each_reminder_once_even_when_run_again(letter_request, settings):
    settings.SITE_URL = "https://medmatch.example.org"
    send_reminders.enqueue(on(7))
    send_reminders.enqueue(on(7))  # a restarted worker scans the same day again
    send_reminders.enqueue(on(6))
    reminders = _recommender_mail()
    assert len(reminders) == 1
    assert "due on" in reminders[0].body and "(in 7 days)" in reminders[0].body
    assert "https://medmatch.example.org/letters/upload/" in reminders[0].body
    assert ReminderSent.objects.filter(request=letter_request).count() == 1
    send_reminders.enqueue(on(2))
    assert len(_recommender_mail()) == 2


def test_it_reminds_again_when_the_due_date_moves(letter_request):
    send_reminders.enqueue(on(7))
    LetterRequest.objects.filter(pk=letter_request.pk).update(
        due_on=letter_request.due_on + datetime.timedelta(days=3)
    )
    send_reminders.enqueue(on(4))  # 7 days before the new due date
    assert len(_recommender_mail()) == 2


def test_it_does_not_remind_for_submitted_declined_or_undated_requests(letter_request):
    for change in [{"status": "submitted"}, {"status": "declined"}, {"due_on": None}]:
        fields = {"status": "asked", "due_on": letter_request.due_on} | change
        LetterRequest.objects.filter(pk=letter_request.pk).update(**fields)
        send_reminders.enqueue(on(2))
        assert _recommender_mail() == [], change


def test_it_points_to_the_first_email_without_a_site_address(letter_request):
    send_reminders.enqueue(on(2))
    assert "use the upload link in alice's first email" in _recommender_mail()[0].body


def test_it_sends_the_student_one_digest_a_week(letter_request):
    monday = TODAY - datetime.timedelta(days=TODAY.weekday())
    for offset in range(7):
        send_reminders.enqueue((monday + datetime.timedelta(days=offset)).isoformat())
    digests = _digests()
    assert len(digests) == 1
    assert "Dr. Ruth Okafor: Asked" in digests[0].body
    send_reminders.enqueue((monday + datetime.timedelta(days=7)).isoformat())
    assert len(_digests()) == 2


def test_it_undoes_the_record_when_sending_fails(letter_request, monkeypatch):
    from django.core.mail import EmailMessage

    def fail(self, *args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", fail)
    assert send_reminders.call(on(7)) == {
        "letter_reminders": {"sent": 0, "failed": 1},
        "letter_digests": {"sent": 0, "failed": 1},
    }
    assert not ReminderSent.objects.exists()


def test_it_runs_the_worker_loop_with_the_reminder_scan(letter_request, monkeypatch):
    calls = []
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: calls.append((a, k)))
    monkeypatch.setattr("medmatch.cli.setup_django", lambda: None)
    args = argparse.Namespace(interval=0.0, no_reminders=False, once=True)
    assert run_worker(args) == 0
    assert calls[0][0] == ("db_worker",) and calls[0][1]["batch"] is True
    assert _digests()  # the scan ran (ImmediateBackend in tests)


def test_it_runs_the_reminders_from_the_command_line(letter_request, monkeypatch, capsys):
    monkeypatch.setattr("medmatch.cli.setup_django", lambda: None)
    assert run_remind(argparse.Namespace(now=True, date=on(7))) == 0
    out = capsys.readouterr().out
    assert "Letter reminders: 1 sent, 0 failed." in out
    assert "Letter digests: 1 sent, 0 failed." in out
