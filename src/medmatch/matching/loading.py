"""Reading records JSON and CSV directories straight into the compact form.

:func:`compact_from_records` and :func:`compact_from_csv_directory` give the same
:class:`~medmatch.matching.compact.CompactInstance` as ``to_compact(from_dict(...))`` and
``to_compact(from_csv_directory(...))``, without building one frozen record per applicant and
program, then a second, integer copy of each. Steps: pull the ids and rankings out of the
decoded document (or the CSV lines) as plain lists; check the ids in bulk (strings, non-empty,
no whitespace or ``|``, unique); turn every ranking into indices with one dictionary look-up per
entry; check in numpy that no ranking repeats an entry, that couples' rows are pairs and not
"no match" twice, that supplemental lists name preliminary programs, and the reversion targets.

Any fault, or a field the compact form does not hold (CaRMS streams), sends the input down the
record path (``instance.from_dict`` / ``instance.from_csv_directory``), which names the record
and field of the first problem, as it always has; streams come back as an
:class:`~medmatch.matching.instance.Instance`. So the fast path only has to notice a problem,
never to describe it, and the errors are the records path's, word for word.
"""

from __future__ import annotations

import os
from itertools import chain
from pathlib import Path

import numpy as np

from .compact import NONE, CompactInstance, _array, owners
from .instance import (
    INSTANCE_FORMAT,
    TRACKS,
    Instance,
    InstanceError,
    from_csv_directory,
    from_dict,
)

PRELIMINARY = TRACKS.index("preliminary")
TRACK_INDEX = {name: i for i, name in enumerate(TRACKS)}
# The quote, characters that end a line for str.splitlines but not for the csv module, and the
# one other ASCII separator str.split knows: a file holding any of them goes to the csv module.
_CSV_UNUSUAL = '"\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029'


MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio (Fibonacci hashing)
SHARED = -2  # a hash-table slot that two ids share: look in the next level


class _Unusual(Exception):
    """The fast path cannot read this input as it stands: the records path will."""


def _require(condition: bool) -> None:
    if not condition:
        raise _Unusual


def _plain_ids(ids: list) -> None:
    """Every id a non-empty string without whitespace or ``|`` (no id twice: see _Index)."""
    if not ids:
        return
    _require(set(map(type, ids)) == {str})
    joined = "".join(ids)
    _require("|" not in joined and joined.split() == [joined] and "" not in ids)


class _Joined:
    """``count`` names joined by line breaks (a CSV column's cells, before any split)."""

    def __init__(self, text: str, count: int) -> None:
        self.text = text
        self.count = count

    def __len__(self) -> int:
        return self.count

    def names(self) -> list[str]:
        return self.text.split("\n") if self.count else []


