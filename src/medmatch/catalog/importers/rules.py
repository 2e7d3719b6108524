"""Rule tables: training length by specialty and track, and work-hour limits (issue 11).

Training length: ACGME rows are keyed by specialty code and NRMP track type; CaRMS rows by the
CaRMS discipline id alone (a CaRMS stream has no track), with the Royal College or the CFPC as the
body. Work hours: a country's rules (the ACGME's for every US program), one province's (a
residents' collective agreement, ``region`` = the province) or one faculty's wherever its residents
train (``faculty``: Maritime Resident Doctors for Dalhousie's residents in three provinces).

The rows were written by the project from the public documents each row cites (see
``catalog/data/README.md``, "Rule tables"); they are imported like any other source so that the
rule facts on a program page carry a Source, a document, a section and a date.
"""

from datetime import date

from django.db.models import Q

from medmatch.catalog.models import Program, Specialty
from medmatch.catalog.models_rules import TrainingLengthRule, WorkHourRule

from .base import (
    Importer,
    ImportFileError,
    ImportReport,
    SourceInfo,
    Table,
    make_pattern,
    required_text,
    sync_rows,
    text,
    write_transaction,
)
from .carms import FACULTIES

TRAINING_LENGTH = SourceInfo(
    key="rules-training-length",
    name="Training length by specialty and track (written from the ACGME Program Requirements "
    "and the Royal College and CFPC training requirements)",
    publisher="medmatch project, from the ACGME, Royal College and CFPC documents on each row",
    url="https://www.acgme.org/programs-and-institutions/programs/program-requirements/",
    license="Project-written table of public facts; each row cites its document",
    retrieved_on=date(2026, 12, 3),
    file_name="rules/training_length.csv",
    notes="Only rows that could be sourced precisely; other specialties and tracks are unknown.",
)
WORK_HOURS = SourceInfo(
    key="rules-work-hours",
    name="Clinical and educational work hours (written from the ACGME Common Program Requirements "
    "and Canadian residents' collective agreements)",
    publisher="medmatch project, from the ACGME Common Program Requirements, section VI.F, and the "
    "PARO-CAHO, FMRQ and PAR-BC agreements cited on each row",
    url="https://www.acgme.org/programs-and-institutions/programs/common-program-requirements/",
    license="Project-written table of public facts; each row cites its document and section",
    retrieved_on=date(2026, 12, 3),
    file_name="rules/work_hours.csv",
)

DOCUMENT_COLUMNS = ("body", "document", "document_url", "document_date", "section")
specialty_code = make_pattern(r"\d{3}", "a 3-digit ACGME specialty code")
discipline_id = make_pattern(r"\d{1,6}", "a numeric CaRMS discipline id")
country = make_pattern(r"[A-Z]{2}", "a 2-letter ISO country code")
RULE_SYSTEMS = (Specialty.System.ACGME, Specialty.System.CARMS)
rule_key = make_pattern(r"[a-z0-9-]{1,40}", "a key of lower-case letters, digits and hyphens")


def https_url(value: str) -> str:
    value = required_text(value)
    if not value.startswith("https://"):
        raise ValueError(f"“{value}” is not an https:// address of the cited document")
    return value


def system(value: str) -> str:
    value = required_text(value)
    if value not in RULE_SYSTEMS:
        raise ValueError(f"“{value}” is not a rule system ({', '.join(RULE_SYSTEMS)})")
    return value


def region(value: str) -> str:
    value = text(value)
    if value and not (len(value) == 2 and value.isascii() and value.isalpha() and value.isupper()):
        raise ValueError(f"“{value}” is not a 2-letter province or state code")
    return value


def faculty(value: str) -> str:
    value = text(value)
    if value and value not in FACULTIES:
        raise ValueError(f"“{value}” is not one of the CaRMS file's faculties of medicine")
    return value


def iso_date(value: str) -> date | None:
    """A version date, or None where the row says it was not recorded (unknown is not zero)."""
    value = text(value)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"“{value}” is not a date as YYYY-MM-DD") from None


def bounded_int(low: int, high: int):
    def parse(value: str) -> int:
        value = required_text(value)
        if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
            raise ValueError(f"“{value}” is not a whole number from {low} to {high}")
        return int(value)

    return parse


def track_type(value: str) -> str:
    value = required_text(value)
    if value not in Program.TrackType.values:
        raise ValueError(f"“{value}” is not a track type ({', '.join(Program.TrackType.values)})")
    return value


def no_track(value: str) -> str:
    if text(value):
        raise ValueError(f"“{value}” given, but a CaRMS rule has no track type (leave it empty)")
    return ""


