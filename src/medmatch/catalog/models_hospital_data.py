"""Hospital-level open data joined onto the catalog (issue 11): cost-report teaching trends, H-1B
LCA filings for residents/fellows, and Statistics Canada's hospitals for placing CaRMS streams.

Each row keeps the source's own key (CCN + year, LCA case number, ODHF index) and points at the
catalog institution it was matched to, when the match is strong; the match key says how, so a
page can say "matched by worksite ZIP" rather than pretend the source named our row.
"""

from django.db import models

from medmatch.catalog.models import Institution, Program, Source

__all__ = ["CanadianHospital", "CarmsStreamSite", "CostReport", "H1bFiling"]

# Residents per bed above this is a keying error in the cost report, not a hospital: the most
# intense US teaching hospitals report 1.5-2.5 (CCN 160067 reported 1,610.73 FTE on 162 beds).
RESIDENTS_PER_BED_LIMIT = 3.0


class CostReport(models.Model):
    """One hospital-year of the CMS cost-report (HCRIS) extract, FY2017-2021.

    ``flagged_reason`` non-empty = the row is kept for the record but never shown as a fact.
    Resident FTEs are Medicare-countable FTEs at this hospital, not program positions.
    """

    key = models.CharField(max_length=12, unique=True, help_text="CCN-year, e.g. 140119-2019.")
    ccn = models.CharField("CMS Certification Number", max_length=6, db_index=True)
    year = models.PositiveSmallIntegerField(help_text="Cost report year.")
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="cost_reports"
    )
    hospital_name = models.CharField(max_length=300)
    state = models.CharField(max_length=2, blank=True)
    fy_begin = models.DateField(null=True, blank=True)
    fy_end = models.DateField(null=True, blank=True)
    resident_fte = models.FloatField(null=True, blank=True)
    beds = models.PositiveIntegerField(null=True, blank=True)
    residents_per_bed = models.FloatField(null=True, blank=True)
    ime_payment = models.FloatField(null=True, blank=True, help_text="Medicare IME, US$.")
    reports_in_year = models.PositiveSmallIntegerField(
        default=1, help_text="Reports the hospital filed for this year; the longest one is kept."
    )
    flagged_reason = models.CharField(max_length=200, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="cost_reports")
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["ccn", "year"]
        constraints = [
            models.UniqueConstraint(fields=["ccn", "year"], name="cost_report_unique_ccn_year"),
        ]

    def __str__(self):
        return f"{self.hospital_name} ({self.ccn}) {self.year}"


class H1bFiling(models.Model):
    """One DOL Labor Condition Application for a resident or fellow (one quarter of data).

    An LCA is evidence that the employer sponsors H-1B for trainees; its absence is not evidence
    of the opposite (one quarter, a third party's subset, no case status).
    """

    class Role(models.TextChoices):
        RESIDENT = "resident", "Resident"
        FELLOW = "fellow", "Fellow"

    class MatchKey(models.TextChoices):
        WORKSITE_ZIP = "worksite_zip", "worksite ZIP"
        NAME_STATE = "name_state", "name + state"

    case_number = models.CharField(max_length=40, unique=True)
    quarter = models.CharField(max_length=10, help_text="e.g. FY2025-Q2.")
    employer_name = models.CharField(max_length=300)
    employer_key = models.CharField(max_length=300, db_index=True, help_text="Normalised name.")
    trade_name = models.CharField(max_length=300, blank=True)
    job_title = models.CharField(max_length=300)
    role = models.CharField(max_length=10, choices=Role.choices)
    non_gme = models.BooleanField(default=False, help_text="Title says non-GME / non-ACGME.")
    worksite_address = models.CharField(max_length=300, blank=True)
    worksite_city = models.CharField(max_length=120, blank=True)
    worksite_state = models.CharField(max_length=2)
    worksite_zip = models.CharField(max_length=5, db_index=True)
    begin_date = models.DateField(null=True, blank=True)
    wage_annual = models.FloatField(null=True, blank=True, help_text="Offered wage, US$/year.")
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="h1b_filings"
    )
    match_key = models.CharField(max_length=12, choices=MatchKey.choices, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="h1b_filings")
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["employer_name", "case_number"]

    def __str__(self):
        return f"{self.case_number} {self.employer_name}: {self.job_title}"


class CanadianHospital(models.Model):
    """One hospital of Statistics Canada's Open Database of Healthcare Facilities (ODHF v1.0).

    A table of its own rather than ``Institution`` rows: the ODHF's 1,853 hospitals are mostly
    small facilities without residents (and CIHI rows without coordinates), Canadian teaching
    hospitals already come from Wikidata as institutions, and the ODHF's use here is to *place*
    CaRMS streams, which ``CarmsStreamSite`` records with its evidence.
    """

    odhf_index = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=300, help_text="Re-cased from the source's lower case.")
    facility_type = models.CharField(max_length=100, blank=True, help_text="As the source says.")
    provider = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postal_code = models.CharField(max_length=7, blank=True)
    city = models.CharField(max_length=120, blank=True)
    province = models.CharField(max_length=2)
    csd_uid = models.CharField(max_length=12, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    coordinates_precision = models.CharField(
        max_length=12, choices=Institution.CoordinatePrecision.choices, blank=True
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="canadian_hospitals")
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["province", "name"]
        indexes = [models.Index(fields=["province", "city"])]

    def __str__(self):
        return f"{self.name} ({self.city}, {self.province})"


class CarmsStreamSite(models.Model):
    """A CaRMS stream placed at a real hospital, with the evidence; keyed by the stream id so
    the CaRMS importer can keep the placement's coordinates on re-import."""

    carms_stream_id = models.CharField(max_length=20, unique=True)
    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="odhf_site")
    hospital = models.ForeignKey(CanadianHospital, on_delete=models.CASCADE, related_name="streams")
    evidence = models.CharField(max_length=300)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return f"{self.carms_stream_id} at {self.hospital}"
