"""Place facts of programs and institutions, looked up in bulk: setting (USDA RUCA 2020) and rent
near the program (HUD Small Area FMR FY2024 by ZIP, else HUD FMR FY2026 by county or New-England
town).

A program's place is its institution's ZIP, else its linked hospital's (the same fallback as
``program_location`` for coordinates). A lookup for any number of programs is five queries: ZIP
areas, ZIP counties, ZIP rents, county/town rents, and the sources. Unknown stays ``None``: a ZIP
the files do not list, RUCA 99, a New-England hospital whose city is no HUD town and whose county
has no single HUD area.

Which rent is shown is never mixed silently: ZIP-level (FY2024) where HUD publishes one, else the
county or town (FY2026), and each ``Rent`` carries its level, area, fiscal year and source; the
FY2026 county/town rent is also kept as ``area_rent`` for comparisons that need one vintage.
"""

import re
from collections import Counter, namedtuple
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Q

from medmatch.catalog import import_cache
from medmatch.catalog.models import Institution, Program, Source
from medmatch.catalog.models_places import AreaRent, ZipArea, ZipCounty, ZipRent

SAFMR_YEAR = "FY2024"
FMR_YEAR = "FY2026"
RUCA_YEAR = "2020"
NEW_ENGLAND = frozenset({"CT", "MA", "ME", "NH", "RI", "VT"})
# SQLite binds at most 32,766 variables per statement; stay far below.
CHUNK = 2000

# Rent levels, most local first.
ZIP_LEVEL, TOWN_LEVEL, COUNTY_LEVEL, HUD_AREA_LEVEL = "ZIP", "town", "county", "HUD area"

RUCA_LABELS = {
    1: "metropolitan core",
    2: "metropolitan area, high commuting",
    3: "metropolitan area, low commuting",
    4: "micropolitan core",
    5: "micropolitan area, high commuting",
    6: "micropolitan area, low commuting",
    7: "small town core",
    8: "small town area, high commuting",
    9: "small town area, low commuting",
    10: "rural area",
}


@dataclass(frozen=True)
class Setting:
    zip: str  # "" for a city-wide setting
    ruca_primary: int  # the ZIP's code; city-wide: the most common code of the city's ZIPs
    ruca_secondary: str
    ruca_class: str  # ZipArea.Setting value
    label: str  # "small rural town"
    detail: str  # "small town core" / "all 57 ZIPs of CHICAGO, IL"
    source: Source
    level: str = "ZIP"  # ZIP / city
    codes: str = ""  # "7"; city-wide "1-2"


@dataclass(frozen=True)
class Rent:
    one_bedroom: int | None
    two_bedroom: int | None
    level: str  # ZIP / town / county / HUD area
    area_label: str  # "ZIP 02114", "Adams County, IL", "Boston city, MA"
    fiscal_year: str  # FY2024 / FY2026
    hud_area_code: str
    hud_area_name: str
    match: str  # how the row was found: the key reported by the importers
    source: Source


@dataclass(frozen=True)
class PlaceFacts:
    zip: str  # "" = no US ZIP known
    whose: str  # "institution" / "linked hospital" / "city" (known by city only) / ""
    city: str
    state: str
    county_fips5: str
    setting: Setting | None
    rent: Rent | None  # ZIP-level when published, else area_rent
    area_rent: Rent | None  # county / town / HUD area, FY2026

    @property
    def zip_label(self) -> str:
        if self.zip:
            return f"ZIP {self.zip}"
        return f"{self.city}, {self.state} (city)" if self.whose in (CITY, SITE) else ""


CITY = "city"
NO_PLACE = PlaceFacts("", "", "", "", "", None, None, None)
_ZIP = re.compile(r"\d{5}")


def town_key(name: str) -> str:
    """The importer's key for a New-England town ("Barnstable Town city" -> "barnstable")."""
    from medmatch.catalog.importers.places import town_key as key

    return key(name)


