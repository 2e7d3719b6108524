"""Specialties: ACGME specialty codes (US) and CaRMS disciplines (Canada)."""

from datetime import date

from django.utils.text import slugify

from medmatch.catalog.models import Specialty

from .base import (
    Importer,
    ImportReport,
    SourceInfo,
    Table,
    batches,
    make_pattern,
    required_text,
    write_transaction,
)

ACGME_SPECIALTIES = SourceInfo(
    key="acgme-specialties",
    name="ACGME specialty codes (NRMP 2024 Main Match)",
    publisher="ACGME / NRMP",
    url="https://github.com/wavegate/residency-match",
    license="Factual identifiers; attribute ACGME and NRMP",
    retrieved_on=date(2024, 6, 3),
    file_name="programs/acgme_specialty_codes.csv",
    notes="Urology (480) is missing from the published table.",
)
CARMS_DISCIPLINES = SourceInfo(
    key="carms-disciplines",
    name="CaRMS 2025 R-1 disciplines",
    publisher="CaRMS (Canadian Resident Matching Service)",
    url="https://github.com/dnokes/Junior-Data-Scientist",
    license="No licence stated; public CaRMS facts, attribute CaRMS",
    retrieved_on=date(2025, 1, 1),
    file_name="international/carms_2025_r1_disciplines.csv",
)

acgme_code = make_pattern(r"\d{3}", "a 3-digit ACGME specialty code")
carms_id = make_pattern(r"\d{1,6}", "a numeric CaRMS discipline id")

# CaRMS discipline -> the ACGME specialty code it corresponds to. Written out by hand because the
# names differ ("General Surgery" / "Surgery-General"); disciplines with no clear US counterpart
# (pathology subspecialties, medical microbiology, ophthalmology — not in the NRMP table) are left
# without an equivalent rather than mapped to something merely similar.
CARMS_TO_ACGME = {
    "Anesthesiology": "040",
    "Anesthesiology - Clinician Investigator Program": "040",
    "Cardiac Surgery": "461",
    "Dermatology": "080",
    "Diagnostic Radiology": "420",
    "Diagnostic and Clinical Pathology": "300",
    "Emergency Medicine": "110",
    "Family Medicine": "120",
    "Family Medicine integrated Clinician Scholar": "120",
    "General Surgery": "440",
    "Internal Medicine": "140",
    "Neurology": "180",
    "Neurology - Pediatric": "185",
    "Neurosurgery": "160",
    "Nuclear Medicine": "200",
    "Obstetrics and Gynecology": "220",
    "Orthopedic Surgery": "260",
    "Otolaryngology - Head and Neck Surgery": "280",
    "Pediatrics": "320",
    "Pediatrics - Clinician Scientist and Investigator Training Program": "320",
    "Pediatrics - Research Track": "320",
    "Physical Medicine & Rehabilitation": "340",
    "Plastic Surgery": "362",
    "Psychiatry": "400",
    "Psychiatry - Research Track": "400",
    "Public Health and Preventive Medicine": "380",
    "Radiation Oncology": "430",
    "Vascular Surgery": "451",
}


class AcgmeSpecialtiesImporter(Importer):
    info = ACGME_SPECIALTIES
    columns = ("acgmeSpecialtyCode", "name")

    def parse(self, table: Table) -> list[tuple[int, str, str]]:
        return [
            (
                number,
                table.value(number, row, "acgmeSpecialtyCode", acgme_code),
                table.value(number, row, "name", required_text),
            )
            for number, row in table.rows
        ]

    def write(self, records, source, report: ImportReport, progress) -> None:
        sync_specialties(Specialty.System.ACGME, records, source, report, slug_suffix="")


class CarmsDisciplinesImporter(Importer):
    info = CARMS_DISCIPLINES
    columns = ("discipline_id", "discipline")
    requires = ("acgme-specialties",)

    def parse(self, table: Table) -> list[tuple[int, str, str]]:
        return [
            (
                number,
                table.value(number, row, "discipline_id", carms_id),
                table.value(number, row, "discipline", required_text),
            )
            for number, row in table.rows
        ]

    def write(self, records, source, report: ImportReport, progress) -> None:
        acgme = dict(
            Specialty.objects.filter(system=Specialty.System.ACGME).values_list("code", "pk")
        )
        equivalents = {code: acgme.get(CARMS_TO_ACGME.get(name, "")) for _, code, name in records}
        linked = sum(1 for pk in equivalents.values() if pk)
        report.figures["linked to an ACGME specialty"] = f"{linked} of {len(records)}"
        # The slug gets a suffix so that "anesthesiology" stays the ACGME specialty's URL.
        sync_specialties(Specialty.System.CARMS, records, source, report, "-canada", equivalents)


def sync_specialties(system, records, source, report, slug_suffix, equivalents=None) -> None:
    existing = {obj.code: obj for obj in Specialty.objects.filter(system=system)}
    to_create, to_update = [], []
    for _number, code, name in records:
        values = {
            "name": name,
            "slug": slugify(name)[:200] + slug_suffix,
            "source_id": source.pk,
        }
        if equivalents is not None:
            values["equivalent_id"] = equivalents.get(code)
        obj = existing.get(code)
        if obj is None:
            to_create.append(Specialty(system=system, code=code, **values))
        elif any(getattr(obj, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(obj, field, value)
            to_update.append(obj)
        else:
            report.unchanged += 1
    fields = ["name", "slug", "source_id"] + (["equivalent_id"] if equivalents is not None else [])
    for batch in batches(to_create):
        with write_transaction():
            Specialty.objects.bulk_create(batch)
    for batch in batches(to_update):
        with write_transaction():
            Specialty.objects.bulk_update(batch, fields)
    report.created += len(to_create)
    report.updated += len(to_update)
