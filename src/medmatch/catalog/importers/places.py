"""Place data: USDA RUCA rurality by ZIP, the HUD-USPS ZIP->county key, HUD Fair Market Rents by
county (New England by town) and HUD Small Area Fair Market Rents by ZIP.

Each file fills its own table (``models_places``), keyed on the file's natural key; rows gone from
a new file are deleted. None of them changes an institution or a program: programs reach these
facts at read time through their ZIP (``catalog/places.py``), so each report's figures say how
many catalog institutions and programs the file reaches, and by which key.
"""

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import partial
from operator import itemgetter
from types import NoneType

from medmatch.catalog.models_places import AreaRent, ZipArea, ZipCounty, ZipRent

from .base import (
    Importer,
    ImportReport,
    SourceInfo,
    Table,
    after_writes,
    batches,
    column_form,
    db_value,
    insert_batch,
    make_pattern,
    optional_int,
    per_run,
    plain_types,
    required_text,
    sync_rows,
    text,
    write_transaction,
)

USDA_RUCA = SourceInfo(
    key="usda-ruca-2020",
    name="USDA Rural-Urban Commuting Area codes 2020, by ZIP",
    publisher="USDA Economic Research Service",
    url="https://github.com/yesols/aou_code",
    license="US federal government work, public domain",
    retrieved_on=date(2026, 1, 9),
    file_name="rurality/usda_ruca_2020_zip.csv",
    notes="2020 Census vintage; copy of the ERS ZIP file (RUCA-codes-2020-zipcode.csv, commit "
    "7ae3efe). Not comparable with the 2010 codes.",
)
HUD_ZIP_COUNTY = SourceInfo(
    key="hud-usps-zip-county",
    name="HUD-USPS ZIP Code Crosswalk, ZIP to county, 2024-Q4",
    publisher="HUD Office of Policy Development and Research / USPS",
    url="https://github.com/karthikeyanasha24/rep_map",
    license="US government publication released for public use; attribute HUD and USPS",
    retrieved_on=date(2025, 6, 6),
    file_name="cost_of_living/hud_usps_zip_county_2024q4_primary.csv",
    notes="ZIP_COUNTY_122024.csv (commit eb4a064) reduced to one row per ZIP: the county with the "
    "largest share of all addresses.",
)
HUD_FMR = SourceInfo(
    key="hud-fmr-fy2026",
    name="HUD Fair Market Rents FY2026, by county (New England by town)",
    publisher="HUD Office of Policy Development and Research",
    url="https://github.com/Mirainopower/housing_pulse",
    license="US federal government work, public domain",
    retrieved_on=date(2026, 4, 9),
    file_name="cost_of_living/hud_fmr_fy2026_county.csv",
    notes="FY26_FMRs.xlsx (commit 9c1f855), sheet FY26_FMRs. 40th-percentile gross rent "
    "(utilities included) of standard units; effective 2025-10-01.",
)
HUD_SAFMR = SourceInfo(
    key="hud-safmr-fy2024",
    name="HUD Small Area Fair Market Rents FY2024, by ZIP",
    publisher="HUD Office of Policy Development and Research",
    url="https://github.com/np3wu/DSST-289-final-project",
    license="US federal government work, public domain",
    retrieved_on=date(2023, 12, 6),
    file_name="cost_of_living/hud_safmr_fy2024_zip.csv",
    notes="data/fy2024_safmrs.xlsx (commit 6943b4f); metro ZIPs only; one fiscal year older than "
    "the county rents. A ZIP crossing two HUD areas has two rows.",
)

zip_code = make_pattern(r"\d{5}", "a 5-digit ZIP code (kept as text, leading zeros included)")
state_code = make_pattern(r"[A-Z]{2}", "a 2-letter state code")
county_fips = make_pattern(r"\d{5}", "a 5-digit county FIPS code")
fips_10 = make_pattern(r"\d{10}", "a 10-digit FIPS code (state, county, subdivision)")
hud_area = make_pattern(r"[A-Z0-9]{6,20}", "a HUD area code such as METRO12700M12700")
secondary_code = make_pattern(r"(\d{1,2}(\.\d)?)?", "a RUCA secondary code such as 10.1")

# The 4-way grouping of the primary code the staged file's ruca_class column uses.
RUCA_CLASSES = {
    **dict.fromkeys(range(1, 4), ZipArea.Setting.URBAN),
    **dict.fromkeys(range(4, 7), ZipArea.Setting.LARGE_RURAL_TOWN),
    **dict.fromkeys(range(7, 10), ZipArea.Setting.SMALL_RURAL_TOWN),
    10: ZipArea.Setting.ISOLATED_RURAL,
}
RUCA_UNKNOWN = 99
NEW_ENGLAND = frozenset({"CT", "MA", "ME", "NH", "RI", "VT"})


