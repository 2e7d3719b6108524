"""The secret key the ``medmatch`` command uses on a machine where no ``SECRET_KEY`` is set.

Local command-line use (``medmatch import all``, ``medmatch stats``) should work out of the box, so
the command creates a random key once in the data directory (``secret_key``, readable only by its
owner) and reuses it. The web server under gunicorn never takes this path: production sets
``SECRET_KEY`` itself, and settings refuse to start the site without it.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FILE_NAME = "secret_key"
# Django's own check (security.W009) asks for at least 50 characters.
MINIMUM_LENGTH = 50

# Set by the ``medmatch`` command before Django starts (``medmatch.lib.django_setup``); settings
# then use the stored key and local host names when the environment gives none. Nothing else sets
# it.
command_line = False


def read_or_create_secret_key(data_dir: Path) -> str:
    """Return the key in ``data_dir/secret_key``, creating the file (mode 0600) when missing."""
    path = data_dir / FILE_NAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        _create(path)
    key = path.read_text(encoding="ascii", errors="replace").strip()
    if len(key) < MINIMUM_LENGTH:
        raise ImproperlyConfigured(
            f"{path} holds no usable secret key; delete it (a new one is made) or set SECRET_KEY."
        )
    return key


def _create(path: Path) -> None:
    # Written whole under a private name, then linked into place: a command starting at the same
    # moment sees either no file or the complete key, and the first link wins.
    draft = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48) + "\n")
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)
