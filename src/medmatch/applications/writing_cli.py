"""``medmatch writing analyze FILE [--program ID] [--limit N] [--json]`` for advisors and scripts.

Prints every sentence with its flags (kind, reason, source), then the specificity report and the
metrics; ``--json`` prints ``Analysis.to_dict()``. Without ``--program`` no Django is loaded.

The command lives beside its Django adapter (``writing_context``), not in the pure engine
``medmatch.writing``: it reads a catalog program when asked, and the engine must not reach Django.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

MAX_BYTES = 1_048_576  # 1 MB: a statement is a few kilobytes
EXIT_OK = 0
EXIT_BAD_INPUT = 2


def add_parser(subparsers) -> None:
    """Add the ``writing`` command and its ``analyze`` sub-command (each sets ``func``)."""
    writing = subparsers.add_parser(
        "writing",
        help="analyze a personal statement (clichés, generic sentences, specificity, length)",
        description="Personal-statement analysis. See docs/writing.md.",
    )
    commands = writing.add_subparsers(dest="writing_command", metavar="SUBCOMMAND")
    writing.set_defaults(func=lambda args: _usage(writing))

    analyze = commands.add_parser(
        "analyze",
        help="print every sentence with its flags, the specificity report and the metrics",
        description=(
            "Flags cliché and generic sentences (commonly cited advice, with sources), checks "
            "which aspects of a catalog program the statement names, and reports length, "
            "readability and repetition."
        ),
    )
    analyze.add_argument("file", metavar="FILE", help="UTF-8 text file, or - for standard input")
    analyze.add_argument(
        "--program", metavar="ID", help="catalog program id to check specificity against"
    )
    analyze.add_argument(
        "--other",
        metavar="ID",
        action="append",
        default=[],
        help="(with --program; repeatable) catalog id of another program applied to: name the "
        "sentences that seem written for it",
    )
    analyze.add_argument("--limit", metavar="N", type=int, help="word limit")
    analyze.add_argument("--limit-chars", metavar="N", type=int, help="character limit")
    analyze.add_argument("--json", action="store_true", help="print the analysis as JSON")
    analyze.set_defaults(func=analyze_command)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_BAD_INPUT


def _fail(message: str) -> int:
    print(f"medmatch writing analyze: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def read_statement(name: str) -> str:
    """The text of file ``name`` (``-``: standard input); ``ValueError`` with a clear message
    for a missing or unreadable file, one over 1 MB, or one that is not UTF-8 text."""
    if name == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        label = "standard input"
    else:
        path = Path(name)
        label = name
        try:
            if path.is_dir():
                raise ValueError(f"{name}: is a directory, not a text file")
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise ValueError(f"{name}: no such file") from None
        except OSError as error:
            raise ValueError(f"{name}: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise ValueError(f"{label}: larger than 1 MB; a statement is a few kilobytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"{label}: not UTF-8 text (byte {error.start})") from None
    if "\x00" in text:
        raise ValueError(f"{label}: not a text file (contains NUL bytes)")
    return text


def _load_program(program_id: str, option: str = "--program"):
    try:
        key = int(program_id)
    except ValueError:
        raise ValueError(f"{option}: {program_id!r} is not a program id (a number)") from None
    # Django only now, for --program: without it the command starts without loading Django.
    from medmatch.lib.django_setup import setup_django

    setup_django()
    from medmatch.applications.writing_context import program_context_by_id

    try:
        return program_context_by_id(key)
    except LookupError as error:
        raise ValueError(f"{option}: {error}") from None


def analyze_command(args: argparse.Namespace) -> int:
    """``writing analyze``: read, analyze, print (rich text or JSON). Exit 2 on bad input."""
    from medmatch.writing import analyze

    for option, value in (("--limit", args.limit), ("--limit-chars", args.limit_chars)):
        if value is not None and value < 1:
            return _fail(f"{option}: must be at least 1")
    try:
        text = read_statement(args.file)
        if args.other and not args.program:
            raise ValueError("--other: needs --program (the program the statement is for)")
        program = _load_program(args.program) if args.program else None
        others = tuple(_load_program(other, "--other") for other in args.other)
    except ValueError as error:
        return _fail(str(error))
    analysis = analyze(
        text,
        program=program,
        others=others,
        limit_words=args.limit,
        limit_chars=args.limit_chars,
    )
    if args.json:
        data = analysis.to_dict()
        data["program"] = program.to_dict() if program else None
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_analysis(analysis, program)
    return EXIT_OK


KIND_LABELS = {
    "cliche": "cliché",
    "generic": "generic sentence",
    "stock_phrase": "stock phrase",
    "superlative": "superlative",
    "long_sentence": "long sentence",
    "repeated_opening": "repeated opening",
}
KIND_STYLES = {
    "cliche": "bold red",
    "generic": "bold yellow",
    "superlative": "magenta",
    "stock_phrase": "magenta",
    "long_sentence": "cyan",
    "repeated_opening": "cyan",
}


def print_analysis(analysis, program=None, console=None) -> None:
    """Print sentences with highlighted flags, then specificity and metrics, with rich."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    for sentence in analysis.sentences:
        line = Text(f"{sentence.index + 1:>3}. ", style="dim")
        body = Text(sentence.text)
        for flag in sentence.flags:
            style = "underline" if flag.kind == "generic" else KIND_STYLES.get(flag.kind, "bold")
            body.stylize(style, flag.start - sentence.start, flag.end - sentence.start)
        line.append_text(body)
        console.print(line)
        for flag in sentence.flags:
            note = Text("     ")
            # The kind in words; rule ids (C001...) are internal and never shown (issue 12).
            label = KIND_LABELS.get(flag.kind, flag.kind)
            note.append(label, style=KIND_STYLES.get(flag.kind, "bold"))
            if flag.kind not in ("generic", "long_sentence"):
                note.append(
                    f' "{sentence.text[flag.start - sentence.start : flag.end - sentence.start]}"'
                )
            note.append(f": {flag.reason} ")
            source = flag.source_label + (f" <{flag.source_url}>" if flag.source_url else "")
            note.append(f"[source: {source}]", style="dim")
            console.print(note)

    report = analysis.specificity
    title = "Specificity"
    if program is not None:
        title += f": {program.program_title} at {program.institution_name}"
    else:
        title += " (no --program: the general aspects of the advice)"
    table = Table(title=title, title_justify="left")
    table.add_column("aspect")
    table.add_column("kind")
    table.add_column("named?")
    table.add_column("what to write")
    for aspect in report.mentioned:
        table.add_row(aspect.label, aspect.kind, f"yes ({len(aspect.spans)}x)", "")
    for aspect in report.could_mention:
        table.add_row(aspect.label, aspect.kind, "no", aspect.hint)
    console.print(table)
    if report.score is not None:
        console.print(f"Specificity score: {report.score:.2f} (aspects named / aspects available)")

    if analysis.copy_paste:
        console.print(Text("Written for another program?", style="bold"))
        for note in analysis.copy_paste:
            console.print(f'  "{note.sentence}" \u2014 {note.message}', markup=False)

    metrics = analysis.metrics
    table = Table(title="Metrics", title_justify="left", show_header=False)
    limit = []
    if metrics.limit_words is not None:
        limit.append(f"{metrics.limit_words} words")
    if metrics.limit_chars is not None:
        limit.append(f"{metrics.limit_chars} characters")
    state = "" if metrics.over_limit is None else (" OVER" if metrics.over_limit else " within")
    ease = metrics.flesch_reading_ease
    rows = [
        ("words / characters", f"{metrics.words} / {metrics.characters}"),
        ("limit", (", ".join(limit) + state) if limit else "none given"),
        ("sentences", str(metrics.sentences)),
        (
            "mean / longest sentence",
            f"{metrics.mean_sentence_words:.1f} / {metrics.longest_sentence_words} words",
        ),
        ("Flesch reading ease", "n/a" if ease is None else f"{ease:.1f} (Flesch 1948)"),
        ("first-person density", f"{metrics.first_person_density:.1%} of words"),
        ("repeated words", ", ".join(f"{w} x{c}" for w, c in metrics.repeated_words) or "none"),
        (
            "repeated openings",
            ", ".join(f"{w} x{c}" for w, c in metrics.repeated_openings) or "none",
        ),
        ("would fit any program", f"{metrics.generic_sentences} sentence(s)"),
        ("flagged (cliché or generic)", f"{metrics.flagged_sentences} sentence(s)"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)
