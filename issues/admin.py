"""Admin of issues and what hangs off them; the workflow's fields are read-only here."""

from django.contrib import admin

from core.admin import CoreModelAdmin, NoDeleteMixin, ReadOnlyInline
from outreach.models import FeedbackItem

from .models import (
    Escalation,
    Instruction,
    Issue,
    IssueEvent,
    IssueEvidence,
    ProvincialDecision,
    ProvincialMeeting,
    Reply,
)


class IssueFeedbackInline(ReadOnlyInline):
    model = FeedbackItem
    fields = ["kind", "category", "enterprise", "content", "received_on"]
    readonly_fields = fields


class IssueEventInline(ReadOnlyInline):
    model = IssueEvent
    fields = ["created_at", "kind", "from_state", "to_state", "actor", "note"]
    readonly_fields = fields
    show_change_link = False


class EscalationInline(ReadOnlyInline):
    model = Escalation
    fields = ["requested_at", "requested_by", "reason"]
    readonly_fields = fields


class EvidenceInline(ReadOnlyInline):
    model = IssueEvidence
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    show_change_link = False


@admin.register(Issue)
class IssueAdmin(CoreModelAdmin):
    list_display = ["title", "branch", "state", "category", "immediate_fix", "deadline"]
    list_filter = ["state", "branch", "campaign", "category", "immediate_fix", "severity"]
    search_fields = ["title", "description", "measures"]
    list_select_related = ["branch", "category"]
    autocomplete_fields = ["responsible"]
    # The state and what the workflow records are written only by issues/transitions.py;
    # a withdrawal only on the issue page (issues.services.issue_withdraw returns its
    # opinions to "no disposition" first).
    readonly_fields = [
        "withdrawn_at",
        "withdrawn_by",
        "withdrawn_reason",
        "state",
        "immediate_fix",
        "rectified_at",
        "verified_by",
        "answered_at",
        "reopen_count",
        "merged_into",
        "merged_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [IssueFeedbackInline, EscalationInline, EvidenceInline, IssueEventInline]

    def get_readonly_fields(self, request, obj=None):
        # An issue's branch and campaign are its opinions' (the database refuses a change).
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "branch", "campaign"] if obj else readonly


@admin.register(Escalation)
class EscalationAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["issue", "requested_by", "requested_at"]
    search_fields = ["issue__title", "reason"]
    list_select_related = ["issue", "requested_by"]
    readonly_fields = ["issue", "requested_by", "requested_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False


class DecisionInline(ReadOnlyInline):
    model = ProvincialDecision
    fields = ["escalation", "decision", "owner", "deadline"]
    readonly_fields = fields


@admin.register(ProvincialMeeting)
class ProvincialMeetingAdmin(CoreModelAdmin):
    list_display = ["title", "held_on", "recorded_by"]
    search_fields = ["title", "minutes", "attendees"]
    date_hierarchy = "held_on"
    readonly_fields = ["recorded_by", "created_at"]
    inlines = [DecisionInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ProvincialDecision)
class ProvincialDecisionAdmin(CoreModelAdmin):
    list_display = ["__str__", "meeting", "owner", "deadline"]
    search_fields = ["decision"]
    list_select_related = ["meeting", "owner"]
    readonly_fields = ["meeting", "escalation", "recorded_by", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Reply)
class ReplyAdmin(CoreModelAdmin):
    list_display = ["__str__", "feedback_item", "channel", "satisfaction", "replied_on"]
    list_filter = ["channel", "satisfaction"]
    search_fields = ["content", "feedback_item__content"]
    date_hierarchy = "replied_on"
    list_select_related = ["feedback_item", "replied_by"]
    autocomplete_fields = ["feedback_item"]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # A reply answers the opinion it was recorded for: moving it could leave an answered
        # issue's opinion without a reply.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "feedback_item"] if obj else readonly


@admin.register(Instruction)
class InstructionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["__str__", "issue", "author", "created_at", "acknowledged_at"]
    search_fields = ["content", "issue__title"]
    list_select_related = ["issue", "author"]
    readonly_fields = ["issue", "author", "created_at", "acknowledged_by", "acknowledged_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False


@admin.register(IssueEvent)
class IssueEventAdmin(admin.ModelAdmin):
    """The timeline is append-only: the admin only reads it."""

    list_display = ["created_at", "issue", "kind", "from_state", "to_state", "actor"]
    list_filter = ["kind", "to_state"]
    search_fields = ["issue__title", "note"]
    list_select_related = ["issue", "actor"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
