"""The campaign's figures, per branch and in total, in a fixed number of queries.

Every figure is defined in ``definitions.py`` and ``docs/metrics.md``; this module only
counts them, each table once, grouped by branch. The province's totals are the sums of
the branch rows, except enterprises visited: an enterprise two branches visited is one
enterprise, so that total is counted on its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from branches.models import Branch, Liaison
from branches.selectors import visible_city_branches
from issues.models import Issue
from outreach.models import Activity, FeedbackItem

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
FEEDBACK_KEYS = (
    "feedback_items",
    "undisposed_feedback",
    "unreplied_feedback",
    "replied_feedback",
    "satisfied_feedback",
    "satisfaction_recorded",
)
ISSUE_KEYS = (
    "issues_found",
    "fixed_on_the_spot",
    "escalated",
    "rectified",
    "answered",
    "overdue",
)
STATE_KEYS = tuple(f"state_{state}" for state in State.values)
#: Every count a Figures holds, in the order the API and the table list them.
COUNT_KEYS = ACTIVITY_KEYS + FEEDBACK_KEYS + ISSUE_KEYS + STATE_KEYS


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


def campaign_report(user, selection: Selection) -> Report:
    """The figures of ``selection`` in ``user``'s scope: six queries whatever the data."""
    by_branch: dict[int, Counter] = {}
    for rows in (
        _activity_counts(user, selection),
        _visited_counts(user, selection),
        _feedback_counts(user, selection),
        _issue_counts(user, selection),
    ):
        for row in rows:
            by_branch.setdefault(row.pop("branch"), Counter()).update(
                {key: value or 0 for key, value in row.items()}
            )

    total = Figures()
    for counts in by_branch.values():
        total.counts.update({key: total.counts[key] + counts.get(key, 0) for key in COUNT_KEYS})
    total.counts["enterprises_visited"] = _visited_total(user, selection)

    rows = []
    for branch in _branches(user, selection):
        figures = Figures()
        figures.counts.update(by_branch.get(branch.pk, {}))
        rows.append(BranchFigures(branch=branch, is_liaison=branch.is_liaison, figures=figures))
    return Report(selection=selection, total=total, branches=rows)


# --- the queries -------------------------------------------------------------------------


def selected_activities(user, selection: Selection):
    return selection.activities(Activity.objects.visible_to(user).active())


def selected_feedback(user, selection: Selection):
    return selection.feedback(FeedbackItem.objects.visible_to(user).active())


def selected_issues(user, selection: Selection):
    return selection.issues(Issue.objects.visible_to(user).counted())


def _activity_counts(user, selection):
    return (
        selected_activities(user, selection)
        .values("branch")
        .annotate(
            enterprise_forums=Count("id", filter=d.ENTERPRISE_FORUM),
            internal_forums=Count("id", filter=d.INTERNAL_FORUM),
            surveys=Count("id", filter=d.SURVEY),
            forms_sent=Coalesce(Sum("forms_sent", filter=d.SURVEY), 0),
            forms_returned=Coalesce(Sum("forms_returned", filter=d.SURVEY), 0),
        )
        .order_by()
    )


def _visits(user, selection):
    return selected_activities(user, selection).filter(d.VISIT)


def _visited_counts(user, selection):
    return (
        _visits(user, selection)
        .values("branch")
        .annotate(
            enterprises_visited=Count("enterprises", distinct=True, filter=d.ENTERPRISE_PRESENT)
        )
        .order_by()
    )


def _visited_total(user, selection) -> int:
    return _visits(user, selection).aggregate(
        n=Count("enterprises", distinct=True, filter=d.ENTERPRISE_PRESENT)
    )["n"]


def _feedback_counts(user, selection):
    return (
        selected_feedback(user, selection)
        .values("branch")
        .annotate(
            feedback_items=Count("id"),
            undisposed_feedback=Count("id", filter=d.UNDISPOSED),
            unreplied_feedback=Count("id", filter=d.UNREPLIED),
            replied_feedback=Count("id", filter=d.REPLIED),
            satisfied_feedback=Count("id", filter=d.SATISFIED),
            satisfaction_recorded=Count("id", filter=d.SATISFACTION_RECORDED),
        )
        .order_by()
    )


def _issue_counts(user, selection):
    today = timezone.localdate()
    states = {f"state_{state}": Count("id", filter=Q(state=state)) for state in State.values}
    return (
        selected_issues(user, selection)
        .values("branch")
        .annotate(
            issues_found=Count("id"),
            fixed_on_the_spot=Count("id", filter=d.FIXED_ON_THE_SPOT),
            escalated=Count("id", filter=d.escalated()),
            rectified=Count("id", filter=d.RECTIFIED),
            answered=Count("id", filter=d.ANSWERED),
            overdue=Count("id", filter=d.overdue(today)),
            **states,
        )
        .order_by()
    )


def _branches(user, selection):
    """The city branches of the table, each marked when the user is its liaison leader."""
    branches = visible_city_branches(user)
    if selection.branch:
        branches = branches.filter(pk=selection.branch.pk)
    if not user.is_authenticated:
        return branches.annotate(is_liaison=Value(False, output_field=BooleanField()))
    return branches.annotate(
        is_liaison=Exists(Liaison.objects.filter(leader=user, branch=OuterRef("pk")))
    )
