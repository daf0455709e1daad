"""Admin of outreach records; copies of other rows (an opinion's branch) are never typed."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import (
    CoreModelAdmin,
    EnglishNamesOnlyMixin,
    LabelledListEditableMixin,
    NoDeleteMixin,
    ReadOnlyInline,
)

from .models import (
    Activity,
    ActivityAttachment,
    Campaign,
    Enterprise,
    EquipmentClass,
    FeedbackCategory,
    FeedbackItem,
)
from .names import enterprise_name_key
from .services import activity_move_check


@admin.register(Campaign)
class CampaignAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "starts_on", "ends_on"]
    search_fields = ["name", "name_en", "code"]
    date_hierarchy = "starts_on"


@admin.register(EquipmentClass)
class EquipmentClassAdmin(
    LabelledListEditableMixin, EnglishNamesOnlyMixin, NoDeleteMixin, admin.ModelAdmin
):
    """The classes the law names: the office keeps their English names only."""

    list_display = ["name", "name_en", "code", "sort_order"]
    list_editable = ["name_en"]
    search_fields = ["name", "name_en"]


@admin.register(FeedbackCategory)
class FeedbackCategoryAdmin(LabelledListEditableMixin, NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "name_en", "sort_order", "is_active"]
    list_editable = ["name_en", "sort_order", "is_active"]
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


class ActivityAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        branch, campaign = cleaned.get("branch"), cleaned.get("campaign")
        if self.instance.pk and branch and campaign:
            # Its opinions follow it to another branch (a database trigger moves them),
            # unless they are in issues, which keep their opinions' branch and campaign.
            activity_move_check(self.instance, branch=branch, campaign=campaign)
        return cleaned


@admin.register(Activity)
class ActivityAdmin(CoreModelAdmin):
    form = ActivityAdminForm
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


class FeedbackItemAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        activity, issue = cleaned.get("activity"), cleaned.get("issue")
        # An issue and its opinions share a branch and a campaign (as issues/services.py
        # checks, and the database refuses otherwise).
        if activity and issue and issue.branch_id != activity.branch_id:
            self.add_error("issue", _("An issue gathers opinions of its own branch."))
        elif activity and issue and issue.campaign_id != activity.campaign_id:
            self.add_error("issue", _("An issue gathers opinions of one campaign."))
        return cleaned


@admin.register(FeedbackItem)
class FeedbackItemAdmin(CoreModelAdmin):
    form = FeedbackItemAdminForm
    list_display = ["__str__", "kind", "category", "branch", "enterprise", "received_on", "issue"]
    list_filter = ["branch", "kind", "category", DispositionFilter, WithdrawnFilter]
    search_fields = ["content", "contact", "enterprise__name"]
    date_hierarchy = "received_on"
    list_select_related = ["branch", "category", "enterprise", "issue"]
    autocomplete_fields = ["activity", "enterprise"]
    # Where an opinion went and whether it was answered are written by the screens' services,
    # which check what the database would refuse (an issue that no longer counts, closing
    # as unreachable without attempts on two days).
    readonly_fields = [
        "branch",
        "issue",
        "unreachable_at",
        "unreachable_by",
        "unreachable_reason",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def save_model(self, request, obj, form, change):
        # The branch is a copy of the activity's: the database refuses any other value.
        obj.branch_id = obj.activity.branch_id
        super().save_model(request, obj, form, change)
