"""``medmatch account export --user NAME FILE`` and ``medmatch account import FILE --user NAME``:
the account archive (``medmatch.accounts.archive``) from the command line, e.g. to move a
student to another server.

Exit codes: 0 done; 2 refused (no such user, an account that holds data, a bad archive, a
program the catalog lacks) and nothing was written.
"""

import argparse
import sys
from pathlib import Path


def add_parser(subparsers) -> None:
    account = subparsers.add_parser(
        "account",
        help="export a user's account archive, or import one into an empty account",
        description="A user's account archive (zip): export it, or import it on another server.",
    )
    commands = account.add_subparsers(dest="account_command", metavar="COMMAND")
    export = commands.add_parser(
        "export",
        help="write a user's account archive",
        description="Write USER's account archive (the zip of /accounts/) to FILE.",
    )
    export.add_argument("file", metavar="FILE", type=Path, help="the zip to write")
    export.add_argument("--user", metavar="NAME", required=True, help="the username")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.set_defaults(func=run_export)
    restore = commands.add_parser(
        "import",
        help="restore an account archive into an empty account",
        description=(
            "Restore FILE (an account archive) into USER's account, which must hold nothing yet."
            " All or nothing: a refused archive writes nothing and the message names the part."
        ),
    )
    restore.add_argument("file", metavar="FILE", type=Path, help="an account archive (.zip)")
    restore.add_argument("--user", metavar="NAME", required=True, help="the username")
    restore.set_defaults(func=run_import)
    account.set_defaults(func=lambda args: _usage(account))


def _usage(parser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _fail(command: str, message: str) -> int:
    print(f"medmatch account {command}: {message}", file=sys.stderr)
    return 2


def _user(name: str):
    from medmatch.accounts.models import User

    return User.objects.filter(username=name).first()


def run_export(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from medmatch.accounts.services import account_archive

    user = _user(args.user)
    if user is None:
        return _fail("export", f"--user: no user is called {args.user!r}.")
    if args.file.exists() and not args.force:
        return _fail("export", f"{args.file}: exists already (add --force to replace it).")
    content = account_archive(user=user)
    try:
        args.file.write_bytes(content)
    except OSError as error:
        return _fail("export", f"{args.file}: {error.strerror or error}")
    print(f"Wrote {args.file} ({len(content):,} bytes).")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from medmatch.accounts.archive import MAX_ARCHIVE_BYTES, ArchiveError
    from medmatch.accounts.services import account_import

    user = _user(args.user)
    if user is None:
        return _fail("import", f"--user: no user is called {args.user!r} (sign up first).")
    try:
        size = args.file.stat().st_size
        if size > MAX_ARCHIVE_BYTES:
            return _fail("import", f"{args.file}: larger than {MAX_ARCHIVE_BYTES:,} bytes.")
        content = args.file.read_bytes()
    except OSError as error:
        return _fail("import", f"{args.file}: {error.strerror or error}")
    try:
        account_import(user=user, content=content)
    except ArchiveError as error:
        return _fail("import", f"{args.file}: nothing was imported. {error}")
    print(f"Imported {args.file} into {user.username}'s account.")
    return 0
