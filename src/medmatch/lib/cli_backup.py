"""`medmatch backup FILE` and `medmatch restore FILE [--force]` (see ``medmatch.lib.backup``).

Exit codes: 0 done; 2 refused (bad archive, another format version or database vendor, a
non-empty database or MEDIA_ROOT without --force) and nothing was written; 1 the dump or the
restore itself failed (a database restore is rolled back).
"""

import argparse
import sys


def add_parser(subparsers) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="write the database and the media files (letters) to one tar.gz archive",
        description=(
            "Write the database (pg_dump on PostgreSQL, the online backup API on SQLite; both"
            " consistent while the site runs), the media files with their modes and a manifest to"
            " FILE, readable by its owner only."
        ),
    )
    backup.add_argument("file", metavar="FILE", help="the archive to write, e.g. medmatch.tar.gz")
    backup.add_argument("--force", action="store_true", help="replace FILE if it exists")
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser(
        "restore",
        help="restore the database and the media files from a `medmatch backup` archive",
        description=(
            "Restore FILE into the configured database and MEDIA_ROOT. Stop the site and the"
            " worker first. Refuses a database or MEDIA_ROOT that holds data unless --force."
        ),
    )
    restore.add_argument("file", metavar="FILE", help="an archive written by `medmatch backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace a database and MEDIA_ROOT that hold data"
    )
    restore.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from medmatch.lib.backup import BackupError, backup_create, label

    try:
        result = backup_create(args.file, force=args.force)
    except BackupError as error:
        print(f"medmatch backup: {error}", file=sys.stderr)
        return error.exit_code
    manifest = result.manifest
    print(
        f"Wrote {args.file}: the {label(manifest['vendor'])} database "
        f"({len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows) and "
        f"{result.media_files} media file(s)."
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from medmatch.lib.backup import BackupError, backup_restore, label, table_counts

    try:
        result = backup_restore(args.file, force=args.force)
    except BackupError as error:
        print(f"medmatch restore: {error}", file=sys.stderr)
        return error.exit_code
    manifest = result.manifest
    expected = manifest["tables"]
    found = table_counts()
    differing = sorted(table for table in expected if found.get(table) != expected[table])
    print(
        f"Restored the {label(manifest['vendor'])} database of {manifest['created_at']} "
        f"({len(expected)} tables, {sum(expected.values())} rows) and {result.media_files} "
        f"media file(s) from {args.file}."
    )
    for table in ("accounts_user", "applications_application", "letters_letter"):
        if table in found:
            print(f"  {table}: {found[table]} rows")
    if differing:
        print(f"Row counts differ from the manifest in: {', '.join(differing)}", file=sys.stderr)
        return 1
    return 0
