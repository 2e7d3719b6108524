"""Train the concreteness model on the TUNE half of the corpus and write its coefficients.

Run: ``uv run python scripts/train_concreteness.py [--write]``

Reads ``tests/writing/corpus/tune/sentences.jsonl`` only (never the test half), measures each
sentence with ``medmatch.writing.concreteness.sentence_features`` and fits an L2-regularised
logistic regression (plain gradient descent, standardised inside, weights given back on the raw
feature scale so the JSON is readable). The flag threshold is chosen on 5-fold cross-validated
probabilities (the highest recall whose precision is at least 0.88, a margin over the 0.85
target), not on the fitted ones. Prints the weights and the cross-validated figures; ``--write``
saves ``src/medmatch/writing/data/concreteness_model.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from medmatch.writing.analyzer import cliche_in  # noqa: E402
from medmatch.writing.concreteness import FEATURES, MODEL_FILE, SIGNS, sentence_features  # noqa: E402

TUNE = ROOT / "tests" / "writing" / "corpus" / "tune" / "sentences.jsonl"
L2 = 3.0
STEPS = 3000
RATE = 0.1
MIN_PRECISION = 0.88


def load(path: Path = TUNE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def matrix(records: list[dict]) -> tuple[list[list[float]], list[int]]:
    rows = []
    for record in records:
        values = sentence_features(record["text"], cliche=cliche_in(record["text"])).values
        rows.append([values[name] for name in FEATURES])
    return rows, [1 if record["label"] == "generic" else 0 for record in records]


def fit(rows, labels, l2=L2):
    """(bias, weights) on the raw scale."""
    n, k = len(rows), len(rows[0])
    means = [sum(row[j] for row in rows) / n for j in range(k)]
    stds = [math.sqrt(sum((row[j] - means[j]) ** 2 for row in rows) / n) or 1.0 for j in range(k)]
    z = [[(row[j] - means[j]) / stds[j] for j in range(k)] for row in rows]
    w, b = [0.0] * k, 0.0
    signs = [SIGNS.get(name, 0) for name in FEATURES]
    for _ in range(STEPS):
        gw, gb = [l2 * wj / n for wj in w], 0.0
        for row, y in zip(z, labels, strict=True):
            p = 1 / (1 + math.exp(-(b + sum(wj * xj for wj, xj in zip(w, row, strict=True)))))
            error = p - y
            gb += error / n
            for j in range(k):
                gw[j] += error * row[j] / n
        b -= RATE * gb
        w = [wj - RATE * g for wj, g in zip(w, gw, strict=True)]
        # Keep each weight on its allowed side (``SIGNS``): the model stays explainable.
        w = [
            max(wj, 0.0) if signs[j] > 0 else min(wj, 0.0) if signs[j] < 0 else wj
            for j, wj in enumerate(w)
        ]
    weights = [w[j] / stds[j] for j in range(k)]
    bias = b - sum(w[j] * means[j] / stds[j] for j in range(k))
    return bias, weights


def predict(bias, weights, row):
    return 1 / (1 + math.exp(-(bias + sum(w * x for w, x in zip(weights, row, strict=True)))))


def figures(probabilities, labels, threshold):
    tp = sum(p >= threshold and y for p, y in zip(probabilities, labels, strict=True))
    fp = sum(p >= threshold and not y for p, y in zip(probabilities, labels, strict=True))
    fn = sum(p < threshold and y for p, y in zip(probabilities, labels, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    records = load()
    rows, labels = matrix(records)
    folds = 5
    cv = [0.0] * len(rows)
    for fold in range(folds):
        train = [i for i in range(len(rows)) if i % folds != fold]
        bias, weights = fit([rows[i] for i in train], [labels[i] for i in train])
        for i in range(fold, len(rows), folds):
            cv[i] = predict(bias, weights, rows[i])
    best = (0.0, 0.5)
    for step in range(20, 81):
        threshold = step / 100
        precision, recall = figures(cv, labels, threshold)
        if precision >= MIN_PRECISION and recall > best[0]:
            best = (recall, threshold)
    threshold = best[1]
    precision, recall = figures(cv, labels, threshold)
    print(
        f"5-fold CV on tune ({len(rows)} sentences): threshold {threshold:.2f}  "
        f"precision {precision:.3f}  recall {recall:.3f}"
    )
    bias, weights = fit(rows, labels)
    fitted = [predict(bias, weights, row) for row in rows]
    precision, recall = figures(fitted, labels, threshold)
    print(f"fitted on all of tune: precision {precision:.3f}  recall {recall:.3f}")
    print(f"bias {bias:+.3f}")
    for name, weight in sorted(zip(FEATURES, weights, strict=True), key=lambda x: x[1]):
        print(f"  {name:<15} {weight:+.3f}")
    if args.write:
        digest = hashlib.sha256(TUNE.read_bytes()).hexdigest()
        data = {
            "about": "P(generic) = 1 / (1 + exp(-(bias + sum(weights[f] * feature f)))); flagged "
            "when >= threshold. Features: medmatch/writing/concreteness.py. Trained by "
            "scripts/train_concreteness.py on the tune half only.",
            "trained_on": f"tests/writing/corpus/tune/sentences.jsonl sha256 {digest}",
            "bias": round(bias, 4),
            "threshold": threshold,
            "weights": {name: round(w, 4) for name, w in zip(FEATURES, weights, strict=True)},
        }
        MODEL_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
