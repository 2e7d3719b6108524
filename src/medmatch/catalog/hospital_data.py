"""Hospital-level facts for programs and institutions, looked up in bulk (issue 11).

A program reaches a hospital through its institution when that is a CMS hospital (it has a CCN),
else through the CMS hospital its NRMP sponsor is linked to (``institution.hospital``). The
functions take many programs or institutions at once and run a fixed number of queries, so the
program page (one program) and the fit engine (thousands) use the same code.

What the data can and cannot say is part of each value: resident FTEs are Medicare-countable FTEs
at the hospital, not program positions; a cost-report year flagged as a keying error is left out;
an H-1B LCA is one quarter of a third party's subset, so "no filing found" is all that absence
says, never "does not sponsor".
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from medmatch.catalog import import_cache
from medmatch.catalog.models import (
    CanadianHospital,
    CarmsStreamSite,
    CostReport,
    H1bFiling,
    Institution,
    Program,
    Source,
)

COST_REPORTS_KEY = "cms-cost-reports"
H1B_KEY = "dol-lca-trainees"


@dataclass
class TeachingTrend:
    """Five years of a hospital's cost reports, flagged years left out."""

    hospital: Institution | None  # the catalog hospital, when the CCN is in the catalog
    hospital_name: str
    ccn: str
    first_year: int
    last_year: int
    fte_first: float | None
    fte_last: float | None
    residents_per_bed: float | None  # of the latest year that has one
    residents_per_bed_year: int | None
    beds: int | None
    ime_payment: float | None
    ime_year: int | None
    flagged: list[tuple[int, str]] = field(default_factory=list)
    source: Source | None = None
    reached_through: str = ""  # "the institution" / "the linked hospital"

    @property
    def period(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}\u2013{self.last_year}"

    def sentence(self) -> str:
        parts = []
        if self.residents_per_bed is not None:
            parts.append(
                f"{self.residents_per_bed:.2f} residents per bed ({self.residents_per_bed_year})"
            )
        if self.fte_first is not None and self.fte_last is not None:
            if self.first_year == self.last_year:
                parts.append(f"resident FTE {self.fte_last:,.0f} in {self.last_year}")
            else:
                parts.append(
                    f"resident FTE {self.fte_first:,.0f} → {self.fte_last:,.0f} over {self.period}"
                )
        if self.ime_payment:
            parts.append(f"Medicare IME payment {_dollars(self.ime_payment)} ({self.ime_year})")
        return "; ".join(parts)

    def note(self) -> str:
        notes = ["CMS cost reports; FTEs are residents counted at this hospital, not positions"]
        for year, _reason in self.flagged:
            notes.append(f"{year} left out: a keying error in the cost report")
        return "; ".join(notes)


@dataclass
class H1bEvidence:
    """What one quarter of LCA filings says about the employer(s) behind a program or hospital.

    ``filings == 0`` is "no filing found in this quarter", never "does not sponsor".
    """

    quarter: str  # "FY2025 Q2"
    filings: int = 0
    residents: int = 0
    fellows: int = 0
    wage_min: float | None = None
    wage_max: float | None = None
    employers: list[str] = field(default_factory=list)
    matched_by: list[str] = field(default_factory=list)
    checked: str = ""  # whom we looked for, when nothing was found
    source: Source | None = None

    @property
    def found(self) -> bool:
        return self.filings > 0

    @property
    def employer_label(self) -> str:
        if len(self.employers) <= 2:
            return " and ".join(self.employers)
        return f"{self.employers[0]}, {self.employers[1]} and {len(self.employers) - 2} more"

    def sentence(self) -> str:
        if not self.found:
            return f"no H-1B filing found in one quarter of data (DOL {self.quarter})"
        who = "this employer" if len(self.employers) == 1 else f"{len(self.employers)} employers"
        lcas = "LCA" if self.filings == 1 else "LCAs"
        roles = [
            f"{count} {name}{'' if count == 1 else 's'}"
            for count, name in ((self.residents, "resident"), (self.fellows, "fellow"))
            if count
        ]
        split = f" ({', '.join(roles)})"
        text = f"{who} filed {self.filings} {lcas} for residents/fellows in {self.quarter}{split}"
        if self.wage_min is not None:
            if self.wage_min == self.wage_max:
                text += f", offered {_dollars(self.wage_min)}"
            else:
                text += f", offered {_dollars(self.wage_min)}\u2013{_dollars(self.wage_max)}"
        return text

    def note(self) -> str:
        if not self.found:
            return (
                f"looked for {self.checked} in one quarter of a third-party subset of DOL LCA "
                "data; absence does not mean the program does not sponsor H-1B (most IMG "
                "residents hold J-1 through ECFMG)"
            )
        return (
            f"matched by {', '.join(self.matched_by)}; an LCA is not an approved visa; one "
            "quarter of data"
        )


