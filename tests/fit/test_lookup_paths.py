"""Lookup columns are added by a gather, by uint8 code comparisons, at the few programs with a
non-zero score, or with their deal-breaker failures in the sign bit: every way gives the same
bits of the weighted sum and the same excluded programs as the plain column with its scores and
failures built."""

import dataclasses

import numpy as np
import pytest

from medmatch.fit.criteria import Column
from medmatch.fit.engine import _compare_plan, _runs, grouped_take, weigh_columns
from medmatch.fit.features import ProgramFeatures


class Codes:
    """The code helpers of ProgramFeatures on their own (they use only ``_derived``)."""

    _register = ProgramFeatures._register
    narrow_codes = ProgramFeatures.narrow_codes
    code_groups = ProgramFeatures.code_groups
    grouped_codes = ProgramFeatures.grouped_codes

    def __init__(self, groups: bool = True) -> None:
        self._derived = {}
        self.groups = groups

    def register(self, codes):
        self._register(codes)
        if not self.groups:
            self._derived["groups"].clear()
        return codes


def lookup_columns(rng, n, count, unknown=(0.0, 0.5, 0.97, 0.995)):
    """Lookup columns over random codes: tables of few or many distinct values (0/1
    membership, a handful of grades, dozens of values), NaN for code 0 (unknown) at one of the
    ``unknown`` shares of programs, random weights and deal-breakers whose failing codes are the
    zeros or any other codes."""
    columns = []
    grades = np.array([0.0, 0.1, 0.25, 0.4, 0.5, 0.7, 0.75, 1.0, 1 / 3], dtype=np.float32)
    for c in range(count):
        size = int(rng.choice([3, 6, 12, 47, 200]))
        kind = rng.integers(0, 3)
        if kind == 0:
            values = rng.random(size) < 0.3  # membership
        elif kind == 1:
            values = grades[rng.integers(0, grades.size, size)]
        else:
            values = rng.random(size)
        table = np.array([np.nan, *values.astype(np.float32)], dtype=np.float32)
        codes = rng.integers(0, size + 1, n).astype(np.intp)
        codes[rng.random(n) < rng.choice(unknown)] = 0  # the last ones sparse
        dealbreaker = bool(rng.random() < 0.6)
        fails_table = None
        if dealbreaker:
            fails_table = table == 0 if rng.random() < 0.5 else rng.random(table.size) < 0.2
            fails_table[0] = False
        weight = float(rng.choice([0.01, 1.0, 2.0, 2.5, 5.0]))
        column = Column(
            f"c{c}", f"C{c}", weight, dealbreaker, None, None, lambda i: "",
            table=table, codes=codes, fails_table=fails_table,
        )  # fmt: skip
        columns.append(column)
    return tuple(columns)


@pytest.mark.parametrize("seed", range(16))
def test_every_path_gives_the_bits_of_the_built_columns(seed):
    rng = np.random.default_rng(seed)
    n = 4_000 + seed % 4  # codes grouped in fours leave 0-3 programs over
    assert_paths_agree(lookup_columns(rng, n, int(rng.integers(1, 7))), n)


@pytest.mark.parametrize("size", [1, 3, 8, 9, 47, 128, 129, 300])
@pytest.mark.parametrize("n", [0, 1, 5, 1_001, 1_002])
def test_a_grouped_gather_reads_the_same_bytes_as_take(size, n):
    """Fours, pairs, one by one and the programs left over; -0.0, NaN and a clipped code."""
    rng = np.random.default_rng(size * 10_000 + n)
    table = rng.random(size + 1).astype(np.float32)
    table[0], table[-1] = np.nan, -0.0
    features = Codes()
    codes = features.register(rng.integers(0, size + 1, n).astype(np.intp))
    grouped = features.grouped_codes(codes)
    group = 1 if grouped is None else grouped[0]
    radix = int(codes.max(initial=0)) + 1
    assert group == (1 if n == 0 else 4 if radix <= 8 else 2 if radix <= 128 else 1)
    out = np.empty(n, dtype=np.float32)
    grouped_take(table, codes, grouped, out)
    assert out.view(np.uint32).tolist() == table.take(codes, mode="clip").view(np.uint32).tolist()


@pytest.mark.parametrize("seed", range(8))
def test_a_span_of_codes_gives_the_bits_of_the_built_columns(seed):
    """5-11% of programs known: too many for the non-zero codes' positions, few enough for
    the span of codes (SPAN_SHARE), zero codes inside it included."""
    rng = np.random.default_rng(100 + seed)
    assert_paths_agree(lookup_columns(rng, 4_000, int(rng.integers(1, 7)), (0.89, 0.93)), 4_000)


def assert_paths_agree(columns, n):
    built = tuple(
        dataclasses.replace(c, values=c.score, fails=c.failing, table=None, codes=None)
        for c in columns
    )
    plain_excluded = np.zeros(n, dtype=bool)
    for column in built:
        if column.dealbreaker:
            plain_excluded |= column.fails
    plain = weigh_columns(built, n)
    for codes in (None, Codes(groups=False), Codes()):
        for column in columns if codes is not None else ():
            codes.register(column.codes)
        excluded = np.zeros(n, dtype=bool)
        totals = weigh_columns(columns, n, None, excluded, codes)
        for column in columns:
            if column.dealbreaker and column.key not in totals.excluded_by:
                excluded |= column.failing
        assert np.array_equal(excluded, plain_excluded)
        assert totals.known_score.view(np.uint32).tolist() == (
            plain.known_score.view(np.uint32).tolist()
        )
        for got, expected in zip(totals.full(), plain.full(), strict=True):
            assert got.view(np.uint64).tolist() == expected.view(np.uint64).tolist()


def test_it_compares_only_when_few_values_make_it_cheaper():
    membership = np.array([0, 0, 2, 2, 2, 0, 2], dtype=np.float32)
    assert _compare_plan(membership) == [(np.float32(2), [(2, 4), (6, 6)])]
    assert _compare_plan(np.zeros(5, dtype=np.float32)) == []
    assert _compare_plan(np.arange(40, dtype=np.float32)) is None  # too many values: gather
    assert _runs([1, 2, 3, 7, 9, 10]) == [(1, 3), (7, 7), (9, 10)]


@pytest.mark.parametrize("seed", range(6))
def test_unknown_weights_summed_per_pattern_give_the_bits_of_per_program_sums(seed):
    """Weights unknown by pattern of unknown facts (summed per pattern in column order, then
    gathered) against the same columns summed program by program: the same known weights."""
    rng = np.random.default_rng(500 + seed)
    n, facts = 3_000, [f"f{k}" for k in range(int(rng.integers(1, 25)))]
    distinct = rng.random((int(rng.integers(1, 300)), len(facts))) < 0.5
    pattern = rng.integers(0, len(distinct), n).astype(np.intp)
    table = {fact: distinct[:, k] for k, fact in enumerate(facts)}
    columns = []
    for k, fact in enumerate(facts):
        score = rng.random(n).astype(np.float32)
        score[distinct[pattern, k]] = np.nan
        weight = float(rng.choice([0.01, 0.3, 1.0, 2.5, 4.7]) * rng.random())
        columns.append(Column(fact, fact, weight, False, score, None, lambda i: "", unknown=fact))
    by_pattern = weigh_columns(tuple(columns), n, (pattern, table))
    by_program = weigh_columns(tuple(columns), n)
    for got, expected in zip(by_pattern.full(), by_program.full(), strict=True):
        assert got.view(np.uint64).tolist() == expected.view(np.uint64).tolist()
