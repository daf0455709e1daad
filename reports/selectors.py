"""Reads of the home page and the dashboard that are more than one figure: the province's
overview table, and the dashboard's short lists of what needs attention, each one query."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import IntegerField, Value
from django.db.models.functions import ExtractYear

from branches import selectors as branch_selectors
from issues import selectors as issue_selectors
from issues.models import Issue
from outreach import selectors as outreach_selectors
from workdays.calendar import WorkingCalendar
from workdays.models import ScheduledYear

from . import definitions as d
from .metrics import selected_feedback, selected_issues
from .selection import Selection

#: Short lists on the dashboard show this many rows and link to the whole list.
LIST_LIMIT = 8


# --- the home page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceOverview:
    """The province's promise figures, in total and per city branch."""

    #: ``outreach.selectors.FEEDBACK_COUNTS`` and ``issues.selectors.ISSUE_COUNT_NAMES``
    feedback: dict[str, int]
    issues: dict[str, int]
    #: one row per city branch in scope: the branch, ``is_liaison``, ``activities`` and the
    #: counts above
    branch_rows: list[dict]


def years_counted_monday_to_friday(user, today: date) -> list[int]:
    """The years the app needs that the working-day calendar does not know, so that their
    deadlines are counted Monday to Friday: this year, next year once it is December (its
    schedule is announced in November), and every year an open issue's deadline falls in.

    One query: the deadline years of the open issues in ``user``'s scope and the years the
    office entered, told apart by a second column.
    """
    deadline, entered = Value(0, IntegerField()), Value(1, IntegerField())
    deadline_years = (
        Issue.objects.visible_to(user)
        .open()
        .filter(deadline__isnull=False)
        .annotate(year=ExtractYear("deadline"), source=deadline)
        .values_list("year", "source")
        .order_by()
    )
    entered_years = (
        ScheduledYear.objects.visible_to(user)
        .annotate(source=entered)
        .values_list("year", "source")
        .order_by()
    )
    needed = {today.year} | ({today.year + 1} if today.month == 12 else set())
    scheduled = set()
    for year, source in deadline_years.union(entered_years):
        (scheduled if source == 1 else needed).add(int(year))
    return WorkingCalendar({}, scheduled).years_without_schedule(needed)


def province_overview(user) -> ProvinceOverview:
    """The overview of every branch in ``user``'s scope; the totals are the sums of the
    per-branch counts (two queries fewer than counting them again)."""
    feedback_by_branch = outreach_selectors.feedback_promise_counts_by_branch(user)
    issues_by_branch = issue_selectors.issue_counts_by_branch(user)
    return ProvinceOverview(
        feedback=_total(feedback_by_branch, outreach_selectors.FEEDBACK_COUNTS),
        issues=_total(issues_by_branch, issue_selectors.ISSUE_COUNT_NAMES),
        branch_rows=_branch_rows(user, feedback_by_branch, issues_by_branch),
    )


def _total(by_branch: dict[int, dict[str, int]], names) -> dict[str, int]:
    total = Counter(dict.fromkeys(names, 0))
    for counts in by_branch.values():
        total.update(counts)
    return dict(total)


def _branch_rows(user, feedback_by_branch, issues_by_branch) -> list[dict]:
    """One row per city branch for the overview table, liaison branches marked."""
    liaisons = branch_selectors.liaison_branch_ids(user)
    activities = outreach_selectors.activity_counts_by_branch(user)
    no_feedback = dict.fromkeys(outreach_selectors.FEEDBACK_COUNTS, 0)
    no_issues = dict.fromkeys(issue_selectors.ISSUE_COUNT_NAMES, 0)
    return [
        {
            "branch": branch,
            "is_liaison": branch.pk in liaisons,
            "activities": activities.get(branch.pk, 0),
            **feedback_by_branch.get(branch.pk, no_feedback),
            **issues_by_branch.get(branch.pk, no_issues),
        }
        for branch in branch_selectors.visible_city_branches(user)
    ]


# --- the dashboard's short lists ---------------------------------------------------------


def overdue_issues(user, selection: Selection, *, limit: int = LIST_LIMIT):
    return (
        selected_issues(user, selection)
        .filter(d.overdue())
        .select_related("branch", "responsible")
        .order_by("deadline", "id")[:limit]
    )


def unsatisfied_feedback(user, selection: Selection, *, limit: int = LIST_LIMIT):
    """Opinions whose latest recorded satisfaction is "unsatisfied", latest reply first."""
    return (
        selected_feedback(user, selection)
        .filter(satisfaction="unsatisfied")
        .select_related("enterprise", "branch", "issue")
        # An unsatisfied opinion has a reply: its date is never empty.
        .order_by("-last_replied_on", "-id")[:limit]
    )