def _dollars(amount: float) -> str:
    if amount >= 1_000_000:
        return f"${amount / 1_000_000:,.1f} million"
    return f"${amount:,.0f}"


def _source(key: str) -> Source | None:
    return import_cache.imported_source(key)


# --- Which hospital --------------------------------------------------------------------------


def cms_hospital(institution: Institution) -> tuple[Institution | None, str]:
    """The CMS hospital an institution stands for: itself if it has a CCN, else its linked
    hospital; with how it was reached."""
    if institution.ccn:
        return institution, "the institution"
    if institution.hospital_id and institution.hospital is not None and institution.hospital.ccn:
        return institution.hospital, "the linked hospital"
    return None, ""


# --- Teaching trends -------------------------------------------------------------------------


def teaching_for_institutions(institutions: Iterable[Institution]) -> dict[int, TeachingTrend]:
    """{institution id: TeachingTrend} for every institution whose CMS hospital has cost reports
    with at least one year not flagged."""
    institutions = list(institutions)
    hospitals = {inst.pk: cms_hospital(inst) for inst in institutions}
    ccns = {hospital.ccn for hospital, _ in hospitals.values() if hospital is not None}
    if not ccns:
        return {}
    source = _source(COST_REPORTS_KEY)
    if source is None:
        return {}
    reports = defaultdict(list)
    for report in CostReport.objects.filter(ccn__in=ccns).order_by("ccn", "year"):
        reports[report.ccn].append(report)
    trends = {}
    for inst_id, (hospital, how) in hospitals.items():
        if hospital is None or hospital.ccn not in reports:
            continue
        trend = _trend(hospital, reports[hospital.ccn], source, how)
        if trend is not None:
            trends[inst_id] = trend
    return trends


def teaching_for_programs(programs: Iterable[Program]) -> dict[int, TeachingTrend]:
    """{program id: TeachingTrend} through each program's institution (see the module)."""
    programs = list(programs)
    by_institution = teaching_for_institutions(
        {program.institution_id: program.institution for program in programs}.values()
    )
    return {
        program.pk: by_institution[program.institution_id]
        for program in programs
        if program.institution_id in by_institution
    }


def _trend(hospital, reports, source, how) -> TeachingTrend | None:
    good = [r for r in reports if not r.flagged_reason]
    if not good:
        return None
    with_fte = [r for r in good if r.resident_fte is not None]
    with_ratio = [r for r in good if r.residents_per_bed is not None]
    with_ime = [r for r in good if r.ime_payment]
    if not with_fte and not with_ratio:
        return None
    years = with_fte or with_ratio
    latest_ratio = with_ratio[-1] if with_ratio else None
    return TeachingTrend(
        hospital=hospital,
        hospital_name=hospital.name,
        ccn=hospital.ccn,
        first_year=years[0].year,
        last_year=years[-1].year,
        fte_first=with_fte[0].resident_fte if with_fte else None,
        fte_last=with_fte[-1].resident_fte if with_fte else None,
        residents_per_bed=latest_ratio.residents_per_bed if latest_ratio else None,
        residents_per_bed_year=latest_ratio.year if latest_ratio else None,
        beds=latest_ratio.beds if latest_ratio else None,
        ime_payment=with_ime[-1].ime_payment if with_ime else None,
        ime_year=with_ime[-1].year if with_ime else None,
        flagged=[(r.year, r.flagged_reason) for r in reports if r.flagged_reason],
        source=source,
        reached_through=how,
    )


# --- H-1B evidence ---------------------------------------------------------------------------


def h1b_for_institutions(institutions: Iterable[Institution]) -> dict[int, H1bEvidence]:
    """{institution id: H1bEvidence} for every US institution that could be looked for: filings
    matched (by the import) to it or to its CMS hospital, and for a sponsor, filings under its own
    name in its state. A US institution with none gets the "no filing found" evidence; others
    (outside the US, state unknown) get nothing: unknown."""
    institutions = list(institutions)
    source = _source(H1B_KEY)
    if source is None or not institutions:
        return {}
    from medmatch.catalog.importers.hospital_data import name_words
    from medmatch.catalog.importers.linking import normalise_name, split_state_suffix

    targets, name_keys, word_keys = {}, {}, {}
    for inst in institutions:
        if inst.country != "US":
            continue
        hospital, _ = cms_hospital(inst)
        ids = {inst.pk} | ({hospital.pk} if hospital else set())
        base, suffix = split_state_suffix(inst.name)
        state = inst.region or suffix
        if not state:
            continue
        targets[inst.pk] = (inst, hospital, ids)
        name_keys[inst.pk] = (normalise_name(base), state)
        word_keys[inst.pk] = (name_words(base), state)
    if not targets:
        return {}
    index = _h1b_index()
    by_institution, by_name, by_words = index.by_institution, index.by_name, index.by_words
    quarter = index.quarter
    evidence = {}
    for inst_id, (inst, hospital, ids) in targets.items():
        found, how = {}, []
        for target in sorted(ids):
            for filing in by_institution.get(target, []):
                found[filing.case_number] = filing
                label = f"{filing.get_match_key_display()} of {filing.institution.name}"
                if label not in how:
                    how.append(label)
        words, state = word_keys[inst_id]
        same_words = by_words.get((words, state), []) if words else []
        for filing in [*by_name.get(name_keys[inst_id], []), *same_words]:
            if filing.case_number not in found:
                found[filing.case_number] = filing
                if "the sponsor's name + state" not in how:
                    how.append("the sponsor's name + state")
        checked = hospital.name if hospital else inst.name
        evidence[inst_id] = _evidence(list(found.values()), quarter, how, checked, source)
    return evidence