def _words(names: list | _Joined, width: int = 0) -> np.ndarray:
    """The ASCII bytes of each name, zero-padded to a multiple of 8 bytes (at least ``width``
    words), as rows of little-endian uint64 words; _Unusual for other characters or a NUL."""
    # TypeError when a name is not a string
    text = names.text if isinstance(names, _Joined) else "\n".join(names)
    _require(text.isascii() and "\x00" not in text)
    n = len(names)
    if not n:
        return np.zeros((0, max(width, 1)), dtype="<u8")
    raw = np.frombuffer((text + "\n").encode("ascii"), dtype=np.uint8)
    _require(int((raw == 10).sum()) == n)  # no name holds a line break
    if len(raw) % n == 0 and (raw[len(raw) // n - 1 :: len(raw) // n] == 10).all():
        size = len(raw) // n - 1  # names of one length: rows of the text as it stands
        rows = raw.reshape(n, size + 1)[:, :size]
    else:
        listed = names.names() if isinstance(names, _Joined) else names
        rows = np.array(listed, dtype="S").view(np.uint8).reshape(n, -1)
        size = rows.shape[1]
    words = max(width, -(-size // 8), 1)
    padded = np.zeros((n, 8 * words), dtype=np.uint8)
    padded[:, :size] = rows
    return padded.view("<u8")


def _hash(words: np.ndarray) -> np.ndarray:
    """One uint64 per row: the word itself for names of up to 8 bytes (exact), else a
    multiplicative hash of the words (candidates only: matches are checked word by word)."""
    code = words[:, 0].copy()
    for column in range(1, words.shape[1]):
        code *= MULTIPLIER
        code ^= words[:, column]
    return code


def _slots(codes: np.ndarray, bits: int, salt: int) -> np.ndarray:
    """The top ``bits`` bits of splitmix64(code + salt * golden ratio): levels with different
    salts scatter the same codes independently."""
    mixed = codes + np.uint64(salt * 0x9E3779B97F4A7C15 % (1 << 64))
    mixed ^= mixed >> np.uint64(30)
    mixed *= np.uint64(0xBF58476D1CE4E5B9)
    mixed ^= mixed >> np.uint64(27)
    mixed *= np.uint64(0x94D049BB133111EB)
    mixed ^= mixed >> np.uint64(31)
    return (mixed >> np.uint64(64 - bits)).astype(np.int64)


class _Index:
    """Ids to their positions, for whole lists of names at once.

    Steps: the ids' ASCII bytes as uint64 words and one code per id; a hash table in levels
    (each id sits alone in its slot of the first level where it does not collide; a shared slot
    sends the look-up to the next level, salted differently); a list of names is looked up level
    by level in numpy, and every hit is checked against the id's code and words. Ids that are
    not ASCII, or whose codes coincide, fall back to a dict look-up per name. Raises _Unusual
    when an id appears twice (equal ids share every slot, so the levels never part them)."""

    def __init__(self, ids: list) -> None:
        self.ids = ids
        self.lookup: dict | None = None
        self.levels: list[tuple[int, int, np.ndarray]] = []
        try:
            self.words = _words(ids)
            self.codes = _hash(self.words)
            remaining = np.arange(len(ids))
            while len(remaining):
                _require(len(self.levels) < 8)  # equal codes never part
                bits = max(10, int(len(remaining) * 8).bit_length())
                salt = len(self.levels)
                slot = _slots(self.codes[remaining], bits, salt)
                alone = np.bincount(slot, minlength=1 << bits)[slot] == 1
                table = np.full(1 << bits, -1, dtype=np.int64)
                table[slot] = SHARED
                table[slot[alone]] = remaining[alone]
                self.levels.append((bits, salt, table))
                remaining = remaining[~alone]
        except _Unusual:
            self.lookup = dict(zip(ids, range(len(ids)), strict=True))
            _require(len(self.lookup) == len(ids))  # no id twice

    def __call__(self, names: list | _Joined) -> np.ndarray:
        """Positions of ``names`` (_Unusual, KeyError or TypeError when one is unknown)."""
        if self.lookup is None:
            try:
                words = _words(names, self.words.shape[1])
            except _Unusual:
                self.lookup = dict(zip(self.ids, range(len(self.ids)), strict=True))
            else:
                _require(words.shape[1] == self.words.shape[1])
                codes = _hash(words)
                positions = np.full(len(names), -1, dtype=np.int64)
                pending = np.arange(len(names))
                for bits, salt, table in self.levels:
                    found = table[_slots(codes[pending], bits, salt)]
                    _require(not (found == -1).any())
                    hit = found >= 0
                    positions[pending[hit]] = found[hit]
                    pending = pending[~hit]
                _require(not len(pending) and bool((self.codes[positions] == codes).all()))
                if words.shape[1] > 1:
                    _require(bool((self.words[positions] == words).all()))
                return positions
        if isinstance(names, _Joined):
            names = names.names()
        return np.fromiter(map(self.lookup.__getitem__, names), dtype=np.int64, count=len(names))


def _fresh(ids: list[str]) -> list[str]:
    """New copies of the ids, side by side in memory: the decoded document scatters its strings
    over a large heap, and every later dict built from the ids (the result's assignment) would
    pay a cache miss per id. The ids hold no line break (checked by _plain_ids)."""
    return "\n".join(ids).split("\n") if ids else []


def _lookup(names: list, index: dict) -> np.ndarray:
    return np.fromiter(map(index.__getitem__, names), dtype=np.int64, count=len(names))


def _csr(lists: list[list]) -> tuple[np.ndarray, list]:
    _require(set(map(type, lists)) <= {list})
    start = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)), out=start[1:])
    return start, list(chain.from_iterable(lists))


def _csr_joined(lists: list[list]) -> tuple[np.ndarray, _Joined]:
    """:func:`_csr` with the names kept as one string joined by line breaks (never a flat list
    of a million names); TypeError, caught by the caller, when a name is not a string."""
    _require(set(map(type, lists)) <= {list})
    start = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)), out=start[1:])
    return start, _Joined("\n".join(chain.from_iterable(lists)), int(start[-1]))


