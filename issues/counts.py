"""Upkeep of the branches' issue counts (``BranchIssueCount``), which triggers keep: a
recount for operators and loaders, and a comparison with the rows for checks and tests."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count

from .models import BranchIssueCount, Issue


def recounted_by_branch() -> dict[int, int]:
    """Counted issues per branch id, counted from the issues themselves."""
    rows = Issue.objects.counted().values("branch").annotate(n=Count("id")).order_by()
    return {row["branch"]: row["n"] for row in rows}


def branch_issue_count_mismatches() -> dict[int, tuple[int, int]]:
    """Branches whose kept count differs from a recount: ``{branch_id: (kept, recounted)}``."""
    kept = dict(BranchIssueCount.objects.values_list("branch_id", "counted"))
    recounted = recounted_by_branch()
    return {
        branch: (kept.get(branch, 0), recounted.get(branch, 0))
        for branch in kept.keys() | recounted.keys()
        if kept.get(branch, 0) != recounted.get(branch, 0)
    }


def rebuild_branch_issue_counts() -> None:
    """Count every branch's issues afresh (after a load with the triggers off). Writers of
    issues wait for it (a SHARE lock on PostgreSQL), so none is counted twice or missed."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE issues_issue IN SHARE MODE")
        BranchIssueCount.objects.all().delete()
        BranchIssueCount.objects.bulk_create(
            BranchIssueCount(branch_id=branch, counted=n)
            for branch, n in recounted_by_branch().items()
        )
