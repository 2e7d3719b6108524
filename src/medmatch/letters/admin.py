from django.contrib import admin

from medmatch.letters.models import AccessLog, LetterRequest, Recommender, ReminderSent


@admin.register(Recommender)
class RecommenderAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "institution", "student"]
    search_fields = ["name", "institution", "student__username"]
    raw_id_fields = ["student", "specialty"]

    def get_readonly_fields(self, request, obj=None):
        # Letters were asked under this name and address (see RecommenderForm).
        if obj is not None and obj.has_fixed_requests():
            return ["name", "email"]
        return []


@admin.register(LetterRequest)
class LetterRequestAdmin(admin.ModelAdmin):
    # No Letter admin and no file field here: a confidential letter is not for site staff
    # browsing the admin either.
    list_display = ["recommender", "student", "status", "due_on", "waived"]
    list_filter = ["status", "waived"]
    raw_id_fields = ["student", "recommender"]

    def get_readonly_fields(self, request, obj=None):
        # The waiver is the student's alone to give; once the terms are fixed, who writes is too.
        if obj is not None and obj.terms_fixed:
            return ["waived", "recommender", "terms_fixed_at"]
        return ["waived", "terms_fixed_at"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "request", "action", "outcome", "ip_prefix"]
    list_filter = ["action"]
    readonly_fields = ["request", "link", "at", "ip_prefix", "action", "outcome"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["kind", "key_date", "request", "student", "sent_at"]
    raw_id_fields = ["student", "request"]
