"""Reminders to recommenders before the due date and a weekly digest to the student, sent by a
task; a rerun (a restarted worker) sends nothing twice. ``medmatch worker`` and
``medmatch letters remind``."""

import argparse
import datetime

import pytest
from django.core import mail
from django_tasks import task

from medmatch.cli_worker import run_remind, run_worker
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
    monkeypatch.setattr("medmatch.lib.django_setup.setup_django", lambda: None)
    args = argparse.Namespace(interval=0.0, no_reminders=False, once=True)
    assert run_worker(args) == 0
    assert calls[0][0] == ("db_worker",) and calls[0][1]["batch"] is True
    assert _digests()  # the scan ran (ImmediateBackend in tests)


def test_it_runs_the_reminders_from_the_command_line(letter_request, monkeypatch, capsys):
    monkeypatch.setattr("medmatch.lib.django_setup.setup_django", lambda: None)
    assert run_remind(argparse.Namespace(now=True, date=on(7))) == 0
    out = capsys.readouterr().out
    assert "Letter reminders: 1 sent, 0 failed." in out
    assert "Letter digests: 1 sent, 0 failed." in out


def request_for(username: str, program, *, deadline=None) -> LetterRequest:
    """Another student with one asked request (due in 40 days) for one application; a
    ``deadline`` is written straight to the database, as an old row or an import could hold it."""
    from medmatch.applications.models import Application
    from medmatch.applications.services import application_create
    from medmatch.letters.models import Recommender
    from medmatch.letters.services import request_save
    from tests.personas import make_user

    student = make_user(username)
    application, _ = application_create(student=student, program=program)
    if deadline is not None:
        Application.objects.filter(pk=application.pk).update(deadline=deadline)
    recommender = Recommender.objects.create(
        student=student, name="Dr. Lee", email=f"lee.{username}@example.org"
    )
    request = LetterRequest(
        student=student,
        recommender=recommender,
        status=LetterRequest.Status.ASKED,
        asked_on=TODAY,
        due_on=TODAY + datetime.timedelta(days=40),
    )
    return request_save(letter_request=request, applications=[application])


def _to(address: str):
    return [m for m in mail.outbox if m.to == [address]]


def test_it_sends_every_other_digest_when_one_student_s_deadline_overflows(
    letter_request, programs, caplog
):
    request_for("bob", programs["mgh"], deadline=datetime.date(9999, 12, 31))
    request_for("erin", programs["mgh"])
    report = send_reminders.call(on(7))
    assert len(_digests()) == 1 and len(_to("erin@example.org")) == 1
    # 9999-12-31 overflows the lead-time planner: bob's digest is counted as failed, not sent.
    bob_sent = len(_to("bob@example.org"))
    assert report["letter_digests"] == {"sent": 2 + bob_sent, "failed": 1 - bob_sent}
    assert len(_recommender_mail()) == 1  # alice's recommender is still reminded
    if not bob_sent:
        assert "letters digest for student" in caplog.text
    send_reminders.call(on(7))  # the next scan: nothing is sent twice
    assert len(_digests()) == 1 and len(_to("erin@example.org")) == 1
    assert len(_to("bob@example.org")) == bob_sent


def test_it_isolates_a_digest_that_fails_and_sends_it_at_the_next_scan(
    letter_request, programs, monkeypatch, caplog
):
    from medmatch.letters import tasks

    bob = request_for("bob", programs["mgh"]).student
    request_for("erin", programs["mgh"])
    build = tasks._digest_email

    def fail_for_bob(student, *args):
        if student.pk == bob.pk:
            raise ValueError("Header values can't contain newlines (private words)")
        return build(student, *args)

    monkeypatch.setattr(tasks, "_digest_email", fail_for_bob)
    report = send_reminders.call(on(7))
    assert report["letter_digests"] == {"sent": 2, "failed": 1}
    assert _to("bob@example.org") == [] and len(_digests()) == 1
    assert not ReminderSent.objects.filter(student=bob, kind="digest").exists()  # tried again
    assert f"letters digest for student {bob.pk}" in caplog.text
    monkeypatch.setattr(tasks, "_digest_email", build)
    report = send_reminders.call(on(7))
    assert report["letter_digests"] == {"sent": 1, "failed": 0}
    assert len(_to("bob@example.org")) == 1 and len(_digests()) == 1


def test_it_isolates_a_recommender_reminder_that_fails(letter_request, programs, monkeypatch):
    from medmatch.letters import tasks

    bobs = request_for("bob", programs["mgh"])
    build = tasks._reminder_email

    def fail_for_alice(request, day):
        if request.pk == letter_request.pk:
            raise ConnectionError("SMTP refused one recipient")
        return build(request, day)

    monkeypatch.setattr(tasks, "_reminder_email", fail_for_alice)
    assert send_reminders.call(on(7))["letter_reminders"] == {"sent": 1, "failed": 1}
    assert len(_to("lee.bob@example.org")) == 1 and _recommender_mail() == []
    assert not ReminderSent.objects.filter(request=letter_request).exists()
    assert ReminderSent.objects.filter(request=bobs).count() == 1