def _document(table: Table, number: int, row: dict[str, str]) -> dict:
    return {
        "body": table.value(number, row, "body", required_text),
        "document": table.value(number, row, "document", required_text),
        "document_url": table.value(number, row, "document_url", https_url),
        "document_date": table.value(number, row, "document_date", iso_date),
        "section": table.value(number, row, "section", text),
    }


def _unique(table: Table, records: dict, key: str, number: int, column: str) -> None:
    if key in records:
        raise ImportFileError(table.path, number, column, f"“{key}” is given twice")


class TrainingLengthImporter(Importer):
    info = TRAINING_LENGTH
    columns = (
        "system",
        "specialty_code",
        "track_type",
        "track_name",
        "months",
        "note",
        *DOCUMENT_COLUMNS,
    )

    def parse(self, table: Table) -> dict[str, dict]:
        records: dict[str, dict] = {}
        for number, row in table.rows:
            kind = table.value(number, row, "system", system)
            if kind == Specialty.System.ACGME:
                code = table.value(number, row, "specialty_code", specialty_code)
                track = table.value(number, row, "track_type", track_type)
                key = f"{code}-{track}"
            else:
                # A CaRMS stream has no NRMP track: the discipline alone keys its rule.
                code = table.value(number, row, "specialty_code", discipline_id)
                track = table.value(number, row, "track_type", no_track)
                key = f"carms-{code}"
            _unique(table, records, key, number, "specialty_code")
            records[key] = {
                "system": kind,
                "specialty_code": code,
                "track_type": track,
                "track_name": table.value(number, row, "track_name", required_text),
                "months": table.value(number, row, "months", bounded_int(6, 120)),
                "note": table.value(number, row, "note", text),
                **_document(table, number, row),
            }
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        for values in records.values():
            values["source_id"] = source.pk
        report.deleted += _delete_missing(TrainingLengthRule, records)
        sync_rows(TrainingLengthRule, "key", records, report)
        # The join a student sees: how many CaRMS streams the disciplines' rows give a length
        # (the others stay unknown).
        streams = Program.objects.filter(
            program_type=Program.ProgramType.RESIDENCY, specialty__system=Specialty.System.CARMS
        )
        codes = [r["specialty_code"] for r in records.values() if r["system"] == "carms"]
        covered = streams.filter(specialty__code__in=codes).count()
        report.figures["CaRMS streams with a length rule"] = f"{covered} of {streams.count()}"


class WorkHourImporter(Importer):
    info = WORK_HOURS
    columns = (
        "key",
        "country",
        "region",
        "faculty",
        "applies_to",
        "label",
        "statement",
        "limit",
        "unit",
        *DOCUMENT_COLUMNS,
    )

    def parse(self, table: Table) -> dict[str, dict]:
        records: dict[str, dict] = {}
        for number, row in table.rows:
            key = table.value(number, row, "key", rule_key)
            _unique(table, records, key, number, "key")
            limit = table.value(number, row, "limit", text)
            records[key] = {
                "country": table.value(number, row, "country", country),
                "region": table.value(number, row, "region", region),
                "faculty": table.value(number, row, "faculty", faculty),
                "applies_to": table.value(number, row, "applies_to", required_text),
                "label": table.value(number, row, "label", required_text),
                "statement": table.value(number, row, "statement", required_text),
                "limit": table.value(number, row, "limit", bounded_int(1, 168)) if limit else None,
                "unit": table.value(number, row, "unit", text),
                **_document(table, number, row),
            }
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        for values in records.values():
            values["source_id"] = source.pk
        report.deleted += _delete_missing(WorkHourRule, records)
        sync_rows(WorkHourRule, "key", records, report)
        canadian = [r for r in records.values() if r["country"] == "CA"]
        streams = Program.objects.filter(
            program_type=Program.ProgramType.RESIDENCY,
            specialty__system=Specialty.System.CARMS,
            country="CA",
        )
        # A province's rule holds for the streams there, a faculty's for its streams anywhere
        # (rule_facts.RuleBook.work_hours_for says the same for one program).
        match = Q(pk__in=[])
        for rule in canadian:
            where = Q()
            if rule["region"]:
                where &= Q(region=rule["region"])
            if rule["faculty"]:
                where &= Q(institution__name=rule["faculty"])
            if rule["region"] or rule["faculty"]:
                match |= where
        covered = streams.filter(match).count()
        report.figures["CaRMS streams under a collective agreement's rules"] = (
            f"{covered} of {streams.count()}"
        )


def _delete_missing(model, records: dict) -> int:
    """A row taken out of the table is a rule no longer claimed: its row goes too."""
    stale = model.objects.exclude(key__in=list(records))
    if not stale.exists():
        return 0
    with write_transaction():
        deleted, _ = stale.delete()
    return deleted
