"""The key the `medmatch` command keeps in the data directory when SECRET_KEY is unset."""

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from medmatch.lib.local_secret import read_or_create_secret_key


def test_it_creates_a_long_key_only_its_owner_can_read(tmp_path):
    key = read_or_create_secret_key(tmp_path)
    path = tmp_path / "secret_key"
    assert len(key) >= 50
    assert path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_it_reuses_the_stored_key(tmp_path):
    assert read_or_create_secret_key(tmp_path) == read_or_create_secret_key(tmp_path)


def test_it_refuses_a_stored_key_too_short_to_be_secret(tmp_path):
    (tmp_path / "secret_key").write_text("short\n")
    with pytest.raises(ImproperlyConfigured, match="holds no usable secret key"):
        read_or_create_secret_key(tmp_path)
