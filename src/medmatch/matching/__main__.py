"""``python -m medmatch.matching match ...``: the match commands without the top-level CLI."""

import argparse
import sys

from .cli import add_parser


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` with a parser holding only the ``match`` command and run it."""
    parser = argparse.ArgumentParser(prog="python -m medmatch.matching")
    add_parser(parser.add_subparsers(dest="command", metavar="COMMAND"))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
