"""Staff see the program side in the admin to answer support questions; they change nothing of a
program's review there (programs do that on their own pages)."""

from django.contrib import admin

from medmatch.workspace.models import Intake, SlotEmail, SlotRound, Submission


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ["program", "is_open", "opens_on", "deadline", "rank_deadline"]
    list_filter = ["is_open"]
    list_select_related = ["program"]
    raw_id_fields = ["program"]
    search_fields = ["program__title", "program__institution__name"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["program", "student", "submitted_at", "withdrawn_at"]
    list_select_related = ["program", "student"]
    search_fields = ["program__title", "student__username"]
    # What a student sent and what the program decided are not for the site's staff to edit.
    exclude = ["decision", "decided_at", "decided_by"]
    readonly_fields = [
        "application",
        "student",
        "program",
        "current_version",
        "submitted_at",
        "updated_at",
        "withdrawn_at",
        "graduation_year",
        "needs_visa",
        "signal",
        "invited_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(SlotRound)
class SlotRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "window_closes_at", "assigned_at"]
    list_select_related = ["program"]
    raw_id_fields = ["program"]
    exclude = ["state"]


@admin.register(SlotEmail)
class SlotEmailAdmin(admin.ModelAdmin):
    """Which round email went to whom and when: to answer "I never got the email". Read-only:
    a row here is what stops the worker sending it again, so staff must not add or change one."""

    list_display = ["invitation", "kind", "key", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["invitation__round", "invitation__submission__student"]
    search_fields = ["invitation__submission__student__username", "invitation__round__title"]
    date_hierarchy = "sent_at"
    readonly_fields = ["invitation", "kind", "key", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
