from django.contrib import admin

from core.admin import ScopedAdminMixin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: batches are written only by the import itself."""

    list_display = [
        "original_name",
        "branch",
        "campaign",
        "uploaded_by",
        "status",
        "enterprises_created",
        "activities_created",
        "feedback_created",
        "created_at",
        "imported_at",
    ]
    list_filter = ["status", "branch", "campaign"]
    search_fields = ["original_name", "sha256", "uploaded_by__username"]
    list_select_related = ["branch", "campaign", "uploaded_by"]
    date_hierarchy = "created_at"
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
