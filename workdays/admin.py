"""The calendar in the Django admin: read, with each entry's history.

The provincial office edits the calendar on its page (``/calendar/``), through
``workdays.services``; the admin only shows the rows and what they said before, so no
write skips the services' checks.
"""

from django.contrib import admin

from core.admin import HistoryAdmin

from .models import CalendarDay, ScheduledYear


class ReadOnlyHistoryAdmin(HistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyHistoryAdmin):
    list_display = ["day", "kind", "name", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "day"
    list_select_related = ["created_by"]


@admin.register(ScheduledYear)
class ScheduledYearAdmin(ReadOnlyHistoryAdmin):
    list_display = ["year", "entered_by", "entered_at"]
    list_select_related = ["entered_by"]