def place_of(institution: Institution) -> tuple[str, str, str, str]:
    """(zip, city, state, whose) of an institution: its own US ZIP, else its linked hospital's."""
    hospital = institution.hospital
    return _key_of(
        tuple(getattr(institution, name) for name in _PLACE_COLUMNS),
        tuple(getattr(hospital, name) for name in _PLACE_COLUMNS) if hospital else (None,) * 4,
    )


def institution_places(institutions: Iterable[Institution]) -> dict[int, PlaceFacts]:
    """{institution.pk: PlaceFacts} (select_related("hospital") saves a query per sponsor)."""
    places = {inst.pk: place_of(inst) for inst in institutions}
    found = _facts_for(set(places.values()))
    return {pk: found.get(key, NO_PLACE) for pk, key in places.items()}


def program_places(programs: Iterable[Program]) -> dict[int, PlaceFacts]:
    """{program.pk: PlaceFacts} for the programs, through each one's institution (select the
    programs with ``select_related("institution__hospital")``)."""
    places = {program.pk: place_of(program.institution) for program in programs}
    found = _facts_for(set(places.values()))
    return {pk: found.get(key, NO_PLACE) for pk, key in places.items()}


# The columns place_of reads, for the catalog-wide lookups (no model objects needed).
_PLACE_COLUMNS = ("country", "postal_code", "city", "region")


PlaceKey = tuple[str, str, str, str]


def catalog_places(
    keys: tuple[dict[int, PlaceKey], set[int], dict[int, PlaceKey]] | None = None,
    *,
    settings: bool = True,
) -> tuple[dict[int, PlaceFacts], dict[int, PlaceFacts]]:
    """({US institution pk: PlaceFacts}, {program pk: PlaceFacts}) for the whole catalog, from
    plain rows (import reports and `medmatch stats`): one lookup for both.

    ``keys``: what ``catalog_place_keys`` returned, when the institutions and programs have not
    changed since (the place importers of one run change only the place tables).
    ``settings=False``: every ``setting`` is None, and the RUCA table is not read (the reports
    of the county and rent files count no setting)."""
    keys, us_institutions, program_keys = keys or catalog_place_keys()
    found = _facts_for(set(keys.values()), settings=settings)
    return (
        {pk: found.get(keys[pk], NO_PLACE) for pk in us_institutions},
        {pk: found.get(key, NO_PLACE) for pk, key in program_keys.items()},
    )


def catalog_place_keys() -> tuple[dict[int, PlaceKey], set[int], dict[int, PlaceKey]]:
    """The place key (``place_of``) of every institution that may have a US place, the pks of
    the US institutions, and the place key of every program: what ``catalog_places`` looks up."""
    own = [f"{name}" for name in _PLACE_COLUMNS]
    linked = [f"hospital__{name}" for name in _PLACE_COLUMNS]
    # Only US rows can have a US place (26,000 Wikidata hospitals abroad are left out).
    rows = Institution.objects.filter(Q(country="US") | Q(hospital__country="US"))
    rows = rows.values_list("pk", *own, *linked)
    keys = {row[0]: _key_of(row[1:5], row[5:9]) for row in rows.iterator()}
    us_institutions = set(Institution.objects.filter(country="US").values_list("pk", flat=True))
    none = ("", "", "", "")
    program_keys = {
        pk: keys.get(institution_id, none)
        for pk, institution_id in Program.objects.values_list("pk", "institution_id").iterator()
    }
    return keys, us_institutions, program_keys


def _key_of(own: tuple, linked: tuple) -> tuple[str, str, str, str]:
    for (country, postal_code, city, region), whose in (
        (own, "institution"),
        (linked, "linked hospital"),
    ):
        code = (postal_code or "")[:5]
        if country == "US" and _ZIP.fullmatch(code):
            return code, city or "", region or "", whose
    # Known by city only (an NRMP sponsor placed at its city): the city's ZIPs speak for it
    # where they all agree.
    for country, _, city, region in (own, linked):
        if country == "US" and city and region:
            return "", city, region, CITY
    return "", "", "", ""


