"""The ``medmatch`` command: serve the site, import the catalog, search it, run a match.

Sub-commands register themselves through ``add_parser(subparsers)`` functions in their apps. Django
is set up only by the commands that need it, so ``medmatch match ...`` starts fast.
"""

import argparse
import importlib
import os
import sys

# Each module adds its commands with ``add_parser(subparsers)``; importing one must not set up
# Django, so `medmatch match` starts fast.
COMMAND_MODULES = [
    "medmatch.catalog.cli_import",
    "medmatch.catalog.cli_search",
    "medmatch.goals.cli",
    "medmatch.letters.cli",
    "medmatch.lib.cli_backup",
    "medmatch.matching.cli",
    "medmatch.writing.cli",
]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medmatch.settings")
    import django

    django.setup()


def _serve(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    from medmatch.catalog.bootstrap import ensure_catalog
    from medmatch.goals.demo import ensure_demo

    call_command("migrate", interactive=False, verbosity=0)
    if not args.no_import:
        ensure_catalog()
    ensure_demo()  # only while there is no user yet
    options = ["runserver", f"{args.host}:{args.port}"]
    if not args.reload:
        options.append("--noreload")
    call_command(*options)
    return 0


def _manage(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["medmatch manage", *args.arguments])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medmatch",
        description="medmatch: from 'which internship is right for me?' to a signed place.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = subparsers.add_parser(
        "serve", help="migrate, load the built-in catalog if empty, and serve the site"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", default="8000")
    serve.add_argument("--reload", action="store_true", help="restart when code changes")
    serve.add_argument("--no-import", action="store_true", help="do not load the catalog")
    serve.set_defaults(func=_serve)

    manage = subparsers.add_parser(
        "manage", help="run a Django management command (migrate, createsuperuser, ...)"
    )
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(func=_manage)

    for module in COMMAND_MODULES:
        importlib.import_module(module).add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> None:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        sys.exit(2)
    sys.exit(args.func(args))


if __name__ == "__main__":
    main()