def _unique_runs(start: np.ndarray, flat: np.ndarray, width: int) -> None:
    """No run of the CSR list repeats an entry (entries in [0, width))."""
    if len(flat) < 2:
        return
    codes = owners(start) * width + flat
    if (len(start) + 1) * width < 1 << 31:
        codes = codes.astype(np.int32)  # numpy sorts 32-bit integers about twice as fast
    codes.sort()
    _require(not (codes[1:] == codes[:-1]).any())


def _build(
    *,
    singles: list,
    rankings: tuple[np.ndarray, list],
    supplementals: list | None,
    program_ids: list,
    capacity: list,
    program_rankings: tuple[np.ndarray, list],
    tracks: list | None,
    revert_to: list | None,
    regions_of: list | None,
    couple_ids: list,
    members: list,
    couple_rows: list,
    region_ids: list,
    region_caps: list,
) -> CompactInstance:
    """Check the extracted lists and build the compact instance; raise _Unusual on a fault."""
    persons = singles + members
    _plain_ids(persons)
    _plain_ids(program_ids)
    _plain_ids(couple_ids)
    _plain_ids(region_ids)
    n_programs = len(program_ids)
    _require(set(map(type, capacity)) <= {int} and (not capacity or min(capacity) >= 0))
    _require(set(map(type, region_caps)) <= {int} and (not region_caps or min(region_caps) >= 0))
    program_indices = _Index(program_ids)
    person_indices = _Index(persons)
    _Index(couple_ids)  # no couple id twice
    _Index(region_ids)
    program_index = dict(zip(program_ids, range(n_programs), strict=True))

    applicant_start, flat = rankings
    applicant_programs = program_indices(flat)
    _unique_runs(applicant_start, applicant_programs, n_programs)
    program_start, flat = program_rankings
    program_persons = person_indices(flat)
    _unique_runs(program_start, program_persons, len(persons))

    track = [0] * n_programs if tracks is None else [TRACK_INDEX[t] for t in tracks]
    if supplementals is None:
        supplemental_start = np.zeros(len(singles) + 1, dtype=np.int64)
        supplemental_programs = np.zeros(0, dtype=np.int64)
    else:
        supplemental_start, flat = _csr(supplementals)
        supplemental_programs = program_indices(flat)
        _unique_runs(supplemental_start, supplemental_programs, n_programs)
        if len(supplemental_programs):
            _require(bool((np.asarray(track)[supplemental_programs] == PRELIMINARY).all()))

    maybe_program = {**program_index, None: NONE}
    revert = [NONE] * n_programs if revert_to is None else [maybe_program[r] for r in revert_to]
    _require(all(target != p for p, target in enumerate(revert)))
    region_index = {**dict(zip(region_ids, range(len(region_ids)), strict=True)), None: NONE}
    region = [NONE] * n_programs if regions_of is None else [region_index[r] for r in regions_of]

    couple_start, rows = _csr(couple_rows)
    _require(set(map(type, rows)) <= {list, tuple} and set(map(len, rows)) <= {2})
    couple_first = _lookup([row[0] for row in rows], maybe_program)
    couple_second = _lookup([row[1] for row in rows], maybe_program)
    _require(not ((couple_first < 0) & (couple_second < 0)).any())
    _unique_runs(
        couple_start,
        (couple_first + 1) * (n_programs + 1) + couple_second + 1,
        (n_programs + 1) ** 2,
    )
    return CompactInstance(
        person_ids=_fresh(persons),
        n_singles=len(singles),
        program_ids=_fresh(program_ids),
        capacity=capacity,
        program_start=_array(program_start),
        program_persons=_array(program_persons),
        applicant_start=_array(applicant_start),
        applicant_programs=_array(applicant_programs),
        supplemental_start=_array(supplemental_start),
        supplemental_programs=_array(supplemental_programs),
        couple_ids=couple_ids,
        couple_start=_array(couple_start),
        couple_first=_array(couple_first),
        couple_second=_array(couple_second),
        track=track,
        revert_to=revert,
        region=region,
        region_ids=region_ids,
        region_cap=region_caps,
    )


