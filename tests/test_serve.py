"""`medmatch serve --production`: refuse an unconfigured start, migrate, collect, exec gunicorn."""

import argparse

import pytest

from medmatch import cli, serve
from medmatch.lib import django_setup

PRODUCTION = {"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "medmatch.example.org"}


def _args(*extra: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(["serve", "--production", *extra])


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"ALLOWED_HOSTS": "medmatch.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": "  ", "ALLOWED_HOSTS": "medmatch.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": "k" * 50}, "ALLOWED_HOSTS"),
        ({**PRODUCTION, "DEBUG": "true"}, "DEBUG"),
    ],
)
def test_it_refuses_a_production_start_that_is_not_configured(environ, named):
    with pytest.raises(serve.ProductionConfigurationError, match=named):
        serve.check_environment(environ)


def test_it_accepts_a_configured_production_start():
    serve.check_environment({**PRODUCTION, "DEBUG": "false"})


def test_it_says_in_one_line_what_to_set(monkeypatch, capsys):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("ALLOWED_HOSTS", "medmatch.example.org")
    with pytest.raises(SystemExit) as stopped:
        cli.main(["serve", "--production"])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert error.startswith("medmatch: SECRET_KEY is not set")
    assert error.count("\n") == 1
    assert "Traceback" not in error


def test_it_migrates_collects_static_files_and_becomes_gunicorn(monkeypatch):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DEBUG", raising=False)
    steps = []
    monkeypatch.setattr(
        django_setup, "setup_django", lambda **options: steps.append(("setup", options))
    )
    monkeypatch.setattr(
        "django.core.management.call_command", lambda name, **options: steps.append(name)
    )
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: steps.append(argv))
    serve.serve_production(_args("--host", "127.0.0.1", "--port", "9001", "--workers", "3"))
    setup, migrate, collectstatic, gunicorn = steps
    assert setup == ("setup", {"command_line": False})
    assert (migrate, collectstatic) == ("migrate", "collectstatic")
    assert gunicorn[1:4] == ["-m", "gunicorn", "medmatch.wsgi:application"]
    assert gunicorn[gunicorn.index("--bind") + 1] == "127.0.0.1:9001"
    assert gunicorn[gunicorn.index("--workers") + 1] == "3"


def test_it_skips_migrate_and_collectstatic_when_told(monkeypatch):
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    steps = []
    monkeypatch.setattr(django_setup, "setup_django", lambda **options: None)
    monkeypatch.setattr(
        "django.core.management.call_command", lambda name, **options: steps.append(name)
    )
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: steps.append("gunicorn"))
    serve.serve_production(_args("--no-migrate", "--no-collectstatic"))
    assert steps == ["gunicorn"]


def test_it_defaults_to_twice_the_cores_plus_one_at_most_eight(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 2)
    assert serve.default_workers() == 5
    monkeypatch.setattr(serve.os, "cpu_count", lambda: 64)
    assert serve.default_workers() == 8
    monkeypatch.setenv("WEB_CONCURRENCY", "12")
    assert serve.default_workers() == 12
    monkeypatch.setenv("WEB_CONCURRENCY", "²")
    with pytest.raises(serve.ProductionConfigurationError, match="WEB_CONCURRENCY"):
        serve.default_workers()


@pytest.mark.parametrize("bad", ["0", "70000", "\uff18\uff10", "80x"])
def test_it_refuses_a_port_that_is_not_a_port(bad, capsys):
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["serve", "--port", bad])
    assert "--port" in capsys.readouterr().err


def test_it_binds_ipv6_hosts_in_brackets():
    assert serve.bind_address("::1", 8000) == "[::1]:8000"
    assert serve.bind_address("0.0.0.0", 8000) == "0.0.0.0:8000"
