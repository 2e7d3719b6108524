"""Staff review proposals and verify coordinators here; the history is read-only."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from medmatch.contributions.forms import RejectionForm
from medmatch.contributions.models import Coordinatorship, FactChange, FactProposal
from medmatch.contributions.services import (
    coordinator_review,
    proposal_approve,
    proposal_reject,
)


def _reason_or_form(modeladmin, request, queryset, title: str):
    """The reason from the intermediate page, or that page (Django's delete-confirmation
    pattern: the action posts again with ``apply`` and the same selection)."""
    form = RejectionForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        return form.cleaned_data["reason"], None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "action": request.POST["action"],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": modeladmin.model._meta,
    }
    return None, TemplateResponse(request, "admin/contributions/reject.html", context)


@admin.register(FactProposal)
class FactProposalAdmin(admin.ModelAdmin):
    list_display = [
        "program",
        "field",
        "shown_value",
        "shown_base_value",
        "status",
        "conflict",
        "created_at",
    ]
    list_filter = ["status", "field"]
    list_select_related = ["program__institution", "proposer"]
    raw_id_fields = ["program", "proposer", "reviewed_by"]
    search_fields = ["program__title", "program__institution__name", "proposer__username"]
    readonly_fields = [
        "program",
        "proposer",
        "field",
        "value",
        "base_value",
        "source_url",
        "note",
        "status",
        "conflict",
        "created_at",
        "reviewed_by",
        "reviewed_at",
        "review_reason",
    ]
    actions = ["approve", "approve_over_conflict", "reject"]

    @admin.display(description="Proposed value")
    def shown_value(self, proposal):
        return proposal.shown_value

    @admin.display(description="Value when proposed")
    def shown_base_value(self, proposal):
        return proposal.shown_base_value

    def has_add_permission(self, request):
        return False  # a proposal is a user's: staff change facts as coordinators or approvers

    def _approve(self, request, queryset, override: bool):
        applied = [
            p for p in queryset if proposal_approve(proposal=p, by=request.user, override=override)
        ]
        left = queryset.count() - len(applied)
        self.message_user(
            request,
            f"Applied {len(applied)} proposal(s)"
            + (
                f"; {left} not applied (already reviewed, or flagged: see Conflict)."
                if left
                else "."
            ),
            messages.WARNING if left else messages.SUCCESS,
        )

    @admin.action(description="Approve and apply the selected proposals")
    def approve(self, request, queryset):
        self._approve(request, queryset, override=False)

    @admin.action(description="Approve and apply even over a flagged conflict")
    def approve_over_conflict(self, request, queryset):
        self._approve(request, queryset, override=True)

    @admin.action(description="Reject the selected proposals (with a reason)")
    def reject(self, request, queryset):
        reason, page = _reason_or_form(self, request, queryset, "Reject proposals")
        if page is not None:
            return page
        done = sum(proposal_reject(proposal=p, by=request.user, reason=reason) for p in queryset)
        self.message_user(request, f"Rejected {done} proposal(s).", messages.SUCCESS)
        return None


@admin.register(Coordinatorship)
class CoordinatorshipAdmin(admin.ModelAdmin):
    """Verification: read the evidence (computed from the email when the request was made), then
    check by hand — the institution's staff directory, a call to its GME office."""

    list_display = [
        "user",
        "institution",
        "role_title",
        "role",
        "evidence_strength",
        "status",
        "created_at",
    ]
    list_filter = ["status", "role", "evidence_strength"]
    list_select_related = ["user", "institution"]
    raw_id_fields = ["user", "institution", "reviewed_by"]
    search_fields = ["user__username", "user__email", "institution__name"]
    readonly_fields = [
        "user",
        "institution",
        "role_title",
        "message",
        "email_at_request",
        "evidence_strength",
        "evidence_lines",
        "status",
        "created_at",
        "reviewed_by",
        "reviewed_at",
        "review_reason",
    ]
    exclude = ["evidence"]
    actions = ["verify", "reject"]

    @admin.display(description="Evidence")
    def evidence_lines(self, coordinatorship):
        return format_html_join(
            mark_safe("<br>"), "{}", ((line,) for line in coordinatorship.evidence)
        )

    def has_add_permission(self, request):
        return False

    @admin.action(description="Verify the selected coordinators")
    def verify(self, request, queryset):
        for coordinatorship in queryset:
            coordinator_review(request=coordinatorship, by=request.user, verified=True)
        self.message_user(request, f"Verified {queryset.count()} coordinator(s).")

    @admin.action(description="Reject the selected requests (with a reason)")
    def reject(self, request, queryset):
        reason, page = _reason_or_form(self, request, queryset, "Reject coordinator requests")
        if page is not None:
            return page
        for coordinatorship in queryset:
            coordinator_review(
                request=coordinatorship, by=request.user, verified=False, reason=reason
            )
        self.message_user(request, f"Rejected {queryset.count()} request(s).")
        return None


@admin.register(FactChange)
class FactChangeAdmin(admin.ModelAdmin):
    list_display = ["program", "field", "kind", "changed_by", "changed_at"]
    list_filter = ["kind", "field"]
    list_select_related = ["program__institution", "changed_by"]
    search_fields = ["program__title", "changed_by__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # history is written only with the change it records

    def has_delete_permission(self, request, obj=None):
        return False
