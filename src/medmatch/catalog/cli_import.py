"""`medmatch import SOURCE [FILE] [--dry-run]` and `medmatch stats [--json]`."""

import argparse
import json
import sys

# The importers' keys in run order, written out so that building the command line does not import
# Django models (a test checks that this matches importers.IMPORTERS).
SOURCE_KEYS = (
    "acgme-specialties",
    "cms-hospitals",
    "hifld-hospitals",
    "teaching-fte",
    "nrmp-institutions",
    "nrmp-programs",
    "carms-disciplines",
    "carms-programs",
    "wikidata-hospitals",
    "rules-training-length",
    "rules-work-hours",
    "cms-cost-reports",
    "dol-lca-trainees",
    "odhf-hospitals",
    "usda-ruca-2020",
    "hud-usps-zip-county",
    "hud-fmr-fy2026",
    "hud-safmr-fy2024",
)


def add_parser(subparsers) -> None:
    keys = ", ".join(SOURCE_KEYS)
    parser = subparsers.add_parser(
        "import",
        help="import the built-in catalog data (all) or one source, optionally from another file",
        description=f"Import catalog data. SOURCE is all or one of: {keys}. A bad file changes "
        "nothing and the message names the file, row, column and reason.",
    )
    parser.add_argument(
        "source", metavar="SOURCE", choices=["all", *SOURCE_KEYS], help=f"all, {keys}"
    )
    parser.add_argument(
        "file", metavar="FILE", nargs="?", help="a file to import instead of the shipped one"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would change; write nothing"
    )
    parser.set_defaults(func=run_import)

    stats = subparsers.add_parser("stats", help="catalog counts per model and per source")
    stats.add_argument("--json", action="store_true", help="print JSON instead of tables")
    stats.set_defaults(func=run_stats)


class RichProgress:
    """The importers' progress hook drawn as a rich progress bar (on stderr)."""

    def __init__(self, progress):
        self.progress = progress
        self.task = None

    def start(self, description: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, visible=False)
        self.task = self.progress.add_task(description, total=max(total, 1))

    def advance(self, count: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, count)


def migrate_if_needed() -> None:
    """Apply pending migrations first, so `medmatch import all` works on a fresh data directory
    as `medmatch serve` does (a no-op on a migrated database)."""
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        print(f"Setting up the database first ({len(pending)} migrations)…", file=sys.stderr)
        call_command("migrate", interactive=False, verbosity=0)


def run_import(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    migrate_if_needed()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from medmatch.catalog.importers import (
        ImportFileError,
        ImportLocked,
        ImportWriteError,
        import_sources,
    )

    console, errors = Console(), Console(stderr=True)
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
        ) as bar:
            reports = import_sources(
                args.source, args.file, dry_run=args.dry_run, progress=RichProgress(bar)
            )
    except ImportFileError as error:
        # Plain text, unwrapped: the message names file, row and column and must stay greppable.
        print(f"Import failed, nothing was written: {error}", file=sys.stderr)
        return 1
    except ImportLocked as error:
        print(f"Import not started: {error}", file=sys.stderr)
        return 1
    except ImportWriteError as error:
        print(write_error_message(error), file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"Import failed: {error}", file=sys.stderr)
        return 1
    print_reports(console, reports)
    return 0


def write_error_message(error) -> str:
    """What to tell the operator when the database refused a write (ImportWriteError)."""
    if not error.written:
        reason = (
            "the database is locked: another import (or another long write) is running"
            if error.locked
            else f"the database refused the first write ({error})"
        )
        return f"Import failed, nothing was written: {reason}. Run the import again later."
    return (
        f"Import stopped partway: the database refused a write ({error}). The rows written so "
        "far are complete and the sources keep their previous file's date; run the same import "
        "again to finish it."
    )


def print_reports(console, reports) -> None:
    from rich.table import Table

    dry_run = reports and reports[0].dry_run
    # No borders and one space before each column: the eight fit in 80 characters uncut.
    table = Table(
        title="Import (dry run: nothing was written)" if dry_run else "Import",
        box=None,
        padding=(0, 0, 0, 1),
        header_style="bold underline",
    )
    columns = ("source", "rows", "created", "updated", "deleted", "unchanged", "skipped", "seconds")
    for column in columns:
        table.add_column(column, justify="left" if column == "source" else "right", no_wrap=True)
    for report in reports:
        table.add_row(
            report.source_key,
            str(report.rows),
            str(report.created),
            str(report.updated),
            str(report.deleted),
            str(report.unchanged),
            str(sum(report.skipped.values())),
            f"{report.seconds:.1f}",
        )
    console.print(table)
    for report in reports:
        notes = [f"{name}: {value}" for name, value in report.figures.items()]
        notes += [
            f"skipped, {reason}: {count}" for reason, count in report.skipped.items() if count
        ]
        if notes:
            console.print(f"[bold]{report.source_key}[/] — " + "; ".join(notes), highlight=False)


