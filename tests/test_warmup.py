"""A web worker builds, before its first request, what that request used to build (the URL map
and its views, the fit engine's catalog features, the ZIP and city tables); a failing step never
stops the site from starting."""

import logging
import secrets

import pytest

from medmatch import warmup
from medmatch.goals import fitting
from medmatch.lib import geo
from tests.goals.conftest import catalog  # noqa: F401  the small catalog fixture
from tests.test_settings_production import run


@pytest.fixture
def cold():
    fitting.clear_cache()
    geo._city_index.cache_clear()
    geo._zip_row.cache_clear()
    yield
    fitting.clear_cache()


def test_it_builds_what_the_first_request_would_build(db, catalog, cold):  # noqa: F811
    took = warmup.warm_up()
    assert list(took) == [name for name, _ in warmup.STEPS]
    assert fitting._cached  # the features are built: /goals/ will not build them
    assert geo._zip_row.cache_info().currsize == 1
    assert geo._city_index.cache_info().currsize == 1


def test_it_logs_a_failing_step_and_warms_the_others(db, cold, monkeypatch, caplog):
    def broken() -> None:
        raise RuntimeError("no such table")

    monkeypatch.setattr(warmup, "STEPS", (("broken", broken), *warmup.STEPS))
    with caplog.at_level(logging.WARNING, logger="medmatch.warmup"):
        took = warmup.warm_up()
    assert "broken" not in took and "ZIP codes and city names" in took
    assert "warm-up: broken failed; it will be built on first use" in caplog.text


def test_it_starts_the_web_application_before_the_first_migrate(tmp_path):
    # A new deployment imports the application before its database has tables: still no crash.
    environ = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "medmatch.example.org"}
    result = run(["-c", "import medmatch.wsgi; print('loaded')"], tmp_path, **environ)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "loaded"
    assert "warm-up: fit engine's catalog features failed" in result.stderr
    quiet = run(["-c", "import medmatch.wsgi"], tmp_path, MEDMATCH_WARM_UP="false", **environ)
    assert quiet.returncode == 0 and "warm-up" not in quiet.stderr