_RUCA_CODES = {str(code): code for code in (*RUCA_CLASSES, RUCA_UNKNOWN)}
# The class column's text of each primary code (plain str: what is written and compared).
_RUCA_CLASS_VALUES = {code: str(setting) for code, setting in RUCA_CLASSES.items()}


def _stripped_column(column: Sequence[str]) -> list[str]:
    return list(map(str.strip, column))


@column_form(_stripped_column)
def stripped(value: str) -> str:
    """The value without surrounding spaces, as it is otherwise (a "no value" word included)."""
    return value.strip()


def ruca_primary(value: str) -> int:
    code = _RUCA_CODES.get(value.strip())
    if code is None:
        raise ValueError(f"“{value.strip()}” is not a RUCA primary code (1 to 10, or 99)")
    return code


def share(value: str) -> float:
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"“{value}” is not a share (a number from 0 to 1)") from None
    if not 0 <= number <= 1:
        raise ValueError(f"“{value}” is not a share (a number from 0 to 1)")
    return number


def count_at_least_one(value: str) -> int:
    number = optional_int(value)
    if number is None or number < 1:
        raise ValueError(f"“{value.strip()}” is not a count of 1 or more")
    return number


def zero_one(value: str) -> bool:
    value = value.strip()
    if value not in ("0", "1"):
        raise ValueError(f"“{value}” is not 0 or 1")
    return value == "1"


def rent(value: str) -> int | None:
    """Monthly rent in whole dollars; blank = not published (unknown), never 0."""
    if value.isdigit() and value[0] != "0":  # the common case, 27,000 rows x 5 columns
        number = int(value)
        if number <= 20000:
            return number
    number = optional_int(value.replace("$", "").replace(",", ""))
    if number is not None and not 1 <= number <= 20000:
        raise ValueError(f"“{value.strip()}” is not a monthly rent in dollars (1 to 20,000)")
    return number


def town_key(name: str) -> str:
    """ "barnstable" from "Barnstable Town city", "st albans" from "St. Albans city": what a
    hospital's city is compared with (HUD's town names end in " town"/" city")."""
    key = re.sub(r"[^a-z0-9 ]+", " ", name.lower())
    key = " ".join(key.split())
    while True:
        shorter = re.sub(r" (town|city)$", "", key)
        if shorter == key:
            return key
        key = shorter


def _sync_and_delete(model, key_field, fields, records, source, report, progress) -> None:
    """Write new rows, update changed ones, delete the ones the new file no longer has.

    ``records``: {key: values}, the values of ``fields`` in that order; every row is
    ``source``'s. The tables hold up to 41,000 rows, so: compare plain tuples first (an
    unchanged re-import loads no model objects and writes nothing); insert new rows many per
    statement (``insert_batch``: ``bulk_create`` builds a model object and compiles SQL for every
    row, three times slower on a fresh import); update changed rows through ``sync_rows``.
    """
    fields = (*fields, "source_id")
    current = {
        row[0]: row[1:] for row in model.objects.values_list(key_field, "pk", *fields).iterator()
    }
    new, changed, changed_pks = {}, {}, []
    for key, values in records.items():
        row = current.get(key)
        if row is None:
            new[key] = values
        elif (*values, source.pk) != row[1:]:
            changed[key] = dict(zip(fields, (*values, source.pk), strict=True))
            changed_pks.append(row[0])
        else:
            report.unchanged += 1
    _insert_rows(model, [key_field, *fields], new, source.pk, report, progress)
    existing = {}
    for batch in batches(changed_pks):
        existing.update(
            (getattr(obj, key_field), obj) for obj in model.objects.filter(pk__in=batch)
        )
    sync_rows(model, key_field, changed, report, existing, progress)
    gone = [row[0] for key, row in current.items() if key not in records]
    for batch in batches(gone):
        with write_transaction():
            model.objects.filter(pk__in=batch).delete()
    report.deleted += len(gone)


def _insert_rows(model, names, records, source_pk, report, progress) -> None:
    """INSERT ``records`` ({key: values}) as rows of the ``names`` fields (the key, the values,
    then ``source_pk``), ``BATCH_SIZE`` rows per write transaction."""
    if not records:
        return
    fields = [model._meta.get_field(name) for name in names]
    # Column by column (zip and map: the loops over 41,000 rows run in C). Most columns hold
    # only values of their plain type (or None): checked once per column, so that only the
    # others go through get_db_prep_save, value by value (db_value).
    columns = [list(records), *zip(*records.values(), strict=True), [source_pk] * len(records)]
    for index, (field, kind) in enumerate(zip(fields, plain_types(fields), strict=True)):
        if kind is None or not set(map(type, columns[index])) <= {kind, NoneType}:
            columns[index] = [db_value(field, kind, value) for value in columns[index]]
    rows = list(zip(*columns, strict=True))
    if progress:
        progress.start(str(model._meta.verbose_name_plural), len(rows))
    names = [field.column for field in fields]
    for batch in batches(rows):
        with write_transaction():
            insert_batch(model._meta.db_table, names, batch)
        if progress:
            progress.advance(len(batch))
    report.created += len(rows)


