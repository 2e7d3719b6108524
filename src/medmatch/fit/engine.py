"""Rank every program against a student's goals, with a range for unknowns and a reason per number.

``rank(goals, features)`` returns a ``Ranking``: the list order, and for any program (kept or
filtered out) an ``Explanation`` with the total, the range and each criterion's signed contribution
as a sentence. See docs/fit.md for the rules in prose.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from medmatch.fit.criteria import Column, build_columns
from medmatch.fit.features import ProgramFeatures
from medmatch.fit.goals import Goals

MMR_LAMBDA = 0.7  # relevance vs novelty for exploring students (Carbonell & Goldstein 1998)
MMR_POOL = 200  # the head is picked from at least this many best-scoring programs
MMR_WIDE_POOL = 2000  # ... plus the best MMR_PER_SPECIALTY of each specialty among this many
MMR_PER_SPECIALTY = 3
SIMILARITY_SPECIALTY, SIMILARITY_INSTITUTION, SIMILARITY_SETTING = 0.4, 0.4, 0.2
SETTING_SPLIT = 0.6  # academic degree at or above which a program counts as "academic" for MMR
MINUS = "\u2212"
# _best guesses its cut from every BEST_SAMPLE_STRIDE-th program, with this many to spare.
BEST_SAMPLE_STRIDE = 64
BEST_SAMPLE_SPARE = 8


@dataclass(frozen=True)
class Contribution:
    """One criterion's part in one program's score.

    ``points`` is the signed contribution on the 0..100 scale relative to a neutral 0.5:
    ``100 * weight * (score - 0.5) / known_weight``; the total is 50 plus the sum of the points.
    ``widening`` is, for an unknown criterion, how many points it adds to the width of the range
    (``100 * weight / total_weight``); 0 when known. ``status`` is ``known``, ``unknown`` or
    ``fails`` (a deal-breaker this program is known to fail). ``fact`` is the sentence without
    its points ("1 km from Boston, MA (within 50 km)").

    ``earned`` (``weight * score``, None when unknown) is the part in the units of the weights:
    the total is ``100 * sum(earned) / sum(weight)`` over the known (and failed) criteria, so
    the parts add up to the score and a criterion's part does not move when another is answered.
    """

    criterion: str
    label: str
    weight: float
    dealbreaker: bool
    status: str
    score: float | None
    points: float
    widening: float
    sentence: str
    fact: str = ""

    @property
    def earned(self) -> float | None:
        return None if self.score is None else self.weight * self.score


@dataclass(frozen=True)
class Explanation:
    """Why a program scores what it does (or why it was filtered out).

    ``total``, ``low`` and ``high`` are on the 0..100 scale: ``total`` is the weighted mean of the
    known criteria, ``[low, high]`` the range over every completion of the unknown ones.
    ``rank`` is the 1-based place in the list, or None when ``excluded``. ``excluded_by`` holds the
    sentences of the deal-breakers it is known to fail; ``checks`` those of the deal-breakers
    that are unknown ("check this"). ``contributions`` are sorted: known ones by size of effect,
    then unknown ones by widening, then the failed deal-breakers.
    """

    program_id: Any
    rank: int | None
    total: float
    low: float
    high: float
    excluded: bool
    excluded_by: tuple[str, ...]
    checks: tuple[str, ...]
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True, eq=False)
class Ranking:
    """The result of ``rank``: arrays over all programs plus the list order.

    ``total``, ``low`` and ``high`` are float64 in [0, 1] per program position and
    ``known_weight`` the weight of the known criteria; they are computed from ``totals`` when
    first read (ranking and explaining the head needs them for a few programs only). ``excluded``
    and ``check`` are bool per position. ``head`` holds the positions of the first programs of
    the list, best first (diversified for exploring students). Use ``ids``, ``top`` and
    ``explain`` rather than the arrays.
    """

    features: ProgramFeatures
    goals: Goals
    columns: tuple[Column, ...]
    totals: Totals
    total_weight: float
    excluded: np.ndarray
    head: np.ndarray
    diversified: bool
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def total(self) -> np.ndarray:
        """Every program's total, float64 in [0, 1]."""
        return self.totals.full()[0]

    @property
    def low(self) -> np.ndarray:
        """Every program's low end of the range, float64 in [0, 1]."""
        return self.totals.full()[1]

    @property
    def high(self) -> np.ndarray:
        """Every program's high end of the range, float64 in [0, 1]."""
        return self.totals.full()[2]

    @property
    def known_weight(self) -> np.ndarray:
        """Every program's weight of known criteria, float64."""
        return self.totals.full()[3]

    @property
    def check(self) -> np.ndarray:
        """Which kept programs are flagged "check this": a deal-breaker whose fact is
        unknown for them (bool per program); computed when first read."""
        if "check" not in self._cache:
            self._cache["check"] = _flagged(self.columns, self.features, self.excluded)
        return self._cache["check"]

    @property
    def kept(self) -> int:
        """How many programs pass every deal-breaker (known or unknown)."""
        return int(len(self.features) - np.count_nonzero(self.excluded))

    def order(self) -> np.ndarray:
        """Positions of every kept program, best first: the head, then the rest by score."""
        if "order" not in self._cache:
            rest = ~self.excluded
            rest[self.head] = False
            positions = np.flatnonzero(rest)
            ordered = positions[
                np.lexsort((positions, -self.low[positions], -self.total[positions]))
            ]
            self._cache["order"] = np.concatenate([self.head, ordered])
        return self._cache["order"]

    def ids(self, start: int = 0, stop: int | None = None) -> list:
        """Program ids of the list from ``start`` to ``stop`` (a page), best first."""
        stop = self.kept if stop is None else min(stop, self.kept)
        positions = self.head if stop <= len(self.head) else self.order()
        return [self.features.ids[i] for i in positions[start:stop]]

    def top(self, n: int = 50) -> list[Explanation]:
        """Explanations of the first ``n`` programs of the list."""
        stop = min(n, self.kept)
        positions = (self.head if stop <= len(self.head) else self.order())[:stop]
        self._fetch(positions)
        return [self._explain(int(i), rank) for rank, i in enumerate(positions, start=1)]

    def explain(self, program_id: Any) -> Explanation:
        """Why this program scores what it does, or which deal-breaker filtered it out.

        Takes a program id; returns an Explanation (its rank is looked up in the list order).
        Raises KeyError for an id that is not among the features.
        """
        position = self.features.index[program_id]
        return self._explain(position, self._ranks(np.array([position], dtype=np.intp))[0])

    def explain_many(self, program_ids: Iterable) -> dict[Any, Explanation]:
        """``{program id: Explanation}`` of these programs (a page of the list, a shortlist),
        built together; ids that are not among the features are left out."""
        index = self.features.index
        ids = list(dict.fromkeys(pid for pid in program_ids if pid in index))
        positions = np.array([index[pid] for pid in ids], dtype=np.intp)
        self._fetch(positions)
        ranks = self._ranks(positions)
        return {
            pid: self._explain(i, rank)
            for pid, i, rank in zip(ids, positions.tolist(), ranks, strict=True)
        }

    def _ranks(self, positions: np.ndarray) -> list[int | None]:
        """The 1-based place in the list of each position, None where excluded."""
        head = self._cache.get("head_rank")
        if head is None:
            head = self._cache["head_rank"] = {p: r for r, p in enumerate(self.head.tolist(), 1)}
        ranks: list[int | None] = []
        for position, excluded in zip(
            positions.tolist(), self.excluded[positions].tolist(), strict=True
        ):
            rank = None if excluded else head.get(position)
            if rank is None and not excluded:
                if "rank" not in self._cache:
                    order = self.order()
                    place = np.empty(len(self.features), dtype=np.intp)
                    place[order] = np.arange(1, order.size + 1)
                    self._cache["rank"] = place
                rank = int(self._cache["rank"][position])
            ranks.append(rank)
        return ranks

    def _fetch(self, positions: np.ndarray) -> None:
        """Read the numbers of these programs in one gather per array, for ``_explain``.

        Keeps, per position, ``(scores, fails, known_weight, total, low, high, excluded)`` as
        Python values (scores and fails one per column), the same values ``.item(i)`` gives.
        """
        rows = self._cache.setdefault("rows", {})
        positions = np.asarray(positions, dtype=np.intp)
        if positions.size == 0:
            return
        none = [()] * positions.size  # no columns: no goals answered
        scores = [column.score_at(positions).tolist() for column in self.columns]
        no = [False] * positions.size
        fails = [
            no if failing is None else failing.tolist()
            for failing in (c.failing_at(positions) for c in self.columns)
        ]
        total, low, high, known_weight = self.totals.at(positions)
        numbers = zip(
            list(zip(*scores, strict=True)) or none,
            list(zip(*fails, strict=True)) or none,
            known_weight.tolist(),
            total.tolist(),
            low.tolist(),
            high.tolist(),
            self.excluded[positions].tolist(),
            strict=True,
        )
        rows.update(zip(positions.tolist(), numbers, strict=True))

    def _parts(self) -> tuple:
        """Per-ranking constants of the explanations: per column its fields, 100 x weight and
        its Contribution where unknown (the same for every program), and the columns' order by
        widening (the order of unknown contributions)."""
        if "parts" not in self._cache:
            total_weight = self.total_weight
            columns, unknown = [], []
            for column in self.columns:
                weight = column.weight
                widening = 100 * weight / total_weight if total_weight else 0.0
                label = column.label
                if column.dealbreaker:
                    sentence = f"{label} unknown: check this (deal-breaker"
                    sentence += f"; range widened by {widening:.0f})" if widening >= 0.5 else ")"
                else:
                    sentence = f"{label} unknown: ask (range widened by {widening:.0f})"
                unknown.append(
                    _contribution(
                        column.key, label, weight, column.dealbreaker, "unknown", None, 0.0,
                        widening, sentence, f"{label} unknown",
                    )
                )  # fmt: skip
                # A known contribution's fields in order, its own four to be filled in.
                fields = {
                    "criterion": column.key,
                    "label": label,
                    "weight": weight,
                    "dealbreaker": column.dealbreaker,
                    "status": "known",
                    "score": None,
                    "points": 0.0,
                    "widening": 0.0,
                    "sentence": "",
                    "fact": "",
                }
                columns.append(
                    (
                        column.key, label, weight, column.dealbreaker, 100 * weight,
                        column.describe, fields,
                    )
                )  # fmt: skip
            # A stable sort by -widening of all columns, filtered to the unknown ones, is the
            # stable sort of the unknown ones.
            by_widening = sorted(range(len(unknown)), key=lambda c: -unknown[c].widening)
            self._cache["parts"] = (tuple(columns), tuple(unknown), tuple(by_widening))
        return self._cache["parts"]

    def _explain(self, i: int, rank: int | None) -> Explanation:
        row = self._cache.get("rows", {}).get(i)
        if row is None:
            self._fetch(np.array([i]))
            row = self._cache["rows"][i]
        scores, fails, known_weight, total, low, high, excluded = row
        columns, unknown_contributions, by_widening = self._parts()
        known, failed = [], []
        for c, s in enumerate(scores):
            if s != s:  # NaN: unknown
                continue
            key, label, weight, dealbreaker, scale, describe, fields = columns[c]
            points = scale * (s - 0.5) / known_weight if known_weight else 0.0
            fact = describe(i)
            if fails[c]:
                failed.append(
                    _contribution(
                        key, label, weight, dealbreaker, "fails", s, points, 0.0,
                        f"Deal-breaker: {fact}", fact,
                    )
                )  # fmt: skip
                continue
            if weight:
                rounded = round(points)  # _signed, inlined (one call per contribution)
                if rounded > 0:
                    sentence = f"{fact}: +{rounded}"
                elif rounded < 0:
                    sentence = f"{fact}: {MINUS}{-rounded}"
                else:
                    sentence = f"{fact}: ±0"
            else:
                sentence = f"{fact} (deal-breaker met)"
            # _contribution(key, label, ..., sentence, fact), inlined (the commonest case): the
            # column's fields, then this program's, into the new object's own dict.
            contribution = _new_object(Contribution)
            values = contribution.__dict__
            values.update(fields)
            values["score"] = s
            values["points"] = points
            values["sentence"] = sentence
            values["fact"] = fact
            known.append(contribution)
        unknown = [unknown_contributions[c] for c in by_widening if scores[c] != scores[c]]
        # Known ones by size of effect, then unknown ones by widening, then failed deal-breakers
        # (stable sorts, as one sort on (status, -|points|, -widening)).
        known.sort(key=_by_effect)
        failed.sort(key=_by_effect)
        # As Explanation(...) with these fields, without the frozen dataclass's per-field
        # object.__setattr__ (see _contribution).
        explanation = _new_object(Explanation)
        _set_attribute(
            explanation,
            "__dict__",
            {
                "program_id": self.features.ids[i],
                "rank": rank,
                "total": 100 * total,
                "low": 100 * low,
                "high": 100 * high,
                "excluded": excluded,
                "excluded_by": tuple([c.sentence for c in failed]) if failed else (),
                "checks": tuple([c.sentence for c in unknown if c.dealbreaker]),
                "contributions": (*known, *unknown, *failed),
            },
        )
        return explanation


