"""The head of the list from float32 estimates: the same programs, in the same order, as from
every program's exact total."""

import numpy as np
import pytest

from medmatch.fit.criteria import Column
from medmatch.fit.engine import _best, _best_of, weigh_columns


def random_columns(rng, n, criteria, by_pattern):
    """Columns of scores from a few values (many ties), some mostly unknown, with weights from
    tiny to large; with ``by_pattern`` every column names its unknown fact and the patterns of
    unknown facts are returned as ``ProgramFeatures.unknown_patterns`` gives them."""
    values = np.array([0.0, 0.25, 0.5, 1.0, 1 / 3, 0.7], dtype=np.float32)
    scores = values[rng.integers(0, values.size, size=(criteria, n))]
    unknown = rng.random((criteria, n)) < rng.choice([0.0, 0.3, 0.97], size=(criteria, 1))
    unknown[:, : n // 50] = True  # some programs with nothing known
    scores[unknown] = np.nan
    weights = rng.choice([0.01, 0.1, 1.0, 2.5, 3.0, 5.0], size=criteria)
    columns = tuple(
        Column(f"c{c}", f"C{c}", float(weights[c]), False, scores[c], None, lambda i: "",
               unknown=f"c{c}" if by_pattern else None)
        for c in range(criteria)
    )  # fmt: skip
    if not by_pattern:
        return columns, None
    rows, pattern = np.unique(unknown.T, axis=0, return_inverse=True)
    return columns, (pattern.ravel(), {f"c{c}": rows[:, c] for c in range(criteria)})


@pytest.mark.parametrize("by_pattern", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_it_picks_the_same_head_as_the_exact_totals(seed, by_pattern):
    rng = np.random.default_rng(seed)
    n = 20_000
    columns, patterns = random_columns(rng, n, int(rng.integers(1, 8)), by_pattern)
    totals = weigh_columns(columns, n, patterns)
    excluded = rng.random(n) < 0.2
    for k in (1, 10, 50, 300):
        positions, total = _best_of(totals, excluded, k)
        full_total, full_low = totals.full()[:2]
        expected = _best(full_total, full_low, excluded, k)
        assert positions.tolist() == expected.tolist()
        assert total.view(np.uint64).tolist() == full_total[expected].view(np.uint64).tolist()
        totals._full = None  # the next k starts from the estimate again


def test_it_computes_a_few_programs_as_all_of_them():
    rng = np.random.default_rng(3)
    columns, patterns = random_columns(rng, 5_000, 6, True)
    positions = rng.permutation(5_000)[:700]
    few = weigh_columns(columns, 5_000, patterns).at(positions)
    every = weigh_columns(columns, 5_000, patterns).full()
    for part, whole in zip(few, every, strict=True):
        assert part.view(np.uint64).tolist() == whole[positions].view(np.uint64).tolist()
