"""The catalog: real institutions, specialties and training programs, each with its provenance.

Every fact that a source may not publish is nullable; ``None`` (or an empty string for text) means
*unknown* and is shown as such, never as zero. Every imported row points at the ``Source`` it came
from and, where a fact was joined in from another file (coordinates, teaching status), at that one.
"""

from django.db import models
from django.utils.functional import cached_property

from medmatch.lib.geo import nearest_city


class Source(models.Model):
    """One data file (or other origin) that catalog rows came from."""

    key = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    url = models.URLField(max_length=500, help_text="Where the file was obtained.")
    license = models.CharField(max_length=300)
    retrieved_on = models.DateField(help_text="The date the data were retrieved or checked.")
    notes = models.TextField(blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Specialty(models.Model):
    class System(models.TextChoices):
        ACGME = "acgme", "ACGME (US)"
        CARMS = "carms", "CaRMS discipline (Canada)"
        GENERAL = "general", "General list (other countries)"

    system = models.CharField(max_length=10, choices=System.choices)
    code = models.CharField(max_length=20, help_text="ACGME specialty code, CaRMS discipline id...")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220)
    # A CaRMS discipline or general specialty points at the ACGME specialty it corresponds to, so
    # a search for "cardiology" finds programs in every system.
    equivalent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="equivalents"
    )
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="specialty_unique_code"),
        ]

    def __str__(self):
        return self.name


