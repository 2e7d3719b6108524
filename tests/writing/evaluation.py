"""The labelled evaluation set (``evaluation_set.jsonl``) and its precision / recall.

``evaluation_set.jsonl`` holds 48 short paragraphs (plus 12 in the ``fresh`` split, below) written
by a medmatch engineer for these tests (none is copied from a real statement) for four fictional
programs. Half of the paragraphs (``g..``) are built around generic or cliché sentences, half
(``s..``) are specific to one program, though a few specific paragraphs keep one weak sentence, as
real drafts do. The first lines are the programs (``{"program": key, "context": {...ProgramContext
fields}}``), then one paragraph a line (``{"id", "split", "program", "sentences": [{"flag": bool,
"text": str}]}``).

Each sentence's label was decided when the sentence was written, before the detector existed
(commit 3c81f32 holds the set as first written, in Python):

* ``flag: true`` — the sentence contains a phrase from the cliché list (rows C001-C027 of
  ``src/medmatch/writing/data/personal_statement_cliche_patterns.csv``; the low-weight superlatives
  row C028 is a style warning and does not count), **or** it would fit any program's statement
  unchanged: praise of the program, a statement of intent, a self-description or a platitude that
  names nothing concrete (no place, person, department, number or lived experience).
* ``flag: false`` — anything else.

``split`` is fixed per paragraph: ``test`` when the paragraph number modulo 5 is 1 or 3 (10 generic
and 10 specific paragraphs), ``train`` otherwise. The detector's rules were tuned on ``train``.

Caveat: the same engineer wrote the paragraphs, the labels and the rules, so ``test`` is held out
from tuning but not from the writer's habits. To measure that, a ``fresh`` split (12 more
paragraphs, ``f01``-``f06`` generic with deliberately different wording, ``s25``-``s30``
specific) was written *after* the rules were frozen and scored once, untuned: precision 1.00,
recall 0.50 (10 generic sentences missed). It is reported, not asserted, and must not be used
for tuning; a larger set written by someone else is the next step.

Scoring: a labelled sentence is *predicted flagged* when a ``cliche`` or ``generic`` flag of
``analyze()`` overlaps its span (style flags do not count), so the figures do not depend on the
sentence splitter agreeing with the labels (a test checks that it does).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from medmatch.writing import ProgramContext, analyze

EVALUATION_FILE = Path(__file__).resolve().parent / "evaluation_set.jsonl"
CONTENT_KINDS = ("cliche", "generic")


@dataclass(frozen=True)
class Scores:
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    mistakes: tuple[tuple[str, str, str], ...]  # (paragraph id, "FP"/"FN", sentence)

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        positives = self.true_positives + self.false_negatives
        return self.true_positives / positives if positives else 1.0

    @property
    def sentences(self) -> int:
        return (
            self.true_positives + self.false_positives + self.false_negatives + self.true_negatives
        )


def load_evaluation_set(path: Path = EVALUATION_FILE) -> tuple[dict, list[dict]]:
    """``(programs, paragraphs)``: ProgramContext per key, and the paragraph records."""
    programs, paragraphs = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        if "context" in record:
            programs[record["program"]] = ProgramContext.from_dict(record["context"])
        else:
            paragraphs.append(record)
    return programs, paragraphs


def labelled_paragraphs(split: str | None = None):
    """Yield ``(paragraph, program, text, spans)``: the sentences joined by one space and the
    ``(start, end, flag)`` of each labelled sentence; ``split`` "train", "test", "fresh" or None
    (all)."""
    programs, paragraphs = load_evaluation_set()
    for paragraph in paragraphs:
        if split is not None and paragraph["split"] != split:
            continue
        parts, spans, offset = [], [], 0
        for sentence in paragraph["sentences"]:
            text = sentence["text"]
            spans.append((offset, offset + len(text), sentence["flag"]))
            parts.append(text)
            offset += len(text) + 1
        yield paragraph, programs[paragraph["program"]], " ".join(parts), spans


def score(split: str | None = None) -> Scores:
    """Precision and recall of the flagged sentences on ``split`` (None: every paragraph)."""
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    mistakes = []
    for paragraph, program, text, spans in labelled_paragraphs(split):
        analysis = analyze(text, program=program)
        content = [flag for flag in analysis.flags if flag.kind in CONTENT_KINDS]
        for start, end, label in spans:
            predicted = any(flag.start < end and flag.end > start for flag in content)
            key = ("tp" if label else "fp") if predicted else ("fn" if label else "tn")
            counts[key] += 1
            if key in ("fp", "fn"):
                mistakes.append((paragraph["id"], key.upper(), text[start:end]))
    return Scores(counts["tp"], counts["fp"], counts["fn"], counts["tn"], tuple(mistakes))
