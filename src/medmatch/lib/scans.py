"""Reminder scans: background jobs that send each due email once, one item at a time.

A scan (the letters' reminders and digests, the interview reminders, the contact follow-ups) walks
the items due now and sends each one's email together with the record that keeps it from being
sent twice. One student's bad data — a deadline of 9999-12-31 that overflows the planner, a stored
name with a line break that the mail library refuses — must never stop everyone else's email, so:

- ``send_each`` runs every item in its own transaction. An item that fails rolls back its own
  writes (its sent-record too, so the next scan tries it again), is logged with its ids (never
  names or notes: they are the student's own) and counted; the scan goes on with the next item.
- ``run_scans`` runs a list of scans the same way: a scan that fails as a whole is logged and
  reported, and the other scans still run.

Counts come back as ``{kind: {"sent": n, "failed": m}}``. Which scans there are, in which order
and how often they run is the project's schedule, ``medmatch.tasks`` (it names each app's scan, a
django-tasks task taking one optional ISO date or datetime, default now); ``medmatch worker``
enqueues its ``send_all_reminders`` every LETTERS_REMINDER_SCAN_SECONDS and ``medmatch letters
remind`` runs it once.
"""

import logging
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)


def send_each(items: Iterable, send: Callable[[object], bool], *, kind: str, identify) -> dict:
    """Call ``send(item)`` for each of ``items``, each in its own transaction.

    ``send`` returns True when it sent an email, False when there was nothing to send (not due,
    or already sent). ``identify(item)`` names the item in the log by its ids only. Returns
    ``{"sent": n, "failed": m}``.
    """
    sent = failed = 0
    for item in items:
        try:
            with transaction.atomic():
                if send(item):
                    sent += 1
        except Exception:
            failed += 1
            logger.exception(
                "Could not send the %s for %s; the next scan tries again.", kind, identify(item)
            )
    return {"sent": sent, "failed": failed}


def run_scans(scans: Iterable, when: str = "") -> dict:
    """Run each of ``scans`` (django-tasks tasks), in order, for ``when`` (ISO date or datetime;
    default now).

    Returns ``{"counts": {kind: {"sent": n, "failed": m}}, "failed_scans": [scan paths]}``: a scan
    that raised is logged, listed and skipped, and the others still run.
    """
    counts: dict[str, dict] = {}
    failed_scans: list[str] = []
    for scan in scans:
        try:
            counts |= scan.call(when)
        except Exception:
            failed_scans.append(scan.module_path)
            logger.exception(
                "The reminder scan %s failed; the other scans went on.", scan.module_path
            )
    failed = sum(count["failed"] for count in counts.values())
    summary = "; ".join(
        f"{kind} {count['sent']} sent, {count['failed']} failed" for kind, count in counts.items()
    )
    if failed or failed_scans:
        logger.error(
            "Reminder scans: %s; %d scan(s) failed. Each failure is logged above; the next run "
            "tries them again.",
            summary,
            len(failed_scans),
        )
    else:
        logger.info("Reminder scans: %s.", summary)
    return {"counts": counts, "failed_scans": failed_scans}


def failures(report: dict) -> int:
    """How many emails and whole scans failed in a report of ``run_scans``."""
    return sum(count["failed"] for count in report["counts"].values()) + len(report["failed_scans"])
