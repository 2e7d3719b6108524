"""Statement analyzer benchmark: quality on the labelled set and time on a 1,000-word statement.

Run: ``UV_PYTHON_DOWNLOADS=never uv run python benchmarks/writing_analyze.py [--runs R] [--strict]``

Prints precision and recall of the flagged sentences (cliché or generic flags) on the train, test
and fresh splits (see tests/writing/evaluation.py) and on all of
``tests/writing/evaluation_set.jsonl`` (targets on test: precision >= 0.85, recall >= 0.8), then
the median over ``--runs`` (>= 21) of ``analyze()`` on a 1,000-word statement with a program
context (target < 50 ms). The statement is built from the evaluation set's sentences, generic and
specific mixed, repeated until it has 1,000 words. Each line says OK or MISSED; ``--strict`` exits
1 on a miss."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.writing

from tests.writing.evaluation import labelled_paragraphs, score

from medmatch.writing import analyze

PRECISION_TARGET, RECALL_TARGET, TIME_TARGET_MS = 0.85, 0.8, 50.0


def thousand_word_statement() -> tuple[str, object]:
    sentences, program = [], None
    for _paragraph, context, text, spans in labelled_paragraphs():
        program = program or context
        sentences.extend(text[start:end] for start, end, _ in spans)
    words, parts, index = 0, [], 0
    while words < 1000:
        sentence = sentences[index % len(sentences)]
        parts.append(sentence)
        words += len(sentence.split())
        index += 1
        if index % 5 == 0:
            parts.append("\n\n")
    return " ".join(parts), program


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=51)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    runs = max(21, args.runs)
    missed = False
    for split in ("train", "test", "fresh", None):
        scores = score(split)
        checked = split == "test"
        ok = scores.precision >= PRECISION_TARGET and scores.recall >= RECALL_TARGET
        missed |= checked and not ok
        notes = {"train": "(tuning split)", "fresh": "(written after the rules froze; untuned)"}
        verdict = ("OK" if ok else "MISSED") if checked else notes.get(split, "")
        print(
            f"{split or 'all':>5}: precision {scores.precision:.3f}  recall {scores.recall:.3f}  "
            f"({scores.sentences} sentences, {scores.true_positives} TP, "
            f"{scores.false_positives} FP, {scores.false_negatives} FN)  {verdict}"
        )
    text, program = thousand_word_statement()
    analysis = analyze(text, program=program, limit_words=1000)  # warm: patterns load once
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        analyze(text, program=program, limit_words=1000)
        timings.append((time.perf_counter() - started) * 1000)
    median = statistics.median(timings)
    ok = median < TIME_TARGET_MS
    missed |= not ok
    print(
        f"analyze(): {analysis.metrics.words} words, {analysis.metrics.sentences} sentences, "
        f"{len(analysis.flags)} flags: median {median:.2f} ms over {runs} runs "
        f"(min {min(timings):.2f}, max {max(timings):.2f}); target < {TIME_TARGET_MS:.0f} ms "
        f"{'OK' if ok else 'MISSED'}"
    )
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
