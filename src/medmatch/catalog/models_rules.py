"""Rules that hold for every program of a kind (issue 11, "facts with a scope").

A rule is not what a program reports: it is what an accrediting body requires of every program of
its specialty and track (training length: the ACGME in the US, the Royal College or the CFPC in
Canada) or what holds for every resident of a country or province (work hours: the ACGME Common
Program Requirements in the US, the residents' collective agreements of Canadian provinces). The
tables are written by the project from the cited public documents (``catalog/data/rules/``); each
row keeps the document's name, address, date and section, so the program page can say whose rule
it is and since when.
"""

from django.db import models

from medmatch.catalog.models import Program, Source, Specialty


class RuleDocument(models.Model):
    """Fields every rule row shares: the public document it was written from."""

    document = models.CharField(max_length=300, help_text="The document's title.")
    document_url = models.URLField(max_length=500)
    # Unknown is not zero: a document whose version date was not checked has none, and the page
    # says "version date not recorded" rather than a guessed date.
    document_date = models.DateField(
        null=True, blank=True, help_text="The date the cited version took effect."
    )
    section = models.CharField(max_length=60, blank=True)
    body = models.CharField(max_length=40, help_text="Who sets the rule: ACGME, CFPC...")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class TrainingLengthRule(RuleDocument):
    """How long a residency of a specialty and track must be, by the accrediting body's rules."""

    # ACGME: "<specialty code>-<track type>", e.g. "140-categorical"; CaRMS: "carms-<discipline
    # id>", e.g. "carms-43" (a CaRMS stream has no NRMP track): the natural key for re-imports.
    key = models.CharField(max_length=40, unique=True)
    system = models.CharField(
        max_length=10, choices=Specialty.System.choices, default=Specialty.System.ACGME
    )
    specialty_code = models.CharField(max_length=10)
    track_type = models.CharField(max_length=20, choices=Program.TrackType.choices, blank=True)
    # A Transitional Year is a preliminary-type PGY-1 year of its own specialty code (999).
    track_name = models.CharField(
        max_length=40, help_text="As a student says it: categorical, transitional year..."
    )
    months = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["system", "specialty_code", "track_type"]

    def __str__(self):
        return f"{self.system} {self.specialty_code} {self.track_name}: {self.months} months"


class WorkHourRule(RuleDocument):
    """One clinical and educational work-hour limit for every resident of a country or province."""

    key = models.SlugField(max_length=40, unique=True)
    country = models.CharField(max_length=2)
    # A province's collective agreement holds for residents in that province only ("ON"); ""
    # means the whole country (the ACGME rules for every US program).
    region = models.CharField(max_length=3, blank=True)
    # An agreement that covers the residents of one faculty wherever they train (Maritime Resident
    # Doctors: every Dalhousie resident in Nova Scotia, New Brunswick and Prince Edward Island):
    # the faculty's name as the CaRMS file spells it; "" = any faculty.
    faculty = models.CharField(max_length=200, blank=True)
    applies_to = models.CharField(
        max_length=120, help_text="Whom the rule holds for: every US program, every resident..."
    )
    label = models.CharField(max_length=80)
    statement = models.CharField(max_length=300, help_text="The rule in a student's words.")
    limit = models.PositiveSmallIntegerField(null=True, blank=True)
    unit = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["country", "region", "key"]

    def __str__(self):
        return f"{self.country}{'-' + self.region if self.region else ''} {self.label}"