def test_it_sends_a_reminder_for_a_student_whose_stored_name_has_a_line_break(letter_request):
    type(letter_request.student).objects.filter(pk=letter_request.student_id).update(
        first_name="Alice\r\nBcc: x@example.org", last_name="Smith"
    )
    assert send_reminders.call(on(7))["letter_reminders"] == {"sent": 1, "failed": 0}
    message = _recommender_mail()[0]
    assert (
        message.subject == "Reminder: letter of recommendation for Alice Bcc: x@example.org Smith"
    )
    headers = message.message().as_string().split("\n\n", 1)[0]
    assert message.bcc == [] and "\nBcc:" not in headers


@task()
def broken_scan(when: str = "") -> dict:
    raise RuntimeError("a bug in one scan")


def test_it_sends_everyone_else_s_email_and_exits_1_after_trying_everything(
    letter_request, applications, programs, monkeypatch, capsys
):
    from django.utils import timezone

    from medmatch import tasks
    from tests.interviews.conftest import make_interview
    from tests.personas import make_user
    from tests.research.factories import make_contact, make_conversation

    monkeypatch.setattr("medmatch.lib.django_setup.setup_django", lambda: None)
    monkeypatch.setattr(
        tasks, "REMINDER_SCANS", (tasks.Scan(broken_scan, ""), *tasks.REMINDER_SCANS)
    )
    moment = timezone.make_aware(datetime.datetime.fromisoformat(on(7)))
    make_interview(applications[0], moment + datetime.timedelta(hours=20))
    make_conversation(make_contact(letter_request.student), follow_up_on=moment.date())
    request_for("bob", programs["mgh"], deadline=datetime.date(9999, 12, 31))
    eve = make_contact(make_user("erin"), name="Eve\r\nBcc: x@example.org")
    make_conversation(eve, follow_up_on=moment.date())

    assert run_remind(argparse.Namespace(now=True, date=on(7))) == 1
    out = capsys.readouterr().out
    assert "The scan tests.letters.test_reminders.broken_scan failed before it finished." in out
    assert "Letter reminders: 2 sent, 0 failed." in out
    assert "Interview reminders: 1 sent, 0 failed." in out
    assert "Follow up reminders: 2 sent, 0 failed." in out
    alices = sorted(m.subject.split(" ")[0] for m in _digests())
    assert alices == ["Follow", "Reminder:", "Your"]  # follow-up, interview, digest
    assert [m.subject for m in _to("erin@example.org")] == [
        "Follow up with Eve Bcc: x@example.org today"
    ]
    sent = len(mail.outbox)

    assert run_remind(argparse.Namespace(now=True, date=on(7))) == 1  # the next run
    out = capsys.readouterr().out
    assert "Letter reminders: 0 sent, 0 failed." in out
    assert "Follow up reminders: 0 sent, 0 failed." in out
    assert len(mail.outbox) == sent  # nothing twice


def test_it_logs_the_counts_and_keeps_the_worker_running_when_a_scan_fails(
    letter_request, monkeypatch, caplog
):
    from medmatch import tasks

    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr("medmatch.lib.django_setup.setup_django", lambda: None)
    monkeypatch.setattr(
        tasks, "REMINDER_SCANS", (tasks.Scan(broken_scan, ""), *tasks.REMINDER_SCANS)
    )
    assert run_worker(argparse.Namespace(interval=0.0, no_reminders=False, once=True)) == 0
    assert len(_digests()) == 1  # the scans after the broken one ran
    assert "The reminder scan tests.letters.test_reminders.broken_scan failed" in caplog.text
    assert "letter_digests 1 sent, 0 failed;" in caplog.text
    assert "; 1 scan(s) failed." in caplog.text


def test_it_documents_the_exit_status_and_refuses_a_bad_date(capsys):
    from medmatch.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["letters", "remind", "--help"])
    assert "1 with --now when one or more emails" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["letters", "remind", "--now", "--date", "9999-99-99"])
    assert exit_.value.code == 2
    assert "is not an ISO date" in capsys.readouterr().err


def test_it_reminds_as_of_today_without_a_date():
    """The cron line of docs/deployment.md gives no --date (argparse ran the check on "")."""
    from medmatch.cli import build_parser

    assert build_parser().parse_args(["letters", "remind", "--now"]).date == ""


def test_it_names_the_student_in_reminders_and_greets_them_by_preferred_name(letter_request, alice):
    alice.full_name, alice.preferred_name = "Kim Min-jun", "Min-jun"
    alice.save()
    send_reminders.enqueue(on(7))
    (reminder,) = _recommender_mail()
    assert "Kim Min-jun's letter of recommendation is due" in reminder.body
    assert "alice" not in reminder.body.replace("alice@example.org", "")
    assert all(m.body.startswith("Hello Min-jun,") for m in _digests())