def _lists(items: list[dict]) -> list:
    """Each item's ranking, ``[]`` for a missing or null one (as the records path reads it)."""
    values = [item.get("ranking") for item in items]
    return [[] if value is None else value for value in values] if None in values else values


def _column(items: list[dict], key: str) -> list | None:
    """Each item's ``key``, or None when no item has it."""
    values = [item.get(key) for item in items]
    return values if any(value is not None for value in values) else None


def _from_records(data: object) -> CompactInstance:
    _require(type(data) is dict and data.get("format", INSTANCE_FORMAT) == INSTANCE_FORMAT)
    applicants = data.get("applicants", [])
    programs = data.get("programs", [])
    couples = data.get("couples", [])
    regions = data.get("regions", [])
    _require(all(type(part) is list for part in (applicants, programs, couples, regions)))
    _require(set(map(type, chain(applicants, programs, couples, regions))) <= {dict})
    # The optional fields present at all (one pass over the keys, in C).
    applicant_keys = set(chain.from_iterable(applicants))
    program_keys = set(chain.from_iterable(programs))
    couple_keys = set(chain.from_iterable(couples))
    # Streams (CaRMS) live only in the records form.
    if "streams" in applicant_keys:
        _require(not any(item.get("streams") for item in applicants))
    if "streams" in couple_keys:
        _require(not any(item.get("streams") for item in couples))
    if "stream" in program_keys:
        _require(not any(item.get("stream") for item in programs))
    supplementals = None
    if "supplemental" in applicant_keys:
        supplementals = [item.get("supplemental") for item in applicants]
        supplementals = [[] if value is None else value for value in supplementals]
    members = [item["members"] for item in couples]
    _require(all(type(pair) is list and len(pair) == 2 for pair in members))
    tracks = None
    if "track" in program_keys:
        tracks = [item.get("track", "categorical") for item in programs]
    return _build(
        singles=[item["id"] for item in applicants],
        rankings=_csr_joined(_lists(applicants)),
        supplementals=supplementals,
        program_ids=[item["id"] for item in programs],
        capacity=[item["capacity"] for item in programs],
        program_rankings=_csr_joined(_lists(programs)),
        tracks=tracks,
        revert_to=_column(programs, "revert_to") if "revert_to" in program_keys else None,
        regions_of=_column(programs, "region") if "region" in program_keys else None,
        couple_ids=[item["id"] for item in couples],
        members=list(chain.from_iterable(members)),
        couple_rows=[item.get("ranking") or [] for item in couples],
        region_ids=[item["id"] for item in regions],
        region_caps=[item.get("cap") for item in regions],
    )


def compact_from_records(data: object) -> CompactInstance | Instance:
    """The compact instance of a decoded records JSON document (``medmatch-instance/1``).

    Takes the parsed JSON; returns the same value as ``to_compact(from_dict(data))``, or the
    validated :class:`Instance` when it uses CaRMS streams; raises :class:`InstanceError` as
    :func:`~medmatch.matching.instance.from_dict` does. Steps: see the module docstring.
    """
    try:
        return _from_records(data)
    except (_Unusual, KeyError, TypeError, ValueError, AttributeError):
        pass
    return _records_path(from_dict(data))


def _records_path(instance: Instance) -> CompactInstance | Instance:
    from .compact import to_compact

    uses_streams = any(a.streams for a in instance.applicants) or any(
        p.stream for p in instance.programs
    )
    uses_streams = uses_streams or any(c.streams != ((), ()) for c in instance.couples)
    return instance if uses_streams else to_compact(instance)


class _Table:
    """The columns of a CSV file that the csv module would split the same way: no quotes, no
    line-ending characters that only str.splitlines knows, every row as wide as the header."""

    def __init__(self, path: Path, expected: tuple[str, ...]) -> None:
        text = path.read_text(encoding="utf-8")
        _require(not any(character in text for character in _CSV_UNUSUAL))
        lines = text.splitlines()
        _require(bool(lines))
        header = lines[0].split(",")
        _require(len(set(header)) == len(header) and set(expected) <= set(header))
        body = [line for line in lines[1:] if line]
        width = len(header)
        _require(all(line.count(",") == width - 1 for line in body))
        cells = ",".join(body).split(",") if body else []
        self.rows = len(body)
        self.columns = {name: cells[i::width] for i, name in enumerate(header)}

    def __getitem__(self, name: str) -> list[str]:
        """The column's cells, empty ones when the file has no such column (as DictReader)."""
        return self.columns.get(name) or [""] * self.rows


