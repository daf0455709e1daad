"""Admin building blocks shared by the apps' admin modules."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class NoDeleteMixin:
    """Records people entered are withdrawn with a reason, never deleted (DESIGN.md §4)."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ScopedAdminMixin:
    """Start every admin list from the model's ``visible_to(user)``, as the app's views do."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History to read, not to restore: reverting writes every field of the old row back
    (an issue's state, copies kept by the database) past the services and their checks."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class CoreModelAdmin(NoDeleteMixin, ScopedAdminMixin, ReadOnlyHistoryAdmin):
    """Admin for a core model: scoped, history kept, no deletion."""

    list_per_page = 50
    show_full_result_count = False


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows related rows without letting the admin add, change or delete."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
