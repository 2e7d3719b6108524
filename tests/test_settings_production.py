"""Settings outside tests: production refuses to start unconfigured, the command line works at once.

Settings are read once per process, so each case runs a fresh ``python`` with its own environment
and an empty data directory (SQLite; the caller's DATABASE_URL is dropped).
"""

import json
import os
import secrets
import stat
import subprocess
import sys

import pytest

CLEARED = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
}
PRODUCTION = {"ALLOWED_HOSTS": "medmatch.example.org"}


def run(arguments: list[str], data_dir, **environ: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in CLEARED}
    env.update(MEDMATCH_DATA_DIR=str(data_dir), **environ)
    return subprocess.run(
        [sys.executable, *arguments], env=env, capture_output=True, text=True, timeout=120
    )


def medmatch(arguments: list[str], data_dir, **environ: str) -> subprocess.CompletedProcess:
    return run(["-m", "medmatch.cli", *arguments], data_dir, **environ)


def production_settings(data_dir, **environ: str) -> dict:
    script = (
        "import json; from medmatch import settings as s; print(json.dumps({name: getattr(s, name,"
        " None) for name in ['SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        " 'SECURE_HSTS_PRELOAD', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE',"
        " 'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER']}))"
    )
    result = run(["-c", script], data_dir, SECRET_KEY=secrets.token_urlsafe(50), **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_runs_the_command_line_without_a_secret_key(tmp_path):
    script = "from django.conf import settings; print(settings.SECRET_KEY, *settings.ALLOWED_HOSTS)"
    first = medmatch(["manage", "shell", "--no-imports", "-c", script], tmp_path)
    assert first.returncode == 0, first.stderr
    key, *hosts = first.stdout.split()
    stored = tmp_path / "secret_key"
    assert stored.read_text().strip() == key
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert hosts == ["127.0.0.1", "localhost", "[::1]"]
    again = medmatch(["manage", "shell", "--no-imports", "-c", script], tmp_path)
    assert again.stdout.split()[0] == key


def test_it_creates_no_directory_when_settings_are_imported(tmp_path):
    data_dir = tmp_path / "data"
    result = run(["-c", "import medmatch.settings"], data_dir, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert not data_dir.exists()


def test_it_creates_the_data_directory_for_a_command(tmp_path):
    data_dir = tmp_path / "data"
    result = medmatch(["manage", "check"], data_dir)
    assert result.returncode == 0, result.stderr
    assert (data_dir / "static").is_dir()
    assert (data_dir / "secret_key").is_file()


def test_it_says_to_migrate_a_database_without_tables(tmp_path):
    result = medmatch(["stats"], tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("medmatch: the database ")
    assert "run `medmatch manage migrate` first" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("environ", "named"),
    [({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL"), ({"DEBUG": "maybe"}, "DEBUG")],
)
def test_it_names_a_bad_setting_in_one_line(tmp_path, environ, named):
    result = medmatch(["stats"], tmp_path, **environ)
    assert result.returncode == 2
    assert result.stderr.startswith(f"medmatch: {named}")
    assert result.stderr.count("\n") == 1


def test_it_refuses_to_start_the_web_application_without_a_secret_key(tmp_path):
    (tmp_path / "secret_key").write_text(secrets.token_urlsafe(50))  # never used by the site
    result = run(["-c", "import medmatch.wsgi"], tmp_path, **PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_to_start_the_web_application_without_allowed_hosts(tmp_path):
    result = run(["-c", "import medmatch.wsgi"], tmp_path, SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is empty" in result.stderr


def test_it_passes_check_deploy_with_the_documented_production_settings(tmp_path):
    result = medmatch(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECRET_KEY=secrets.token_urlsafe(50),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_turns_on_hsts_the_https_redirect_and_secure_cookies_by_default(tmp_path):
    assert production_settings(tmp_path, **PRODUCTION) == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_it_leaves_hsts_and_the_redirect_to_a_proxy_that_does_them(tmp_path):
    values = production_settings(
        tmp_path, SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false", **PRODUCTION
    )
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
