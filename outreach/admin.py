from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import CoreModelAdmin, NoDeleteMixin, ReadOnlyInline

from .models import (
    Activity,
    ActivityAttachment,
    Campaign,
    Enterprise,
    EquipmentClass,
    FeedbackCategory,
    FeedbackItem,
)
from .validators import enterprise_name_key


@admin.register(Campaign)
class CampaignAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "code", "starts_on", "ends_on"]
    search_fields = ["name", "code"]
    date_hierarchy = "starts_on"


@admin.register(EquipmentClass)
class EquipmentClassAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "sort_order"]
    search_fields = ["name", "name_en"]


@admin.register(FeedbackCategory)
class FeedbackCategoryAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "name_en", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["name", "name_en"]


class WithdrawnFilter(admin.SimpleListFilter):
    title = _("withdrawn")
    parameter_name = "withdrawn"

    def lookups(self, request, model_admin):
        return [("no", _("Active")), ("yes", _("Withdrawn"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(withdrawn_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(withdrawn_at__isnull=False)
        return queryset


class EnterpriseAdminForm(forms.ModelForm):
    """The database's rules on fields this form leaves out (``namesake_confirmed``,
    ``merged_into``), which Django's own validation then skips: said here, not a 500."""

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "uscc",
            "branch",
            "county",
            "address",
            "equipment_classes",
            "contact_name",
            "contact_phone",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawn_reason",
        ]

    def clean(self):
        cleaned = super().clean()
        record = self.instance
        withdrawn = cleaned.get("withdrawn_at") is not None
        if record.merged_into_id and not withdrawn:
            raise ValidationError(_("A merged enterprise is withdrawn."))
        county = cleaned.get("county")
        if county is None or withdrawn or record.namesake_confirmed:
            return cleaned
        namesakes = Enterprise.objects.filter(
            county=county,
            name_key=enterprise_name_key(cleaned.get("name", "")),
            withdrawn_at__isnull=True,
            namesake_confirmed=False,
        ).exclude(pk=record.pk)
        if namesakes.exists():
            self.add_error(
                "name",
                _("An enterprise with the same name is already registered in this county."),
            )
        return cleaned


@admin.register(Enterprise)
class EnterpriseAdmin(CoreModelAdmin):
    form = EnterpriseAdminForm
    list_display = ["name", "uscc", "branch", "county", "contact_name", "contact_phone"]
    list_filter = ["branch", "equipment_classes", WithdrawnFilter]
    search_fields = ["name", "uscc", "contact_name", "contact_phone", "address"]
    list_select_related = ["branch", "county"]
    autocomplete_fields = ["county"]
    filter_horizontal = ["equipment_classes"]
    # A merge moves every link first: only the merge page sets ``merged_into``.
    readonly_fields = [
        "created_by",
        "created_at",
        "updated_at",
        "merged_into",
        "namesake_confirmed",
    ]


class AttachmentInline(ReadOnlyInline):
    model = ActivityAttachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class ActivityFeedbackInline(ReadOnlyInline):
    model = FeedbackItem
    fields = ["kind", "category", "enterprise", "content", "issue", "closed_at"]
    readonly_fields = fields


@admin.register(Activity)
class ActivityAdmin(CoreModelAdmin):
    list_display = ["title", "kind", "branch", "campaign", "occurred_on", "attendee_count"]
    list_filter = ["campaign", "branch", "kind", WithdrawnFilter]
    search_fields = ["title", "place", "minutes"]
    date_hierarchy = "occurred_on"
    list_select_related = ["branch", "campaign"]
    autocomplete_fields = ["enterprises", "staff"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [AttachmentInline, ActivityFeedbackInline]


@admin.register(ActivityAttachment)
class ActivityAttachmentAdmin(NoDeleteMixin, admin.ModelAdmin):
    # Files are never linked from the admin: downloads go through a scope-checked view.
    list_display = ["original_name", "activity", "content_type", "size", "uploaded_by"]
    search_fields = ["original_name"]
    fields = ["activity", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False


class DispositionFilter(admin.SimpleListFilter):
    title = _("disposition")
    parameter_name = "disposition"

    def lookups(self, request, model_admin):
        return FeedbackItem.Disposition.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == FeedbackItem.Disposition.OPEN:
            return queryset.undisposed()
        if value == FeedbackItem.Disposition.LINKED:
            return queryset.filter(issue__isnull=False)
        if value == FeedbackItem.Disposition.CLOSED:
            return queryset.filter(closed_at__isnull=False)
        return queryset


@admin.register(FeedbackItem)
class FeedbackItemAdmin(CoreModelAdmin):
    list_display = ["__str__", "kind", "category", "branch", "enterprise", "received_on", "issue"]
    list_filter = ["branch", "kind", "category", DispositionFilter, WithdrawnFilter]
    search_fields = ["content", "contact", "enterprise__name"]
    date_hierarchy = "received_on"
    list_select_related = ["branch", "category", "enterprise", "issue"]
    autocomplete_fields = ["activity", "enterprise", "issue"]
    readonly_fields = ["branch", "created_by", "created_at", "updated_at"]
