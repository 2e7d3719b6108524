from django.contrib import admin

from medmatch.cycles import models
from medmatch.cycles.models import PracticeRun


@admin.register(PracticeRun)
class PracticeRunAdmin(admin.ModelAdmin):
    list_display = ["student", "market", "specialty_name", "couple", "seed", "created_at"]
    list_filter = ["market", "couple"]
    raw_id_fields = ["student", "specialty"]
    readonly_fields = ["created_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Cycles change only through their own pages (/match/cycles/), which audit every change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.MatchCycle)
class MatchCycleAdmin(ReadOnlyAdmin):
    list_display = ["name", "rules", "state", "certification_deadline", "match_day"]
    list_filter = ["rules", "state"]


@admin.register(models.CycleAuditEntry)
class CycleAuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["cycle", "at", "who", "from_state", "to_state", "note"]

    def has_delete_permission(self, request, obj=None):
        return False
