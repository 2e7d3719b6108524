"""Setting Django up for a command: the one function every ``medmatch`` sub-command calls first.

It sits on the ground floor (``lib``) so that an app's command module can set Django up without
importing ``medmatch.cli``, the top-level entry point that imports every app's commands.
Importing this module does not import Django, so ``medmatch match ...`` still starts fast.
"""

import os


def setup_django(*, command_line: bool = True) -> None:
    """Set Django up; ``command_line`` lets settings fall back to the local secret key."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medmatch.settings")
    import django

    from medmatch.lib import local_secret

    local_secret.command_line = command_line
    django.setup()
    from medmatch.lib.data_dirs import ensure_data_dirs

    ensure_data_dirs()
