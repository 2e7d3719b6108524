"""`medmatch links evaluate [--set dev|test|test2|test3|test4] [--gold-dir DIR] | --gold-file PATH`;
`links coverage`.

Both read the catalog as imported (`medmatch import all`): the figures are those of the links
the site shows, not of a separate run of the linker.
"""

import argparse
import json
import sys
from pathlib import Path

from medmatch.catalog.link_quality import GOLD_COLUMNS


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "links", help="measure the NRMP sponsor → CMS hospital links and program coordinates"
    )
    commands = parser.add_subparsers(dest="links_command", metavar="COMMAND", required=True)
    evaluate = commands.add_parser(
        "evaluate",
        help="precision and recall of the sponsor links on the hand-checked gold set",
        description="Compare the imported sponsor → hospital links with a gold set and print "
        "precision, recall, the confusion (wrong / missed / false link) and every error. The "
        "test set is refused unless its SHA-256 is the frozen one; --gold-file scores any CSV "
        "of the gold format (a held-out set kept outside the tree) and prints its SHA-256.",
    )
    which = evaluate.add_mutually_exclusive_group()
    which.add_argument(
        "--set",
        dest="which",
        choices=("dev", "test", "test2", "test3", "test4"),
        default=None,  # dev; None so that argparse sees "--set dev" beside --gold-file
        help="dev, test, test2 or test3 (all used for tuning; the test sets frozen)",
    )
    which.add_argument(
        "--gold-file",
        type=Path,
        default=None,
        metavar="PATH",
        help="a CSV in the gold format (columns: " + ", ".join(GOLD_COLUMNS) + ")",
    )
    evaluate.add_argument(
        "--gold-dir",
        type=Path,
        default=None,
        help="folder with dev.csv, test.csv and FROZEN.sha256 (default: the shipped gold set)",
    )
    evaluate.set_defaults(func=run_evaluate)
    coverage = commands.add_parser(
        "coverage", help="sponsors linked and programs with coordinates by kind of place"
    )
    coverage.add_argument("--json", action="store_true", help="print JSON")
    coverage.set_defaults(func=run_coverage)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def run_evaluate(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from django.conf import settings

    from medmatch.catalog.link_quality import (
        FROZEN_SHA256,
        GoldSetError,
        catalog_predictions,
        evaluate_links,
        file_sha256,
        read_gold,
        read_gold_file,
    )

    which = args.which or "dev"
    shipped = Path(settings.CATALOG_DATA_DIR) / "linking_gold"
    gold_dir = args.gold_dir or shipped
    path = args.gold_file or gold_dir / f"{which}.csv"
    pinned = FROZEN_SHA256.get(which, "") if gold_dir.resolve() == shipped.resolve() else ""
    if args.gold_file and args.gold_dir:
        print(
            "medmatch links evaluate: --gold-dir goes with --set, not --gold-file", file=sys.stderr
        )
        return 2
    try:
        gold = (
            read_gold_file(args.gold_file)
            if args.gold_file
            else read_gold(gold_dir, which, pinned=pinned)
        )
    except GoldSetError as error:
        print(f"medmatch links evaluate: {error}", file=sys.stderr)
        return 2
    predicted = catalog_predictions()
    if not predicted:
        print(
            "medmatch links evaluate: no NRMP sponsors in the catalog; run `medmatch import all`",
            file=sys.stderr,
        )
        return 2
    result = evaluate_links(gold, predicted)
    out = sys.stdout
    out.write(f"gold set: {path} ({len(gold)} sponsors)\n")
    if args.gold_file:
        out.write(f"sha256: {file_sha256(path)}\n")
    out.write(
        f"precision {_percent(result.precision)} ({result.correct_links} right of "
        f"{result.predicted_links} links made)\n"
    )
    out.write(
        f"recall    {_percent(result.recall)} ({result.correct_links} found of "
        f"{result.gold_links} links expected)\n"
    )
    out.write(
        f"confusion: right link {result.correct_links}, right no-link {result.correct_none}, "
        f"wrong link {result.count('wrong link')}, missed link {result.count('missed link')}, "
        f"false link {result.count('false link')}\n"
    )
    if result.not_in_catalog:
        out.write(f"not in the catalog (not scored): {', '.join(result.not_in_catalog)}\n")
    for error in sorted(result.errors, key=lambda e: (e.kind, e.row.nrmp_code)):
        row = error.row
        expected = (
            f"{row.answer_ccn} {row.answer_name}" if row.answer_ccn else f"none ({row.category})"
        )
        got = f"{error.predicted_ccn} {error.predicted_name}" if error.predicted_ccn else "none"
        out.write(
            f"  {error.kind}: {row.nrmp_code} {row.sponsor_name} — expected {expected}; got {got}\n"
        )
    return 0


def run_coverage(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from medmatch.catalog.link_quality import catalog_coverage

    figures = catalog_coverage()
    if args.json:
        json.dump(figures, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    out = sys.stdout
    out.write(
        f"sponsors linked to a CMS hospital: {figures['sponsors_linked_to_a_hospital']} of "
        f"{figures['sponsors']}; with coordinates: {figures['sponsors_with_coordinates']}\n"
    )
    total = figures["programs"] or 1
    out.write(f"programs: {figures['programs']}\n")
    for kind, count in figures["programs_by_placement"].items():
        out.write(f"  {kind:<9} {count:>6}  {100 * count / total:5.1f} %\n")
    out.write(
        f"NRMP programs with coordinates: {figures['nrmp_programs_with_coordinates']} of "
        f"{figures['nrmp_programs']} ({figures['nrmp_programs_at_a_named_site']} at a site "
        "their title names)\n"
    )
    return 0
