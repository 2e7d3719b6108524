"""``medmatch serve --production``: migrate, collect static files, then run gunicorn.

The development server (``medmatch serve`` without ``--production``) is Django's runserver: one
process, no hardening, for ``make run``. Production runs the same WSGI application under gunicorn,
a real WSGI server; this command replaces itself with gunicorn (``exec``), so a service manager
(systemd) supervises and signals gunicorn directly. Configuration comes only from the environment:
unlike other ``medmatch`` commands it never falls back to the local secret key, because a web
server must run with the deployment's own ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import argparse
import os
import sys

# Each sync worker serves one request at a time and holds its own copy of the application; gunicorn
# suggests (2 x cores) + 1. The cap keeps a large machine from starting dozens of workers that
# PostgreSQL's connection limit would then refuse; --workers or WEB_CONCURRENCY raise it.
MAX_DEFAULT_WORKERS = 8


class ProductionConfigurationError(Exception):
    """What to set before the production server can start (printed as one line)."""


def default_workers() -> int:
    configured = os.environ.get("WEB_CONCURRENCY", "").strip()
    if configured:
        if not (configured.isascii() and configured.isdigit() and int(configured) > 0):
            raise ProductionConfigurationError(
                f"WEB_CONCURRENCY={configured!r} is not a positive whole number of workers."
            )
        return int(configured)
    return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


def check_environment(environ=os.environ) -> None:
    """Refuse to start a production server the deployment has not configured."""
    if environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
        raise ProductionConfigurationError(
            "DEBUG is on; the production server needs DEBUG=false (or unset)."
        )
    if not environ.get("SECRET_KEY", "").strip():
        raise ProductionConfigurationError(
            "SECRET_KEY is not set; the production server needs SECRET_KEY set to a long random "
            "string (e.g. from `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
    if not environ.get("ALLOWED_HOSTS", "").strip():
        raise ProductionConfigurationError(
            "ALLOWED_HOSTS is not set; the production server needs the comma-separated host names "
            "it answers to (e.g. ALLOWED_HOSTS=medmatch.example.org)."
        )


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def gunicorn_command(args: argparse.Namespace) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "medmatch.wsgi:application",
        "--bind",
        bind_address(args.host, args.port),
        "--workers",
        str(args.workers),
        "--access-logfile",
        "-",
        # gunicorn's control socket lives at one path per user (~/.gunicorn/); two app servers on
        # one machine would fight over it, and nothing here uses it.
        "--no-control-socket",
    ]


def serve_production(args: argparse.Namespace) -> int:
    check_environment()
    if args.workers is None:
        args.workers = default_workers()
    from medmatch.lib.django_setup import setup_django

    setup_django(command_line=False)
    from django.core.management import call_command
    from django.db import connections

    if not args.no_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if not args.no_collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    # The workers open their own connections; none may inherit this process's.
    connections.close_all()
    command = gunicorn_command(args)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(command[0], command)
    return 0  # not reached: execv replaces this process
