from django.contrib import admin, messages

from medmatch.research.models import (
    Contact,
    Conversation,
    Insight,
    OpenQuestion,
    Review,
    ShortlistItem,
    Tag,
)
from medmatch.research.reviews import review_moderate, review_verify


@admin.register(ShortlistItem)
class ShortlistItemAdmin(admin.ModelAdmin):
    list_display = ["program", "student", "rating", "created_at"]
    list_select_related = ["program__institution", "student"]
    raw_id_fields = ["student", "program"]
    search_fields = ["student__username", "program__title"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "student"]
    raw_id_fields = ["student"]
    search_fields = ["name", "student__username"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Moderation: approve or reject, and verify the reviewer's stated relation."""

    list_display = ["program", "author", "relation", "status", "verified", "created_at"]
    list_filter = ["status", "verified", "relation"]
    list_select_related = ["program__institution", "author"]
    raw_id_fields = ["author", "program", "verified_by"]
    search_fields = ["program__title", "author__username", "author__email", "text"]
    readonly_fields = ["moderated_at", "verified_by", "verified_at", "created_at", "updated_at"]
    actions = ["approve", "reject", "verify_by_email"]

    @admin.action(description="Approve the selected reviews")
    def approve(self, request, queryset):
        for review in queryset:
            review_moderate(review=review, status=Review.Status.APPROVED)
        self.message_user(request, f"Approved {queryset.count()} review(s).", messages.SUCCESS)

    @admin.action(description="Reject the selected reviews")
    def reject(self, request, queryset):
        for review in queryset:
            review_moderate(review=review, status=Review.Status.REJECTED)
        self.message_user(request, f"Rejected {queryset.count()} review(s).", messages.SUCCESS)

    @admin.action(description="Verify by institutional email domain")
    def verify_by_email(self, request, queryset):
        reviews = queryset.select_related("author", "program__institution__hospital")
        done = [review for review in reviews if review_verify(review=review, by=request.user)]
        left = queryset.count() - len(done)
        self.message_user(
            request,
            f"Verified {len(done)}; {left} left unverified: the author's email domain is not "
            "the institution's website domain (check those by hand and note how).",
            messages.SUCCESS if not left else messages.WARNING,
        )


# Contacts, conversations and questions are private notes; the admin lists them only so a site
# administrator can answer a support or deletion request, and shows no text in the list.
@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["pk", "student", "role", "created_at"]
    raw_id_fields = ["student", "program", "institution"]
    search_fields = ["student__username"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["pk", "contact", "date", "channel"]
    raw_id_fields = ["contact"]


@admin.register(Insight)
class InsightAdmin(admin.ModelAdmin):
    list_display = ["pk", "conversation", "aspect", "rating", "confidence"]
    raw_id_fields = ["conversation"]


@admin.register(OpenQuestion)
class OpenQuestionAdmin(admin.ModelAdmin):
    list_display = ["pk", "student", "program", "fact_key", "answered"]
    raw_id_fields = ["student", "program", "insight"]
    search_fields = ["student__username"]
