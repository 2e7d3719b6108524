from django.contrib import admin

from medmatch.cycles.models import PracticeRun


@admin.register(PracticeRun)
class PracticeRunAdmin(admin.ModelAdmin):
    list_display = ["student", "market", "specialty_name", "couple", "seed", "created_at"]
    list_filter = ["market", "couple"]
    raw_id_fields = ["student", "specialty"]
    readonly_fields = ["created_at"]
