"""``medmatch match``: run, check, explain and generate stable matchings.

Never imports Django; heavy modules (numpy, rich, the solver) are imported inside the command
functions so that ``medmatch --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

RULE_NAMES = ("nrmp", "carms", "jrmp", "ukfp")
EXIT_OK = 0
EXIT_UNSTABLE = 1
EXIT_BAD_INPUT = 2


def add_parser(subparsers) -> None:
    """Add the ``match`` command and its sub-commands (each sets ``func``) to ``subparsers``."""
    match = subparsers.add_parser(
        "match",
        help="run, check and explain a stable match (NRMP, CaRMS, JRMP, UKFP rules)",
        description="Stable matching for medical placements. Instance format: docs/matching.md.",
    )
    commands = match.add_subparsers(dest="match_command", metavar="SUBCOMMAND")
    match.set_defaults(func=lambda args: _usage(match))

    run = commands.add_parser("run", help="solve an instance and write the result")
    run.add_argument("instance", help="instance JSON file (either encoding) or CSV directory")
    run.add_argument("--rules", default="nrmp", help=f"one of {', '.join(RULE_NAMES)}")
    run.add_argument("--out", help="result JSON file to write")
    run.add_argument("--seed", type=int, default=0, help="UKFP lottery seed")
    run.add_argument("--proposing", default="applicants", help="applicants (default) or programs")
    run.add_argument("--max-steps", type=int, help="proposal bound before reporting a cycle")
    run.add_argument(
        "--embed-instance", action="store_true", help="store the instance inside the result"
    )
    run.add_argument("--quiet", action="store_true", help="print one line instead of a table")
    run.set_defaults(func=run_command)

    check = commands.add_parser("check", help="check a result for validity and stability")
    check.add_argument("instance")
    check.add_argument("result")
    check.set_defaults(func=check_command)

    explain = commands.add_parser("explain", help="why an applicant did not get earlier choices")
    explain.add_argument("result")
    explain.add_argument("applicant")
    explain.add_argument("--instance", help="instance file (default: the one the result names)")
    explain.set_defaults(func=explain_command)

    generate = commands.add_parser("generate", help="generate a realistic NRMP-like instance")
    generate.add_argument("--applicants", type=int, default=50_000)
    generate.add_argument("--couples", type=int, default=1_100)
    generate.add_argument("--programs", type=int, help="default: applicants / 7.5")
    generate.add_argument("--seed", type=int, default=1)
    generate.add_argument("--out", help="file (or directory for csv); default: standard output")
    generate.add_argument("--encoding", default="compact", help="compact (default), records or csv")
    generate.set_defaults(func=generate_command)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_BAD_INPUT


def _fail(message: str) -> int:
    print(f"medmatch match: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _fingerprint(path: Path) -> dict:
    stat = path.stat()
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def run_command(args: argparse.Namespace) -> int:
    """``match run``: load, validate, solve, write the result, print a summary."""
    from dataclasses import replace

    from .compact import InstanceError, load_any, to_compact_dict
    from .instance import Instance, to_dict
    from .result import compute_statistics, dump
    from .result import to_dict as result_to_dict
    from .solver import solve

    if args.rules not in RULE_NAMES:
        return _fail(f"unknown rules {args.rules!r}; expected one of {', '.join(RULE_NAMES)}")
    began = time.perf_counter()
    path = Path(args.instance)
    try:
        instance = load_any(path)
    except InstanceError as error:
        return _fail(str(error))
    loaded = time.perf_counter()
    try:
        result = solve(
            instance, args.rules, seed=args.seed, proposing=args.proposing, max_steps=args.max_steps
        )
    except InstanceError as error:
        return _fail(str(error))
    except ValueError as error:
        return _fail(str(error))
    solved = time.perf_counter()
    statistics = compute_statistics(instance, result)
    counted = time.perf_counter()
    result = replace(
        result,
        statistics={
            **result.statistics,
            **statistics,
            "seed": args.seed,
            "load_seconds": round(loaded - began, 4),
            "solve_seconds": round(solved - loaded, 4),
            "statistics_seconds": round(counted - solved, 4),
        },
    )
    if args.embed_instance:
        reference = {
            "embedded": to_dict(instance)
            if isinstance(instance, Instance)
            else to_compact_dict(instance)
        }
    else:
        reference = _fingerprint(path)
    if args.out:
        dump(result_to_dict(result, reference), args.out)
    write_seconds = time.perf_counter() - counted
    _summary(result, args.quiet, write_seconds)
    return EXIT_OK if result.stable else EXIT_UNSTABLE


def _summary(result, quiet: bool, write_seconds: float) -> None:
    s = result.statistics
    if quiet:
        print(
            f"{result.status}: matched {s['matched']}/{s['applicants']} ({s['matched_percent']}%), "
            f"filled {s['filled']}/{s['positions']}, first choice {s['first_choice_percent']}%, "
            f"couples placed {s['couples_placed']}/{s['couples']}, solve {s['solve_seconds']}s"
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"medmatch match ({result.rules}): {result.status}", show_header=False)
    table.add_row(
        "Applicants matched", f"{s['matched']:,} / {s['applicants']:,} ({s['matched_percent']}%)"
    )
    table.add_row(
        "Positions filled", f"{s['filled']:,} / {s['positions']:,} ({s['filled_percent']}%)"
    )
    table.add_row("First choice", f"{s['first_choice']:,} ({s['first_choice_percent']}%)")
    table.add_row("Top three choices", f"{s['top_three_percent']}%")
    table.add_row(
        "Couples placed",
        f"{s['couples_placed']:,} / {s['couples']:,} (both members: {s['couples_both_placed']:,})",
    )
    if s.get("supplemental_matched"):
        table.add_row("Supplemental (preliminary) matches", f"{s['supplemental_matched']:,}")
    table.add_row("Programs with unfilled positions", f"{s['unfilled_programs']:,}")
    table.add_row(
        "Time: load / solve / statistics / write",
        f"{s['load_seconds']:.3f}s / {s['solve_seconds']:.3f}s / "
        f"{s['statistics_seconds']:.3f}s / {write_seconds:.3f}s",
    )
    console = Console()
    console.print(table)
    if result.message:
        console.print(f"[bold red]{result.message}[/]")


def _load_result(path: str):
    from .result import ResultError, from_dict, load_document

    document = load_document(path)
    try:
        return document, from_dict(document)
    except (KeyError, TypeError) as error:
        raise ResultError(f"result: malformed ({error})") from None


def _instance_for(document: dict, override: str | None):
    from .compact import from_compact_dict, load_any
    from .instance import from_dict
    from .result import ResultError

    if override:
        return load_any(override)
    reference = document.get("instance")
    if not isinstance(reference, dict):
        raise ResultError("result: field 'instance': missing; pass --instance")
    if "embedded" in reference:
        embedded = reference["embedded"]
        if isinstance(embedded, dict) and embedded.get("format", "").endswith("compact/1"):
            return from_compact_dict(embedded)
        return from_dict(embedded)
    path = Path(reference.get("path", ""))
    if not path.exists():
        raise ResultError(f"result: field 'instance': {path} not found; pass --instance")
    now = _fingerprint(path)
    if (now["size"], now["mtime_ns"]) != (reference.get("size"), reference.get("mtime_ns")):
        raise ResultError(f"result: field 'instance': {path} changed since the run")
    return load_any(path)


def check_command(args: argparse.Namespace) -> int:
    """``match check``: exit 0 when valid and stable, 1 listing blocking pairs, 2 on bad input."""
    from .checker import check
    from .compact import InstanceError, as_instance, load_any
    from .result import ResultError

    try:
        instance = as_instance(load_any(args.instance))
        _, result = _load_result(args.result)
        report = check(instance, result)
    except (InstanceError, ResultError) as error:
        return _fail(str(error))
    except ValueError as error:
        return _fail(str(error))
    for violation in report.violations:
        print(f"invalid: {violation}")
    for pair in report.blocking[:200]:
        row = " + ".join(p or "no match" for p in pair.row)
        print(f"blocking pair: {pair.unit} with {row} ({pair.reason})")
    if len(report.blocking) > 200:
        print(f"... and {len(report.blocking) - 200} more blocking pairs")
    if report.ok:
        print(f"ok: valid and stable under {result.rules} rules")
        return EXIT_OK
    print(f"not ok: {len(report.violations)} violations, {len(report.blocking)} blocking pairs")
    return EXIT_UNSTABLE


def explain_command(args: argparse.Namespace) -> int:
    """``match explain``: print why the applicant did not get each earlier choice."""
    from .compact import InstanceError, as_instance
    from .explanations import explain
    from .result import ResultError

    try:
        document, result = _load_result(args.result)
        instance = as_instance(_instance_for(document, args.instance))
        explanation = explain(instance, result, args.applicant)
    except (InstanceError, ResultError) as error:
        return _fail(str(error))
    except KeyError as error:
        return _fail(str(error.args[0]))
    print("\n".join(explanation.lines()))
    return EXIT_OK


def generate_command(args: argparse.Namespace) -> int:
    """``match generate``: write a realistic NRMP-like instance."""
    import json

    from .compact import to_compact, to_compact_dict
    from .generator import generate
    from .instance import to_csv_directory, to_dict

    if args.encoding not in ("compact", "records", "csv"):
        return _fail(f"unknown encoding {args.encoding!r}; expected compact, records or csv")
    try:
        instance = generate(args.applicants, args.couples, args.seed, programs=args.programs)
    except ValueError as error:
        return _fail(str(error))
    if args.encoding == "csv":
        if not args.out:
            return _fail("--encoding csv needs --out DIRECTORY")
        to_csv_directory(instance, args.out)
        return EXIT_OK
    document = (
        to_compact_dict(to_compact(instance)) if args.encoding == "compact" else to_dict(instance)
    )
    text = json.dumps(document, separators=(",", ":"))
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return EXIT_OK