def h1b_for_programs(programs: Iterable[Program]) -> dict[int, H1bEvidence]:
    """{program id: H1bEvidence} through each program's institution (see h1b_for_institutions)."""
    programs = list(programs)
    by_institution = h1b_for_institutions(
        {program.institution_id: program.institution for program in programs}.values()
    )
    return {
        program.pk: by_institution[program.institution_id]
        for program in programs
        if program.institution_id in by_institution
    }


@dataclass
class _H1bIndex:
    """Every filing (about a thousand a quarter), by matched institution, by employer name +
    state, and by the employer name's distinctive words + state."""

    by_institution: dict[int, list[H1bFiling]]
    by_name: dict[tuple[str, str], list[H1bFiling]]
    by_words: dict[tuple[frozenset[str], str], list[H1bFiling]]
    quarter: str


@import_cache.per_import
def _h1b_index() -> _H1bIndex:
    from medmatch.catalog.importers.hospital_data import name_words

    by_institution, by_name, by_words = defaultdict(list), defaultdict(list), defaultdict(list)
    for filing in H1bFiling.objects.select_related("institution"):
        if filing.institution_id is not None:
            by_institution[filing.institution_id].append(filing)
        by_name[(filing.employer_key, filing.worksite_state)].append(filing)
        words = name_words(filing.employer_name)
        if words:
            by_words[(words, filing.worksite_state)].append(filing)
    return _H1bIndex(dict(by_institution), dict(by_name), dict(by_words), _quarter())


def _quarter() -> str:
    quarters = H1bFiling.objects.order_by("quarter").values_list("quarter", flat=True).distinct()
    return ", ".join(q.replace("-", " ") for q in quarters) or "the quarter imported"


def _evidence(filings, quarter, how, checked, source) -> H1bEvidence:
    wages = [f.wage_annual for f in filings if f.wage_annual is not None]
    return H1bEvidence(
        quarter=quarter,
        filings=len(filings),
        residents=sum(1 for f in filings if f.role == H1bFiling.Role.RESIDENT),
        fellows=sum(1 for f in filings if f.role == H1bFiling.Role.FELLOW),
        wage_min=min(wages) if wages else None,
        wage_max=max(wages) if wages else None,
        employers=sorted({f.employer_name for f in filings}),
        matched_by=how,
        checked=checked,
        source=source,
    )


# --- CaRMS stream sites ----------------------------------------------------------------------


def sites_for_programs(programs: Iterable[Program]) -> dict[int, CarmsStreamSite]:
    """{program id: CarmsStreamSite} for CaRMS streams placed at an ODHF hospital."""
    ids = [program.pk for program in programs if program.carms_stream_id]
    if not ids:
        return {}
    return {
        site.program_id: site
        for site in CarmsStreamSite.objects.filter(program_id__in=ids).select_related(
            "hospital", "source"
        )
    }


# --- Counts for `medmatch stats` -------------------------------------------------------------


def hospital_data_stats() -> dict:
    """Row counts and how many programs get each fact (for `medmatch stats --json`)."""
    programs = list(
        Program.objects.select_related("institution__hospital").only(
            "id",
            "carms_stream_id",
            "institution__id",
            "institution__ccn",
            "institution__name",
            "institution__region",
            "institution__country",
            "institution__hospital_id",
            "institution__hospital__id",
            "institution__hospital__ccn",
            "institution__hospital__name",
        )
    )
    teaching = teaching_for_programs(programs)
    h1b = h1b_for_programs(programs)
    return {
        "cost_reports": CostReport.objects.count(),
        "cost_reports_flagged": CostReport.objects.exclude(flagged_reason="").count(),
        "h1b_filings": H1bFiling.objects.count(),
        "h1b_filings_matched": H1bFiling.objects.filter(institution__isnull=False).count(),
        "canadian_hospitals": CanadianHospital.objects.count(),
        "carms_streams_placed_at_a_hospital": CarmsStreamSite.objects.count(),
        "programs_with_teaching_trend": len(teaching),
        "programs_with_h1b_fact": len(h1b),
        "programs_with_h1b_filings_found": sum(1 for e in h1b.values() if e.found),
        "programs_with_no_h1b_filing_found": sum(1 for e in h1b.values() if not e.found),
    }
