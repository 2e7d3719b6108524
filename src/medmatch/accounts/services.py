"""Writes and reads that span every app holding a user's data: export and deletion.

Each app that stores something of a user's adds it to the export by giving its AppConfig an
``export_user_data(user) -> dict`` method; deletion relies on every owned model's foreign key to
the user cascading, which the account tests check against the export.
"""

from datetime import UTC, datetime

from django.apps import apps
from django.db import transaction

from medmatch.accounts.models import User

EXPORT_FORMAT = "medmatch-account-export"
EXPORT_VERSION = 1


def account_export(*, user: User) -> dict:
    data = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.role,
            "date_joined": user.date_joined.isoformat(timespec="seconds"),
        },
    }
    for config in apps.get_app_configs():
        exporter = getattr(config, "export_user_data", None)
        if exporter is not None:
            data[config.label] = exporter(user)
    return data


@transaction.atomic
def account_delete(*, user: User) -> None:
    # Failed-login records name the user but have no foreign key, so remove them explicitly.
    from axes.models import AccessAttempt, AccessLog

    AccessAttempt.objects.filter(username=user.username).delete()
    AccessLog.objects.filter(username=user.username).delete()
    user.delete()
