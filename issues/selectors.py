"""Reads and counts of issues. Every function starts from ``visible_to(user)``."""

from django.db.models import Count, F, Q
from django.utils import timezone

from .models import Escalation, Issue, overdue_condition


def open_issues(user, *, limit: int = 10):
    """Counted issues not yet answered, most urgent deadline first."""
    return (
        Issue.objects.visible_to(user)
        .open()
        .select_related("branch", "category", "responsible")
        # Nulls last on both databases (SQLite would put them first).
        .order_by(F("deadline").asc(nulls_last=True), "-created_at")[:limit]
    )


def issue_counts(user) -> dict[str, int]:
    today = timezone.localdate()
    return Issue.objects.visible_to(user).counted().aggregate(**_issue_count_expressions(today))


def issue_counts_by_branch(user) -> dict[int, dict[str, int]]:
    today = timezone.localdate()
    rows = (
        Issue.objects.visible_to(user)
        .counted()
        .values("branch")
        .annotate(**_issue_count_expressions(today))
        .order_by()
    )
    return {row.pop("branch"): row for row in rows}


ISSUE_COUNT_NAMES = ("issues", "open_issues", "overdue")


def _issue_count_expressions(today):
    return {
        "issues": Count("id"),
        "open_issues": Count("id", filter=~Q(state=Issue.State.ANSWERED)),
        "overdue": Count("id", filter=overdue_condition(today)),
    }


def escalations_awaiting_decision(user, *, issues=None, limit: int = 10):
    """Escalations of counted issues still waiting for the province, oldest first;
    ``issues`` (a queryset of issues) narrows them, e.g. to a campaign's."""
    escalations = (
        Escalation.objects.visible_to(user)
        .awaiting_decision()
        .filter(issue__withdrawn_at__isnull=True, issue__merged_into__isnull=True)
    )
    if issues is not None:
        escalations = escalations.filter(issue__in=issues.values("pk"))
    return escalations.select_related("issue", "issue__branch", "requested_by").order_by(
        "requested_at"
    )[:limit]