def _split_cells(cells: list[str]) -> tuple[np.ndarray, list[str] | _Joined]:
    """The CSR form of ``[cell.split() for cell in cells]``. When every cell is ASCII names
    parted by single spaces (as the writer leaves them) the names stay one string, the cells
    joined by line breaks with spaces turned to line breaks, and are never split."""
    text = "\n".join(cells)
    if not text.isascii() or "\t" in text or "  " in text or " \n" in text or "\n " in text:
        return _csr([cell.split() for cell in cells])
    if text.startswith(" ") or text.endswith(" "):
        return _csr([cell.split() for cell in cells])
    counts = np.fromiter(
        (cell.count(" ") + 1 if cell else 0 for cell in cells), dtype=np.int64, count=len(cells)
    )
    start = np.zeros(len(cells) + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    flat = "\n".join(filter(None, cells)).replace(" ", "\n")
    return start, _Joined(flat, int(start[-1]))


def _from_csv(root: Path) -> CompactInstance:
    table = _Table(root / "applicants.csv", ("id",))
    singles = [cell.strip() for cell in table["id"]]
    rankings = _split_cells(table["ranking"])
    supplementals = None
    if any(table["supplemental"]):
        supplementals = [cell.split() for cell in table["supplemental"]]
    _require(not any(cell.strip() for cell in table["streams"]))
    table = _Table(root / "programs.csv", ("id", "capacity"))
    _require(not any(cell.strip() for cell in table["stream"]))
    program_ids = [cell.strip() for cell in table["id"]]
    capacity = [int(cell) for cell in table["capacity"]]
    program_rankings = _split_cells(table["ranking"])
    tracks = [cell.strip() or "categorical" for cell in table["track"]]
    revert_to = [cell.strip() or None for cell in table["revert_to"]]
    regions_of = [cell.strip() or None for cell in table["region"]]
    couple_ids: list[str] = []
    members: list[str] = []
    couple_rows: list[list[tuple]] = []
    if (root / "couples.csv").is_file():
        table = _Table(root / "couples.csv", ("id",))
        _require(not any(cell.strip() for cell in table["streams1"] + table["streams2"]))
        couple_ids = [cell.strip() for cell in table["id"]]
        for first, second in zip(table["member1"], table["member2"], strict=True):
            members += [first.strip(), second.strip()]
        for cell in table["ranking"]:
            pairs = [side.split("|") for side in cell.split()]
            _require(all(len(pair) == 2 for pair in pairs))
            couple_rows.append([(first or None, second or None) for first, second in pairs])
    region_ids: list[str] = []
    region_caps: list[int] = []
    if (root / "regions.csv").is_file():
        table = _Table(root / "regions.csv", ("id", "cap"))
        region_ids = [cell.strip() for cell in table["id"]]
        region_caps = [int(cell) for cell in table["cap"]]
    return _build(
        singles=singles,
        rankings=rankings,
        supplementals=supplementals,
        program_ids=program_ids,
        capacity=capacity,
        program_rankings=program_rankings,
        tracks=tracks,
        revert_to=revert_to,
        regions_of=regions_of,
        couple_ids=couple_ids,
        members=members,
        couple_rows=couple_rows,
        region_ids=region_ids,
        region_caps=region_caps,
    )


def compact_from_csv_directory(directory: str | os.PathLike) -> CompactInstance | Instance:
    """The compact instance of a CSV directory (the format of ``instance.from_csv_directory``).

    Takes the directory; returns the same value as ``to_compact(from_csv_directory(directory))``,
    or the validated :class:`Instance` when it uses CaRMS streams; raises :class:`InstanceError`
    as ``from_csv_directory`` does. Files with quoted cells are read by the csv module.
    """
    root = Path(directory)
    for name in ("applicants.csv", "programs.csv"):
        if not (root / name).is_file():
            raise InstanceError("instance", name, f"missing file in {root}")
    try:
        return _from_csv(root)
    except (_Unusual, KeyError, TypeError, ValueError, UnicodeDecodeError):
        pass
    return _records_path(from_csv_directory(root))