def usps_city(city: str) -> str:
    """ "SAINT LOUIS" from "St. Louis": the HUD-USPS crosswalk's spelling of a city."""
    words = re.sub(r"[^A-Z0-9 ]+", " ", city.upper()).split()
    spelled = {"ST": "SAINT", "STE": "SAINTE", "FT": "FORT", "MT": "MOUNT"}
    if words:
        words[0] = spelled.get(words[0], words[0])
    return " ".join(words)


def _chunked(values: Iterable[str]) -> Iterable[list[str]]:
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


RENT_FIELDS = ("rent_1", "rent_2", "hud_area_code", "hud_area_name", "source_id")
AREA_FIELDS = ("zip", "ruca_primary", "ruca_secondary", "ruca_class", "source_id")
COUNTY_FIELDS = ("zip", "county_fips5")
ZIP_RENT_FIELDS = ("zip", *RENT_FIELDS)
AREA_RENT_FIELDS = (
    "fips10",
    "state",
    "county_fips5",
    "county_name",
    "is_town_level",
    "town_name",
    "town_key",
    *RENT_FIELDS,
)


def _rows(model, fields, **lookups):
    """Plain named rows: a catalog-wide lookup reads ~15,000 of them."""
    return model.objects.filter(**lookups).values_list(*fields, named=True)


@cache
def _row_class(model, fields: tuple[str, ...]):
    return namedtuple("Row", fields)


