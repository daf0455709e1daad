"""The campaign's figures, per branch and in total, in a fixed number of queries.

Every figure is defined in ``definitions.py`` and ``docs/metrics.md``; this module only
counts them, each table once, grouped by branch. The province's totals are the sums of
the branch rows, except enterprises visited: an enterprise two branches visited is one
enterprise, so that total is counted on its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, Count, DateField, F, IntegerField, Min, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch
from branches.selectors import table_branches
from issues.models import (
    RUNNING_CLOCK,
    DeadlineExtension,
    Issue,
    IssueReturn,
    SupervisionNotice,
    overdue_cutoff,
    sign_overdue_condition,
)
from outreach.models import REPLY_DEADLINE_SET, Activity, Enterprise, FeedbackItem
from receipts.models import EnterpriseRating
from receipts.selectors import counted_receipts
from summaries.models import (
    ActivityDay,
    ActivityMonth,
    BranchEnterprise,
    EnterpriseVisit,
    IssueTotals,
    OpinionDay,
    OpinionMonth,
)
from workdays.calendar import WorkingCalendar

from . import definitions as d
from .selection import Selection

State = Issue.State

ACTIVITY_KEYS = (
    "enterprises_visited",
    "enterprise_forums",
    "internal_forums",
    "surveys",
    "forms_sent",
    "forms_returned",
)
#: The opinions by kind: together they are all the opinions heard.
KIND_KEYS = ("problem_feedback", "suggestion_feedback", "praise_feedback")
FEEDBACK_KEYS = (
    "feedback_items",
    *KIND_KEYS,
    "undisposed_feedback",
    "unreplied_feedback",
    "replied_feedback",
    "satisfied_feedback",
    "satisfaction_recorded",
)
ISSUE_KEYS = (
    "issues_found",
    "fixed_on_the_spot",
    "fixed_on_the_spot_reopened",
    "escalated",
    "decided_by_province",
    "awaiting_decision",
    "rectified",
    "answered",
    "overdue",
)
STATE_KEYS = tuple(f"state_{state}" for state in State.values)
#: The clock (docs/metrics.md, "The clock"): each rate's numerator and denominator, then
#: the issues extended (issues), then the clock's records (extensions, returns, notices).
CLOCK_ISSUE_KEYS = ("signed_on_time", "sign_due", "rectified_on_time", "rectify_due")
CLOCK_FEEDBACK_KEYS = ("replied_on_time", "reply_due")
CLOCK_RECORD_KEYS = (
    "extensions_approved",
    "issues_extended",
    "returns",
    "supervision_open",
    "supervision_answered",
)
CLOCK_KEYS = CLOCK_ISSUE_KEYS + CLOCK_FEEDBACK_KEYS + CLOCK_RECORD_KEYS
#: The enterprise's own word (docs/metrics.md, "The enterprise's own word"): its latest
#: ratings (the rate's numerator and denominator, "not solved", where they disagree with
#: the staff's record), the receipts it was given and opened, the opinion box's opinions.
VOICE_KEYS = (
    "enterprise_satisfied",
    "enterprise_rated",
    "not_solved_reports",
    "satisfaction_disagree",
    "receipts_issued",
    "receipts_opened",
    "box_feedback",
)
#: The clock's rates: key -> (numerator, denominator).
CLOCK_RATES = {
    "signed_on_time_rate": ("signed_on_time", "sign_due"),
    "rectified_on_time_rate": ("rectified_on_time", "rectify_due"),
    "replied_on_time_rate": ("replied_on_time", "reply_due"),
}
#: The assessment's own figures (docs/metrics.md, "The assessment"): the issues reopened
#: and those answered at least once (the reopen rate), and the supervision notices of
#: every kind (per 100 issues).
ASSESSMENT_KEYS = ("reopened", "answered_ever", "supervision_notices")
#: Every count a Figures holds, in the order the API and the table list them.
COUNT_KEYS = (
    ACTIVITY_KEYS
    + FEEDBACK_KEYS
    + ISSUE_KEYS
    + STATE_KEYS
    + CLOCK_KEYS
    + VOICE_KEYS
    + ASSESSMENT_KEYS
)

LABELS = {
    "enterprises_visited": _("Enterprises visited"),
    "enterprise_forums": _("Enterprise forums"),
    "internal_forums": _("Internal forums"),
    "surveys": _("Survey rounds"),
    "forms_sent": _("Forms sent"),
    "forms_returned": _("Forms returned"),
    "feedback_items": _("Opinions heard"),
    "problem_feedback": _("Problems raised"),
    "suggestion_feedback": _("Suggestions"),
    "praise_feedback": _("Praise"),
    "undisposed_feedback": _("Opinions with no disposition"),
    "unreplied_feedback": _("Opinions with no reply"),
    "replied_feedback": _("Opinions replied"),
    "satisfied_feedback": _("Satisfied or basically satisfied"),
    "satisfaction_recorded": _("Replies that recorded satisfaction"),
    "issues_found": _("Issues found"),
    "fixed_on_the_spot": _("Fixed on the spot"),
    "fixed_on_the_spot_reopened": _("Reopened since"),
    "escalated": _("Escalated to the province"),
    "decided_by_province": _("Studied by the provincial meeting"),
    "awaiting_decision": _("Waiting for a provincial decision"),
    "rectified": _("Rectified"),
    "answered": _("Answered"),
    "overdue": _("Overdue"),
    **{f"state_{value}": label for value, label in State.choices},
    "reply_rate": _("Reply rate"),
    "satisfaction_rate": _("Satisfaction as recorded by staff"),
    "enterprise_satisfaction_rate": _("Satisfaction as stated by the enterprise"),
    "enterprise_satisfied": _("Enterprise satisfied or basically satisfied"),
    "enterprise_rated": _("Opinions the enterprise rated"),
    "not_solved_reports": _("“Not solved” reports"),
    "satisfaction_disagree": _("Staff record and enterprise disagree"),
    "receipts_issued": _("Receipts issued"),
    "receipts_opened": _("Receipts opened"),
    "box_feedback": _("Opinions from the online box"),
    "signed_on_time": _("Signed for on time"),
    "sign_due": _("Sign-for due"),
    "rectified_on_time": _("Rectified on time"),
    "rectify_due": _("Rectification due"),
    "replied_on_time": _("Opinions replied on time"),
    "reply_due": _("Replies due"),
    "extensions_approved": _("Extensions approved"),
    "issues_extended": _("Issues extended"),
    "returns": _("Returns"),
    "supervision_open": _("Supervision notices open"),
    "supervision_answered": _("Supervision notices answered"),
    "signed_on_time_rate": _("Signed for on time"),
    "rectified_on_time_rate": _("Rectified on time"),
    "replied_on_time_rate": _("Replied on time"),
    "reopened": _("Reopened at least once"),
    "answered_ever": _("Answered at least once"),
    "supervision_notices": _("Supervision notices"),
    "reopen_rate": _("Reopen rate"),
}


@dataclass(frozen=True)
class Rate:
    """A share shown with what it is a share of."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def percent(self) -> str:
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"


