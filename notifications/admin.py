from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read only: notifications are made by the workflow and the reminders, never by hand."""

    list_display = ["created_at", "recipient", "kind", "issue", "read_at", "emailed_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["recipient__username", "issue__title", "dedupe_key"]
    list_select_related = ["recipient", "issue"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
