"""Precision and recall of the statement analyzer on the issue-13 corpus (``corpus/``).

The corpus has two halves in the same formats (``corpus/LABELS.md``): ``tune/`` (written by the
analyzer's author; the model is trained and its rules adjusted on it only) and ``test/`` (written
blind, from the label definitions alone, by someone who never saw the code, and frozen with
``FROZEN.sha256`` before any tuning). Each half has ``sentences.jsonl`` (one labelled sentence a
line), ``programs.jsonl`` (fictional programs with 4-6 features) and ``paragraphs.jsonl`` (a
paragraph to one program, with the features it mentions and any other program's features it
describes by mistake).

* Sentences: each is analyzed alone; it is *predicted generic* when ``analyze()`` puts a
  ``cliche`` or ``generic`` flag on it (``Sentence.flagged``, the same definition as the editor's
  count). Figures: overall, on ``hard`` sentences, per generic kind (recall) and on specific
  sentences (how many are wrongly flagged).
* Features: every (paragraph, own feature) pair is a mention or not; predicted by
  ``feature_mentions``. Foreign mentions: every (paragraph, other program, feature) triple
  predicted or labelled.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from medmatch.writing import analyze
from medmatch.writing.mentions import ProgramFeatures, feature_mentions

CORPUS = Path(__file__).resolve().parent / "corpus"
FILES = ("sentences.jsonl", "programs.jsonl", "paragraphs.jsonl")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    mistakes: list = field(default_factory=list)

    def add(self, predicted: bool, actual: bool, note: str = "") -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.mistakes.append(("FP", note))
        elif actual:
            self.fn += 1
            self.mistakes.append(("FN", note))
        else:
            self.tn += 1

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    def line(self) -> str:
        def show(value):
            return "  n/a" if value is None else f"{value:.3f}"

        return (
            f"precision {show(self.precision)}  recall {show(self.recall)}  "
            f"({self.total} items: {self.tp} TP, {self.fp} FP, {self.fn} FN, {self.tn} TN)"
        )


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as error:
                raise ValueError(f"{path.name} line {number}: not JSON ({error.msg})") from None
    return rows


def check_frozen(folder: Path) -> list[str]:
    """Check ``folder/FROZEN.sha256`` (``sha256sum`` format); returns the lines checked, raises
    ``ValueError`` naming the file whose hash differs or that is missing."""
    manifest = folder / "FROZEN.sha256"
    checked = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        digest, name = line.split(maxsplit=1)
        name = name.lstrip("*").strip()
        path = folder / Path(name).name
        if not path.exists():
            raise ValueError(f"{manifest.name}: {name} is missing")
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != digest.lower():
            raise ValueError(f"{manifest.name}: {name} has sha256 {actual}, frozen as {digest}")
        checked.append(f"{digest}  {Path(name).name}")
    return checked


def sentence_scores(folder: Path) -> dict[str, Counts]:
    """Counts for ``overall``, ``hard``, ``kind:<kind>`` and ``specific`` (+ ``voice:<voice>``)."""
    scores: dict[str, Counts] = defaultdict(Counts)
    for row in read_jsonl(folder / "sentences.jsonl"):
        analysis = analyze(row["text"])
        predicted = any(sentence.flagged for sentence in analysis.sentences)
        actual = row["label"] == "generic"
        note = f"{row['id']}: {row['text']}"
        keys = ["overall", f"voice:{row.get('voice', '?')}"]
        if row.get("hard"):
            keys.append("hard")
        keys.append(f"kind:{row.get('kind')}" if actual else "specific")
        for key in keys:
            scores[key].add(predicted, actual, note)
    return dict(scores)


def load_programs(folder: Path) -> dict[str, ProgramFeatures]:
    return {
        row["id"]: ProgramFeatures(row["id"], row["name"], dict(row["features"]))
        for row in read_jsonl(folder / "programs.jsonl")
    }


def feature_scores(folder: Path) -> dict[str, Counts]:
    """``mentions`` (own features) and ``foreign`` (other programs' features) counts."""
    programs = load_programs(folder)
    others = tuple(programs.values())
    scores = {"mentions": Counts(), "foreign": Counts()}
    for row in read_jsonl(folder / "paragraphs.jsonl"):
        program = programs[row["program"]]
        result = feature_mentions(row["text"], program, others)
        labelled = set(row.get("mentions", []))
        for item in result.features:
            scores["mentions"].add(
                item.mentioned, item.key in labelled, f"{row['id']} {program.id}.{item.key}"
            )
        predicted = {(item.program, item.key) for item in result.foreign}
        actual = {(f["program"], f["feature"]) for f in row.get("foreign_mentions", [])}
        for pair in sorted(predicted | actual):
            scores["foreign"].add(pair in predicted, pair in actual, f"{row['id']} {pair}")
    return scores