@dataclass
class Figures:
    """The counts of one branch, or of the whole selection."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))

    def __getitem__(self, key: str) -> int:
        return self.counts[key]

    @property
    def reply_rate(self) -> Rate:
        """Feedback items with a reply / all feedback items."""
        return Rate(self.counts["replied_feedback"], self.counts["feedback_items"])

    @property
    def satisfaction_rate(self) -> Rate:
        """Satisfied or basically satisfied / items whose reply recorded a satisfaction."""
        return Rate(self.counts["satisfied_feedback"], self.counts["satisfaction_recorded"])

    @property
    def enterprise_satisfaction_rate(self) -> Rate:
        """Opinions whose latest enterprise rating is positive / opinions it rated."""
        return Rate(self.counts["enterprise_satisfied"], self.counts["enterprise_rated"])

    @property
    def signed_on_time_rate(self) -> Rate:
        """Issues signed for on time / issues signed for or past the sign-for deadline."""
        return Rate(self.counts["signed_on_time"], self.counts["sign_due"])

    @property
    def rectified_on_time_rate(self) -> Rate:
        """Issues rectified on time / issues rectified or overdue."""
        return Rate(self.counts["rectified_on_time"], self.counts["rectify_due"])

    @property
    def replied_on_time_rate(self) -> Rate:
        """Opinions answered on time / opinions answered or past their reply deadline."""
        return Rate(self.counts["replied_on_time"], self.counts["reply_due"])

    @property
    def reopen_rate(self) -> Rate:
        """Issues reopened at least once / issues answered at least once."""
        return Rate(self.counts["reopened"], self.counts["answered_ever"])

    @property
    def supervision_per_issue(self) -> Rate:
        """Supervision notices / issues found (shown per 100 issues)."""
        return Rate(self.counts["supervision_notices"], self.counts["issues_found"])

    @property
    def states(self) -> dict[str, int]:
        return {state: self.counts[f"state_{state}"] for state in State.values}


@dataclass
class BranchFigures:
    branch: Branch
    is_liaison: bool
    figures: Figures


@dataclass
class Report:
    selection: Selection
    total: Figures
    branches: list[BranchFigures]
    #: Activities and opinions per period ("week" or "month"), oldest first.
    over_time: dict
    #: Opinions per category, busiest first: ``{"id", "name", "name_en", "count"}``.
    categories: list[dict]
    #: Opinions per branch and category: ``{branch_id: {category id: count}}``.
    categories_by_branch: dict[int, Counter]


def campaign_report(user, selection: Selection, branches: list[Branch] | None = None) -> Report:
    """The figures of ``selection`` in ``user``'s scope, in a fixed number of queries
    whatever the data (docs/metrics.md, "Query cost").

    ``branches`` are the city branches of the table (``SelectionForm.branches``, each with
    ``is_liaison``); each table is read once, grouped by branch (and, for the charts, by
    period and category), and the totals are sums of those rows.
    """
    if branches is None:
        branches = table_branches(user)
    bucket = time_bucket(selection)
    trunc = TruncWeek if bucket == WEEK else TruncMonth
    by_branch: dict[int, Counter] = {}
    activities_over_time: Counter = Counter()
    opinions_over_time: Counter = Counter()
    categories: dict[int, dict] = {}
    categories_by_branch: dict[int, Counter] = {}

    def add(branch_id, counts):
        by_branch.setdefault(branch_id, Counter()).update(counts)

    for row in _activity_counts(user, selection, trunc):
        period = row.pop("period")
        period = period.date() if isinstance(period, datetime) else period
        activities_over_time[period] += row["activities"]
        add(row.pop("branch"), {key: value or 0 for key, value in row.items()})
    visited_total = 0
    for row in _visited_counts(user, selection):
        if row["branch"] is None:
            visited_total = row["enterprises_visited"]
        else:
            add(row["branch"], {"enterprises_visited": row["enterprises_visited"]})
    for row in _feedback_counts(user, selection, trunc):
        branch_id, period = row.pop("branch"), row.pop("period")
        if branch_id is None:  # the opinions of one period (a date; a union may say a time)
            period = period.date() if isinstance(period, datetime) else period
            opinions_over_time[period] += row["feedback_items"]
            continue
        category_id = row.pop("category")
        name, name_en = row.pop("category__name"), row.pop("category__name_en")
        sort_order = row.pop("category__sort_order")
        category = categories.setdefault(
            category_id,
            {
                "id": category_id,
                "name": name,
                "name_en": name_en,
                "sort_order": sort_order,
                "count": 0,
            },
        )
        category["count"] += row["feedback_items"]
        categories_by_branch.setdefault(branch_id, Counter())[category_id] += row["feedback_items"]
        add(branch_id, row)
    # The working-day calendar, loaded once: "past a deadline" counts working days.
    today = timezone.localdate()
    calendar = WorkingCalendar.load()
    for row in _issue_counts(user, selection, today, calendar):
        add(row.pop("branch"), row)
    for row in _record_counts(user, selection, overdue_cutoff(today, 1, calendar)):
        add(row.pop("branch"), row)

    total = Figures()
    for counts in by_branch.values():
        for key in COUNT_KEYS:
            total.counts[key] += counts.get(key, 0)
    total.counts["enterprises_visited"] = visited_total

    rows = []
    for branch in branches:
        if selection.branch and branch.pk != selection.branch.pk:
            continue
        figures = Figures()
        figures.counts.update(
            {key: value for key, value in by_branch.get(branch.pk, {}).items() if key in COUNT_KEYS}
        )
        rows.append(BranchFigures(branch=branch, is_liaison=branch.is_liaison, figures=figures))
    periods = sorted(set(activities_over_time) | set(opinions_over_time))
    return Report(
        selection=selection,
        total=total,
        branches=rows,
        over_time={
            "bucket": bucket,
            "periods": [_period_label(period, bucket) for period in periods],
            "activities": [activities_over_time[period] for period in periods],
            "opinions": [opinions_over_time[period] for period in periods],
        },
        categories=sorted(categories.values(), key=lambda c: (-c["count"], c["sort_order"])),
        categories_by_branch=categories_by_branch,
    )


# --- time buckets of the charts ------------------------------------------------------------

WEEK = "week"
MONTH = "month"
#: Longer than this, the charts count by month instead of by week.
WEEKLY_SPAN = timedelta(days=370)


def time_bucket(selection: Selection) -> str:
    """Weeks for a campaign or a period up to a year; months for all time or longer."""
    start = selection.date_from or (selection.campaign.starts_on if selection.campaign else None)
    end = selection.date_to or (selection.campaign.ends_on if selection.campaign else None)
    if start and (end or timezone.localdate()) - start <= WEEKLY_SPAN:
        return WEEK
    return MONTH


def _period_label(period, bucket: str) -> str:
    period = period.date() if isinstance(period, datetime) else period
    return period.strftime("%Y-%m") if bucket == MONTH else period.isoformat()


# --- the queries -------------------------------------------------------------------------


def selected_activities(user, selection: Selection):
    return selection.activities(Activity.objects.visible_to(user).active())


def selected_feedback(user, selection: Selection):
    return selection.feedback(FeedbackItem.objects.visible_to(user).active())


def selected_issues(user, selection: Selection):
    return selection.issues(Issue.objects.visible_to(user).counted())


def _activity_counts(user, selection, trunc):
    """Activities per branch and period, from their summary rows (``summaries``): the
    same activities as ``selected_activities``, counted ahead of time."""
    if trunc is TruncMonth and not (selection.date_from or selection.date_to):
        rows = _without_dates(ActivityMonth.objects.visible_to(user), selection)
        rows = rows.annotate(period=F("month"))
    else:
        rows = selection.activities(ActivityDay.objects.visible_to(user))
        rows = rows.annotate(period=trunc("occurred_on"))
    return (
        rows.values("branch", "period")
        .annotate(
            held=Sum("n"),
            # The online box's day is a channel, not outreach held: its opinions count.
            activities=Coalesce(Sum("n", filter=~d.ONLINE_BOX), 0),
            enterprise_forums=Coalesce(Sum("n", filter=d.ENTERPRISE_FORUM), 0),
            internal_forums=Coalesce(Sum("n", filter=d.INTERNAL_FORUM), 0),
            surveys=Coalesce(Sum("n", filter=d.SURVEY), 0),
            forms_sent=Coalesce(Sum("forms_sent", filter=d.SURVEY), 0),
            forms_returned=Coalesce(Sum("forms_returned", filter=d.SURVEY), 0),
        )
        # A key whose rows cancel out (not yet folded) is no row at all.
        .filter(held__gt=0)
        .values(
            "branch",
            "period",
            "activities",
            "enterprise_forums",
            "internal_forums",
            "surveys",
            "forms_sent",
            "forms_returned",
        )
        .order_by()
    )


def _visited_counts(user, selection):
    """Distinct enterprises visited per branch, and in total (branch None), in one query:
    from the visits' summary (per enterprise, branch and campaign) when the selection has
    no dates, else from the activities themselves."""
    if selection.date_from or selection.date_to:
        return _visited_counts_by_date(user, selection)
    withdrawn = Enterprise.objects.filter(withdrawn_at__isnull=False).values("id")
    # All time: the visits per enterprise and branch, without campaigns to group away.
    summary = BranchEnterprise if not selection.campaign else EnterpriseVisit
    visited = (
        _without_dates(summary.objects.visible_to(user), selection)
        # The few withdrawn enterprises (merged away, or registered by mistake) are left
        # out by their own index, not by joining every enterprise.
        .exclude(enterprise__in=withdrawn)
        .values("enterprise", "branch")
        .annotate(visits=Sum("n"))
        .filter(visits__gt=0)
        .order_by()
    )
    try:
        inner, params = visited.query.sql_with_params()
    except EmptyResultSet:  # a user who sees no branch
        return []
    connection = connections[visited.db]
    if connection.vendor == "postgresql":
        # The visited enterprises once, then counted per branch and in total.
        sql = (
            f"WITH visited AS MATERIALIZED ({inner}) "  # noqa: S608 (the ORM's SQL)
            "SELECT branch, COUNT(*) FROM visited GROUP BY branch "
            "UNION ALL SELECT NULL, COUNT(*) FROM (SELECT DISTINCT enterprise FROM visited) e"
        )
    else:
        sql = (
            f"SELECT branch, COUNT(*) FROM ({inner}) per_branch GROUP BY branch "  # noqa: S608
            f"UNION ALL SELECT NULL, COUNT(DISTINCT enterprise) FROM ({inner}) total"
        )
        params = (*params, *params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [{"branch": branch, "enterprises_visited": n} for branch, n in cursor.fetchall()]


def _without_dates(rows, selection):
    """Summary rows of a selection without dates: its campaign and branch, if any."""
    if selection.campaign:
        rows = rows.filter(campaign=selection.campaign)
    if selection.branch:
        rows = rows.filter(branch=selection.branch)
    return rows


def _visited_counts_by_date(user, selection):
    visits = selected_activities(user, selection).filter(d.VISIT)
    distinct = Count("enterprises", distinct=True, filter=d.ENTERPRISE_PRESENT)
    per_branch = visits.values("branch").annotate(enterprises_visited=distinct).order_by()
    total = (
        visits.annotate(total=Value(None, output_field=IntegerField()))
        .values("total")
        .annotate(enterprises_visited=distinct)
        .values("total", "enterprises_visited")
        .order_by()
    )
    # UNION ALL: one round trip; the total's row has no branch.
    return list(per_branch.union(total, all=True))


def _feedback_counts(user, selection, trunc):
    """Opinions per branch, period and category, from their summary rows: by month heard
    for a selection without dates charted by month (a few thousand rows), else by day."""
    if trunc is TruncMonth and not (selection.date_from or selection.date_to):
        rows, received = OpinionMonth.objects.visible_to(user), "received_month"
    else:
        rows, received = OpinionDay.objects.visible_to(user), "received_on"
    if selection.date_from or selection.date_to:
        rows = selection.activities(rows)
    else:
        rows = _without_dates(rows, selection)
    counts = {
        "feedback_items": Sum("n"),
        "problem_feedback": Sum("problem"),
        "suggestion_feedback": Sum("suggestion"),
        "praise_feedback": Sum("praise"),
        "undisposed_feedback": Sum("undisposed"),
        "unreplied_feedback": Sum("n") - Sum("replied"),
        "replied_feedback": Sum("replied"),
        "satisfied_feedback": Sum("satisfied"),
        "satisfaction_recorded": Sum("satisfaction_recorded"),
        "box_feedback": Sum("box"),
    }
    nothing = {
        "branch": Value(None, output_field=IntegerField()),
        "category": Value(None, output_field=IntegerField()),
        "category__name": Value(None, output_field=CharField()),
        "category__name_en": Value(None, output_field=CharField()),
        "category__sort_order": Value(None, output_field=IntegerField()),
    }
    # Two groupings in one round trip (a few hundred rows, not branch × period ×
    # category): every count per branch and category, and the opinions per period.
    by_category = (
        rows.values("branch", "category")
        .annotate(
            period=Value(None, output_field=DateField()),
            # Names ride along as aggregates, not group keys (hashing, not sorting).
            category__name=Min("category__name"),
            category__name_en=Min("category__name_en"),
            category__sort_order=Min("category__sort_order"),
            **counts,
        )
        # A key whose rows cancel out (not yet folded) is no row at all.
        .filter(feedback_items__gt=0)
        .values_list(*FEEDBACK_ROW)
        .order_by()
    )
    by_period = (
        rows.annotate(period=trunc(received))
        .values("period")
        .annotate(
            **nothing,
            feedback_items=Sum("n"),
            **{key: Value(0, output_field=IntegerField()) for key in FEEDBACK_ROW[7:]},
        )
        .filter(feedback_items__gt=0)
        .values_list(*FEEDBACK_ROW)
        .order_by()
    )
    rows = by_category.union(by_period, all=True)
    return [dict(zip(FEEDBACK_ROW, row, strict=True)) for row in rows]


#: The columns of ``_feedback_counts``' rows.
FEEDBACK_ROW = (
    "branch",
    "category",
    "period",
    "category__name",
    "category__name_en",
    "category__sort_order",
    "feedback_items",
    "problem_feedback",
    "suggestion_feedback",
    "praise_feedback",
    "undisposed_feedback",
    "unreplied_feedback",
    "replied_feedback",
    "satisfied_feedback",
    "satisfaction_recorded",
    "box_feedback",
)


#: The issues' figures per branch, in the order each part of ``_issue_counts`` gives them.
#: (The reopen rate's two come before the states: a summary's state column, once
#: annotated under its own name, could no longer be summed again.)
ISSUE_ROW_KEYS = (*ISSUE_KEYS, "reopened", "answered_ever", *STATE_KEYS)
ISSUE_ROW_KEYS += ("signed_on_time", "sign_due", "rectified_on_time", "rectify_due")


def _issue_counts(user, selection, today, calendar):
    """Issues per branch, in one round trip: a UNION ALL of grouped parts, each row
    carrying every key (0 where the part counts something else), summed per branch.

    Without dates, the issues' summary rows (per branch and campaign) give what does not
    move with the day (escalations too, from the issue's copies of them), and the few
    issues a day can make due (open past their deadline, unsigned past the sign-for
    deadline) are counted live; with dates, each issue of the period (an issue's period is
    its earliest opinion's), and the escalated, studied and waiting issues by a join from
    the few escalations (``definitions.escalated()``, ``decided()``, ``awaiting_decision()``)."""
    zero = Value(0, output_field=IntegerField())

    def part(queryset, **counts):
        return (
            queryset.values("branch")
            .annotate(**{key: counts.get(key, zero) for key in ISSUE_ROW_KEYS})
            .order_by()
        )

    issues = selected_issues(user, selection)
    overdue = Count("id", filter=d.overdue(today, 1, calendar))
    if selection.date_from or selection.date_to:
        escalated = part(
            issues.filter(escalations__isnull=False),
            escalated=Count("id", distinct=True),
            decided_by_province=Count("id", distinct=True, filter=Q(d.decided())),
            awaiting_decision=Count("id", distinct=True, filter=Q(d.awaiting_decision())),
        )
        each = part(
            issues,
            issues_found=Count("id"),
            fixed_on_the_spot=Count("id", filter=d.FIXED_ON_THE_SPOT),
            fixed_on_the_spot_reopened=Count("id", filter=d.FIXED_ON_THE_SPOT_REOPENED),
            rectified=Count("id", filter=d.RECTIFIED),
            answered=Count("id", filter=d.ANSWERED),
            overdue=overdue,
            signed_on_time=Count("id", filter=d.SIGNED_ON_TIME),
            sign_due=Count("id", filter=d.sign_due(today, calendar)),
            rectified_on_time=Count("id", filter=d.RECTIFIED_ON_TIME),
            rectify_due=Count("id", filter=d.rectify_due(today, calendar)),
            reopened=Count("id", filter=d.WAS_REOPENED),
            answered_ever=Count("id", filter=d.WAS_ANSWERED),
            **{f"state_{state}": Count("id", filter=Q(state=state)) for state in State.values},
        )
        return list(each.union(escalated, all=True))
    totals = part(
        _without_dates(IssueTotals.objects.visible_to(user), selection),
        issues_found=Sum("n"),
        fixed_on_the_spot=Sum("fixed_on_the_spot"),
        fixed_on_the_spot_reopened=Sum("fixed_on_the_spot_reopened"),
        rectified=Sum("state_rectified") + Sum("state_answered"),
        answered=Sum("state_answered"),
        signed_on_time=Sum("signed_on_time"),
        # signed for with a deadline; the unsigned past it come from the part below
        sign_due=Sum("signed"),
        rectified_on_time=Sum("rectified_on_time"),
        # rectified with a deadline; the overdue come from the part below
        rectify_due=Sum("rectified_timed"),
        escalated=Sum("escalated"),
        decided_by_province=Sum("decided"),
        awaiting_decision=Sum("awaiting"),
        # answered now; those reopened and not answered again come from the part below
        answered_ever=Sum("state_answered"),
        **{f"state_{state}": Sum(f"state_{state}") for state in State.values},
    )
    running = part(
        issues.filter(RUNNING_CLOCK),
        overdue=overdue,
        sign_due=Count("id", filter=sign_overdue_condition(today, calendar)),
        rectify_due=overdue,
    )
    # The few issues ever reopened (``issue_reopened`` indexes them).
    reopened = part(
        issues.filter(d.WAS_REOPENED),
        reopened=Count("id"),
        answered_ever=Count("id", filter=~d.ANSWERED),
    )
    return list(totals.union(running, reopened, all=True))


def _record_counts(user, selection, cutoff):
    """The clock's records of the selected issues, per branch, the opinions replied on
    time, and the enterprise's own word, in one round trip: a UNION ALL of six small
    grouped queries, each row carrying every key (0 where the part counts something else).

    The records are approved extensions (and the distinct issues they extended), returns,
    and supervision notices open and answered; the opinions are those of issues with a
    reply deadline (few: a join from them, not a test of every opinion). The enterprise's
    word is counted from its latest ratings of the selected opinions and from the live
    receipts of the selected activities: each a join from the few, as ``receipts.figures``
    defines them (gathered in ``definitions``). The online box's opinions are counted with
    the other opinions (``_feedback_counts``)."""
    issues = selected_issues(user, selection)
    keys = (*CLOCK_RECORD_KEYS, *CLOCK_FEEDBACK_KEYS, *VOICE_KEYS, "supervision_notices")

    def part(queryset, branch: str, **counts):
        """``queryset`` grouped by its ``branch`` path, as a column named "branch"."""
        zero = Value(0, output_field=IntegerField())
        grouped = (
            queryset.values("branch") if branch == "branch" else queryset.values(branch=F(branch))
        )
        return grouped.annotate(**{key: counts.get(key, zero) for key in keys}).order_by()

    by_issue_branch = "issue__branch"
    extensions = part(
        DeadlineExtension.objects.visible_to(user).approved().filter(issue__in=issues),
        by_issue_branch,
        extensions_approved=Count("id"),
        issues_extended=Count("issue", distinct=True),
    )
    returns = part(
        IssueReturn.objects.visible_to(user).filter(issue__in=issues),
        by_issue_branch,
        returns=Count("id"),
    )
    notices = part(
        SupervisionNotice.objects.visible_to(user).filter(issue__in=issues),
        by_issue_branch,
        supervision_open=Count("id", filter=Q(answered_at__isnull=True)),
        supervision_answered=Count("id", filter=Q(answered_at__isnull=False)),
        supervision_notices=Count("id"),
    )
    opinions = part(
        selected_feedback(user, selection).filter(REPLY_DEADLINE_SET),
        "branch",
        replied_on_time=Count("id", filter=d.replied_on_time()),
        reply_due=Count("id", filter=d.reply_due(cutoff)),
    )
    feedback = selected_feedback(user, selection)
    ratings = part(
        EnterpriseRating.objects.visible_to(user)
        .filter(d.enterprise_rated(d.FROM_RATING))
        .filter(feedback_item__in=feedback),
        "feedback_item__branch",
        enterprise_rated=Count("id"),
        enterprise_satisfied=Count("id", filter=d.enterprise_satisfied(d.FROM_RATING)),
        not_solved_reports=Count("id", filter=d.not_solved_report(d.FROM_RATING)),
        satisfaction_disagree=Count("id", filter=d.satisfaction_disagree(d.FROM_RATING)),
    )
    receipts = part(
        counted_receipts(user).filter(activity__in=selected_activities(user, selection)),
        "activity__branch",
        receipts_issued=Count("id"),
        receipts_opened=Count("id", filter=d.RECEIPT_OPENED),
    )
    return list(extensions.union(returns, notices, opinions, ratings, receipts, all=True))