_new_object = object.__new__
_set_attribute = object.__setattr__


def _by_effect(contribution: Contribution) -> float:
    return -abs(contribution.points)


def _by_widening(contribution: Contribution) -> float:
    return -contribution.widening


def _contribution(
    criterion: str,
    label: str,
    weight: float,
    dealbreaker: bool,
    status: str,
    score: float | None,
    points: float,
    widening: float,
    sentence: str,
    fact: str,
    _new=object.__new__,
    _set=object.__setattr__,
) -> Contribution:
    """A Contribution from its field values in order, without the frozen dataclass's
    per-field ``object.__setattr__`` (an explanation makes one per criterion; the result is the
    same object as ``Contribution(...)``)."""
    contribution = _new(Contribution)
    _set(
        contribution,
        "__dict__",
        {
            "criterion": criterion,
            "label": label,
            "weight": weight,
            "dealbreaker": dealbreaker,
            "status": status,
            "score": score,
            "points": points,
            "widening": widening,
            "sentence": sentence,
            "fact": fact,
        },
    )
    return contribution


def _signed(points: float) -> str:
    rounded = round(points)
    if rounded == 0:
        return "±0"
    return f"+{rounded}" if rounded > 0 else f"{MINUS}{-rounded}"


class Totals:
    """Total, range and known weight per program, computed on demand from the weighted sum.

    Built by ``weigh_columns``; holds K (float32 weighted sum of the known scores per program),
    the total weight W and either the known weight per pattern of unknown facts (float64, with
    each program's pattern) or the unknown weight per program (float32). ``full()`` gives every
    program's (total, low, high, known_weight), ``at(positions)`` the same values for a few
    programs (the same float64 operations element by element, so the same bits), and
    ``estimate()`` a float32 total with an error bound, enough to choose the candidates of the
    head of the list without the ~10 float64 passes over all programs.
    """

    def __init__(
        self,
        n: int,
        known_score: np.ndarray | None = None,
        total_weight: float = 0.0,
        *,
        pattern: np.ndarray | None = None,
        pattern_known: np.ndarray | None = None,
        unknown_weight: np.ndarray | None = None,
        min_weight: float = 0.0,
        columns: int = 0,
    ):
        self.n = n
        self.known_score = known_score
        self.total_weight = total_weight
        self.pattern = pattern
        self.pattern_known = pattern_known
        self.unknown_weight = unknown_weight
        self.min_weight = min_weight
        self.columns = columns
        self.excluded_by: set[str] = set()  # deal-breakers weigh_columns already applied
        self._full = None

    def full(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(total, low, high, known_weight) of every program, computed once."""
        if self._full is None:
            if self.known_score is None:
                half = np.full(self.n, 0.5)
                self._full = (half, half.copy(), half.copy(), np.zeros(self.n))
            else:
                self._full = self._finish(
                    self.known_score.astype(np.float64),
                    self.pattern,
                    self.unknown_weight,
                    bool((self.pattern_known == 0).any()) if self.unknown_weight is None else True,
                )
        return self._full

    def at(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(total, low, high, known_weight) of these program positions: the values of
        ``full()`` at them."""
        if self._full is not None:
            return tuple(values[positions] for values in self._full)
        if self.known_score is None:
            half = np.full(len(positions), 0.5)
            return half, half.copy(), half.copy(), np.zeros(len(positions))
        return self._finish(
            self.known_score[positions].astype(np.float64),
            None if self.pattern is None else self.pattern[positions],
            None if self.unknown_weight is None else self.unknown_weight[positions],
            True,
        )

    def _finish(self, known_score, pattern, unknown_weight, nothing_known):
        total_weight = self.total_weight
        if unknown_weight is None:
            # Every unknown weight comes from the pattern table (0 + x = x exactly), so Wk is
            # computed per pattern, in the same float64 operations, and gathered.
            known_weight = self.pattern_known.take(pattern)
            high = np.subtract(total_weight, known_weight)
            high += known_score
        else:
            known_weight = total_weight - unknown_weight.astype(np.float64)
            high = known_score + (total_weight - known_weight)
        low = known_score / total_weight
        high /= total_weight
        with np.errstate(invalid="ignore", divide="ignore"):
            total = known_score / known_weight
        if nothing_known:
            total[np.flatnonzero(known_weight == 0)] = 0.5
        # float32 sums can overshoot by an ulp; keep every value inside [low, high] and [0, 1].
        # As np.clip(high, 0, 1), np.clip(low, 0, high), np.clip(total, low, high): low and
        # high are >= +0 and no value is NaN here, so a lower bound 0 is a no-op, and
        # minimum/maximum give the same values as clip with array bounds at a quarter of its
        # cost.
        np.clip(high, 0, 1, out=high)
        np.minimum(low, high, out=low)
        np.maximum(total, low, out=total)
        np.minimum(total, high, out=total)
        return total, low, high, known_weight

    def estimate(self) -> tuple[np.ndarray, float] | None:
        """A float32 estimate of every program's total and a bound ``eps`` on its error (NaN or
        inf where the estimate's known weight is 0: no bound there), or None when there is
        nothing to estimate.

        The estimate is K / (W - U) in float32, where the total is clip(K / (W - U), low, high)
        in float64 from the same float32 K and U. W - U loses at most 2^-24 (W / Wk + 1) of its
        value in float32 (and Wk >= the smallest weight when some criterion is known), the
        division 2^-24, and the clip moves the total by less than K's float32 overshoot (2 x
        2^-24 per column, relative). ``eps`` is 16 times their sum for totals up to ~1.
        """
        if self.known_score is None:
            return None
        total_weight = np.float32(self.total_weight)
        if self.unknown_weight is None:
            estimate = self.pattern_known.astype(np.float32).take(self.pattern)
        else:
            estimate = np.subtract(total_weight, self.unknown_weight)
        with np.errstate(invalid="ignore", divide="ignore"):
            np.divide(self.known_score, estimate, out=estimate)
        relative = self.total_weight / self.min_weight + 3 + 2 * self.columns
        return estimate, 2.0**-20 * relative


def weigh_columns(
    columns: tuple[Column, ...],
    n: int,
    patterns: tuple[np.ndarray, dict[str, np.ndarray]] | None = None,
    excluded: np.ndarray | None = None,
    codes=None,
) -> Totals:
    """The weighted sum of the criterion columns, as ``Totals`` (see ``score_columns``).

    Steps: K = sum over columns of w x score, unknown scores as 0, accumulated in float32 in
    column order (one multiply and one add per column, no stacked matrix); U = the weight of the
    unknown columns: summed per pattern of unknowns for columns that name their fact, else
    w x isnan(score) per program; W = sum w.

    With ``excluded`` (bool per program, changed in place), a lookup deal-breaker whose failing
    codes all score 0 ORs its failures into it from the same gather: those codes' weighted
    score is stored as -0.0, which adds nothing to K (x + -0.0 is x, and +0.0 + -0.0 is +0.0),
    so the failures are the sign bits of the gathered values; ``Totals.excluded_by`` holds the
    keys of the columns done so (rank ORs the others).

    With ``codes`` (the ProgramFeatures: ``narrow_codes`` and ``code_groups``), a lookup column
    whose programs with a non-zero weighted score are few (under n / SPARSE_SHARE) adds them at
    their positions only, K[p] += w x score[p], found from the programs grouped by code; one
    whose table has few distinct non-zero values is added by uint8 code comparisons
    (``_compare_plan``): per value v, K += v x [code in its codes]. Either way each program
    gets exactly its one product and x + 0 = x otherwise: the same bits as the gather. Its
    deal-breaker failures are found the same way.
    """
    weighted = [c for c in columns if c.weight > 0]
    if not weighted:
        return Totals(n)
    known_score = np.zeros(n, dtype=np.float32)
    zero = np.zeros(n, dtype=np.float32)  # fmax against an array is SIMD, against 0 is not
    buffer = np.empty(n, dtype=np.float32)
    unknown_weight = None
    pattern_facts = []  # (fact, weight) of the columns unknown by pattern, in column order
    excluded_by = set()
    masks = None
    for column in weighted:
        weight = np.float32(column.weight)
        if column.table is not None:
            # w x fmax(table, 0) gathered: per program the same float32 product as below.
            weighted_table = np.fmax(column.table, 0)
            weighted_table *= weight
            scanned = _scan(weighted_table)
            groups = None if codes is None else codes.code_groups(column.codes)
            if groups is not None and _add_sparse(
                column, weighted_table, groups, known_score, excluded, excluded_by, scanned
            ):
                plan = ()  # done: no gather, no add
            else:
                codes8 = None if codes is None else codes.narrow_codes(column.codes)
                grouped = None if codes8 is None else codes.grouped_codes(column.codes)
                cost = GATHER_COST[1 if grouped is None else grouped[0]]
                plan = None if codes8 is None else _compare_plan(weighted_table, cost, scanned)
            if plan:
                if masks is None:
                    masks = (np.empty(n, dtype=bool), np.empty(n, dtype=bool))
                for value, runs in plan:
                    _code_mask(codes8, runs, weighted_table.size, *masks)
                    np.copyto(buffer, masks[0])  # 0.0 / 1.0
                    buffer *= value
                    known_score += buffer
                fails_runs = (
                    None
                    if excluded is None or not column.dealbreaker or column.fails is not None
                    or column.fails_table is None
                    else _runs(np.flatnonzero(column.fails_table).tolist())
                )  # fmt: skip
                if fails_runs is not None and len(fails_runs) <= 8:
                    if fails_runs:
                        _code_mask(codes8, fails_runs, weighted_table.size, *masks)
                        excluded |= masks[0]
                    excluded_by.add(column.key)
            signed = plan is None and (
                excluded is not None
                and column.dealbreaker
                and column.fails is None
                and column.fails_table is not None
                and not (column.table[column.fails_table] != 0).any()  # NaN != 0: not signed
            )
            if signed:
                weighted_table[column.fails_table] = -0.0
            if plan is None:
                grouped_take(weighted_table, column.codes, grouped, buffer)
            if signed:
                excluded |= np.signbit(buffer)
                excluded_by.add(column.key)
        else:
            np.fmax(column.score, zero, out=buffer)  # NaN -> 0 (scores are in [0, 1])
            buffer *= weight
        if column.table is None or plan is None:
            known_score += buffer
        if patterns is not None and column.unknown is not None:
            pattern_facts.append((column.unknown, weight))
        else:
            if unknown_weight is None:
                unknown_weight = np.zeros(n, dtype=np.float32)
            np.isnan(column.score, out=buffer, casting="unsafe")
            buffer *= weight
            unknown_weight += buffer
    pattern_weight = None
    if pattern_facts:
        # Per pattern, the weights of its unknown facts summed in float32 in column order: a
        # reduction over the first axis adds the rows one after the other.
        table = patterns[1]
        unknown = np.array([table[fact] for fact, _ in pattern_facts], dtype=np.float32)
        unknown *= np.array([[w] for _, w in pattern_facts], dtype=np.float32)
        pattern_weight = np.add.reduce(unknown, axis=0)
    weights = np.array([c.weight for c in weighted], dtype=np.float32)
    total_weight = float(weights.sum(dtype=np.float64))
    shape = {"min_weight": float(weights.min()), "columns": len(weighted)}
    if unknown_weight is None:
        pattern_known = total_weight - pattern_weight.astype(np.float64)
        totals = Totals(
            n, known_score, total_weight, pattern=patterns[0], pattern_known=pattern_known, **shape
        )
    else:
        if pattern_weight is not None:
            unknown_weight += pattern_weight.take(patterns[0])
        totals = Totals(n, known_score, total_weight, unknown_weight=unknown_weight, **shape)
    totals.excluded_by = excluded_by
    return totals


SPARSE_SHARE = 25
# A lookup whose programs with a non-zero weighted score are more than n / SPARSE_SHARE but whose
# codes from the first to the last non-zero one hold at most n / SPAN_SHARE programs adds the
# whole span (contiguous in the programs grouped by code): K[p] += table[code[p]] there, x + 0
# = x for the zero codes inside it. Measured on 100,000 programs: gather, add and scatter of
# 5,000 programs ~20 us, of 10,000 ~35 us, of 20,000 ~63 us, against ~60 us (~90 us amid the
# other columns) for the full gather and add. Hours and length (97% unknown for NRMP rows:
# ~5% of programs known, every known value scoring) take it.
SPAN_SHARE = 8


def _scan(weighted_table: np.ndarray) -> tuple[list[float], list[int]] | None:
    """A small weighted table's values as Python floats and its non-zero codes, read once for
    ``_add_sparse`` and ``_compare_plan`` (a Python scan of up to 256 codes is cheaper than
    numpy's calls on them), or None for a larger table."""
    if weighted_table.size > 256:
        return None
    values = weighted_table.tolist()  # the float32 values, exactly
    return values, [code for code, value in enumerate(values) if value != 0]  # NaN made 0


def _add_sparse(
    column, weighted_table, groups, known_score, excluded, excluded_by, scanned=None
) -> bool:
    """K[p] += weighted_table[code[p]] at the programs whose weighted score is not 0, when
    they are under n / SPARSE_SHARE, or at every program of the span of codes from the first
    to the last non-zero one, when those are under n / SPAN_SHARE (and the same for its
    deal-breaker failures); False (and nothing done) otherwise.

    The programs are grouped by code (``ProgramFeatures.code_groups``), so a span's
    weighted values are each code's value repeated over its programs: no gather of codes.
    """
    order, bounds, sizes, size_list = groups
    n = known_score.size
    size = sizes.size
    if scanned is not None and size_list is not None:  # codes from the size on: no programs
        nonzero_codes = [c for c in scanned[1] if c < size]
        known = sum([size_list[c] for c in nonzero_codes])
    else:
        nonzero_codes = np.flatnonzero(weighted_table[:size] != 0)
        known = int(sizes[nonzero_codes].sum())
    span = None
    if known * SPARSE_SHARE > n:
        first_code, last_code = int(nonzero_codes[0]), int(nonzero_codes[-1])
        first, stop = int(bounds[first_code]), int(bounds[last_code + 1])
        if (stop - first) * SPAN_SHARE > n:
            return False
        span = (first, stop, first_code, last_code)
    failing = None
    if (
        excluded is not None
        and column.dealbreaker
        and column.fails is None
        and column.fails_table is not None
    ):
        failing = np.flatnonzero(column.fails_table[:size])
        if int(sizes[failing].sum()) * SPARSE_SHARE > n:
            return False
    if span is not None:
        first, stop, first_code, last_code = span
        positions = order[first:stop]
        repeats = sizes[first_code : last_code + 1]
        values = np.repeat(weighted_table[first_code : last_code + 1], repeats)
        values += known_score[positions]  # K + x, as known_score += x there
        known_score[positions] = values
    elif len(nonzero_codes):
        positions = np.concatenate(
            [order[bounds[c] : bounds[c + 1]] for c in np.asarray(nonzero_codes).tolist()]
        )
        values = np.repeat(weighted_table[nonzero_codes], sizes[nonzero_codes])
        values += known_score[positions]  # K + x, as known_score += x there
        known_score[positions] = values
    if failing is not None:
        for c in failing.tolist():
            excluded[order[bounds[c] : bounds[c + 1]]] = True
        excluded_by.add(column.key)
    return True


# Cost model of _compare_plan, in microseconds per 100,000 programs (measured: a float32 gather
# ~130, a uint8 comparison ~3, bool -> float32, multiply and add ~10 each); the gather of codes
# grouped in pairs or fours (grouped_take) costs about a half and a third of one by one.
GATHER_COST, VALUE_COST, RUN_COST = {1: 110, 2: 60, 4: 40}, 30, 6
# The wide items grouped_take reads: two or four float32 scores at once.
GROUPED_ITEMS = {2: np.uint64, 4: np.complex128}


def grouped_take(table: np.ndarray, codes: np.ndarray, grouped, out: np.ndarray) -> None:
    """``out`` = ``table.take(codes, mode="clip")`` (float32 table, codes below its size),
    through the codes grouped by ``ProgramFeatures.grouped_codes`` when given: a table of
    every combination of ``group`` codes (radix^group entries of ``group`` float32 values,
    built here) is gathered at the packed codes, ``group`` programs per item, and the
    remainder one by one. The items are copied as bytes, so ``out`` holds the same values.
    """
    if grouped is None:
        table.take(codes, out=out, mode="clip")
        return
    group, radix, packed = grouped
    combinations = table[:radix].take(_combination_digits(radix, group))
    item = GROUPED_ITEMS[group]
    whole = packed.size * group
    combinations.reshape(-1).view(item).take(packed, out=out[:whole].view(item), mode="clip")
    if whole < codes.size:
        table.take(codes[whole:], out=out[whole:], mode="clip")


@functools.cache
def _combination_digits(radix: int, group: int) -> np.ndarray:
    """Every combination of ``group`` codes below ``radix`` in the order of their packed
    value (``ProgramFeatures.grouped_codes``: the first code is the most significant digit),
    as a (radix^group, group) array of codes."""
    digits = np.indices((radix,) * group).reshape(group, -1).T.copy()
    digits.flags.writeable = False
    return digits


def _runs(codes) -> list[tuple[int, int]]:
    """Sorted distinct codes (ints) as runs of consecutive codes ``[(first, last), ...]``.
    Plain Python: the tables are small, and numpy's per-call cost would be most of it."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return [(first, last) for first, last in runs]


def _compare_plan(
    weighted_table: np.ndarray, gather_cost: float = GATHER_COST[1], scanned=None
) -> list | None:
    """``[(value, runs of codes), ...]`` for each distinct non-zero value of a weighted lookup
    table (float32), in increasing value, or None when a gather is cheaper (``gather_cost``,
    from GATHER_COST) or a code is above 255. ``scanned`` is the table's ``_scan``, when
    made already."""
    if scanned is None:
        scanned = _scan(weighted_table)
    if scanned is None:
        return None
    values, nonzero = scanned
    by_value: dict[float, list[int]] = {}
    for code in nonzero:
        by_value.setdefault(values[code], []).append(code)
    if len(by_value) * VALUE_COST >= gather_cost:
        return None
    plan = []
    cost = len(by_value) * VALUE_COST
    for value in sorted(by_value):
        runs = _runs(by_value[value])
        cost += len(runs) * RUN_COST
        plan.append((np.float32(value), runs))
    return plan if cost < gather_cost else None


def _code_mask(codes8, runs, size: int, out: np.ndarray, scratch: np.ndarray) -> None:
    """``out`` = whether each program's uint8 code is in one of the runs (codes < size)."""
    for k, (first, last) in enumerate(runs):
        target = out if k == 0 else scratch
        if first == last:
            np.equal(codes8, first, out=target)
        elif last >= size - 1:
            np.greater_equal(codes8, first, out=target)
        else:
            np.greater_equal(codes8, first, out=target)
            target &= codes8 <= last
        if k:
            out |= scratch
    if not runs:
        out[:] = False


def score_columns(
    columns: tuple[Column, ...],
    n: int,
    patterns: tuple[np.ndarray, dict[str, np.ndarray]] | None = None,
):
    """Total, range and known weight per program from criterion columns.

    Takes the columns, the number of programs and optionally the features' unknown patterns
    (``ProgramFeatures.unknown_patterns``); returns (total, low, high, known_weight,
    total_weight) with the first four float64 arrays in [0, 1] (known_weight in weight units).
    Steps: K and U as in ``weigh_columns``; Wk = W - U, total = K / Wk (0.5 when nothing is
    known), low = K / W (every unknown completed with 0), high = (K + W - Wk) / W (every unknown
    completed with 1). Every completion's weighted mean (K + sum of w_u s_u) / W lies in
    [low, high], and so does the total since K <= Wk. Source: the issue's rule "unknowns widen
    the score into a range".
    """
    totals = weigh_columns(columns, n, patterns)
    return (*totals.full(), totals.total_weight)


def rank(goals: Goals, features: ProgramFeatures, *, head: int = 50) -> Ranking:
    """Score every program against the goals and order the list.

    Takes frozen Goals, the ProgramFeatures (built once) and how many programs to order eagerly
    (``head``; the rest is ordered on demand). Returns a Ranking; the inputs are not changed.
    Steps: (1) one score column per answered question (criteria.build_columns); (2) the weighted
    sum (weigh_columns; the total and range of a program are computed when needed); (3)
    deal-breakers: a program known to fail one is excluded, one where it is unknown is kept and
    flagged; (4) order by total, then low end of the range, then position; (5) for an exploring
    student, re-pick the head by maximal marginal relevance over specialty and setting (mmr). A
    decided student's depth (department strength, residency affiliation) is already in the
    columns. Source: the issue "Fit engine" (issue 4, part 3).
    """
    n = len(features)
    columns = build_columns(features, goals)
    patterns = features.unknown_patterns()
    excluded = np.zeros(n, dtype=bool)
    totals = weigh_columns(columns, n, patterns, excluded, features)
    for column in columns:
        if column.dealbreaker and column.key not in totals.excluded_by:
            excluded |= column.failing
    kept = n - int(np.count_nonzero(excluded))
    diversified = goals.is_exploring
    size = min(head, kept)
    if diversified:
        wide, relevance = _best_of(totals, excluded, max(size, MMR_WIDE_POOL))
        take = _diverse_pool(wide, features, size)
        head_positions = _mmr(wide[take], relevance[take], features, size)
    else:
        head_positions, _ = _best_of(totals, excluded, size)
    return Ranking(
        features=features,
        goals=goals,
        columns=columns,
        totals=totals,
        total_weight=totals.total_weight,
        excluded=excluded,
        head=head_positions,
        diversified=diversified,
    )


def _flagged(columns, features: ProgramFeatures, excluded: np.ndarray) -> np.ndarray:
    """The kept programs where a deal-breaker's fact is unknown (bool per program)."""
    patterns = features.unknown_patterns()
    check = np.zeros(len(features), dtype=bool)
    pattern_check = None  # deal-breakers unknown by pattern of unknown facts, gathered once
    for column in columns:
        if column.dealbreaker:
            if column.unknown is not None:
                unknown = patterns[1][column.unknown]
                pattern_check = unknown if pattern_check is None else pattern_check | unknown
            else:
                check |= np.isnan(column.score)
    if pattern_check is not None:
        check |= pattern_check.take(patterns[0])
    check &= ~excluded
    return check


def _best_of(totals: Totals, excluded: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the k best kept programs by (total desc, low desc, position asc), and
    their totals; the exact totals are computed for a few candidates only.

    Steps: guess a cut C from every ``BEST_SAMPLE_STRIDE``-th program's float32 estimate (the
    ``k // stride + BEST_SAMPLE_SPARE``-th best of the sample); the candidates are the kept
    programs whose estimate is not below C - 2 eps (NaN estimates included). Every other program's
    exact total is below C - eps. Their exact totals and ranges are computed; if the k-th best
    exact total is above C - eps, every program that can be among the k best is a candidate,
    and sorting the candidates exactly gives the same k as sorting all programs. Otherwise
    (few candidates, a bad guess) ``_best`` over every program's exact total.
    """
    estimated = totals.estimate()
    if estimated is not None and excluded.size >= 16 * k:
        estimate, eps = estimated
        sample = estimate[::BEST_SAMPLE_STRIDE][~excluded[::BEST_SAMPLE_STRIDE]]
        place = _sample_place(k)
        if sample.size > place:
            guess = float(np.partition(sample, sample.size - place)[sample.size - place])
            cut = np.float32(guess - 2 * eps)
            if np.isfinite(guess) and float(cut) > guess - 2 * eps:
                cut = np.nextafter(cut, np.float32(-np.inf))
            if np.isfinite(guess):
                candidates = np.flatnonzero(~(estimate < cut))  # NaN: a candidate
                candidates = candidates[~excluded[candidates]]
                if candidates.size >= k > 0:
                    total, low, _, _ = totals.at(candidates)
                    kth = -np.partition(-total, k - 1)[k - 1]
                    if kth > float(cut) + eps:
                        best = np.lexsort((candidates, -low, -total))[:k]
                        return candidates[best], total[best]
    total, low = totals.full()[:2]
    best = _best(total, low, excluded, k)
    return best, total[best]


def _sample_place(k: int) -> int:
    """Which best of the sample (every BEST_SAMPLE_STRIDE-th program) to take as the cut for
    the k best: k / stride plus a spare that grows with k. The sampled count above a cut
    scatters by about its square root, so a fixed spare is too little for the exploring
    student's 2,000 (seen: 1,984 candidates, then the slow full computation)."""
    return k // BEST_SAMPLE_STRIDE + BEST_SAMPLE_SPARE + k // (4 * BEST_SAMPLE_STRIDE)


def _best(total: np.ndarray, low: np.ndarray, excluded: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best kept programs by (total desc, low desc, position asc).

    Steps: guess a threshold from every ``BEST_SAMPLE_STRIDE``-th program (the total of its
    ``k // stride + BEST_SAMPLE_SPARE``-th best), take every kept program at or above it (one
    compare, no partition of all programs); if fewer than k pass, fall back to a full partition.
    Either way every program that can be among the k best is a candidate, and the candidates
    are sorted exactly.
    """
    n = total.size
    candidates = None
    if n >= 16 * k:  # small lists: the full partition is cheap anyway
        sample = total[::BEST_SAMPLE_STRIDE][~excluded[::BEST_SAMPLE_STRIDE]]
        place = _sample_place(k)
        if sample.size > place:
            threshold = np.partition(sample, sample.size - place)[sample.size - place]
            candidates = np.flatnonzero(total >= threshold)
            candidates = candidates[~excluded[candidates]]
            if candidates.size < k:
                candidates = None
    if candidates is None:
        candidates = np.flatnonzero(~excluded)
        k = min(k, candidates.size)
        if k == 0:
            return np.zeros(0, dtype=np.intp)
        key = total[candidates]
        if k < candidates.size:
            threshold = -np.partition(-key, k - 1)[k - 1]
            candidates = candidates[key >= threshold]  # all ties at the threshold: exact order
    ordered = candidates[np.lexsort((candidates, -low[candidates], -total[candidates]))]
    return ordered[:k]


def _diverse_pool(wide: np.ndarray, features: ProgramFeatures, size: int) -> np.ndarray:
    """Which of ``wide`` (positions, best first) MMR picks from, as a bool mask: the best
    ``max(size, MMR_POOL)`` plus the best ``MMR_PER_SPECIALTY`` of every specialty found in it.

    Without the second part, a catalog where hundreds of programs of one specialty tie at the top
    gives MMR nothing else to choose, and an exploring student sees one specialty only.
    """
    take = np.zeros(wide.size, dtype=bool)
    take[: max(size, MMR_POOL)] = True
    specialty = features.specialty[wide]
    order = np.argsort(specialty, kind="stable")  # stable: best first within each specialty
    grouped = specialty[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    rank_in_group = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
    take[order[rank_in_group < MMR_PER_SPECIALTY]] = True
    return take


def mmr(pool: np.ndarray, relevance: np.ndarray, features: ProgramFeatures, k: int) -> np.ndarray:
    """Pick k programs from ``pool`` (best first) by maximal marginal relevance.

    Takes candidate positions sorted best first, the relevance (total in [0, 1]) of every
    position, the features, and k. Returns k positions in pick order. Steps: start with the best;
    then repeatedly take argmax of ``MMR_LAMBDA * relevance - (1 - MMR_LAMBDA) * max similarity
    to the picked ones`` (ties: the better-ranked). Similarity of two programs = 0.4 if they share
    a (known) specialty + 0.4 if they are at the same (known) institution + 0.2 if they share a
    (known) setting: academic (degree >= SETTING_SPLIT) or community — so ten tracks of one
    hospital do not fill the head of the list. Source: Carbonell & Goldstein, "The use of MMR,
    diversity-based reranking for reordering documents and producing summaries", SIGIR 1998.
    """
    return _mmr(pool, relevance[pool], features, k)


def _mmr(pool: np.ndarray, relevance: np.ndarray, features: ProgramFeatures, k: int) -> np.ndarray:
    """``mmr`` with the relevance of the pool's programs only (in pool order)."""
    k = min(k, pool.size)
    if k == 0:
        return pool[:0]
    rel = relevance.astype(np.float64)
    spec = features.specialty[pool]
    institution = features.institution[pool]
    academic = features.academic[pool]
    setting = np.where(np.isnan(academic), -1, (academic >= SETTING_SPLIT).astype(np.int8))
    # Every pair's similarity at once (the pool is a few hundred): the loop is then max, argmax.
    similarity = (
        SIMILARITY_SPECIALTY * ((spec[:, None] == spec[None, :]) & (spec >= 0)[:, None])
        + SIMILARITY_INSTITUTION
        * ((institution[:, None] == institution[None, :]) & (institution >= 0)[:, None])
        + SIMILARITY_SETTING * ((setting[:, None] == setting[None, :]) & (setting >= 0)[:, None])
    )
    relevant = MMR_LAMBDA * rel
    # value = relevant - (1 - lambda) x (max similarity to the picked ones), kept as the minimum
    # over the picked ones of relevant - (1 - lambda) x similarity: x -> r - c x rounds
    # monotonically, so the minimum is the value at the maximum, the same bits.
    penalised = similarity * (1 - MMR_LAMBDA)
    np.subtract(relevant, penalised, out=penalised)
    value = relevant.copy()
    picks = []
    pick = 0
    for _ in range(k):
        picks.append(pick)
        np.minimum(value, penalised[pick], out=value)
        value[pick] = -np.inf  # and stays so: the minimum keeps it
        pick = int(np.argmax(value))
    return pool[np.array(picks, dtype=np.intp)]
