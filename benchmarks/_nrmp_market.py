"""An NRMP-like market for the engine benchmarks, written apart from ``matching/generator.py``.

Shared set-up for ``match_engine.py`` (a ``_*.py`` module is not a benchmark itself). It shares no
code or modelling choices with the package's generator, so the engine is measured on inputs its
own generator never produced. It writes the three encodings the engine reads (records JSON, a
CSV directory, compact JSON) and a flat text file for the C reference (``c_reference/da.c``).

The market follows the shape of the NRMP Main Match (NRMP, "Results and Data: 2025 Main
Residency Match"; "Charting Outcomes in the Match"):

* specialties with a strongly skewed share of positions (internal medicine about a quarter,
  family medicine and pediatrics next, then a long tail of small specialties);
* program capacities log-normal within a specialty (1 to about 60), a national prestige and a
  census region;
* applicants of three kinds with different list lengths (US MD seniors around 13 programs, DO
  seniors around 11, international graduates around 7, with a long tail to 40), a quality, a
  home region and a preferred specialty; one in eight also applies in a second specialty;
* an interview stage: an applicant is interviewed where their quality reaches the program's
  prestige (with noise); they rank most of their interviews by prestige, home region and noise;
  a program ranks about 85% of its interviewees (including ones who do not rank it back) by
  quality, home region and noise;
* couples: both members share a home region, each interviews as above, and their joint list
  is the best pairs of their interviews in the same region, then a few "no match" rows for one
  member;
* ids that look like the NRMP's (8-digit applicant ids, 9-character program codes), applicants
  in shuffled order.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Share of positions by specialty (rounded from the 2025 Main Match), and its 3-digit code.
SPECIALTIES = [
    ("140", 0.255),  # internal medicine (categorical)
    ("120", 0.125),  # family medicine
    ("320", 0.066),  # pediatrics
    ("400", 0.051),  # psychiatry
    ("110", 0.071),  # emergency medicine
    ("220", 0.036),  # obstetrics and gynecology
    ("440", 0.040),  # general surgery
    ("040", 0.036),  # anesthesiology
    ("420", 0.011),  # diagnostic radiology
    ("180", 0.011),  # neurology
    ("300", 0.008),  # pathology
    ("360", 0.009),  # physical medicine
    ("060", 0.006),  # dermatology
    ("260", 0.007),  # orthopaedic surgery
    ("280", 0.005),  # otolaryngology
    ("380", 0.004),  # plastic surgery
    ("460", 0.005),  # urology
    ("160", 0.003),  # neurological surgery
    ("240", 0.004),  # ophthalmology (early match here as a small one)
    ("480", 0.003),  # vascular surgery
    ("142", 0.120),  # transitional / preliminary medicine
    ("442", 0.050),  # preliminary surgery
    ("340", 0.021),  # medicine-pediatrics
    ("500", 0.052),  # other small specialties together
]
REGIONS = np.array([0.05, 0.14, 0.16, 0.07, 0.19, 0.06, 0.11, 0.06, 0.16])  # census divisions
KINDS = (("md", 0.47, 13.0, 5.0), ("do", 0.17, 11.0, 4.0), ("img", 0.36, 7.0, 4.0))


@dataclass(frozen=True)
class Market:
    """A generated market as plain integer-indexed lists (persons: singles, then couple pairs)."""

    applicant_ids: list[str]  # singles then couple members in pairs
    n_singles: int
    program_ids: list[str]
    capacity: list[int]
    applicant_rankings: list[list[int]]  # per single: program indices
    program_rankings: list[list[int]]  # per program: person indices
    couple_ids: list[str]
    couple_rows: list[list[tuple[int, int]]]  # per couple: (program or -1, program or -1)

    @property
    def list_entries(self) -> int:
        return sum(map(len, self.applicant_rankings)) + sum(map(len, self.couple_rows))


def generate(applicants: int = 50_000, programs: int = 6_000, couples: int = 0, seed: int = 7):
    """Return a :class:`Market` of ``applicants`` persons (couple members included)."""
    rng = np.random.default_rng(seed)
    codes = [code for code, _ in SPECIALTIES]
    share = np.array([s for _, s in SPECIALTIES])
    share /= share.sum()
    # Programs: a specialty by share of positions (more programs where there are more positions),
    # a region, a prestige and a log-normal capacity scaled to about 0.83 positions per applicant.
    program_specialty = rng.choice(len(codes), size=programs, p=share)
    program_region = rng.choice(len(REGIONS), size=programs, p=REGIONS / REGIONS.sum())
    prestige = rng.normal(0.0, 1.0, programs)
    raw = rng.lognormal(1.6, 0.7, programs)
    capacity = np.clip(np.rint(raw * 0.83 * applicants / raw.sum()), 1, 60).astype(np.int64)

    # Applicants: kind (list length), quality, home region, first and maybe second specialty.
    kind = rng.choice(len(KINDS), size=applicants, p=[k[1] for k in KINDS])
    mean = np.array([k[2] for k in KINDS])[kind]
    spread = np.array([k[3] for k in KINDS])[kind]
    length = np.clip(np.rint(rng.gamma((mean / spread) ** 2, spread**2 / mean)), 1, 40)
    length = length.astype(np.int64)
    quality = rng.normal(0.0, 1.0, applicants) + np.array([0.4, 0.1, -0.5])[kind]
    home = rng.choice(len(REGIONS), size=applicants, p=REGIONS / REGIONS.sum())
    n_singles = applicants - 2 * couples
    home[n_singles + 1 :: 2] = home[n_singles::2]  # partners share a home region
    positions = np.bincount(program_specialty, weights=capacity, minlength=len(codes))
    demand = positions / positions.sum()
    first = rng.choice(len(codes), size=applicants, p=demand)
    second = np.where(
        rng.random(applicants) < 0.125, rng.choice(len(codes), applicants, p=demand), -1
    )

    by_specialty = [np.flatnonzero(program_specialty == s) for s in range(len(codes))]
    interviews: list[list[int]] = [[] for _ in range(applicants)]
    utility: list[dict[int, float]] = [{} for _ in range(applicants)]

    def interview(people: np.ndarray, members: np.ndarray) -> None:
        # Interview offers: quality against prestige, with noise; about 1.3x the list length.
        reach = quality[people, None] + rng.normal(0.0, 0.8, (len(people), len(members)))
        offered = reach > prestige[None, members] - 0.6
        local = home[people, None] == program_region[None, members]
        score = (
            prestige[None, members] * 0.9
            + local * 0.8
            + rng.gumbel(0.0, 0.7, (len(people), len(members)))
        )
        score = np.where(offered, score, -np.inf)
        order = np.argsort(-score, axis=1)
        wanted = np.minimum(np.rint(length[people] * 1.3).astype(np.int64), offered.sum(1))
        for row, person in enumerate(people.tolist()):
            taken = order[row, : wanted[row]]
            programs_taken = members[taken].tolist()
            interviews[person].extend(programs_taken)
            utility[person].update(zip(programs_taken, score[row, taken].tolist(), strict=True))

    for s, members in enumerate(by_specialty):
        if not len(members):
            continue
        for choice in (first, second):
            everyone = np.flatnonzero(choice == s)
            for chunk in range(0, len(everyone), 2000):  # bounded memory: 2,000 rows at a time
                interview(everyone[chunk : chunk + 2000], members)

    # Applicants rank their best interviews (about 1/1.3 of them, at least one).
    applicant_rankings: list[list[int]] = []
    for person in range(applicants):
        chosen = sorted(set(interviews[person]), key=lambda p, u=utility[person]: -u[p])
        applicant_rankings.append(chosen[: max(1, int(length[person]))] if chosen else [])

    # Programs rank about 85% of their interviewees by quality, home region and noise.
    interviewed_by: list[list[int]] = [[] for _ in range(programs)]
    for person in range(applicants):
        for p in set(interviews[person]):
            interviewed_by[p].append(person)
    program_rankings = []
    for p in range(programs):
        pool = np.array(interviewed_by[p], dtype=np.int64)
        if not len(pool):
            program_rankings.append([])
            continue
        kept = pool[rng.random(len(pool)) < 0.85]
        merit = (
            quality[kept] + 0.4 * (home[kept] == program_region[p]) + rng.normal(0, 0.5, len(kept))
        )
        program_rankings.append(kept[np.argsort(-merit, kind="stable")].tolist())

    couple_rows = []
    for c in range(couples):
        a, b = n_singles + 2 * c, n_singles + 2 * c + 1
        mine = applicant_rankings[a]
        theirs = applicant_rankings[b]
        pairs = [
            (utility[a][p] + utility[b][q], p, q)
            for p in mine
            for q in theirs
            if program_region[p] == program_region[q] and p != q
        ]
        pairs.sort(key=lambda row: -row[0])
        rows = [(p, q) for _, p, q in pairs[:30]]
        rows += [(p, -1) for p in mine[:2]] + [(-1, q) for q in theirs[:1]]
        if not rows:
            rows = [(-1, theirs[0])] if theirs else [(mine[0], -1)] if mine else []
        couple_rows.append(rows)

    # Ids: distinct 8-digit applicant ids, NRMP-style program codes; singles shuffled.
    numbers = rng.choice(
        np.arange(10_000_000, 99_999_999), size=applicants + couples, replace=False
    )
    person_ids = [str(n) for n in numbers[:applicants].tolist()]
    couple_ids = [f"C{n}" for n in numbers[applicants:].tolist()]
    tracks = "CPRA"
    program_ids = [
        f"{1000 + p % 9000:04d}{codes[program_specialty[p]]}{tracks[(p // 9000) % 4]}{p // 36000}"
        for p in range(programs)
    ]
    order = rng.permutation(n_singles)  # singles in shuffled order; couple members keep theirs
    position = np.empty(applicants, dtype=np.int64)
    position[order] = np.arange(n_singles)
    position[n_singles:] = np.arange(n_singles, applicants)
    index = position.tolist()
    return Market(
        applicant_ids=[person_ids[i] for i in order.tolist()] + person_ids[n_singles:],
        n_singles=n_singles,
        program_ids=program_ids,
        capacity=capacity.tolist(),
        applicant_rankings=[applicant_rankings[i] for i in order.tolist()],
        program_rankings=[[index[a] for a in ranking] for ranking in program_rankings],
        couple_ids=couple_ids,
        couple_rows=couple_rows,
    )


def write_records(market: Market, path: Path) -> None:
    """Write the records JSON encoding (``medmatch-instance/1``)."""
    people, pids = market.applicant_ids, market.program_ids
    document = {
        "format": "medmatch-instance/1",
        "applicants": [
            {"id": people[i], "ranking": [pids[p] for p in ranking]}
            for i, ranking in enumerate(market.applicant_rankings)
        ],
        "programs": [
            {"id": pid, "capacity": cap, "ranking": [people[a] for a in ranking]}
            for pid, cap, ranking in zip(
                pids, market.capacity, market.program_rankings, strict=True
            )
        ],
    }
    if market.couple_ids:
        document["couples"] = [
            {
                "id": cid,
                "members": [people[market.n_singles + 2 * c], people[market.n_singles + 2 * c + 1]],
                "ranking": [
                    [pids[p] if p >= 0 else None, pids[q] if q >= 0 else None] for p, q in rows
                ],
            }
            for c, (cid, rows) in enumerate(zip(market.couple_ids, market.couple_rows, strict=True))
        ]
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")


def write_csv(market: Market, directory: Path) -> None:
    """Write the CSV directory encoding (applicants.csv, programs.csv, couples.csv)."""
    directory.mkdir(parents=True, exist_ok=True)
    people, pids = market.applicant_ids, market.program_ids
    with (directory / "applicants.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "ranking"])
        for i, ranking in enumerate(market.applicant_rankings):
            writer.writerow([people[i], " ".join(pids[p] for p in ranking)])
    with (directory / "programs.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "capacity", "ranking"])
        for pid, cap, ranking in zip(pids, market.capacity, market.program_rankings, strict=True):
            writer.writerow([pid, cap, " ".join(people[a] for a in ranking)])
    if market.couple_ids:
        with (directory / "couples.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "member1", "member2", "ranking"])
            for c, (cid, rows) in enumerate(
                zip(market.couple_ids, market.couple_rows, strict=True)
            ):
                first = market.n_singles + 2 * c
                cells = " ".join(
                    f"{pids[p] if p >= 0 else ''}|{pids[q] if q >= 0 else ''}" for p, q in rows
                )
                writer.writerow([cid, people[first], people[first + 1], cells])


def write_compact(market: Market, path: Path) -> None:
    """Write the compact JSON encoding (``medmatch-instance-compact/1``: base64 int32 CSR)."""
    import base64

    def encode(values: list[int]) -> str:
        return base64.b64encode(np.asarray(values, dtype="<i4").tobytes()).decode("ascii")

    def csr(lists: list[list[int]]) -> tuple[str, str]:
        start = np.concatenate([[0], np.cumsum([len(x) for x in lists])]).astype(np.int64)
        flat = [v for items in lists for v in items]
        return encode(start.tolist()), encode(flat)

    n = market.n_singles
    applicant_start, applicant_programs = csr(market.applicant_rankings)
    program_start, program_applicants = csr(market.program_rankings)
    couple_start = np.concatenate([[0], np.cumsum([len(r) for r in market.couple_rows])])
    rows = [row for rows in market.couple_rows for row in rows]
    document = {
        "format": "medmatch-instance-compact/1",
        "applicant_ids": market.applicant_ids[:n],
        "program_ids": market.program_ids,
        "capacity": market.capacity,
        "applicant_start": applicant_start,
        "applicant_programs": applicant_programs,
        "program_start": program_start,
        "program_applicants": program_applicants,
        "couple_ids": market.couple_ids,
        "couple_members": market.applicant_ids[n:],
        "couple_start": encode(couple_start.astype(np.int64).tolist()),
        "couple_first": encode([p for p, _ in rows]),
        "couple_second": encode([q for _, q in rows]),
    }
    path.write_text(json.dumps(document), encoding="utf-8")


def write_flat(market: Market, path: Path) -> None:
    """Write the C reference's input: ``n_applicants n_programs``, then per program ``capacity
    length person...``, then per single applicant ``length program...`` (0-based indices).
    Couples are not part of it: the C reference is plain deferred acceptance of singles."""
    lines = [f"{market.n_singles} {len(market.program_ids)}"]
    for cap, ranking in zip(market.capacity, market.program_rankings, strict=True):
        kept = [a for a in ranking if a < market.n_singles]
        lines.append(" ".join(map(str, [cap, len(kept), *kept])))
    for ranking in market.applicant_rankings:
        lines.append(" ".join(map(str, [len(ranking), *ranking])))
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
