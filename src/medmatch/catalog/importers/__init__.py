"""Catalog importers, one per shipped data file, in the order `medmatch import all` runs them."""

from .base import (
    Importer,
    ImportFileError,
    ImportReport,
    ImportWriteError,
    Progress,
    run_imports,
)
from .carms import CarmsProgramsImporter
from .hospital_data import CostReportsImporter, H1bFilingsImporter, OdhfHospitalsImporter
from .hospitals import CmsHospitalsImporter, HifldHospitalsImporter, TeachingImporter
from .lock import ImportLocked, import_lock
from .nrmp import NrmpInstitutionsImporter, NrmpProgramsImporter
from .places import FmrImporter, RucaImporter, SafmrImporter, ZipCountyImporter
from .rules import TrainingLengthImporter, WorkHourImporter
from .specialties import AcgmeSpecialtiesImporter, CarmsDisciplinesImporter
from .wikidata import WikidataHospitalsImporter

# Dependencies first: each importer joins onto rows the ones before it wrote.
IMPORTERS: dict[str, type[Importer]] = {
    importer.info.key: importer
    for importer in (
        AcgmeSpecialtiesImporter,
        CmsHospitalsImporter,
        HifldHospitalsImporter,
        TeachingImporter,
        NrmpInstitutionsImporter,
        NrmpProgramsImporter,
        CarmsDisciplinesImporter,
        CarmsProgramsImporter,
        WikidataHospitalsImporter,
        TrainingLengthImporter,
        WorkHourImporter,
        CostReportsImporter,
        H1bFilingsImporter,
        OdhfHospitalsImporter,
        RucaImporter,
        ZipCountyImporter,
        FmrImporter,
        SafmrImporter,
    )
}


def import_sources(
    key: str, path=None, *, dry_run: bool = False, progress: Progress | None = None
) -> list[ImportReport]:
    """Import one source (optionally from another file) or, with key "all", every shipped file."""
    if key == "all":
        if path:
            raise ValueError("A file can be given only when importing a single source.")
        importers = [importer() for importer in IMPORTERS.values()]
        return run_imports(importers, dry_run=dry_run, progress=progress, whole_catalog=True)
    elif key in IMPORTERS:
        importers = [IMPORTERS[key](path)]
    else:
        raise ValueError(f"Unknown source “{key}”; choose all or one of: {', '.join(IMPORTERS)}.")
    return run_imports(importers, dry_run=dry_run, progress=progress)


__all__ = [
    "IMPORTERS",
    "ImportFileError",
    "ImportLocked",
    "ImportReport",
    "ImportWriteError",
    "import_lock",
    "import_sources",
]
