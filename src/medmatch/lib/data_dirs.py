"""The data directory (``MEDMATCH_DATA_DIR``, ``var/`` by default) and the folders in it that must
exist before the site runs: the SQLite file lives there (SQLite cannot create a missing folder) and
WhiteNoise serves collected static files from ``STATIC_ROOT``.

Settings only name them. ``ensure_data_dirs`` creates them, called by every ``medmatch`` command
once Django is set up (``medmatch serve`` and so ``make run``, ``serve --production``, ``manage
migrate``, the imports); the test suite calls it at the start of a session. Writers of their own
files (the import lock, the local secret key, uploads) create their folders as well.
"""

from pathlib import Path


def ensure_data_dirs() -> None:
    """Create ``DATA_DIR`` and ``STATIC_ROOT`` when missing (Django must be set up)."""
    from django.conf import settings

    for path in (settings.DATA_DIR, settings.STATIC_ROOT):
        Path(path).mkdir(parents=True, exist_ok=True)
