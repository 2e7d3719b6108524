"""``medmatch worker`` (the background queue, with the reminder schedule) and
``medmatch letters remind``.

The worker is one process and one loop: every LETTERS_REMINDER_SCAN_SECONDS (default an hour) it
enqueues every reminder scan in ``medmatch.letters.tasks.REMINDER_SCANS`` (the letters'
reminders and digests, the interview reminders, the contact follow-ups), and in between it runs
django-tasks' database worker in batch mode (everything queued, then back to the loop) every
``--interval`` seconds. Sending is idempotent (each scan records what it sent under a unique
constraint), so a restart simply scans again. Sites that prefer cron run
``medmatch letters remind`` (every scan) at least daily and the worker with ``--no-reminders``.
"""

import argparse
import time


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
            " in this process instead."
        ),
    )
    remind.add_argument("--now", action="store_true", help="send here, without the queue")
    remind.add_argument("--date", default="", help="send as if today were this ISO date")
    remind.set_defaults(func=run_remind)
    letters.set_defaults(func=lambda args: letters.print_help() or 2)


def run_worker(args: argparse.Namespace, *, sleep=time.sleep, clock=time.monotonic) -> int:
    from medmatch.cli import setup_django

    setup_django()
    from django.core.management import call_command

    from medmatch.letters import conf
    from medmatch.letters.tasks import REMINDER_SCANS

    every = conf.get("LETTERS_REMINDER_SCAN_SECONDS")
    last_scan = None
    try:
        while True:
            if not args.no_reminders and (last_scan is None or clock() - last_scan >= every):
                for scan in REMINDER_SCANS:
                    scan.enqueue()
                last_scan = clock()
            call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
            if args.once:
                return 0
            sleep(args.interval)
    except KeyboardInterrupt:
        return 0


def run_remind(args: argparse.Namespace) -> int:
    from medmatch.cli import setup_django

    setup_django()
    from medmatch.letters.tasks import REMINDER_SCANS

    if args.now:
        counts = {}
        for scan in REMINDER_SCANS:
            counts |= scan.call(args.date)
        print(f"Sent {counts.pop('reminders')} reminder(s) and {counts.pop('digests')} digest(s).")
        for name, count in counts.items():
            print(f"Sent {count} {name.replace('_', ' ')}.")
    else:
        for scan in REMINDER_SCANS:
            scan.enqueue(args.date)
        print("Enqueued; `medmatch worker` sends them.")
    return 0