def _values(records: dict[str, tuple], fields: tuple[str, ...], name: str) -> list:
    """The ``name`` value of every record (``records``' values are those of ``fields``)."""
    return list(map(itemgetter(fields.index(name)), records.values()))


_REACH = ("place reach reports",)


def _report_reach(report: ImportReport, key: str) -> None:
    """How many catalog institutions and programs this file's facts reach, by key.

    Counted once the run's last importer has written (``after_writes``), for every place file
    of the run at once: the four files change no institution or program, and each count reads
    the same place rows (``import all`` counted them four times: ~0.5 s of a fresh import). So
    each file's figures are those of the catalog as the run leaves it, as a page shows it."""
    reports = per_run(_REACH, dict)
    reports[key] = report
    after_writes(_REACH, partial(_count_reach, reports))


def _count_reach(reports: dict[str, ImportReport]) -> None:
    from medmatch.catalog import places

    # Only the RUCA file's count reads the settings (the RUCA table: 41,000 ZIPs).
    institutions, programs = places.catalog_places(settings="setting" in reports)
    for key, report in reports.items():
        for label, found in (("US institutions", institutions), ("programs", programs)):
            counts = places.count_by(found.values(), key)
            report.figures[f"{label} matched ({len(found)})"] = ", ".join(
                f"{name}: {count}" for name, count in counts.items()
            )


class RucaImporter(Importer):
    """Rurality by ZIP. RUCA 99 (not coded) is stored with an empty class: unknown, not urban."""

    info = USDA_RUCA
    columns = (
        "zip",
        "state",
        "zip_type",
        "po_name",
        "ruca_primary",
        "ruca_secondary",
        "ruca_class",
    )
    fields = columns[1:]  # the model fields of each record's values, in order (after the ZIP)

    def parse(self, table: Table) -> dict[str, tuple]:
        records = {}
        lines = table.parsed(
            [
                ("zip", zip_code),
                ("state", state_code),
                ("zip_type", text),
                ("po_name", text),
                ("ruca_primary", ruca_primary),
                ("ruca_secondary", secondary_code),
                ("ruca_class", stripped),
            ]
        )
        for (number, values), parsed in lines:
            code, state, zip_type, po_name, primary, secondary, ruca_class = parsed
            if code in records:
                table.value(number, table.row(values), "zip", _raise_duplicate)
            expected = _RUCA_CLASS_VALUES.get(primary, "")
            # The class column was added when staging; a row where it disagrees with the code
            # is a broken file, not a fact to choose between.
            if ruca_class != expected:
                check = partial(_check_class, expected=expected)
                table.value(number, table.row(values), "ruca_class", check)
            records[code] = (state, zip_type, po_name, primary, secondary, expected)
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        classes = _values(records, self.fields, "ruca_class")
        report.figures["ZIPs with RUCA 99 (setting unknown)"] = classes.count("")
        _sync_and_delete(ZipArea, "zip", self.fields, records, source, report, progress)
        _report_reach(report, "setting")


def _check_class(value: str, *, expected: str) -> str:
    value = value.strip()
    if value != expected:
        wanted = f"“{expected}”" if expected else "empty (RUCA 99 has no class)"
        raise ValueError(f"“{value}” does not fit the primary code; expected {wanted}")
    return value


def _raise_duplicate(value: str):
    raise ValueError(f"ZIP {value.strip()} appears twice")


class ZipCountyImporter(Importer):
    """The county of each ZIP (the one with most of its addresses): the key to county rents."""

    info = HUD_ZIP_COUNTY
    columns = (
        "zip",
        "county_fips5",
        "usps_city",
        "state",
        "share_of_addresses",
        "share_of_residential",
        "n_counties",
    )
    fields = columns[1:]  # the model fields of each record's values, in order (after the ZIP)

    def parse(self, table: Table) -> dict[str, tuple]:
        records = {}
        lines = table.parsed(
            [
                ("zip", zip_code),
                ("county_fips5", county_fips),
                ("usps_city", text),
                ("state", state_code),
                ("share_of_addresses", share),
                ("share_of_residential", share),
                ("n_counties", count_at_least_one),
            ]
        )
        for (number, values), parsed in lines:
            code = parsed[0]
            if code in records:
                table.value(number, table.row(values), "zip", _raise_duplicate)
            records[code] = parsed[1:]  # ``fields``
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        counties = _values(records, self.fields, "n_counties")
        shares = _values(records, self.fields, "share_of_addresses")
        report.figures["ZIPs split across counties, main county < 70% of addresses"] = sum(
            1 for count, share in zip(counties, shares, strict=True) if count > 1 and share < 0.7
        )
        _sync_and_delete(ZipCounty, "zip", self.fields, records, source, report, progress)
        _report_reach(report, "county")


