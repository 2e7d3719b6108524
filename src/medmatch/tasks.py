"""The schedule of background work: the reminder scans ``medmatch worker`` runs, in order.

Every ``reminder_interval()`` seconds (LETTERS_REMINDER_SCAN_SECONDS, default an hour) the worker
enqueues ``send_all_reminders``, which runs each scan of ``REMINDER_SCANS`` in turn;
``medmatch letters remind`` runs it once (for sites that prefer cron). Each scan is an app's
django-tasks task taking one optional ISO date or datetime (default now) and returning
``{kind: {"sent": n, "failed": m}}``; it sends each due email once, one item at a time
(``medmatch.lib.scans.send_each``), and a scan that fails as a whole never stops the others
(``medmatch.lib.scans.run_scans``). The order is the order of the counts ``letters remind --now``
prints.

This module sits at the top of the import graph, beside the ``medmatch`` command: it names each
app's scan, and no app imports it. A new scan is one more line here. Importing it loads the apps'
models, so only a command that has set Django up (or the task worker) imports it.
"""

from dataclasses import dataclass

from django_tasks import task

from medmatch.interviews.tasks import send_interview_reminders
from medmatch.letters import conf as letters_conf
from medmatch.letters.tasks import send_reminders
from medmatch.lib.scans import run_scans
from medmatch.research.tasks import send_follow_up_reminders
from medmatch.workspace.tasks import assign_interview_slots


@dataclass(frozen=True)
class Scan:
    task: object  # a django-tasks task: (when: str = "") -> {kind: {"sent": n, "failed": m}}
    sends: str  # what it sends, to whom and when


REMINDER_SCANS: tuple[Scan, ...] = (
    Scan(
        send_follow_up_reminders,
        "follow_up_reminders: the student's contact follow-up email, on its follow-up date",
    ),
    Scan(
        send_reminders,
        "letter_reminders, letter_digests: a recommender's reminder 14, 7 and 2 days before a"
        " letter is due (LETTERS_REMINDER_DAYS), and once a week each student's digest of the"
        " letters still to come",
    ),
    Scan(
        send_interview_reminders,
        "interview_reminders: the student's reminder about a day (within 24 hours) before each"
        " upcoming interview",
    ),
    Scan(
        assign_interview_slots,
        "slot_assignments, slot_emails: assigns the interview slots of each round whose ranking"
        " window has closed; emails each invited student the invitation, a reminder 12 hours"
        " before the window closes if they have not ranked, their slot (or waitlist) and any"
        " move to a slot they preferred",
    ),
)


def reminder_interval() -> int:
    """Seconds between two runs of the reminder scans in ``medmatch worker``."""
    return letters_conf.get("LETTERS_REMINDER_SCAN_SECONDS")


@task()
def send_all_reminders(when: str = "") -> dict:
    """Run every scan of ``REMINDER_SCANS`` for ``when`` (ISO date or datetime; default now).

    Returns ``{"counts": {kind: {"sent": n, "failed": m}}, "failed_scans": [scan paths]}``: a scan
    that raised is logged, listed and skipped, and the others still run.
    """
    return run_scans([scan.task for scan in REMINDER_SCANS], when)
