"""The interview reminder: one email to the student about a day before each upcoming interview,
sent by a task the worker schedules; a rerun (a restarted worker) sends nothing twice."""

import argparse
import datetime

import pytest
from django.core import mail

from medmatch.accounts.services import account_delete
from medmatch.cli_worker import run_remind, run_worker
from medmatch.interviews.models import Interview, InterviewReminder
from medmatch.interviews.tasks import send_interview_reminders
from medmatch.tasks import REMINDER_SCANS
from tests.interviews.conftest import DAY, at, make_interview

pytestmark = pytest.mark.django_db


def hours_before(interview: Interview, hours: float) -> str:
    return (interview.starts_at - datetime.timedelta(hours=hours)).isoformat()


def test_it_sends_the_reminder_once_the_day_before(interview, settings):
    settings.SITE_URL = "https://medmatch.example.org"
    counts = send_interview_reminders.call(hours_before(interview, 30))
    assert counts == {"interview_reminders": {"sent": 0, "failed": 0}}
    assert mail.outbox == []
    send_interview_reminders.enqueue(hours_before(interview, 23.5))
    send_interview_reminders.enqueue(hours_before(interview, 23.5))  # a restarted worker
    send_interview_reminders.enqueue(hours_before(interview, 22.5))  # the next hourly scan
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    local = interview.local_start
    assert message.subject == (
        "Reminder: your interview with Internal Medicine, Massachusetts General Hospital"
        f" on {local:%A} {local.day} {local:%B}"
    )
    when = f"When: {local:%A} {local.day} {local:%B %Y}, 09:00 to 10:00 (America/New_York)"
    assert when in message.body
    assert "Format: In person" in message.body
    assert "Where: Bulfinch Building, Boston, MA" in message.body
    assert "Interviewers: Dr. Ada Lovelace, Dr. Grace Hopper" in message.body
    assert f"https://medmatch.example.org/interviews/{interview.pk}/" in message.body
    assert InterviewReminder.objects.get().starts_at == interview.starts_at


def test_it_gives_the_link_of_a_virtual_interview_in_its_own_time_zone(applications):
    interview = make_interview(
        applications["northwestern"],
        at(DAY, 14, "America/Chicago"),
        zone="America/Chicago",
        link="https://zoom.example.org/j/123",
    )
    send_interview_reminders.call(hours_before(interview, 20))
    body = mail.outbox[0].body
    assert "14:00 to 15:00 (America/Chicago)" in body
    assert "Format: Virtual" in body and "Link: https://zoom.example.org/j/123" in body
    assert "Interviewers" not in body
    assert "http" not in body.replace("https://zoom.example.org/j/123", "")  # no SITE_URL


def test_it_reminds_again_when_the_interview_moves(interview):
    send_interview_reminders.call(hours_before(interview, 20))
    moved = interview.starts_at + datetime.timedelta(days=2)
    Interview.objects.filter(pk=interview.pk).update(starts_at=moved)
    interview.refresh_from_db()
    send_interview_reminders.call(hours_before(interview, 20))
    assert len(mail.outbox) == 2


def test_it_sends_nothing_for_past_interviews_or_other_days(interview):
    send_interview_reminders.call(hours_before(interview, -1))  # it has started
    send_interview_reminders.call(hours_before(interview, 0))
    send_interview_reminders.call(hours_before(interview, 25))
    assert mail.outbox == []


def test_it_reminds_only_the_interview_s_own_student(interview, applications, bob):
    from medmatch.applications.services import application_create
    from tests.catalog.factories import make_institution, make_program

    program = make_program("Surgery", institution=make_institution("Yale", city="New Haven"))
    bobs, _ = application_create(student=bob, program=program)
    make_interview(bobs, interview.starts_at + datetime.timedelta(days=10))
    send_interview_reminders.call(hours_before(interview, 20))
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]


def test_it_sends_nothing_to_deleted_inactive_or_emailless_accounts(interview, alice):
    moment = hours_before(interview, 20)
    for change in [{"is_active": False}, {"email": ""}]:
        type(alice).objects.filter(pk=alice.pk).update(**({"is_active": True} | change))
        send_interview_reminders.call(moment)
    account_delete(user=alice)
    assert send_interview_reminders.call(moment)["interview_reminders"]["sent"] == 0
    assert mail.outbox == []
    assert not InterviewReminder.objects.exists()


def test_it_undoes_the_record_when_sending_fails(interview, monkeypatch):
    from django.core.mail import EmailMessage

    def fail(self, *args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", fail)
    counts = send_interview_reminders.call(hours_before(interview, 20))
    assert counts == {"interview_reminders": {"sent": 0, "failed": 1}}
    assert not InterviewReminder.objects.exists()


def test_it_is_one_of_the_worker_s_scans(interview, monkeypatch, capsys):
    assert send_interview_reminders in [scan.task for scan in REMINDER_SCANS]
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr("medmatch.lib.django_setup.setup_django", lambda: None)
    now = interview.starts_at - datetime.timedelta(hours=20)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    assert run_worker(argparse.Namespace(interval=0.0, no_reminders=False, once=True)) == 0
    assert len(mail.outbox) == 1  # the scan ran (ImmediateBackend in tests)
    assert run_remind(argparse.Namespace(now=True, date="")) == 0
    assert "Interview reminders: 0 sent, 0 failed." in capsys.readouterr().out


def test_it_sends_the_other_reminders_when_one_fails(interview, bob, monkeypatch, caplog):
    from medmatch.applications.services import application_create
    from medmatch.interviews import tasks
    from tests.catalog.factories import make_institution, make_program

    program = make_program("Surgery", institution=make_institution("Yale", city="New Haven"))
    bobs = make_interview(application_create(student=bob, program=program)[0], interview.starts_at)
    build = tasks.reminder_email

    def fail_for_alice(one):
        if one.pk == interview.pk:
            raise ValueError("Header values can't contain newlines")
        return build(one)

    monkeypatch.setattr(tasks, "reminder_email", fail_for_alice)
    moment = hours_before(interview, 20)
    counts = send_interview_reminders.call(moment)
    assert counts == {"interview_reminders": {"sent": 1, "failed": 1}}
    assert [message.to for message in mail.outbox] == [["bob@example.org"]]
    assert list(InterviewReminder.objects.values_list("interview", flat=True)) == [bobs.pk]
    assert f"interview reminder for interview {interview.pk}" in caplog.text
    monkeypatch.setattr(tasks, "reminder_email", build)
    counts = send_interview_reminders.call(moment)  # the next scan: alice's, and not bob's again
    assert counts == {"interview_reminders": {"sent": 1, "failed": 0}}
    assert [message.to for message in mail.outbox] == [["bob@example.org"], ["alice@example.org"]]


def test_it_sends_a_reminder_when_an_imported_name_has_a_line_break(interview):
    program = interview.application.program
    type(program).objects.filter(pk=program.pk).update(title="Internal\r\nMedicine")
    send_interview_reminders.call(hours_before(interview, 20))
    assert mail.outbox[0].subject.startswith(
        "Reminder: your interview with Internal Medicine, Massachusetts General Hospital on "
    )
