"""Statement analyzer on the issue-13 corpus: generic sentences and program-feature mentions.

Run: ``uv run python benchmarks/writing_evaluate.py [--half NAME|all] [--mistakes]``

For each half present under ``tests/writing/corpus/`` (``tune``: the author's, used for tuning;
``test``: written blind and frozen, checked against its ``FROZEN.sha256`` before it is scored;
``test2``: paragraphs only, a second blind set for feature mentions written after ``test`` was
burned by tuning, hash-checked the same way; any other folder there with ``sentences.jsonl``
and/or ``programs.jsonl`` + ``paragraphs.jsonl``, e.g. a later ``test3``, is a half too, its
``FROZEN.sha256`` checked when it has one)
prints precision and recall of generic-sentence detection overall, on hard cases, per generic
kind and on specific sentences, then feature-mention and foreign-mention precision and recall;
then the old 60-paragraph regression set (``tests/writing/evaluation_set.jsonl``). Targets
(issue 13, on the test half): generic precision >= 0.85, recall >= 0.80, hard recall >= 0.70;
feature mentions precision >= 0.85, recall >= 0.75. See tests/writing/corpus_evaluation.py.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.writing

from tests.writing.corpus_evaluation import (
    CORPUS,
    FILES,
    check_frozen,
    feature_scores,
    sentence_scores,
)
from tests.writing.evaluation import score

TARGETS = {"overall": (0.85, 0.80), "hard": (None, 0.70), "mentions": (0.85, 0.75)}


def verdict(key, counts) -> str:
    if key not in TARGETS:
        return ""
    precision_target, recall_target = TARGETS[key]
    ok = (precision_target is None or (counts.precision or 0) >= precision_target) and (
        counts.recall or 0
    ) >= recall_target
    return "  target " + ("met" if ok else "MISSED")


def report(half: str, show_mistakes: bool) -> None:
    folder = CORPUS / half
    has_sentences = (folder / "sentences.jsonl").exists()
    has_paragraphs = (folder / "paragraphs.jsonl").exists() and (folder / "programs.jsonl").exists()
    if not has_sentences and not has_paragraphs:
        print(f"== {half}: not present")
        return
    print(f"== {half} half ({folder.relative_to(CORPUS.parent.parent.parent)})")
    if half == "test2" and not (folder / "FROZEN.sha256").exists():
        raise SystemExit(f"{half}: no FROZEN.sha256, refusing to score an unfrozen blind set")
    if (folder / "FROZEN.sha256").exists():
        try:
            checked = check_frozen(folder)
        except ValueError as error:
            raise SystemExit(f"{half}: {error}") from None
        for line in checked:
            print(f"   frozen, hash checked: {line}")
    else:
        if half != "tune":
            print("   not frozen (no FROZEN.sha256): figures on a set that can still change")
        for name in FILES:
            if (folder / name).exists():
                digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
                print(f"   sha256 {digest}  {name}")
    if has_sentences:
        report_sentences(folder, show_mistakes)
    if has_paragraphs:
        features = feature_scores(folder)
        print("  program features:")
        for key, counts in features.items():
            print(f"    {key:<28} {counts.line()}{verdict(key, counts)}")
            if show_mistakes:
                for kind, note in counts.mistakes:
                    print(f"      {kind} {note}")


def report_sentences(folder, show_mistakes: bool) -> None:
    scores = sentence_scores(folder)
    order = ["overall", "hard", "specific"]
    order += sorted(key for key in scores if key.startswith("kind:"))
    order += sorted(key for key in scores if key.startswith("voice:"))
    print("  generic sentences (predicted = a cliche or generic flag):")
    for key in order:
        if key == "specific" and key in scores:
            counts = scores[key]
            print(
                f"    {'specific (wrongly flagged)':<28} {counts.fp} of {counts.total} "
                f"({counts.fp / counts.total:.3f})"
            )
        elif key in scores:
            print(f"    {key:<28} {scores[key].line()}{verdict(key, scores[key])}")
    if show_mistakes:
        for kind, note in scores["overall"].mistakes:
            print(f"      {kind} {note}")


def halves() -> list[str]:
    """The folders under the corpus that hold a half: ``tune`` first, then the rest by name."""
    found = [
        path.name
        for path in CORPUS.iterdir()
        if path.is_dir()
        and (
            (path / "sentences.jsonl").exists()
            or ((path / "programs.jsonl").exists() and (path / "paragraphs.jsonl").exists())
        )
    ]
    return sorted(found, key=lambda name: (name != "tune", name))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--half",
        default="all",
        help="a folder under tests/writing/corpus/ (tune, test, test2, test3, ...) or all",
    )
    parser.add_argument("--mistakes", action="store_true", help="list every FP and FN")
    args = parser.parse_args()
    available = halves()
    if args.half != "all" and args.half not in available:
        parser.error(
            f"--half {args.half}: no such half under {CORPUS} (one of: {', '.join(available)}, all)"
        )
    for half in available if args.half == "all" else (args.half,):
        report(half, args.mistakes)
    print("== regression: old 60-paragraph set (tests/writing/evaluation_set.jsonl)")
    for split in ("train", "test", "fresh", None):
        scores = score(split)
        print(
            f"    {split or 'all':<28} precision {scores.precision:.3f}  recall "
            f"{scores.recall:.3f}  ({scores.sentences} sentences, {scores.true_positives} TP, "
            f"{scores.false_positives} FP, {scores.false_negatives} FN)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
