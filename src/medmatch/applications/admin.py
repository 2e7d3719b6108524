from django.contrib import admin

from medmatch.applications.models import Application, Requirement, StatusChange


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["program", "student", "status", "deadline", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["program__institution", "student"]
    raw_id_fields = ["student", "program"]
    search_fields = ["student__username", "program__title"]
    inlines = [StatusChangeInline, RequirementInline]
