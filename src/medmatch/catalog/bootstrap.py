"""Load the built-in catalog on first start (`medmatch serve`)."""


def ensure_catalog() -> None:
    """Run `import all` with progress output when the database has no programs yet.

    Under the import lock, so that two first starts (or a start during `medmatch import`) never
    import at once; when another process holds the lock this returns at once with a message and
    the site starts while that import fills the catalog in.
    """
    from rich.console import Console

    from medmatch.catalog.importers import ImportLocked, import_lock
    from medmatch.catalog.models import Program

    console = Console(stderr=True)
    try:
        with import_lock():
            if Program.objects.exists():
                return
            _import_all(console)
    except ImportLocked as error:
        console.print(
            "Not importing the catalog now: another process is importing it (it holds "
            f"{error.where}). The site starts anyway and the catalog fills in as that import "
            "runs; a first import into an empty catalog is one transaction, so on SQLite the "
            "site's own writes (sign-in, saves) wait until it has finished.",
            highlight=False,
        )


def _import_all(console) -> None:
    from rich.progress import Progress

    from medmatch.catalog.cli_import import RichProgress, print_reports
    from medmatch.catalog.importers import import_sources

    console.print("The catalog is empty: importing the built-in data (about half a minute)…")
    with Progress(console=console, transient=True) as bar:
        reports = import_sources("all", progress=RichProgress(bar))
    print_reports(console, reports)
