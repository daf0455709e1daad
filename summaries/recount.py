"""Recount the summaries from the raw rows, independently of the triggers: through the ORM
and the same conditions the lists and ``reports.metrics`` use. ``differences()`` is what
the tests and ``manage.py check --database default`` compare."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from issues.models import (
    FIXED_ON_THE_SPOT,
    FIXED_ON_THE_SPOT_REOPENED,
    RECTIFIED,
    RECTIFIED_ON_TIME,
    SIGNED_ON_TIME,
    Issue,
    awaiting_decision_condition,
    decided_condition,
    escalated_condition,
)
from outreach.models import (
    PRAISE,
    PROBLEM,
    REPLIED,
    SATISFACTION_RECORDED,
    SATISFIED,
    SUGGESTION,
    UNDISPOSED,
    VISIT,
    Activity,
    FeedbackItem,
)

from . import sql
from .models import (
    ActivityDay,
    ActivityMonth,
    BranchEnterprise,
    EnterpriseVisit,
    IssueTotals,
    OpinionDay,
    OpinionMonth,
)

Counts = dict[tuple, tuple]


def _opinion_counts():
    return {
        "n": Count("id"),
        "problem": Count("id", filter=PROBLEM),
        "suggestion": Count("id", filter=SUGGESTION),
        "praise": Count("id", filter=PRAISE),
        "undisposed": Count("id", filter=UNDISPOSED),
        "replied": Count("id", filter=REPLIED),
        "satisfied": Count("id", filter=SATISFIED),
        "satisfaction_recorded": Count("id", filter=SATISFACTION_RECORDED),
        "box": Count("id", filter=Q(activity__kind=Activity.Kind.ONLINE_BOX)),
    }


def _rows(queryset, keys, counts) -> Counts:
    return {
        tuple(row[k] for k in keys): tuple(row[c] for c in counts)
        for row in queryset
        if any(row[c] for c in counts)
    }


def raw_counts() -> dict[str, Counts]:
    """Every summary's rows as the raw rows say they should be."""
    activities = Activity.objects.active().order_by()
    opinions = FeedbackItem.objects.active().order_by()
    of_activity = {
        "campaign_id": F("activity__campaign_id"),
        "occurred_on": F("activity__occurred_on"),
    }
    return {
        sql.ACTIVITY: _rows(
            activities.values(*sql.ACTIVITY_KEYS).annotate(
                n=Count("id"),
                forms_sent=Coalesce(Sum("forms_sent"), 0),
                forms_returned=Coalesce(Sum("forms_returned"), 0),
            ),
            sql.ACTIVITY_KEYS,
            sql.ACTIVITY_COUNTS,
        ),
        sql.ACTIVITY_MONTH: _rows(
            activities.values(
                "branch_id", "campaign_id", "kind", month=TruncMonth("occurred_on")
            ).annotate(
                n=Count("id"),
                forms_sent=Coalesce(Sum("forms_sent"), 0),
                forms_returned=Coalesce(Sum("forms_returned"), 0),
            ),
            sql.ACTIVITY_MONTH_KEYS,
            sql.ACTIVITY_COUNTS,
        ),
        sql.OPINION_DAY: _rows(
            opinions.values("branch_id", "received_on", "category_id", **of_activity).annotate(
                **_opinion_counts()
            ),
            sql.OPINION_DAY_KEYS,
            sql.OPINION_COUNTS,
        ),
        sql.OPINION_MONTH: _rows(
            opinions.values(
                "branch_id",
                "category_id",
                campaign_id=F("activity__campaign_id"),
                received_month=TruncMonth("received_on"),
            ).annotate(**_opinion_counts()),
            sql.OPINION_MONTH_KEYS,
            sql.OPINION_COUNTS,
        ),
        sql.VISIT: _rows(
            activities.filter(VISIT, enterprises__isnull=False)
            .values("branch_id", "campaign_id", enterprise_id=F("enterprises"))
            .annotate(n=Count("id")),
            sql.VISIT_KEYS,
            sql.VISIT_COUNTS,
        ),
        sql.VISIT_EVER: _rows(
            activities.filter(VISIT, enterprises__isnull=False)
            .values("branch_id", enterprise_id=F("enterprises"))
            .annotate(n=Count("id")),
            sql.VISIT_EVER_KEYS,
            sql.VISIT_COUNTS,
        ),
        sql.ISSUE: _rows(
            Issue.objects.counted()
            .order_by()
            .values(*sql.ISSUE_KEYS)
            .annotate(
                n=Count("id"),
                fixed_on_the_spot=Count("id", filter=FIXED_ON_THE_SPOT),
                fixed_on_the_spot_reopened=Count("id", filter=FIXED_ON_THE_SPOT_REOPENED),
                **{
                    f"state_{state}": Count("id", filter=Q(state=state))
                    for state in sql.ISSUE_STATES
                },
                signed=Count("id", filter=Q(sign_deadline__isnull=False, signed_at__isnull=False)),
                signed_on_time=Count("id", filter=SIGNED_ON_TIME),
                rectified_timed=Count(
                    "id", filter=RECTIFIED & Q(deadline__isnull=False, rectified_at__isnull=False)
                ),
                rectified_on_time=Count("id", filter=RECTIFIED_ON_TIME),
                # from the escalations themselves, not the issue's copies
                escalated=Count("id", filter=Q(escalated_condition())),
                decided=Count("id", filter=Q(decided_condition())),
                awaiting=Count("id", filter=Q(awaiting_decision_condition())),
            ),
            sql.ISSUE_KEYS,
            sql.ISSUE_COUNTS,
        ),
    }


MODELS = {
    sql.ACTIVITY: ActivityDay,
    sql.ACTIVITY_MONTH: ActivityMonth,
    sql.OPINION_DAY: OpinionDay,
    sql.OPINION_MONTH: OpinionMonth,
    sql.VISIT: EnterpriseVisit,
    sql.VISIT_EVER: BranchEnterprise,
    sql.ISSUE: IssueTotals,
}


def summary_counts() -> dict[str, Counts]:
    """Every summary's rows as kept: each key's delta rows summed."""
    counts = {}
    for table, model in MODELS.items():
        keys, columns = sql.TABLES[table]
        queryset = (
            model.objects.order_by().values(*keys).annotate(**{f"sum_{c}": Sum(c) for c in columns})
        )
        counts[table] = {
            tuple(row[k] for k in keys): tuple(row[f"sum_{c}"] for c in columns)
            for row in queryset
            if any(row[f"sum_{c}"] for c in columns)
        }
    return counts


def differences(limit: int = 10) -> list[str]:
    """What the summaries say that a recount does not (at most ``limit`` per table),
    as ``table key: kept != recounted``; empty when they agree."""
    raw, kept = raw_counts(), summary_counts()
    found = []
    for table in MODELS:
        keys = sorted(set(raw[table]) | set(kept[table]), key=repr)
        wrong = [k for k in keys if raw[table].get(k) != kept[table].get(k)]
        found += [
            f"{table} {key}: kept {kept[table].get(key)} != recounted {raw[table].get(key)}"
            for key in wrong[:limit]
        ]
    return found
