"""Create the database cache table (settings.CACHES) that the e-mail throttles and the portal's
rate limits count in, so every app-server process and server shares one count. Idempotent:
an existing table is left as it is."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "medmatch_cache"  # settings.CACHES["default"]["LOCATION"] outside tests


def create_cache_table(apps, schema_editor):
    # By name rather than from settings.CACHES, so every database (tests' too) has the table.
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_email_confirmed")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