def _rows_in(model, fields: tuple[str, ...], name: str, values: list[str]) -> list:
    """``_rows(model, fields, **{f"{name}__in": values})`` (one chunk of values), in the model's
    order, by one hand-written query: Django's ``__in`` lookup prepares its values one by one,
    and a catalog-wide lookup (every import report, `medmatch stats`) passes ~27,000 ZIP codes
    in chunks: building those queries cost more than running them."""
    quote = connection.ops.quote_name
    opts = model._meta
    columns = [opts.get_field(field) for field in fields]
    booleans = [
        index
        for index, column in enumerate(columns)
        if column.get_internal_type() == "BooleanField"
    ]
    order = ", ".join(quote(opts.get_field(field).column) for field in opts.ordering)
    sql = (
        f"SELECT {', '.join(quote(column.column) for column in columns)} "
        f"FROM {quote(opts.db_table)} WHERE {quote(opts.get_field(name).column)} "
        f"IN ({', '.join(['%s'] * len(values))}) ORDER BY {order}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(values))
        found = cursor.fetchall()
    make = _row_class(model, fields)._make
    if booleans:  # SQLite hands booleans back as 0 and 1
        found = [
            [
                bool(value) if index in booleans and value is not None else value
                for index, value in enumerate(row)
            ]
            for row in found
        ]
    return list(map(make, found))


def _facts_for(
    keys: set[tuple[str, str, str, str]], *, settings: bool = True
) -> dict[tuple, PlaceFacts]:
    keys = {key for key in keys if key[0] or key[3] == CITY}
    if not keys:
        return {}
    zips = {key[0] for key in keys if key[0]}
    city_zips = _city_zips({(usps_city(key[1]), key[2]) for key in keys if key[3] == CITY})
    areas, counties, zip_rents = {}, {}, {}
    for chunk in _chunked(zips):
        # ZIP-level rents only for places known by ZIP: they differ within a city.
        for row in _rows_in(ZipRent, ZIP_RENT_FIELDS, "zip", chunk):
            zip_rents.setdefault(row.zip, []).append(row)
    zips |= {code for codes in city_zips.values() for code in codes}
    for chunk in _chunked(zips):
        if settings:
            areas.update((a.zip, a) for a in _rows_in(ZipArea, AREA_FIELDS, "zip", chunk))
        counties.update((c.zip, c) for c in _rows_in(ZipCounty, COUNTY_FIELDS, "zip", chunk))
    county_codes = {c.county_fips5 for c in counties.values()}
    states = {key[2] for key in keys if key[2] in NEW_ENGLAND}
    by_county, towns_by_state = {}, {}
    rows = []
    for chunk in _chunked(county_codes):
        rows += _rows_in(AreaRent, AREA_RENT_FIELDS, "county_fips5", chunk)
    if states:
        rows += _rows(AreaRent, AREA_RENT_FIELDS, is_town_level=True, state__in=states).exclude(
            county_fips5__in=county_codes
        )
    for row in rows:
        by_county.setdefault(row.county_fips5, []).append(row)
        if row.is_town_level:
            # By state and town key: each New-England place looks up its own town's rows.
            towns_by_state.setdefault(row.state, {}).setdefault(row.town_key, []).append(row)
    source_ids = {a.source_id for a in areas.values()}
    source_ids |= {r.source_id for r in rows}
    source_ids |= {r.source_id for group in zip_rents.values() for r in group}
    sources = import_cache.sources_in(source_ids)

    result = {}
    for key in keys:
        code, city, state, whose = key
        if whose == CITY:
            result[key] = _city_facts(
                key,
                city_zips.get((usps_city(city), state), []),
                areas,
                counties,
                by_county,
                towns_by_state,
                sources,
            )
            continue
        area = areas.get(code)
        county = counties.get(code)
        setting = _setting(area, sources) if area else None
        area_rent = _area_rent(
            county, city, state, by_county, towns_by_state, zip_rents.get(code, []), sources
        )
        zip_rent = _zip_rent(code, zip_rents.get(code, []), area_rent, sources)
        result[key] = PlaceFacts(
            zip=code,
            whose=whose,
            city=city,
            state=state,
            county_fips5=county.county_fips5 if county else "",
            setting=setting,
            rent=zip_rent or area_rent,
            area_rent=area_rent,
        )
    return result


def _city_zips(cities: set[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
    """{(USPS city, state): its ZIPs} from the crosswalk, for places known by city only."""
    found = {}
    states = {state for _, state in cities}
    names = {name for name, _ in cities}
    for chunk in _chunked(names):
        rows = ZipCounty.objects.filter(usps_city__in=chunk, state__in=states)
        for code, name, state in rows.values_list("zip", "usps_city", "state"):
            if (name, state) in cities:
                found.setdefault((name, state), []).append(code)
    return found


def _city_facts(key, codes, areas, counties, by_county, towns_by_state, sources) -> PlaceFacts:
    """Setting and rent of a city where every one of its ZIPs agrees; else unknown."""
    _, city, state, _ = key
    known = [areas[code] for code in codes if code in areas]
    setting = None
    classes = {area.ruca_class for area in known}
    if known and len(classes) == 1 and "" not in classes:
        area_codes = sorted({area.ruca_primary for area in known})
        common = Counter(area.ruca_primary for area in known).most_common(1)[0][0]
        ruca_class = classes.pop()
        setting = Setting(
            zip="",
            ruca_primary=common,
            ruca_secondary="",
            ruca_class=ruca_class,
            label=ZipArea.Setting(ruca_class).label.lower(),
            detail=f"all {len(known)} ZIPs of {usps_city(city)}, {state}"
            if len(known) > 1
            else f"the one ZIP of {usps_city(city)}, {state}",
            source=sources[known[0].source_id],
            level=CITY,
            codes=f"{area_codes[0]}\N{EN DASH}{area_codes[-1]}"
            if len(area_codes) > 1
            else str(area_codes[0]),
        )
    area_rent = None
    county_codes = {counties[code].county_fips5 for code in codes if code in counties}
    if state in NEW_ENGLAND:
        area_rent = _area_rent(None, city, state, by_county, towns_by_state, [], sources)
    elif county_codes:
        whole = [
            row
            for county in county_codes
            for row in by_county.get(county, [])
            if not row.is_town_level
        ]
        if len(whole) == len(county_codes) == 1:
            row = whole[0]
            area_rent = _rent_from(
                row,
                level=COUNTY_LEVEL,
                label=f"{row.county_name}, {row.state}",
                year=FMR_YEAR,
                match="city → county",
                sources=sources,
            )
        elif (
            len(whole) == len(county_codes)
            and len({(row.hud_area_code, row.rent_1, row.rent_2) for row in whole}) == 1
        ):
            # The city spans counties of one HUD area with one rent: the area's rent.
            row = whole[0]
            area_rent = _rent_from(
                row,
                level=HUD_AREA_LEVEL,
                label=row.hud_area_name,
                year=FMR_YEAR,
                match="city → one HUD area",
                sources=sources,
            )
    return PlaceFacts(
        zip="",
        whose=CITY,
        city=city,
        state=state,
        county_fips5=next(iter(county_codes)) if len(county_codes) == 1 else "",
        setting=setting,
        rent=area_rent,
        area_rent=area_rent,
    )


def _setting(area: ZipArea, sources) -> Setting | None:
    if not area.ruca_class:  # RUCA 99: USDA did not code it
        return None
    return Setting(
        zip=area.zip,
        ruca_primary=area.ruca_primary,
        ruca_secondary=area.ruca_secondary,
        ruca_class=area.ruca_class,
        label=ZipArea.Setting(area.ruca_class).label.lower(),
        detail=RUCA_LABELS.get(area.ruca_primary, ""),
        source=sources[area.source_id],
        codes=str(area.ruca_primary),
    )


def _rent_from(row, *, level, label, year, match, sources) -> Rent | None:
    if row.rent_1 is None and row.rent_2 is None:
        return None
    return Rent(
        one_bedroom=row.rent_1,
        two_bedroom=row.rent_2,
        level=level,
        area_label=label,
        fiscal_year=year,
        hud_area_code=row.hud_area_code,
        hud_area_name=row.hud_area_name,
        match=match,
        source=sources[row.source_id],
    )


def _area_rent(county, city, state, by_county, towns_by_state, zip_rows, sources) -> Rent | None:
    rows = by_county.get(county.county_fips5, []) if county else []
    whole = [row for row in rows if not row.is_town_level]
    if whole:
        row = whole[0]
        return _rent_from(
            row,
            level=COUNTY_LEVEL,
            label=f"{row.county_name}, {row.state}",
            year=FMR_YEAR,
            match="county (ZIP → county)",
            sources=sources,
        )
    if not rows and state not in NEW_ENGLAND:
        return None
    # New England: rents by town. The hospital's city, within its county, else within its state.
    wanted = town_key(city) if city else ""
    towns = [row for row in rows if row.is_town_level]
    for candidates in (towns, towns_by_state.get(state, {}).get(wanted, [])):
        found = [row for row in candidates if wanted and row.town_key == wanted]
        if found:
            # "Rutland city" and "Rutland town" share a key; a hospital's city is the city.
            found.sort(key=lambda row: (not row.town_name.lower().endswith(" city"), row.fips10))
            row = found[0]
            return _rent_from(
                row,
                level=TOWN_LEVEL,
                label=f"{row.town_name}, {row.state}",
                year=FMR_YEAR,
                match="NE town name",
                sources=sources,
            )
    # A village or neighbourhood (Hyannis, Brighton): the HUD area, when the county's towns are
    # all in one, or the one the ZIP's Small Area rows name.
    by_area = {}
    for row in towns:
        by_area.setdefault(row.hud_area_code, row)
    if len(by_area) != 1:
        zip_areas = {row.hud_area_code for row in zip_rows}
        by_area = {code: row for code, row in by_area.items() if code in zip_areas}
    if len(by_area) == 1:
        row = next(iter(by_area.values()))
        return _rent_from(
            row,
            level=HUD_AREA_LEVEL,
            label=row.hud_area_name,
            year=FMR_YEAR,
            match="HUD area fallback",
            sources=sources,
        )
    return None


def _zip_rent(code, rows, area_rent, sources) -> Rent | None:
    if not rows:
        return None
    if len(rows) == 1:
        row, match = rows[0], "ZIP direct"
    else:
        same = [r for r in rows if area_rent and r.hud_area_code == area_rent.hud_area_code]
        if same:
            row, match = same[0], "ZIP direct; in two HUD areas, the county's area"
        else:
            row = max(rows, key=lambda r: (r.rent_1 or 0, r.rent_2 or 0, r.hud_area_code))
            match = "ZIP direct; in two HUD areas, the higher rent"
    return _rent_from(
        row,
        level=ZIP_LEVEL,
        label=f"ZIP {code}",
        year=SAFMR_YEAR,
        match=match,
        sources=sources,
    )


def count_by(facts: Iterable[PlaceFacts], what: str) -> dict[str, int]:
    """How many places were matched, by key, for one file's import report or the stats.

    ``what``: "setting" (RUCA), "county" (crosswalk), "county_rent" (FMR), "zip_rent" (SAFMR),
    "rent" (the rent shown, by level).
    """
    counts = Counter()
    for place in facts:
        if not place.zip and place.whose != CITY:
            counts["no US ZIP"] += 1
        elif what == "setting":
            found = "ZIP direct" if place.zip else "every ZIP of the city"
            counts[(found if place.setting else "none") + _by_city(place)] += 1
        elif what == "county":
            found = "ZIP direct" if place.zip else "the city's ZIPs in one county"
            counts[(found if place.county_fips5 else "none") + _by_city(place)] += 1
        elif what == "county_rent":
            counts[(place.area_rent.match if place.area_rent else "none") + _by_city(place)] += 1
        elif what == "zip_rent":
            zip_level = place.rent and place.rent.level == ZIP_LEVEL
            counts[(place.rent.match if zip_level else "none") + _by_city(place)] += 1
        elif what == "rent":
            counts[(place.rent.level if place.rent else "none") + _by_city(place)] += 1
        else:
            raise ValueError(f"unknown count “{what}”")
    return dict(sorted(counts.items()))


def _by_city(place: PlaceFacts) -> str:
    return " (known by city only)" if place.whose == CITY else ""


SITE = "site"  # PlaceFacts.whose: the program's own town, not its sponsor's (known by city only)


def site_town_place(program: Program, place: PlaceFacts) -> PlaceFacts | None:
    """The place of the town a US track trains in when that is not its sponsor's town:
    "Family Medicine/Kalispell" (city Kalispell in the program list) trains in Kalispell, MT, not at
    its sponsor in Missoula, so the rent and setting near the program are Kalispell's (or
    unknown), never the sponsor's. The town is the program's own city in the program list (a town
    only the title names, "Family Medicine/Pierre", is not guessed: "Pathology/Penrose" is a
    hospital, not Penrose, CO). ``None`` when the program has no city of its own or it is the
    sponsor's: then the sponsor's place stands. A city whose ZIPs disagree stays unknown.
    """
    institution = program.institution
    state = program.region or institution.region or place.state
    if not program.nrmp_code or not state or (program.country or institution.country) != "US":
        return None
    sponsor = {usps_city(name) for name in (place.city, institution.city) if name}
    town = usps_city(program.city) if program.city else ""
    if not town or town in sponsor:
        return None
    key = ("", town, state, CITY)
    facts = _facts_for({key}).get(key) or NO_PLACE
    return PlaceFacts(
        zip="",
        whose=SITE,
        city=town.title(),
        state=state,
        county_fips5=facts.county_fips5,
        setting=facts.setting,
        rent=facts.rent,
        area_rent=facts.area_rent,
    )


def site_towns(programs: Iterable[tuple[int, str, str, str, set[str]]]) -> dict[int, PlaceFacts]:
    """``site_town_place`` for many programs at once (the fit adapter): each item is (program id,
    the program's own city, its state, its country, the sponsor's city names); returns the town
    place of the programs that train in a town other than their sponsor's, in one batch of
    look-ups."""
    wanted: dict[int, tuple[str, str, str, str]] = {}
    for program_id, city, state, country, sponsor_cities in programs:
        if country != "US" or not state or not city:
            continue
        town = usps_city(city)
        if town and town not in {usps_city(name) for name in sponsor_cities if name}:
            wanted[program_id] = ("", town, state, CITY)
    found = _facts_for(set(wanted.values())) if wanted else {}
    out = {}
    for program_id, key in wanted.items():
        facts = found.get(key) or NO_PLACE
        out[program_id] = PlaceFacts(
            zip="",
            whose=SITE,
            city=key[1].title(),
            state=key[2],
            county_fips5=facts.county_fips5,
            setting=facts.setting,
            rent=facts.rent,
            area_rent=facts.area_rent,
        )
    return out
