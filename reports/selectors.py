"""The dashboard's charts and short lists, each one query over the selection."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from issues.models import Escalation

from . import definitions as d
from .metrics import selected_activities, selected_feedback, selected_issues
from .selection import Selection

#: Short lists on the dashboard show this many rows and link to the whole list.
LIST_LIMIT = 8
#: Longer than this, the activity chart counts by month instead of by week.
WEEKLY_SPAN = timedelta(days=370)

WEEK = "week"
MONTH = "month"


def time_bucket(selection: Selection) -> str:
    """Weeks for a campaign or a period up to a year; months for all time or longer."""
    start = selection.date_from or (selection.campaign.starts_on if selection.campaign else None)
    end = selection.date_to or (selection.campaign.ends_on if selection.campaign else None)
    if start and (end or timezone.localdate()) - start <= WEEKLY_SPAN:
        return WEEK
    return MONTH


def activity_over_time(user, selection: Selection) -> dict:
    """Activities and opinions per week (or month), by the activity's date."""
    bucket = time_bucket(selection)
    trunc = TruncWeek if bucket == WEEK else TruncMonth
    activities = (
        selected_activities(user, selection)
        .annotate(period=trunc("occurred_on"))
        .values("period")
        .annotate(n=Count("id"))
        .order_by("period")
    )
    opinions = (
        selected_feedback(user, selection)
        .annotate(period=trunc("activity__occurred_on"))
        .values("period")
        .annotate(n=Count("id"))
        .order_by("period")
    )
    by_activity = {row["period"]: row["n"] for row in activities}
    by_opinion = {row["period"]: row["n"] for row in opinions}
    periods = sorted(set(by_activity) | set(by_opinion))
    return {
        "bucket": bucket,
        "periods": [_period_label(p, bucket) for p in periods],
        "activities": [by_activity.get(p, 0) for p in periods],
        "opinions": [by_opinion.get(p, 0) for p in periods],
    }


def _period_label(period, bucket: str) -> str:
    period = period.date() if hasattr(period, "date") else period
    return period.strftime("%Y-%m") if bucket == MONTH else period.isoformat()


def opinions_by_category(user, selection: Selection) -> list[dict]:
    """Opinions per category, busiest first: the category and its count."""
    rows = (
        selected_feedback(user, selection)
        .values("category", "category__name", "category__name_en", "category__sort_order")
        .annotate(n=Count("id"))
        .order_by("-n", "category__sort_order")
    )
    return list(rows)


def overdue_issues(user, selection: Selection, *, limit: int = LIST_LIMIT):
    return (
        selected_issues(user, selection)
        .filter(d.overdue())
        .select_related("branch", "responsible")
        .order_by("deadline", "id")[:limit]
    )


def escalations_awaiting_decision(user, selection: Selection, *, limit: int = LIST_LIMIT):
    issues = selected_issues(user, selection)
    return (
        Escalation.objects.visible_to(user)
        .awaiting_decision()
        .filter(issue__in=issues.values("pk"))
        .select_related("issue", "issue__branch")
        .order_by("requested_at")[:limit]
    )


def unsatisfied_feedback(user, selection: Selection, *, limit: int = LIST_LIMIT):
    """Opinions whose latest recorded satisfaction is "unsatisfied", latest reply first."""
    return (
        selected_feedback(user, selection)
        .filter(satisfaction="unsatisfied")
        .select_related("enterprise", "branch", "issue")
        .order_by(F("last_replied_on").desc(nulls_last=True), "-id")[:limit]
    )
