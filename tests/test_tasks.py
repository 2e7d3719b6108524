"""The schedule of background work (``medmatch.tasks``): which reminder scans run, in which order,
and how often."""

from django.test import override_settings
from django_tasks.base import Task

from medmatch import tasks


def test_it_names_each_app_s_scan_once_in_the_order_the_counts_print():
    paths = [scan.task.module_path for scan in tasks.REMINDER_SCANS]
    assert paths == [
        "medmatch.research.tasks.send_follow_up_reminders",
        "medmatch.letters.tasks.send_reminders",
        "medmatch.interviews.tasks.send_interview_reminders",
        "medmatch.workspace.tasks.assign_interview_slots",
    ]
    assert all(isinstance(scan.task, Task) and scan.sends for scan in tasks.REMINDER_SCANS)


def test_it_runs_the_scans_every_letters_reminder_scan_seconds():
    assert tasks.reminder_interval() == 3600
    with override_settings(LETTERS_REMINDER_SCAN_SECONDS=60):
        assert tasks.reminder_interval() == 60
