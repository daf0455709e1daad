"""A rectification deadline for the unrectified issues opened before the clock without one.

Before the clock the deadline came from the plan or a provincial decision, which could leave it
out; migration 0013 signed those issues for their creators at their opening, so the clock never
set their deadline, and no list, figure or reminder counted them late. Each gets the office's
rectification limit for its severity, in working days, counted from its signing (0013: its
opening) or from the latest provincial decision on it, whichever is later: what signing does now.
Issues still waiting to be signed for are left alone (signing sets their deadline).

The working days come from ``WorkingCalendar`` built on the office's table as this migration
sees it (the class only counts days; it reads no model of its own here).
"""

from django.db import migrations
from django.db.models import Max

from workdays.calendar import WorkingCalendar

UNRECTIFIED_STATES = ("collected", "rectifying", "escalated")
RECTIFY_STEP = {"normal": "rectify", "serious": "rectify_serious", "critical": "rectify_critical"}
DEFAULT_LIMITS = {"rectify": 15, "rectify_serious": 10, "rectify_critical": 5}


def set_missing_deadlines(apps, schema_editor):
    Issue = apps.get_model("issues", "Issue")
    issues = (
        Issue.objects.filter(
            deadline__isnull=True,
            signed_at__isnull=False,
            state__in=UNRECTIFIED_STATES,
            withdrawn_at__isnull=True,
            merged_into__isnull=True,
        )
        .annotate(decided_at=Max("escalations__decision__created_at"))
        .only("pk", "severity", "signed_at")
    )
    if not issues.exists():
        return
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    calendar = WorkingCalendar(
        {day: kind == "workday" for day, kind in CalendarDay.objects.values_list("day", "kind")}
    )
    TimeLimit = apps.get_model("issues", "TimeLimit")
    limits = {**DEFAULT_LIMITS, **dict(TimeLimit.objects.values_list("step", "working_days"))}
    for issue in issues.iterator():
        start = max(filter(None, [issue.signed_at, issue.decided_at]))
        step = RECTIFY_STEP.get(issue.severity, "rectify")
        deadline = calendar.add_working_days(start, limits[step])
        # update(): the issue's history and updated_at stay as they were (0013 did the same).
        Issue.objects.filter(pk=issue.pk).update(deadline=deadline)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0013_clock_starts"),
        ("workdays", "0001_initial"),
    ]

    operations = [migrations.RunPython(set_missing_deadlines, migrations.RunPython.noop)]