class Institution(models.Model):
    class Kind(models.TextChoices):
        ACADEMIC = "academic", "Academic medical center"
        TEACHING = "teaching", "Teaching hospital"
        COMMUNITY = "community", "Community hospital"
        CRITICAL_ACCESS = "critical_access", "Critical access hospital"
        PSYCHIATRIC = "psychiatric", "Psychiatric hospital"
        CHILDRENS = "childrens", "Children's hospital"
        VA = "va", "Veterans Affairs"
        MILITARY = "military", "Military (DoD)"
        SPONSOR = "sponsor", "Sponsoring institution (GME)"
        MEDICAL_SCHOOL = "medical_school", "Medical school / faculty"
        INTERNATIONAL = "international", "Hospital outside the US"

    class CoordinatePrecision(models.TextChoices):
        ADDRESS = "address", "Street address"
        POSTAL_CODE = "postal_code", "ZIP / postal code centroid"
        CITY = "city", "City centroid"
        SOURCE = "source", "As published by the source"

    name = models.CharField(max_length=300)
    # Empty kind = unknown.
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    hospital_type = models.CharField(max_length=100, blank=True, help_text="As the source says.")
    address = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True, help_text="State or province.")
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code.")
    country_name = models.CharField(max_length=100, blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    website = models.URLField(max_length=500, blank=True)

    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    coordinates_precision = models.CharField(
        max_length=12, choices=CoordinatePrecision.choices, blank=True
    )
    coordinates_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    ownership = models.CharField(max_length=100, blank=True)
    emergency_services = models.BooleanField(null=True, blank=True)
    cms_star_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    beds = models.PositiveIntegerField(null=True, blank=True)
    # HIFLD's trauma designation as published ("LEVEL I ADULT, LEVEL II PEDIATRIC", "TRH") and
    # the best level it names (1 = Level I); both empty / None = unknown, not "no trauma care".
    trauma_designation = models.CharField(max_length=100, blank=True)
    trauma_level = models.PositiveSmallIntegerField(null=True, blank=True)

    # None = unknown; the cost-report extract only tells us who *did* claim residents.
    is_teaching = models.BooleanField(null=True, blank=True)
    resident_fte = models.FloatField(null=True, blank=True)
    teaching_source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    ccn = models.CharField("CMS Certification Number", max_length=6, blank=True)
    nrmp_code = models.CharField("NRMP institution code", max_length=8, blank=True)
    wikidata_id = models.CharField(max_length=20, blank=True)
    hifld_id = models.CharField(max_length=20, blank=True)
    carms_school_id = models.CharField(max_length=20, blank=True)

    # An NRMP sponsoring institution linked to the CMS hospital it most likely is (fuzzy name +
    # state). Left empty where the evidence is weak: then only the state is known.
    hospital = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="sponsors"
    )
    hospital_link_score = models.FloatField(null=True, blank=True)

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="institutions")
    source_row = models.PositiveIntegerField(null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["country", "region"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["ccn"]),
            models.Index(fields=["nrmp_code"]),
            models.Index(fields=["wikidata_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ccn"], condition=~models.Q(ccn=""), name="institution_unique_ccn"
            ),
            models.UniqueConstraint(
                fields=["nrmp_code"],
                condition=~models.Q(nrmp_code=""),
                name="institution_unique_nrmp_code",
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~models.Q(wikidata_id=""),
                name="institution_unique_wikidata_id",
            ),
            models.UniqueConstraint(
                fields=["carms_school_id"],
                condition=~models.Q(carms_school_id=""),
                name="institution_unique_carms_school_id",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @cached_property
    def nearest_city(self) -> str:
        """For a row with coordinates but no city (most hospitals outside the US): the city of
        15,000+ people it lies in or beside, from its coordinates; "" when the city is known or
        none lies within 30 km. Shown marked as derived, never as the source's city."""
        if self.city or not self.has_coordinates:
            return ""
        found = nearest_city(self.latitude, self.longitude)
        return found[0] if found else ""


class Program(models.Model):
    class TrackType(models.TextChoices):
        CATEGORICAL = "categorical", "Categorical"
        PRELIMINARY = "preliminary", "Preliminary"
        ADVANCED = "advanced", "Advanced"
        RESERVED = "reserved", "Reserved"
        PHYSICIAN = "physician", "Physician"

    class ProgramType(models.TextChoices):
        RESIDENCY = "residency", "Residency track"
        INTERNSHIP = "internship", "Internship"
        CLINICAL_ROTATION = "clinical_rotation", "Clinical rotation"
        RESEARCH = "research", "Research placement"
        OBSERVERSHIP = "observership", "Observership"
        PUBLIC_HEALTH = "public_health", "Public health / community"
        INTERNATIONAL_ELECTIVE = "international_elective", "International elective"

    class Emphasis(models.TextChoices):
        TEACHING = "teaching", "Teaching-focused"
        BALANCED = "balanced", "Balanced"
        SERVICE = "service", "Service-focused"

    class Visa(models.TextChoices):
        NONE = "none", "No visa sponsorship"
        J1 = "j1", "J-1 only"
        H1B = "h1b", "H-1B only"
        J1_H1B = "j1_h1b", "J-1 and H-1B"

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="programs")
    title = models.CharField(max_length=300)
    specialty = models.ForeignKey(
        Specialty, null=True, blank=True, on_delete=models.SET_NULL, related_name="programs"
    )
    program_type = models.CharField(
        max_length=30, choices=ProgramType.choices, default=ProgramType.RESIDENCY
    )
    track_type = models.CharField(max_length=20, choices=TrackType.choices, blank=True)
    stream = models.CharField(max_length=100, blank=True, help_text="CaRMS stream (CMG/IMG...).")

    # Where the program takes place when it differs from the institution (e.g. a CaRMS site).
    site = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    coordinates_precision = models.CharField(
        max_length=12, choices=Institution.CoordinatePrecision.choices, blank=True
    )

    length_months = models.PositiveSmallIntegerField(null=True, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    stipend_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    cost_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    seats = models.PositiveSmallIntegerField(null=True, blank=True)
    application_opens = models.DateField(null=True, blank=True)
    application_deadline = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=40, blank=True)
    visa_sponsorship = models.CharField(max_length=10, choices=Visa.choices, blank=True)
    emphasis = models.CharField(max_length=10, choices=Emphasis.choices, blank=True)
    mentorship = models.TextField(blank=True)
    research_opportunities = models.TextField(blank=True)
    residency_affiliations = models.TextField(blank=True)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)

    nrmp_code = models.CharField("NRMP program code", max_length=12, blank=True)
    carms_stream_id = models.CharField(max_length=20, blank=True)
    acgme_id = models.CharField("ACGME program id", max_length=12, blank=True)

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="programs")
    source_row = models.PositiveIntegerField(null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["program_type", "track_type"]),
            models.Index(fields=["country", "region"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["nrmp_code"], condition=~models.Q(nrmp_code=""), name="program_unique_nrmp"
            ),
            models.UniqueConstraint(
                fields=["carms_stream_id"],
                condition=~models.Q(carms_stream_id=""),
                name="program_unique_carms_stream",
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.institution.name}"


class Accreditation(models.Model):
    class Status(models.TextChoices):
        ACCREDITED = "accredited", "Accredited"
        INITIAL = "initial", "Initial accreditation"
        PROBATION = "probation", "Probation"
        WITHDRAWN = "withdrawn", "Withdrawn"

    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="accreditations"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="accreditations"
    )
    body = models.CharField(max_length=200, help_text="e.g. ACGME, The Joint Commission.")
    status = models.CharField(max_length=20, choices=Status.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(institution__isnull=False) | models.Q(program__isnull=False),
                name="accreditation_has_subject",
            ),
        ]

    def __str__(self):
        return f"{self.body}: {self.get_status_display()}"


class Department(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="departments"
    )
    specialty = models.ForeignKey(
        Specialty, null=True, blank=True, on_delete=models.SET_NULL, related_name="departments"
    )
    name = models.CharField(max_length=200)
    strength_notes = models.TextField(blank=True)
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.institution.name})"


from medmatch.catalog.models_hospital_data import *  # noqa: E402, F403
from medmatch.catalog.models_rules import TrainingLengthRule, WorkHourRule  # noqa: E402, F401

from .models_places import AreaRent, ZipArea, ZipCounty, ZipRent  # noqa: E402, F401
