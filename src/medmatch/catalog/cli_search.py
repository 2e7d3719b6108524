"""``medmatch search QUERY``: the catalog search of the web page, for scripts and terminals."""

import argparse
import json
import sys


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "search",
        help="search the catalog's programs (the same search as the web page)",
        description="Search training programs by words, specialty and distance from a place.",
    )
    parser.add_argument("query", metavar="QUERY", nargs="?", default="", help="words to find")
    parser.add_argument("--near", metavar="ZIP|CITY", help="a US ZIP code or a city name")
    parser.add_argument(
        "--radius", metavar="KM", type=float, help="only programs within KM kilometres of --near"
    )
    parser.add_argument("--specialty", metavar="NAME", help="a specialty name, e.g. Pediatrics")
    parser.add_argument(
        "--sort", choices=["relevance", "name", "distance", "city"], help="default: automatic"
    )
    parser.add_argument("--limit", metavar="N", type=int, default=20, help="rows (default 20)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run_search)


def _fail(message: str) -> int:
    print(f"medmatch search: {message}", file=sys.stderr)
    return 2


def run_search(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from medmatch.catalog.search import ProgramQuery, find_specialty_slug, search_programs
    from medmatch.lib.geo import PlaceNotFound, resolve_place

    if args.limit < 1:
        return _fail("--limit: must be at least 1.")
    try:
        near = resolve_place(args.near) if args.near else None
    except PlaceNotFound as exc:
        return _fail(f"--near: {exc}")
    try:
        specialty = find_specialty_slug(args.specialty) if args.specialty else ""
    except LookupError as exc:
        return _fail(f"--specialty: {exc}")
    try:
        query = ProgramQuery(
            q=args.query,
            specialty=specialty,
            near=near,
            radius_km=args.radius,
            sort=args.sort or "",
            page_size=args.limit,
        )
    except ValueError as exc:
        return _fail(str(exc))
    results = search_programs(query)
    rows = [_row(hit) for hit in results.hits]
    if args.json:
        payload = {
            "query": args.query,
            "near": near.label if near else None,
            "radius_km": args.radius,
            "total": results.total,
            "excluded_unknown_distance": results.excluded_unknown_distance,
            "results": rows,
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        _print_table(results, rows, near)
    return 0


def _row(hit) -> dict:
    program = hit.obj
    institution = program.institution
    return {
        "id": program.pk,
        "title": program.title,
        "institution": institution.name,
        "city": program.city or institution.city,
        "region": program.region or institution.region,
        "country": program.country or institution.country,
        "specialty": program.specialty.name if program.specialty else None,
        "track_type": program.track_type or None,
        "distance_km": None if hit.distance_km is None else round(hit.distance_km, 1),
        "distance_miles": None if hit.distance_miles is None else round(hit.distance_miles, 1),
    }


def _print_table(results, rows: list[dict], near) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    title = f"{results.total} program{'s' if results.total != 1 else ''}"
    if near is not None:
        title += f" — distances from {near.label}"
    table = Table(title=title)
    for column in ("#", "Program", "Institution", "Place", "Specialty", "Track"):
        table.add_column(column)
    if near is not None:
        table.add_column("Distance", justify="right")
    for row, hit in zip(rows, results.hits, strict=True):
        place = ", ".join(p for p in (row["city"], row["region"], row["country"]) if p)
        cells = [
            str(row["id"]),
            row["title"],
            row["institution"],
            place or "unknown",
            row["specialty"] or "unknown",
            row["track_type"] or "",
        ]
        if near is not None:
            cells.append(hit.distance_label)
        table.add_row(*cells)
    console.print(table)
    if results.excluded_unknown_distance:
        console.print(
            f"{results.excluded_unknown_distance} more matched but their location is unknown, "
            "so they are not shown."
        )
