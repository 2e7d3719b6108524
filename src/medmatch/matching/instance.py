"""The matching instance: frozen records, validation, and JSON / CSV input and output.

The format is documented in docs/matching.md. Everything here is plain data: no solver state,
no Django. Ids are strings without whitespace or ``|``; rankings are most-preferred first.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from pathlib import Path

INSTANCE_FORMAT = "medmatch-instance/1"
TRACKS = ("categorical", "advanced", "preliminary")
CSV_FILES = ("applicants.csv", "programs.csv", "couples.csv", "regions.csv")


class InstanceError(ValueError):
    """A malformed instance, naming the record (``applicant A7``), the field and the reason."""

    def __init__(self, record: str, field: str, reason: str) -> None:
        self.record = record
        self.field = field
        self.reason = reason
        super().__init__(f"{record}: field {field!r}: {reason}")


@dataclass(frozen=True, slots=True)
class Applicant:
    """A single applicant and their rank order list of program ids (best first).

    ``supplemental`` is the NRMP supplemental list of preliminary programs, used only when the
    applicant matches to an advanced program. ``streams`` lists the CaRMS streams the applicant
    is eligible for (empty: any stream).
    """

    id: str
    ranking: tuple[str, ...]
    supplemental: tuple[str, ...] = ()
    streams: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Program:
    """A program (NRMP track, CaRMS stream quota, JRMP hospital program, UKFP programme).

    ``ranking`` lists applicant ids best first (couple members by their own ids). ``region``
    names a region with a cap (JRMP). ``track`` is categorical, advanced or preliminary (NRMP).
    ``revert_to`` names the program that receives this program's unfilled positions (NRMP
    reversion). ``stream`` is the CaRMS stream this quota belongs to.
    """

    id: str
    capacity: int
    ranking: tuple[str, ...]
    region: str | None = None
    track: str = "categorical"
    revert_to: str | None = None
    stream: str | None = None


@dataclass(frozen=True, slots=True)
class Couple:
    """Two applicants with one joint list of program pairs; ``None`` on a side means no match.

    ``streams`` holds the CaRMS stream eligibility of each member (empty: any).
    """

    id: str
    members: tuple[str, str]
    ranking: tuple[tuple[str | None, str | None], ...]
    streams: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())


@dataclass(frozen=True, slots=True)
class Region:
    """A group of programs whose total matched positions may not exceed ``cap`` (JRMP)."""

    id: str
    cap: int


@dataclass(frozen=True, slots=True)
class Instance:
    """A whole matching instance. Build it with :func:`validate` or a loader, not by hand."""

    applicants: tuple[Applicant, ...]
    programs: tuple[Program, ...]
    couples: tuple[Couple, ...] = ()
    regions: tuple[Region, ...] = ()

    def applicant_ids(self) -> list[str]:
        """All applicant ids: singles in order, then each couple's two members."""
        ids = [a.id for a in self.applicants]
        for couple in self.couples:
            ids.extend(couple.members)
        return ids


