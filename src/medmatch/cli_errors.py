"""One-line messages for the ``medmatch`` command's configuration errors.

A missing setting, an unreachable database or a database without its tables is something the user
fixes, not a bug: the command prints what to set or run and exits 2 instead of a traceback. Any
other error is re-raised by the caller, traceback and all.
"""


def explain(error: BaseException) -> str | None:
    """Return the message for an error the user fixes by configuring, or None for any other."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    from medmatch.serve import ProductionConfigurationError

    if isinstance(error, ImproperlyConfigured | ProductionConfigurationError):
        return _one_line(error)
    if isinstance(error, DatabaseError):
        return _database_problem(error)
    return None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())


def _database_problem(error: BaseException) -> str | None:
    from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    where = connection.settings_dict.get("NAME")
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as unreachable:
        return (
            f"cannot use the database {where} ({_one_line(unreachable)}); "
            "check DATABASE_URL (or MEDMATCH_DATA_DIR for SQLite)."
        )
    if pending:
        return (
            f"the database {where} is not set up ({len(pending)} migrations not applied); "
            "run `medmatch manage migrate` first."
        )
    return None  # a migrated, reachable database: a real error, shown in full
