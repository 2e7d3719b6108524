from django.contrib import admin

from medmatch.letters.models import AccessLog, LetterRequest, Recommender, ReminderSent


@admin.register(Recommender)
class RecommenderAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "institution", "student"]
    search_fields = ["name", "institution", "student__username"]
    raw_id_fields = ["student", "specialty"]


@admin.register(LetterRequest)
class LetterRequestAdmin(admin.ModelAdmin):
    # No Letter admin and no file field here: a confidential letter is not for site staff
    # browsing the admin either.
    list_display = ["recommender", "student", "status", "due_on", "waived"]
    list_filter = ["status", "waived"]
    raw_id_fields = ["student", "recommender"]
    readonly_fields = ["waived"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "request", "action", "outcome", "ip_prefix"]
    list_filter = ["action"]
    readonly_fields = ["request", "link", "at", "ip_prefix", "action", "outcome"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["kind", "key_date", "request", "student", "sent_at"]
    raw_id_fields = ["student", "request"]
