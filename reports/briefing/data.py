"""What a briefing says, read once: the figures, each branch's top categories, the
escalated issues with their decisions.

``load_briefing_data`` reads the report of ``metrics.campaign_report``, then the issues
escalated to the provincial level with their decisions (one query), so a briefing costs
the same number of queries whatever the size of the campaign. The writers are pure
functions of what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from issues.models import Escalation, Issue

from ..metrics import Report, campaign_report, selected_issues
from ..selection import Selection

#: At most this many opinion categories are named in a branch's paragraph.
TOP_CATEGORIES = 3

#: Catch-all categories are not named as where opinions concentrate.
CATCH_ALL_CATEGORIES = ("其他",)


@dataclass(frozen=True)
class CategoryCount:
    name: str
    name_en: str
    count: int


@dataclass(frozen=True)
class BriefingData:
    """Everything a briefing says, read in a fixed number of queries."""

    report: Report
    #: branch pk -> its most frequent opinion categories, most frequent first
    categories: dict[int, list[CategoryCount]]
    #: counted issues ever escalated, each with ``briefing_escalations`` (and their
    #: decisions) loaded
    escalated: list[Issue]
    today: date


def load_briefing_data(
    user, selection: Selection, *, branches=None, today: date | None = None
) -> BriefingData:
    """The report plus the escalated issues, all in ``user``'s scope.

    ``branches`` are the table's branches when the caller has them (``SelectionForm``).
    """
    report = campaign_report(user, selection, branches)
    return BriefingData(
        report=report,
        categories=top_categories(report),
        escalated=escalated_issues(user, selection),
        today=today or timezone.localdate(),
    )


def top_categories(report: Report) -> dict[int, list[CategoryCount]]:
    """Each branch's most frequent opinion categories, from the report's own counts."""
    named = {
        category["id"]: category
        for category in report.categories
        if category["name"] not in CATCH_ALL_CATEGORIES
    }
    result: dict[int, list[CategoryCount]] = {}
    for branch_id, counts in report.categories_by_branch.items():
        ranked = sorted(
            (category_id for category_id in counts if category_id in named),
            key=lambda category_id: (-counts[category_id], named[category_id]["name"]),
        )
        result[branch_id] = [
            CategoryCount(
                name=named[category_id]["name"],
                name_en=named[category_id]["name_en"] or "",
                count=counts[category_id],
            )
            for category_id in ranked[:TOP_CATEGORIES]
        ]
    return result


def escalated_issues(user, selection: Selection) -> list[Issue]:
    """Issues of the selection ever escalated, in table order, each with
    ``briefing_escalations`` (oldest first, decisions joined): one query, read from the
    escalations' side."""
    escalations = (
        Escalation.objects.filter(issue__in=selected_issues(user, selection).values("pk"))
        .select_related("issue__branch", "decision__meeting", "decision__owner")
        .order_by(
            "issue__branch__sort_order",
            "issue__branch_id",
            "issue__created_at",
            "issue_id",
            "requested_at",
            "id",
        )
    )
    issues: dict[int, Issue] = {}
    for escalation in escalations:
        issue = issues.setdefault(escalation.issue_id, escalation.issue)
        issue.__dict__.setdefault("briefing_escalations", []).append(escalation)
    return list(issues.values())


def decisions_of(issue: Issue) -> list:
    """The provincial decisions of an issue's escalations, oldest first (loaded above)."""
    result = []
    for escalation in issue.briefing_escalations:
        try:
            result.append(escalation.decision)
        except Escalation.decision.RelatedObjectDoesNotExist:
            continue
    return result


def awaits_decision(issue: Issue) -> bool:
    """The issue's latest escalation has no decision yet (``awaiting_decision``): also
    when an earlier one was decided and the issue was escalated again."""
    latest = issue.briefing_escalations[-1]
    try:
        latest.decision  # noqa: B018 (loaded above: reading it asks nothing)
    except Escalation.decision.RelatedObjectDoesNotExist:
        return True
    return False
