"""Load the built-in catalog on first start (`medmatch serve`)."""


def ensure_catalog() -> None:
    """Run `import all` with progress output when the database has no programs yet."""
    from medmatch.catalog.models import Program

    if Program.objects.exists():
        return
    from rich.console import Console

    from medmatch.catalog.cli_import import print_reports
    from medmatch.catalog.importers import import_sources

    console = Console(stderr=True)
    console.print("The catalog is empty: importing the built-in data (about half a minute)…")
    from rich.progress import Progress

    from medmatch.catalog.cli_import import RichProgress

    with Progress(console=console, transient=True) as bar:
        reports = import_sources("all", progress=RichProgress(bar))
    print_reports(console, reports)
