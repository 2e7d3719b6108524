"""``medmatch recommend`` (the fit engine on a goals file) and ``medmatch demo``."""

import argparse
import json
import sys
from pathlib import Path


def add_parser(subparsers) -> None:
    recommend = subparsers.add_parser(
        "recommend",
        help="rank the catalog's programs against a goals file",
        description=(
            "Rank every program in the catalog against a goals file: the medmatch-goals/1 "
            "JSON, or an account export (the goals inside it are used)."
        ),
    )
    recommend.add_argument("--goals", metavar="GOALS.json", required=True, type=Path)
    recommend.add_argument("--top", metavar="N", type=int, default=20, help="rows (default 20)")
    recommend.add_argument("--json", action="store_true", help="print JSON instead of a table")
    recommend.set_defaults(func=run_recommend)

    demo = subparsers.add_parser(
        "demo",
        help="create (or refresh) the demo student with filled goals",
        description="Create or refresh the demo student 'demo' with filled goals.",
    )
    demo.set_defaults(func=run_demo)


def _fail(command: str, message: str) -> int:
    print(f"medmatch {command}: {message}", file=sys.stderr)
    return 2


def goals_from_file(data) -> dict:
    """The goals JSON itself, or the goals inside an account export (its ``goals.goals``)."""
    if isinstance(data, dict) and data.get("format") == "medmatch-account-export":
        goals = (data.get("goals") or {}).get("goals")
        if not goals:
            raise ValueError("the account export holds no goals")
        return goals
    return data


def run_recommend(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from medmatch.catalog.models import Program
    from medmatch.fit import GoalsError
    from medmatch.goals.fitting import rank_goals

    if args.top < 1:
        return _fail("recommend", "--top: must be at least 1.")
    try:
        data = goals_from_file(json.loads(args.goals.read_text(encoding="utf-8")))
        ranking = rank_goals(data)
    except OSError as error:
        return _fail("recommend", f"{args.goals}: {error.strerror or error}")
    except json.JSONDecodeError as error:
        return _fail("recommend", f"{args.goals}: not JSON (line {error.lineno}: {error.msg})")
    except (GoalsError, ValueError) as error:
        return _fail("recommend", f"{args.goals}: {error}")
    explanations = ranking.top(args.top)
    programs = Program.objects.select_related("institution").in_bulk(
        [e.program_id for e in explanations]
    )
    rows = [_row(e, programs[e.program_id]) for e in explanations]
    if args.json:
        payload = {"kept": ranking.kept, "programs": len(ranking.features), "results": rows}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    _print_table(rows, ranking)
    return 0


def _row(explanation, program) -> dict:
    return {
        "rank": explanation.rank,
        "program_id": program.pk,
        "title": program.title,
        "institution": program.institution.name,
        "score": round(explanation.total, 1),
        "low": round(explanation.low, 1),
        "high": round(explanation.high, 1),
        "reasons": [c.sentence for c in explanation.contributions if c.status == "known"],
        "checks": list(explanation.checks),
        "unknown": [c.label for c in explanation.contributions if c.status == "unknown"],
    }


def _print_table(rows, ranking) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"{ranking.kept} of {len(ranking.features)} programs pass the deal-breakers"
    )
    table.add_column("#", justify="right")
    table.add_column("Score", justify="right")
    table.add_column("Range", justify="right")
    table.add_column("Program")
    table.add_column("Why")
    for row in rows:
        why = "; ".join(row["reasons"][:3])
        if row["checks"]:
            why += f"; check: {', '.join(row['checks'])}"
        table.add_row(
            str(row["rank"]),
            f"{row['score']:.0f}",
            f"{row['low']:.0f}-{row['high']:.0f}",
            f"{row['title']} ({row['institution']}) [{row['program_id']}]",
            why,
        )
    Console().print(table)


def run_demo(args: argparse.Namespace) -> int:
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from medmatch.goals.demo import DEMO_PASSWORD, DEMO_USERNAME, create_demo

    try:
        _, created = create_demo()
    except ValueError as error:
        return _fail("demo", str(error))
    print(
        f"{'Created' if created else 'Refreshed'} the demo student (fictional, marked as a demo).\n"
        f"Log in at /accounts/login/ as “{DEMO_USERNAME}” with the password “{DEMO_PASSWORD}”; "
        "its recommendations are at /goals/."
    )
    return 0