class FmrImporter(Importer):
    """County Fair Market Rents; New England by town (matched by the hospital's city at lookup)."""

    info = HUD_FMR
    columns = (
        "state",
        "county_fips5",
        "fips10",
        "is_town_level",
        "county_name",
        "county_town_name",
        "hud_area_code",
        "hud_area_name",
        "metro",
        "population_2023",
        "fmr_0",
        "fmr_1",
        "fmr_2",
        "fmr_3",
        "fmr_4",
    )
    requires = ("hud-usps-zip-county",)
    # The model fields of each record's values, in order (after the FIPS code).
    fields = (
        "state",
        "county_fips5",
        "is_town_level",
        "county_name",
        "town_name",
        "town_key",
        "hud_area_code",
        "hud_area_name",
        "metro",
        "population",
        *(f"rent_{n}" for n in range(5)),
    )

    def parse(self, table: Table) -> dict[str, tuple]:
        records = {}
        take = itemgetter(*self.fields)
        for number, row in table.rows:
            key = table.value(number, row, "fips10", fips_10)
            if key in records:
                table.value(number, row, "fips10", lambda v: _raise_twice("FIPS", v))
            county = table.value(number, row, "county_fips5", county_fips)
            if not key.startswith(county):
                table.value(number, row, "county_fips5", lambda v, k=key: _raise_prefix(v, k))
            is_town = table.value(number, row, "is_town_level", zero_one)
            town = table.value(number, row, "county_town_name", text)
            if is_town and not town:
                table.value(number, row, "county_town_name", required_text)
            values = {
                "state": table.value(number, row, "state", state_code),
                "county_fips5": county,
                "is_town_level": is_town,
                "county_name": table.value(number, row, "county_name", required_text),
                "town_name": town if is_town else "",
                "town_key": town_key(town) if is_town else "",
                "hud_area_code": table.value(number, row, "hud_area_code", hud_area),
                "hud_area_name": table.value(number, row, "hud_area_name", required_text),
                "metro": table.value(number, row, "metro", zero_one),
                "population": table.value(number, row, "population_2023", optional_int),
                **{f"rent_{n}": table.value(number, row, f"fmr_{n}", rent) for n in range(5)},
            }
            records[key] = take(values)
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        towns = _values(records, self.fields, "is_town_level")
        report.figures["town-level rows (New England)"] = sum(towns)
        _sync_and_delete(AreaRent, "fips10", self.fields, records, source, report, progress)
        _report_reach(report, "county_rent")


def _raise_twice(what: str, value: str):
    raise ValueError(f"{what} {value.strip()} appears twice")


def _raise_twice_in_area(value: str, *, area: str):
    _raise_twice("ZIP", f"{value} {area}")


def _raise_prefix(value: str, key: str):
    raise ValueError(f"“{value.strip()}” is not the first five digits of fips10 {key}")


class SafmrImporter(Importer):
    """ZIP-level rents in metro areas. Both rows of a ZIP that crosses two HUD areas are kept; the
    lookup takes the one whose area is the county's (else the higher rent) and says so."""

    info = HUD_SAFMR
    columns = (
        "zip",
        "hud_area_code",
        "hud_area_name",
        "safmr_0",
        "safmr_1",
        "safmr_2",
        "safmr_3",
        "safmr_4",
    )
    requires = ("hud-fmr-fy2026",)
    # The model fields of each record's values, in order (after the key "ZIP:area").
    fields = ("zip", "hud_area_code", "hud_area_name", *(f"rent_{n}" for n in range(5)))

    def parse(self, table: Table) -> dict[str, tuple]:
        records = {}
        lines = table.parsed(
            [
                ("zip", zip_code),
                ("hud_area_code", hud_area),
                ("hud_area_name", required_text),
                *((f"safmr_{n}", rent) for n in range(5)),
            ]
        )
        for (number, values), parsed in lines:
            code, area = parsed[:2]
            key = f"{code}:{area}"
            if key in records:
                twice = partial(_raise_twice_in_area, area=area)
                table.value(number, table.row(values), "zip", twice)
            records[key] = parsed  # the columns are ``fields``
        return records

    def write(self, records, source, report: ImportReport, progress) -> None:
        per_zip = Counter(_values(records, self.fields, "zip"))
        report.figures["ZIPs with rows in two or more HUD areas"] = sum(
            1 for n in per_zip.values() if n > 1
        )
        _sync_and_delete(ZipRent, "key", self.fields, records, source, report, progress)
        _report_reach(report, "zip_rent")