def catalog_stats() -> dict:
    """Counts per model, per source and per kind/country, for `medmatch stats`."""
    from django.db.models import Count

    from medmatch.catalog.fact_stats import program_fact_counts
    from medmatch.catalog.models import (
        Accreditation,
        Department,
        Institution,
        Program,
        Source,
        Specialty,
    )

    models = {
        "sources": Source,
        "specialties": Specialty,
        "institutions": Institution,
        "programs": Program,
        "accreditations": Accreditation,
        "departments": Department,
    }
    sources = {}
    for source in Source.objects.order_by("key"):
        sources[source.key] = {
            "name": source.name,
            "institutions": source.institutions.count(),
            "programs": source.programs.count(),
            "specialties": Specialty.objects.filter(source=source).count(),
            "rows_in_file": source.row_count,
            "imported_at": source.imported_at.isoformat() if source.imported_at else None,
        }
    from medmatch.catalog.hospital_data import hospital_data_stats

    return {
        "hospital_data": hospital_data_stats(),
        "models": {name: model.objects.count() for name, model in models.items()},
        "sources": sources,
        "institutions_by_kind": {
            row["kind"] or "unknown": row["count"]
            for row in Institution.objects.values("kind")
            .annotate(count=Count("id"))
            .order_by("kind")
        },
        "programs_by_country": {
            row["country"] or "unknown": row["count"]
            for row in Program.objects.values("country")
            .annotate(count=Count("id"))
            .order_by("country")
        },
        # Issue 11: for each fact label, how many programs have it known, by scope.
        "program_facts": program_fact_counts(),
        "places": place_stats(),
    }


def place_stats() -> dict:
    """Rows of the place tables, and how many programs and US institutions get a setting and a
    rent, by level (ZIP / county / town / HUD area), and the rent's fiscal year."""
    from collections import Counter

    from medmatch.catalog import places
    from medmatch.catalog.models_places import AreaRent, ZipArea, ZipCounty, ZipRent

    us_institutions, programs = places.catalog_places()
    found = {"programs": programs, "us_institutions": us_institutions}
    result = {
        "tables": {
            "zip_areas (RUCA)": ZipArea.objects.count(),
            "zip_counties (HUD-USPS)": ZipCounty.objects.count(),
            "area_rents (FMR county/town)": AreaRent.objects.count(),
            "zip_rents (SAFMR)": ZipRent.objects.count(),
        }
    }
    for name, facts in found.items():
        values = list(facts.values())
        result[name] = {
            "total": len(values),
            "with_zip": sum(1 for place in values if place.zip),
            "setting": sum(1 for place in values if place.setting),
            "setting_by_level": dict(
                sorted(Counter(p.setting.level for p in values if p.setting).items())
            ),
            "setting_by_class": dict(
                sorted(Counter(p.setting.ruca_class for p in values if p.setting).items())
            ),
            "rent": sum(1 for place in values if place.rent),
            "rent_by_level": dict(sorted(Counter(p.rent.level for p in values if p.rent).items())),
            "rent_by_fiscal_year": dict(
                sorted(Counter(p.rent.fiscal_year for p in values if p.rent).items())
            ),
            "known_by_city_only": sum(1 for place in values if place.whose == places.CITY),
        }
    return result


def run_stats(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    stats = catalog_stats()
    if args.json:
        json.dump(stats, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    console = Console()
    counts = Table(title="Catalog")
    counts.add_column("model")
    counts.add_column("rows", justify="right")
    for name, count in stats["models"].items():
        counts.add_row(name, f"{count:,}")
    console.print(counts)
    per_source = Table(title="Per source")
    for column in ("source", "institutions", "programs", "specialties", "rows in file", "imported"):
        per_source.add_column(
            column, justify="left" if column in ("source", "imported") else "right"
        )
    for key, row in stats["sources"].items():
        per_source.add_row(
            key,
            f"{row['institutions']:,}",
            f"{row['programs']:,}",
            f"{row['specialties']:,}",
            "" if row["rows_in_file"] is None else f"{row['rows_in_file']:,}",
            (row["imported_at"] or "")[:19],
        )
    console.print(per_source)
    kinds = Table(title="Institutions by kind")
    kinds.add_column("kind")
    kinds.add_column("rows", justify="right")
    for kind, count in stats["institutions_by_kind"].items():
        kinds.add_row(kind, f"{count:,}")
    console.print(kinds)
    from medmatch.catalog.fact_stats import NOT_ON_PAGE, SCOPES

    facts = Table(title="Programs with each fact known, by scope")
    facts.add_column("fact")
    for scope in (*SCOPES, NOT_ON_PAGE):
        facts.add_column(scope, justify="right")
    for label, by_scope in stats["program_facts"].items():
        facts.add_row(label, *(f"{by_scope.get(scope, 0):,}" for scope in (*SCOPES, NOT_ON_PAGE)))
    console.print(facts)
    hospital_data = Table(title="Hospital data (issue 11)")
    hospital_data.add_column("figure")
    hospital_data.add_column("count", justify="right")
    for name, count in stats["hospital_data"].items():
        hospital_data.add_row(name.replace("_", " "), f"{count:,}")
    console.print(hospital_data)
    places = Table(title="Place facts (setting: USDA RUCA; rent: HUD FMR)")
    for column in (
        "of",
        "total",
        "with ZIP",
        "city only",
        "setting",
        "rent",
        "rent by level (ZIP: FY2024; others: FY2026)",
    ):
        places.add_column(
            column, justify="left" if column == "of" or column.startswith("rent by") else "right"
        )
    for name in ("programs", "us_institutions"):
        row = stats["places"][name]
        levels = ", ".join(f"{level}: {n:,}" for level, n in row["rent_by_level"].items())
        places.add_row(
            name.replace("_", " "),
            f"{row['total']:,}",
            f"{row['with_zip']:,}",
            f"{row['known_by_city_only']:,}",
            f"{row['setting']:,}",
            f"{row['rent']:,}",
            levels,
        )
    console.print(places)
    return 0
