"""Facts about *places* (ZIP codes, counties, New-England towns, HUD areas), not about programs.

A program gets them through its ZIP (its institution's postal code, else its linked hospital's):
rurality from USDA RUCA, the county from the HUD-USPS crosswalk, rents from HUD's Fair Market Rents.
Each table is one source's rows, keyed on that source's natural key, so one file's re-import never
touches another file's rows. All keys are indexed text columns: a lookup for every program of the
catalog is one ``zip IN (...)`` query per table (see ``catalog/places.py``).
"""

from django.db import models

from .models import Source


class ZipArea(models.Model):
    """A ZIP code's rurality: USDA Rural-Urban Commuting Area code (2020 vintage)."""

    class Setting(models.TextChoices):
        # The common 4-way grouping of the primary code; "" = unknown (RUCA 99).
        URBAN = "urban", "Urban"
        LARGE_RURAL_TOWN = "large_rural_town", "Large rural town"
        SMALL_RURAL_TOWN = "small_rural_town", "Small rural town"
        ISOLATED_RURAL = "isolated_rural", "Isolated rural area"

    zip = models.CharField(max_length=5, unique=True)
    state = models.CharField(max_length=2)
    zip_type = models.CharField(max_length=60, blank=True)
    po_name = models.CharField(max_length=120, blank=True)
    # 1-10; 99 = not coded by USDA (e.g. no population): then ruca_class is "" (unknown).
    ruca_primary = models.PositiveSmallIntegerField()
    ruca_secondary = models.CharField(max_length=5, blank=True)
    ruca_class = models.CharField(max_length=20, choices=Setting.choices, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["zip"]

    def __str__(self):
        return f"ZIP {self.zip}: RUCA {self.ruca_primary}"


class ZipCounty(models.Model):
    """The county that holds most of a ZIP's addresses (HUD-USPS crosswalk, 2024-Q4)."""

    zip = models.CharField(max_length=5, unique=True)
    county_fips5 = models.CharField(max_length=5, db_index=True)
    usps_city = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=2)
    share_of_addresses = models.FloatField()
    share_of_residential = models.FloatField()
    n_counties = models.PositiveSmallIntegerField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["zip"]
        verbose_name_plural = "ZIP counties"
        # Places known by city only are looked up by the USPS city name.
        indexes = [models.Index(fields=["usps_city", "state"])]

    def __str__(self):
        return f"ZIP {self.zip} → county {self.county_fips5}"


class AreaRent(models.Model):
    """A HUD Fair Market Rent row: a whole county, or a New-England town (``is_town_level``)."""

    fips10 = models.CharField(max_length=10, unique=True, help_text="state+county+subdivision")
    state = models.CharField(max_length=2)
    county_fips5 = models.CharField(max_length=5, db_index=True)
    is_town_level = models.BooleanField(default=False)
    county_name = models.CharField(max_length=120)
    town_name = models.CharField(max_length=120, blank=True)
    # town_name without " town"/" city", lower-cased: what a hospital's city is matched against.
    town_key = models.CharField(max_length=120, blank=True, db_index=True)
    hud_area_code = models.CharField(max_length=20, db_index=True)
    hud_area_name = models.CharField(max_length=200)
    metro = models.BooleanField()
    population = models.PositiveIntegerField(null=True, blank=True)
    # Monthly gross rent incl. utilities, whole US dollars, 0-4 bedrooms; None = not published.
    rent_0 = models.PositiveIntegerField(null=True, blank=True)
    rent_1 = models.PositiveIntegerField(null=True, blank=True)
    rent_2 = models.PositiveIntegerField(null=True, blank=True)
    rent_3 = models.PositiveIntegerField(null=True, blank=True)
    rent_4 = models.PositiveIntegerField(null=True, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["fips10"]

    def __str__(self):
        return self.town_name or self.county_name


class ZipRent(models.Model):
    """A HUD Small Area Fair Market Rent row: one ZIP inside one HUD metro area.

    A ZIP that crosses two metro areas has two rows (the key is ``zip:hud_area_code``).
    """

    key = models.CharField(max_length=30, unique=True)
    zip = models.CharField(max_length=5, db_index=True)
    hud_area_code = models.CharField(max_length=20)
    hud_area_name = models.CharField(max_length=200)
    rent_0 = models.PositiveIntegerField(null=True, blank=True)
    rent_1 = models.PositiveIntegerField(null=True, blank=True)
    rent_2 = models.PositiveIntegerField(null=True, blank=True)
    rent_3 = models.PositiveIntegerField(null=True, blank=True)
    rent_4 = models.PositiveIntegerField(null=True, blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["zip", "hud_area_code"]

    def __str__(self):
        return f"ZIP {self.zip} ({self.hud_area_name})"
