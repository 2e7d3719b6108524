"""A generator of realistic NRMP-like instances, for benchmarks and demonstrations."""

from __future__ import annotations

from .instance import Applicant, Couple, Instance, Program, validate

REGIONS = 9  # the US census divisions
SPECIALTIES = 24  # roughly the NRMP's main specialties
CANDIDATES_GLOBAL = 40
CANDIDATES_LOCAL = 20


def generate(
    applicants: int = 50_000,
    couples: int = 1_100,
    seed: int = 1,
    *,
    programs: int | None = None,
    positions_per_applicant: float = 0.82,
) -> Instance:
    """Generate a random instance shaped like the NRMP Main Match.

    Takes the number of applicants (couple members included), couples, a seed, optionally the
    number of programs (default applicants / 7.5) and positions per applicant (2025: 43,237 /
    52,498 = 0.82). Returns a validated :class:`Instance`. Steps: (1) programs get a region, a
    popularity (normal) and a skewed capacity (log-normal, 1 to 30, scaled to the position
    total) and belong to one of 24 specialties; (2) every applicant has a specialty, a home
    region, a strength, and a list length of 1 to 20 (normal around 11); (3) each draws 40
    candidate programs of their specialty nationwide and 20 in their home region, near their own
    level, scores them by popularity, region and noise and ranks the best; (4) a
    couple's members draw lists the same way and their joint list is the best same-region pairs
    by summed score, then a few "no match" rows; (5) each program ranks 90% of the applicants who
    ranked it, by strength plus noise, with a bonus for its own region. Source: NRMP "Results and
    Data: 2025 Main Residency Match" for the sizes.
    """
    import numpy as np

    if applicants < 2 * couples:
        raise ValueError("applicants must be at least twice the number of couples")
    rng = np.random.default_rng(seed)
    n_programs = programs or max(1, round(applicants / 7.5))
    program_region = rng.integers(0, REGIONS, n_programs)
    popularity = rng.normal(0.0, 1.0, n_programs)
    raw = rng.lognormal(1.5, 0.8, n_programs)
    target = max(n_programs, round(applicants * positions_per_applicant))
    scale = target / raw.sum()
    for _ in range(8):
        capacity = np.clip(np.rint(raw * scale), 1, 30).astype(np.int64)
        scale *= target / max(1, capacity.sum())
    # Specialties: program tracks belong to one; an applicant applies within theirs, and the
    # two members of a couple usually belong to different ones.
    share = rng.dirichlet(np.full(SPECIALTIES, 1.5))
    program_specialty = rng.choice(SPECIALTIES, size=n_programs, p=share)
    seats = np.bincount(program_specialty, weights=capacity, minlength=SPECIALTIES)
    seats = np.where(seats > 0, seats, 0)

    def sorted_programs(mask: np.ndarray) -> np.ndarray:
        chosen = np.flatnonzero(mask)
        return chosen[np.argsort(popularity[chosen], kind="stable")]

    groups = {
        (s, r): sorted_programs((program_specialty == s) & (program_region == r))
        for s in range(SPECIALTIES)
        for r in range(REGIONS)
    }
    nationwide = {s: sorted_programs(program_specialty == s) for s in range(SPECIALTIES)}

    home = rng.integers(0, REGIONS, applicants)
    for i in range(couples):  # couple members share a home region
        home[applicants - 2 * couples + 2 * i + 1] = home[applicants - 2 * couples + 2 * i]
    specialty = rng.choice(SPECIALTIES, size=applicants, p=seats / seats.sum())
    second = np.arange(applicants - 2 * couples + 1, applicants, 2)
    clash = specialty[second] == specialty[second - 1]
    while clash.any():  # partners in the same specialty are rare: redraw one of them
        specialty[second[clash]] = rng.choice(
            SPECIALTIES, size=int(clash.sum()), p=seats / seats.sum()
        )
        clash = specialty[second] == specialty[second - 1]
    strength = rng.normal(0.0, 1.0, applicants)
    length = np.clip(np.rint(rng.normal(11, 4, applicants)), 1, 20).astype(np.int64)

    # Interviews, hence candidates, sit around the applicant's own level: programs of their
    # specialty whose prestige is near their strength (a little above: applicants reach), 40
    # nationwide and 20 in their home region (60 in it for couple members: one metro area).
    width = CANDIDATES_GLOBAL + CANDIDATES_LOCAL
    candidates = np.empty((applicants, width), dtype=np.int64)
    is_couple = np.arange(applicants) >= applicants - 2 * couples
    for s in range(SPECIALTIES):
        pool = nationwide[s]
        if not len(pool):
            continue
        for r in range(REGIONS):
            rows = np.flatnonzero((specialty == s) & (home == r))
            if not len(rows):
                continue
            local = groups[(s, r)] if len(groups[(s, r)]) else pool
            aim = strength[rows, None] + rng.normal(0.2, 0.6, (len(rows), CANDIDATES_GLOBAL))
            where = np.clip(np.searchsorted(popularity[pool], aim), 0, len(pool) - 1)
            candidates[rows, :CANDIDATES_GLOBAL] = pool[where]
            aim = strength[rows, None] + rng.normal(0.0, 0.8, (len(rows), CANDIDATES_LOCAL))
            where = np.clip(np.searchsorted(popularity[local], aim), 0, len(local) - 1)
            candidates[rows, CANDIDATES_GLOBAL:] = local[where]
            pair = rows[is_couple[rows]]
            if len(pair):
                aim = strength[pair, None] + rng.normal(0.0, 0.8, (len(pair), CANDIDATES_GLOBAL))
                where = np.clip(np.searchsorted(popularity[local], aim), 0, len(local) - 1)
                candidates[pair, :CANDIDATES_GLOBAL] = local[where]
    empty = ~np.isin(specialty, program_specialty)
    if empty.any():  # a specialty without programs: apply anywhere
        everywhere = sorted_programs(np.ones(n_programs, dtype=bool))
        aim = strength[empty, None] + rng.normal(0.0, 0.8, (int(empty.sum()), width))
        where = np.clip(np.searchsorted(popularity[everywhere], aim), 0, n_programs - 1)
        candidates[empty] = everywhere[where]
    score = (
        0.6 * popularity[candidates]
        + 0.8 * (program_region[candidates] == home[:, None])
        + rng.gumbel(0.0, 1.0, candidates.shape)
    )
    order = np.argsort(candidates, axis=1, kind="stable")
    sorted_candidates = np.take_along_axis(candidates, order, axis=1)
    duplicate = np.zeros_like(sorted_candidates, dtype=bool)
    duplicate[:, 1:] = sorted_candidates[:, 1:] == sorted_candidates[:, :-1]
    np.put_along_axis(
        score, order, np.where(duplicate, -np.inf, np.take_along_axis(score, order, 1)), 1
    )
    best = np.argsort(-score, axis=1, kind="stable")[:, :20]
    ranked = np.take_along_axis(candidates, best, axis=1)
    ranked_score = np.take_along_axis(score, best, axis=1)
    valid = np.isfinite(ranked_score) & (np.arange(20)[None, :] < length[:, None])

    applicant_ids = [f"A{i:06d}" for i in range(applicants)]
    program_ids = [f"P{p:05d}" for p in range(n_programs)]
    n_singles = applicants - 2 * couples
    ranked_list = ranked.tolist()
    valid_list = valid.tolist()
    lists = [
        [p for p, ok in zip(row, oks, strict=False) if ok]
        for row, oks in zip(ranked_list, valid_list, strict=False)
    ]

    singles = tuple(
        Applicant(applicant_ids[a], tuple(program_ids[p] for p in lists[a]))
        for a in range(n_singles)
    )
    couple_records = []
    pairs_a: list[int] = []
    pairs_p: list[int] = []
    for i in range(couples):
        first = n_singles + 2 * i
        second = first + 1
        s1 = {
            p: v
            for p, v in zip(ranked_list[first], ranked_score[first].tolist(), strict=True)
            if v > -np.inf
        }
        s2 = {
            q: v
            for q, v in zip(ranked_list[second], ranked_score[second].tolist(), strict=True)
            if v > -np.inf
        }
        options = [
            (s1[p] + s2[q], p, q)
            for p in s1
            for q in s2
            if program_region[p] == program_region[q] and (p != q or capacity[p] >= 2)
        ]
        options.sort(key=lambda o: -o[0])
        rows: list[tuple[int, int]] = [(p, q) for _, p, q in options[:40]]
        rows += [(p, -1) for p in lists[first][:3]] + [(-1, q) for q in lists[second][:2]]
        couple_records.append(
            Couple(
                f"C{i:05d}",
                (applicant_ids[first], applicant_ids[second]),
                tuple(
                    (program_ids[p] if p >= 0 else None, program_ids[q] if q >= 0 else None)
                    for p, q in rows
                ),
            )
        )
        used_first = {p for p, _ in rows if p >= 0}
        used_second = {q for _, q in rows if q >= 0}
        pairs_a.extend([first] * len(used_first) + [second] * len(used_second))
        pairs_p.extend(list(used_first) + list(used_second))

    single_mask = valid[:n_singles]
    rows_a = np.concatenate([np.nonzero(single_mask)[0], np.asarray(pairs_a, dtype=np.int64)])
    rows_p = np.concatenate([ranked[:n_singles][single_mask], np.asarray(pairs_p, dtype=np.int64)])
    keep = rng.random(len(rows_a)) < 0.9
    rows_a = rows_a[keep]
    rows_p = rows_p[keep]
    merit = (
        strength[rows_a]
        + rng.normal(0.0, 0.5, len(rows_a))
        + 0.3 * (home[rows_a] == program_region[rows_p])
    )
    sequence = np.lexsort((-merit, rows_p))
    rows_a = rows_a[sequence]
    rows_p = rows_p[sequence]
    bounds = np.searchsorted(rows_p, np.arange(n_programs + 1))
    ids_sorted = [applicant_ids[a] for a in rows_a.tolist()]
    bounds_list = bounds.tolist()
    capacity_list = capacity.tolist()
    program_records = tuple(
        Program(
            program_ids[p],
            capacity_list[p],
            tuple(ids_sorted[bounds_list[p] : bounds_list[p + 1]]),
        )
        for p in range(n_programs)
    )
    return validate(Instance(singles, program_records, tuple(couple_records)))
