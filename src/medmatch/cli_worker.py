"""``medmatch worker`` (the background queue, with the reminder schedule) and
``medmatch letters remind``: the site's background work, beside the ``medmatch`` command.

The worker is one process and one loop: every LETTERS_REMINDER_SCAN_SECONDS (default an hour) it
enqueues ``medmatch.tasks.send_all_reminders``, which runs every reminder scan of the schedule
``medmatch.tasks.REMINDER_SCANS`` (the contact follow-ups, the letters' reminders and digests, the
interview reminders) and logs what was sent and what failed (one item's failure never stops the
others), and in between it runs django-tasks' database worker in batch mode (everything queued,
then back to the loop) every ``--interval`` seconds. Sending is idempotent (each scan records what
it sent under a unique constraint), so a restart simply scans again. Sites that prefer cron run
``medmatch letters remind`` (every scan) at least daily and the worker with ``--no-reminders``.
Both commands run every app's scans, so they live here, at the top, and not in an app.
"""

import argparse
import datetime
import time

REMIND_EPILOG = (
    "Exit status: 0 when every due email was sent (or enqueued, without --now); 1 with --now when"
    " one or more emails, or a whole scan, failed. Every item is tried first; each failure is"
    " logged with its ids and tried again at the next run."
)


def iso_moment(text: str) -> str:
    """``--date``: an ISO date or date and time, checked here so a typo is a usage error. The
    default, "", means today (argparse passes a string default through this too)."""
    if text == "":
        return text
    try:
        datetime.datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"“{text}” is not an ISO date such as 2026-10-16 (or 2026-10-16T09:00)"
        ) from error
    return text


def add_parser(subparsers) -> None:
    worker = subparsers.add_parser(
        "worker",
        help="run background tasks (emails, reminders, PDFs) until stopped",
        description=(
            "Run queued background tasks and, every hour, enqueue the reminder scans (letters,"
            " interviews, contact follow-ups)."
        ),
    )
    worker.add_argument(
        "--interval", type=float, default=2.0, help="seconds between queue checks (default 2)"
    )
    worker.add_argument(
        "--no-reminders", action="store_true", help="do not schedule the reminder scans"
    )
    worker.add_argument("--once", action="store_true", help="one round, then exit (for tests)")
    worker.set_defaults(func=run_worker)

    letters = subparsers.add_parser("letters", help="letters of recommendation")
    letters_commands = letters.add_subparsers(dest="letters_command", metavar="COMMAND")
    remind = letters_commands.add_parser(
        "remind",
        help="enqueue today's reminders and digests (the worker sends them)",
        description=(
            "Enqueue every reminder scan (letters, interviews, contact follow-ups); with --now send"
            " in this process instead and print how many were sent and how many failed."
        ),
        epilog=REMIND_EPILOG,
    )
    remind.add_argument("--now", action="store_true", help="send here, without the queue")
    remind.add_argument(
        "--date", default="", type=iso_moment, help="send as if today were this ISO date"
    )
    remind.set_defaults(func=run_remind)
    letters.set_defaults(func=lambda args: letters.print_help() or 2)


def run_worker(args: argparse.Namespace, *, sleep=time.sleep, clock=time.monotonic) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from django.core.management import call_command

    from medmatch.tasks import reminder_interval, send_all_reminders

    every = reminder_interval()
    last_scan = None
    try:
        while True:
            if not args.no_reminders and (last_scan is None or clock() - last_scan >= every):
                send_all_reminders.enqueue()
                last_scan = clock()
            call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
            if args.once:
                return 0
            sleep(args.interval)
    except KeyboardInterrupt:
        return 0


def run_remind(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from medmatch.lib.scans import failures
    from medmatch.tasks import send_all_reminders

    if not args.now:
        send_all_reminders.enqueue(args.date)
        print("Enqueued; `medmatch worker` sends them and logs any that fail.")
        return 0
    report = send_all_reminders.call(args.date)
    for kind, count in report["counts"].items():
        label = kind.replace("_", " ").capitalize()
        print(f"{label}: {count['sent']} sent, {count['failed']} failed.")
    for scan in report["failed_scans"]:
        print(f"The scan {scan} failed before it finished.")
    if failures(report):
        print("Failures are logged with their ids; the next run tries them again.")
        return 1
    return 0
