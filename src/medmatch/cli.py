"""The ``medmatch`` command: serve the site, import the catalog, search it, run a match.

Sub-commands register themselves through ``add_parser(subparsers)`` functions in their apps. Django
is set up only by the commands that need it (``medmatch.lib.django_setup``), so ``medmatch match
...`` starts fast. No app imports this module: it is the top of the import graph.
"""

import argparse
import importlib
import sys

# Each module adds its commands with ``add_parser(subparsers)``; importing one must not set up
# Django, so `medmatch match` starts fast.
COMMAND_MODULES = [
    "medmatch.catalog.cli_import",
    "medmatch.catalog.cli_search",
    "medmatch.catalog.cli_links",
    "medmatch.goals.cli",
    "medmatch.cli_worker",
    "medmatch.lib.cli_backup",
    "medmatch.accounts.cli",
    "medmatch.matching.cli",
    "medmatch.applications.writing_cli",
]


def _serve(args: argparse.Namespace) -> int:
    if args.production:
        from medmatch.serve import serve_production

        return serve_production(args)
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from medmatch.catalog.bootstrap import ensure_catalog
    from medmatch.goals.demo import ensure_demo

    call_command("migrate", interactive=False, verbosity=0)
    if not settings.DEBUG:
        # Without DEBUG the pages name their static files through collectstatic's manifest.
        call_command("collectstatic", interactive=False, verbosity=0)
        print(
            "medmatch: this is Django's development server; in production run "
            "`medmatch serve --production` (docs/deployment.md).",
            file=sys.stderr,
        )
    if not args.no_import:
        ensure_catalog()
    ensure_demo()  # only while there is no user yet
    options = ["runserver", f"{args.host}:{args.port}"]
    if not args.reload:
        options.append("--noreload")
    call_command(*options)
    return 0


def _manage(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["medmatch manage", *args.arguments])
    return 0


def _bounded_int(low: int, high: int):
    def parse(raw: str) -> int:
        if not (raw.isascii() and raw.isdigit() and low <= int(raw) <= high):
            raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number from {low} to {high}")
        return int(raw)

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medmatch",
        description="medmatch: from 'which internship is right for me?' to a signed place.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = subparsers.add_parser(
        "serve",
        help="migrate, load the built-in catalog if empty, and serve the site",
        description=(
            "Without --production: Django's development server, with the catalog and the demo"
            " student loaded on first start. With --production: migrate, collect static files and"
            " run gunicorn (needs SECRET_KEY and ALLOWED_HOSTS; see docs/deployment.md)."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_bounded_int(1, 65535), default=8000)
    serve.add_argument("--reload", action="store_true", help="restart when code changes")
    serve.add_argument("--no-import", action="store_true", help="do not load the catalog")
    serve.add_argument(
        "--production", action="store_true", help="run gunicorn instead of the development server"
    )
    serve.add_argument(
        "--workers",
        type=_bounded_int(1, 256),
        help="gunicorn worker processes (default WEB_CONCURRENCY, else 2 x cores + 1, at most 8)",
    )
    serve.add_argument(
        "--no-migrate", action="store_true", help="with --production: do not run migrations"
    )
    serve.add_argument(
        "--no-collectstatic",
        action="store_true",
        help="with --production: do not collect static files",
    )
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
    try:
        code = args.func(args)
    except Exception as error:
        from medmatch.cli_errors import explain

        # A setting to fix or a database to migrate, not a bug: one line saying what to do.
        message = explain(error)
        if message is None:
            raise
        print(f"medmatch: {message}", file=sys.stderr)
        sys.exit(2)
    sys.exit(code)


if __name__ == "__main__":
    main()
