"""The contact follow-up reminder: one email to the student on the follow-up date of each open
follow-up, sent by a task the worker schedules; a rerun (a restarted worker) sends nothing
twice."""

import argparse
import datetime

import pytest
from django.core import mail

from medmatch.accounts.services import account_delete
from medmatch.cli_worker import run_remind
from medmatch.research.models import Conversation, FollowUpReminder
from medmatch.research.tasks import send_follow_up_reminders
from medmatch.tasks import REMINDER_SCANS
from tests.catalog.factories import make_institution, make_program
from tests.research.factories import make_contact, make_conversation

pytestmark = pytest.mark.django_db

FOLLOW_UP = datetime.date(2025, 10, 16)


@pytest.fixture
def conversation(alice):
    program = make_program("Cardiology", institution=make_institution("MGH", city="Boston"))
    contact = make_contact(alice, program=program, email="priya@example.org")
    return make_conversation(
        contact,
        summary="Call schedule and how fellows get research time.",
        follow_up_on=FOLLOW_UP,
    )


def day(offset: int) -> str:
    return (FOLLOW_UP + datetime.timedelta(days=offset)).isoformat()


def test_it_sends_the_follow_up_once_on_its_date(conversation, settings):
    settings.SITE_URL = "https://medmatch.example.org"
    send_follow_up_reminders.enqueue(day(-1))
    assert mail.outbox == []
    send_follow_up_reminders.enqueue(day(0))
    send_follow_up_reminders.enqueue(f"{day(0)}T15:00:00")  # a restarted worker, later that day
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Follow up with Dr Priya Shah today"
    assert "Dr Priya Shah (Current resident, Cardiology, MGH)" in message.body
    assert "You last spoke on Thursday 2 October 2025 (video call):" in message.body
    assert "Call schedule and how fellows get research time." in message.body
    assert "Their email: priya@example.org" in message.body
    url = f"https://medmatch.example.org/research/contacts/{conversation.contact.pk}/"
    assert url in message.body
    assert FollowUpReminder.objects.get().follow_up_on == FOLLOW_UP


def test_it_sends_nothing_for_done_past_or_undated_follow_ups(conversation):
    send_follow_up_reminders.call(day(1))  # the date has passed: no backlog
    for change in [{"follow_up_done": True}, {"follow_up_on": None}]:
        fields = {"follow_up_done": False, "follow_up_on": FOLLOW_UP} | change
        Conversation.objects.filter(pk=conversation.pk).update(**fields)
        counts = send_follow_up_reminders.call(day(0))
        assert counts == {"follow_up_reminders": {"sent": 0, "failed": 0}}
    assert mail.outbox == []


def test_it_sends_again_when_the_follow_up_moves(conversation):
    send_follow_up_reminders.call(day(0))
    Conversation.objects.filter(pk=conversation.pk).update(follow_up_on=FOLLOW_UP.replace(day=20))
    send_follow_up_reminders.call(FOLLOW_UP.replace(day=20).isoformat())
    assert len(mail.outbox) == 2


def test_it_sends_each_student_only_their_own(conversation, bob):
    make_conversation(make_contact(bob, name="Dr Lee"), follow_up_on=FOLLOW_UP)
    assert send_follow_up_reminders.call(day(0))["follow_up_reminders"]["sent"] == 2
    by_student = {message.to[0]: message.body for message in mail.outbox}
    assert "Dr Lee" in by_student["bob@example.org"]
    assert "Dr Lee" not in by_student["alice@example.org"]


def test_it_sends_nothing_to_deleted_inactive_or_emailless_accounts(conversation, alice):
    for change in [{"is_active": False}, {"email": ""}]:
        type(alice).objects.filter(pk=alice.pk).update(**({"is_active": True} | change))
        send_follow_up_reminders.call(day(0))
    account_delete(user=alice)
    assert send_follow_up_reminders.call(day(0))["follow_up_reminders"]["sent"] == 0
    assert mail.outbox == []


def test_it_undoes_the_record_when_sending_fails(conversation, monkeypatch):
    from django.core.mail import EmailMessage

    def fail(self, *args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(EmailMessage, "send", fail)
    counts = send_follow_up_reminders.call(day(0))
    assert counts == {"follow_up_reminders": {"sent": 0, "failed": 1}}
    assert not FollowUpReminder.objects.exists()


def test_it_is_one_of_the_reminder_scans(conversation, monkeypatch, capsys):
    assert send_follow_up_reminders in [scan.task for scan in REMINDER_SCANS]
    monkeypatch.setattr("medmatch.lib.django_setup.setup_django", lambda: None)
    assert run_remind(argparse.Namespace(now=True, date=day(0))) == 0
    assert "Follow up reminders: 1 sent, 0 failed." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_it_sends_a_follow_up_about_a_contact_whose_name_has_a_line_break(conversation, bob):
    eve = make_contact(bob, name="Eve\r\nBcc: x@example.org")
    make_conversation(eve, follow_up_on=FOLLOW_UP)
    counts = send_follow_up_reminders.call(day(0))
    assert counts == {"follow_up_reminders": {"sent": 2, "failed": 0}}
    bobs = next(message for message in mail.outbox if message.to == ["bob@example.org"])
    assert bobs.subject == "Follow up with Eve Bcc: x@example.org today"
    headers = bobs.message().as_string().split("\n\n", 1)[0]
    assert bobs.bcc == [] and "\nBcc:" not in headers


def test_it_sends_the_other_follow_ups_when_one_fails(conversation, bob, monkeypatch, caplog):
    from medmatch.research import tasks

    bobs = make_conversation(make_contact(bob, name="Dr Lee"), follow_up_on=FOLLOW_UP)
    build = tasks.reminder_email

    def fail_for_alice(one):
        if one.pk == conversation.pk:
            raise ConnectionError("SMTP refused one recipient")
        return build(one)

    monkeypatch.setattr(tasks, "reminder_email", fail_for_alice)
    counts = send_follow_up_reminders.call(day(0))
    assert counts == {"follow_up_reminders": {"sent": 1, "failed": 1}}
    assert [message.to for message in mail.outbox] == [["bob@example.org"]]
    assert list(FollowUpReminder.objects.values_list("conversation", flat=True)) == [bobs.pk]
    assert f"follow-up reminder for conversation {conversation.pk}" in caplog.text
    assert "Priya" not in caplog.text  # ids, never the contact's name
    monkeypatch.setattr(tasks, "reminder_email", build)
    counts = send_follow_up_reminders.call(day(0))  # the next scan: alice's, and not bob's again
    assert counts == {"follow_up_reminders": {"sent": 1, "failed": 0}}
    assert [message.to for message in mail.outbox] == [["bob@example.org"], ["alice@example.org"]]