def _check_id(value: object, record: str, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstanceError(record, field, f"id must be a non-empty string, got {value!r}")
    if "|" in value or any(ch.isspace() for ch in value):
        raise InstanceError(record, field, f"id {value!r} contains whitespace or '|'")
    return value


def _check_list(values: object, record: str, field: str, known: dict | set) -> tuple[str, ...]:
    if not isinstance(values, list | tuple):
        raise InstanceError(record, field, f"must be a list, got {type(values).__name__}")
    result = tuple(values)
    if len(set(result)) != len(result):
        seen = set()
        for value in result:
            if value in seen:
                raise InstanceError(record, field, f"{value!r} appears twice")
            seen.add(value)
    for value in result:
        if value not in known:
            raise InstanceError(record, field, f"unknown id {value!r}")
    return result


def validate(instance: Instance) -> Instance:
    """Check an instance and return it unchanged; raise :class:`InstanceError` on the first fault.

    Takes an :class:`Instance`; returns the same instance. Steps: unique ids across applicants,
    couple members, programs, couples and regions; capacities and caps are non-negative integers;
    every ranking names known ids with no duplicates; couple rows name two known programs or
    ``None`` (not both ``None``); a couple member is not also a single applicant; supplemental
    lists name preliminary programs; regions and reversion targets exist.
    """
    programs: dict[str, Program] = {}
    for program in instance.programs:
        record = f"program {program.id!r}"
        _check_id(program.id, record, "id")
        if program.id in programs:
            raise InstanceError(record, "id", "duplicate program id")
        programs[program.id] = program
        if not isinstance(program.capacity, int) or isinstance(program.capacity, bool):
            raise InstanceError(record, "capacity", f"must be an integer, got {program.capacity!r}")
        if program.capacity < 0:
            raise InstanceError(record, "capacity", f"must not be negative, got {program.capacity}")
        if program.track not in TRACKS:
            raise InstanceError(record, "track", f"must be one of {', '.join(TRACKS)}")
    regions: dict[str, Region] = {}
    for region in instance.regions:
        record = f"region {region.id!r}"
        _check_id(region.id, record, "id")
        if region.id in regions:
            raise InstanceError(record, "id", "duplicate region id")
        if not isinstance(region.cap, int) or isinstance(region.cap, bool) or region.cap < 0:
            raise InstanceError(
                record, "cap", f"must be a non-negative integer, got {region.cap!r}"
            )
        regions[region.id] = region
    people: dict[str, str] = {}
    for applicant in instance.applicants:
        record = f"applicant {applicant.id!r}"
        _check_id(applicant.id, record, "id")
        if applicant.id in people:
            raise InstanceError(record, "id", "duplicate applicant id")
        people[applicant.id] = record
    couple_ids: set[str] = set()
    for couple in instance.couples:
        record = f"couple {couple.id!r}"
        _check_id(couple.id, record, "id")
        if couple.id in couple_ids:
            raise InstanceError(record, "id", "duplicate couple id")
        couple_ids.add(couple.id)
        if len(couple.members) != 2:
            raise InstanceError(record, "members", "a couple has exactly two members")
        for member in couple.members:
            _check_id(member, record, "members")
            if member in people:
                raise InstanceError(
                    record, "members", f"{member!r} is also listed as {people[member]}"
                )
            people[member] = record
    for applicant in instance.applicants:
        record = f"applicant {applicant.id!r}"
        _check_list(applicant.ranking, record, "ranking", programs)
        _check_list(applicant.supplemental, record, "supplemental", programs)
        for program_id in applicant.supplemental:
            if programs[program_id].track != "preliminary":
                raise InstanceError(
                    record, "supplemental", f"{program_id!r} is not a preliminary program"
                )
    for couple in instance.couples:
        record = f"couple {couple.id!r}"
        rows = couple.ranking
        if not isinstance(rows, list | tuple):
            raise InstanceError(record, "ranking", "must be a list of program pairs")
        seen_rows = set()
        for row in rows:
            if not isinstance(row, list | tuple) or len(row) != 2:
                raise InstanceError(record, "ranking", f"row {row!r} is not a pair")
            if row[0] is None and row[1] is None:
                raise InstanceError(record, "ranking", "a row with no match for both members")
            for side in row:
                if side is not None and side not in programs:
                    raise InstanceError(record, "ranking", f"unknown id {side!r}")
            if tuple(row) in seen_rows:
                raise InstanceError(record, "ranking", f"row {list(row)!r} appears twice")
            seen_rows.add(tuple(row))
    for program in instance.programs:
        record = f"program {program.id!r}"
        _check_list(program.ranking, record, "ranking", people)
        if program.region is not None and program.region not in regions:
            raise InstanceError(record, "region", f"unknown region {program.region!r}")
        if program.revert_to is not None:
            if program.revert_to not in programs:
                raise InstanceError(record, "revert_to", f"unknown program {program.revert_to!r}")
            if program.revert_to == program.id:
                raise InstanceError(record, "revert_to", "a program cannot revert to itself")
    return instance


# ----------------------------------------------------------------------------- JSON


def _tuple_of_strings(value: object, record: str, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InstanceError(record, field, f"must be a list, got {type(value).__name__}")
    return tuple(value)


def _integer(value: object, record: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(record, field, f"must be an integer, got {value!r}")
    return value


def from_dict(data: object) -> Instance:
    """Build and validate an :class:`Instance` from the decoded JSON document.

    Takes the parsed JSON object (see docs/matching.md); returns a validated instance; raises
    :class:`InstanceError` naming the record and field of the first problem.
    """
    if not isinstance(data, dict):
        raise InstanceError("instance", "(document)", "must be a JSON object")
    fmt = data.get("format", INSTANCE_FORMAT)
    if fmt != INSTANCE_FORMAT:
        raise InstanceError("instance", "format", f"expected {INSTANCE_FORMAT!r}, got {fmt!r}")
    for key in ("applicants", "programs", "couples", "regions"):
        if not isinstance(data.get(key, []), list):
            raise InstanceError("instance", key, "must be a list")
    applicants = []
    for index, item in enumerate(data.get("applicants", [])):
        if not isinstance(item, dict) or "id" not in item:
            raise InstanceError(f"applicants[{index}]", "id", "missing")
        record = f"applicant {item['id']!r}"
        applicants.append(
            Applicant(
                item["id"],
                _tuple_of_strings(item.get("ranking"), record, "ranking"),
                _tuple_of_strings(item.get("supplemental"), record, "supplemental"),
                _tuple_of_strings(item.get("streams"), record, "streams"),
            )
        )
    programs = []
    for index, item in enumerate(data.get("programs", [])):
        if not isinstance(item, dict) or "id" not in item:
            raise InstanceError(f"programs[{index}]", "id", "missing")
        record = f"program {item['id']!r}"
        if "capacity" not in item:
            raise InstanceError(record, "capacity", "missing")
        programs.append(
            Program(
                item["id"],
                _integer(item["capacity"], record, "capacity"),
                _tuple_of_strings(item.get("ranking"), record, "ranking"),
                item.get("region"),
                item.get("track", "categorical"),
                item.get("revert_to"),
                item.get("stream"),
            )
        )
    couples = []
    for index, item in enumerate(data.get("couples", [])):
        if not isinstance(item, dict) or "id" not in item:
            raise InstanceError(f"couples[{index}]", "id", "missing")
        record = f"couple {item['id']!r}"
        members = item.get("members")
        if not isinstance(members, list) or len(members) != 2:
            raise InstanceError(record, "members", "must list exactly two applicant ids")
        rows = item.get("ranking") or []
        if not isinstance(rows, list):
            raise InstanceError(record, "ranking", "must be a list of program pairs")
        for row in rows:
            if not isinstance(row, list) or len(row) != 2:
                raise InstanceError(record, "ranking", f"row {row!r} is not a pair")
        streams = item.get("streams") or [[], []]
        if (
            not isinstance(streams, list)
            or len(streams) != 2
            or not all(isinstance(side, list) for side in streams)
        ):
            raise InstanceError(record, "streams", "must be two lists of stream names")
        couples.append(
            Couple(
                item["id"],
                (members[0], members[1]),
                tuple((row[0], row[1]) for row in rows),
                (tuple(streams[0]), tuple(streams[1])),
            )
        )
    regions = []
    for index, item in enumerate(data.get("regions", [])):
        if not isinstance(item, dict) or "id" not in item:
            raise InstanceError(f"regions[{index}]", "id", "missing")
        record = f"region {item['id']!r}"
        regions.append(Region(item["id"], _integer(item.get("cap"), record, "cap")))
    return validate(Instance(tuple(applicants), tuple(programs), tuple(couples), tuple(regions)))


def to_dict(instance: Instance) -> dict:
    """Return the JSON document for an instance (optional fields omitted when empty)."""
    applicants = []
    for a in instance.applicants:
        item: dict = {"id": a.id, "ranking": list(a.ranking)}
        if a.supplemental:
            item["supplemental"] = list(a.supplemental)
        if a.streams:
            item["streams"] = list(a.streams)
        applicants.append(item)
    programs = []
    for p in instance.programs:
        item = {"id": p.id, "capacity": p.capacity, "ranking": list(p.ranking)}
        for key in ("region", "revert_to", "stream"):
            if getattr(p, key) is not None:
                item[key] = getattr(p, key)
        if p.track != "categorical":
            item["track"] = p.track
        programs.append(item)
    document: dict = {"format": INSTANCE_FORMAT, "applicants": applicants, "programs": programs}
    if instance.couples:
        document["couples"] = []
        for c in instance.couples:
            item = {"id": c.id, "members": list(c.members), "ranking": [list(r) for r in c.ranking]}
            if c.streams != ((), ()):
                item["streams"] = [list(c.streams[0]), list(c.streams[1])]
            document["couples"].append(item)
    if instance.regions:
        document["regions"] = [{"id": r.id, "cap": r.cap} for r in instance.regions]
    return document


# ----------------------------------------------------------------------------- CSV


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple((cell or "").split())


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _csv_int(row: dict, key: str, record: str) -> int:
    text = (row.get(key) or "").strip()
    try:
        return int(text)
    except ValueError:
        raise InstanceError(record, key, f"must be an integer, got {text!r}") from None


def from_csv_directory(directory: str | os.PathLike) -> Instance:
    """Read a CSV instance directory (applicants.csv, programs.csv, couples.csv, regions.csv).

    Takes the directory path; returns a validated :class:`Instance`. Rankings are one cell of
    space-separated ids; a couple row is ``P1|P2`` with an empty side for no match.
    """
    root = Path(directory)
    for name in ("applicants.csv", "programs.csv"):
        if not (root / name).is_file():
            raise InstanceError("instance", name, f"missing file in {root}")
    applicants = tuple(
        Applicant(
            (row.get("id") or "").strip(),
            _split(row.get("ranking")),
            _split(row.get("supplemental")),
            _split(row.get("streams")),
        )
        for row in _read_csv(root / "applicants.csv")
    )
    programs = []
    for row in _read_csv(root / "programs.csv"):
        record = f"program {row.get('id')!r}"
        programs.append(
            Program(
                (row.get("id") or "").strip(),
                _csv_int(row, "capacity", record),
                _split(row.get("ranking")),
                (row.get("region") or "").strip() or None,
                (row.get("track") or "").strip() or "categorical",
                (row.get("revert_to") or "").strip() or None,
                (row.get("stream") or "").strip() or None,
            )
        )
    couples = []
    if (root / "couples.csv").is_file():
        for row in _read_csv(root / "couples.csv"):
            record = f"couple {row.get('id')!r}"
            rows = []
            for cell in _split(row.get("ranking")):
                if cell.count("|") != 1:
                    raise InstanceError(record, "ranking", f"{cell!r} is not 'P1|P2'")
                first, second = cell.split("|")
                rows.append((first or None, second or None))
            couples.append(
                Couple(
                    (row.get("id") or "").strip(),
                    ((row.get("member1") or "").strip(), (row.get("member2") or "").strip()),
                    tuple(rows),
                    (_split(row.get("streams1")), _split(row.get("streams2"))),
                )
            )
    regions = []
    if (root / "regions.csv").is_file():
        for row in _read_csv(root / "regions.csv"):
            record = f"region {row.get('id')!r}"
            regions.append(Region((row.get("id") or "").strip(), _csv_int(row, "cap", record)))
    return validate(Instance(applicants, tuple(programs), tuple(couples), tuple(regions)))


def to_csv_directory(instance: Instance, directory: str | os.PathLike) -> None:
    """Write an instance as a CSV directory (creating it); the inverse of from_csv_directory."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    with (root / "applicants.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "ranking", "supplemental", "streams"])
        for a in instance.applicants:
            writer.writerow(
                [a.id, " ".join(a.ranking), " ".join(a.supplemental), " ".join(a.streams)]
            )
    with (root / "programs.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "capacity", "ranking", "region", "track", "revert_to", "stream"])
        for p in instance.programs:
            writer.writerow(
                [
                    p.id,
                    p.capacity,
                    " ".join(p.ranking),
                    p.region or "",
                    p.track,
                    p.revert_to or "",
                    p.stream or "",
                ]
            )
    if instance.couples:
        with (root / "couples.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "member1", "member2", "ranking", "streams1", "streams2"])
            for c in instance.couples:
                cells = " ".join(f"{r[0] or ''}|{r[1] or ''}" for r in c.ranking)
                writer.writerow(
                    [c.id, *c.members, cells, " ".join(c.streams[0]), " ".join(c.streams[1])]
                )
    if instance.regions:
        with (root / "regions.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "cap"])
            for r in instance.regions:
                writer.writerow([r.id, r.cap])


# ----------------------------------------------------------------------------- files


def load(path: str | os.PathLike) -> Instance:
    """Load an instance from a JSON file or a CSV directory; raise InstanceError when malformed."""
    target = Path(path)
    if target.is_dir():
        return from_csv_directory(target)
    try:
        data = json.loads(target.read_bytes())
    except FileNotFoundError:
        raise InstanceError("instance", "(file)", f"{target} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InstanceError("instance", "(file)", f"{target} is not valid JSON: {error}") from None
    return from_dict(data)


def dump(instance: Instance, path: str | os.PathLike) -> None:
    """Write an instance: a CSV directory when ``path`` has no .json suffix, else a JSON file."""
    target = Path(path)
    if target.suffix.lower() == ".json":
        target.write_text(json.dumps(to_dict(instance), separators=(",", ":")), encoding="utf-8")
    else:
        to_csv_directory(instance, target)
