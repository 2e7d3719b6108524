from django.contrib import admin

from medmatch.catalog.models import (
    Accreditation,
    Department,
    Institution,
    Program,
    Source,
    Specialty,
)
from medmatch.catalog.search import refresh_search_text


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "key",
        "publisher",
        "license",
        "retrieved_on",
        "row_count",
        "imported_at",
    )
    search_fields = ("name", "key", "publisher")
    list_filter = ("publisher", "retrieved_on")
    readonly_fields = ("file_sha256", "row_count", "imported_at")


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ("name", "system", "code", "equivalent", "source")
    list_select_related = ("equivalent", "source")
    search_fields = ("name", "code", "slug")
    list_filter = ("system",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("equivalent", "source")


class AccreditationInline(admin.TabularInline):
    model = Accreditation
    extra = 0
    autocomplete_fields = ("source",)
    exclude = ("institution",)


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "city",
        "region",
        "country",
        "is_teaching",
        "coordinates_precision",
        "source",
    )
    list_select_related = ("source",)
    search_fields = ("name", "city", "ccn", "nrmp_code", "wikidata_id", "carms_school_id")
    list_filter = ("kind", "is_teaching", "coordinates_precision", "country", "source")
    raw_id_fields = ("hospital",)
    autocomplete_fields = ("source", "coordinates_source", "teaching_source")
    readonly_fields = ("source_row", "search_text", "updated_at")
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        # The search index reads search_text; keep it true to the edited fields, and to the
        # programs that repeat the institution's name and place in theirs.
        refresh_search_text(obj)
        super().save_model(request, obj, form, change)
        for program in obj.programs.select_related("specialty__equivalent"):
            program.institution = obj
            refresh_search_text(program)
            program.save(update_fields=["search_text"])


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("title", "institution", "specialty", "program_type", "track_type", "country")
    list_select_related = ("institution", "specialty")
    search_fields = ("title", "institution__name", "nrmp_code", "carms_stream_id", "acgme_id")
    list_filter = ("program_type", "track_type", "visa_sponsorship", "emphasis", "source")
    raw_id_fields = ("institution",)
    autocomplete_fields = ("specialty", "source")
    readonly_fields = ("source_row", "search_text", "updated_at")
    inlines = (AccreditationInline,)
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        refresh_search_text(obj)
        super().save_model(request, obj, form, change)


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "institution", "program", "body", "status", "valid_until")
    list_select_related = ("institution", "program__institution")
    search_fields = ("body", "institution__name", "program__title")
    list_filter = ("status", "body")
    raw_id_fields = ("institution", "program")
    autocomplete_fields = ("source",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "institution", "specialty", "source")
    list_select_related = ("institution", "specialty", "source")
    search_fields = ("name", "institution__name")
    list_filter = ("specialty",)
    raw_id_fields = ("institution",)
    autocomplete_fields = ("specialty", "source")
