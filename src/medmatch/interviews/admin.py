from django.contrib import admin

from medmatch.interviews.models import Impression, Interview, PracticeAttempt, Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "category", "text", "student"]
    list_filter = ["category"]
    search_fields = ["key", "text"]
    raw_id_fields = ["student"]


@admin.register(PracticeAttempt)
class PracticeAttemptAdmin(admin.ModelAdmin):
    list_display = ["student", "question", "practised_at", "seconds_taken", "score"]
    raw_id_fields = ["student", "question"]


class ImpressionInline(admin.StackedInline):
    model = Impression


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["application", "starts_at", "time_zone", "format", "city"]
    list_filter = ["format"]
    raw_id_fields = ["application"]
    inlines = [ImpressionInline]
