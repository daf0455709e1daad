"""The leadership dashboard: live, exact figures of a campaign or period, each a link."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from branches.scoping import scope_of

from . import selectors
from .links import figure_url
from .metrics import COUNT_KEYS, Report, campaign_report
from .selection import SelectionForm

#: Columns of the per-branch table, in order; every cell links to its records.
TABLE_KEYS = (
    "enterprises_visited",
    "enterprise_forums",
    "internal_forums",
    "surveys",
    "feedback_items",
    "undisposed_feedback",
    "unreplied_feedback",
    "issues_found",
    "fixed_on_the_spot",
    "escalated",
    "rectified",
    "answered",
    "overdue",
)
RATE_SORT_KEYS = ("reply_rate", "satisfaction_rate")


@require_safe
@login_required
def dashboard(request):
    user = request.user
    if scope_of(user).is_empty:
        raise Http404
    form = SelectionForm(request.GET, user=user, default_to_current_campaign=True)
    if not form.is_valid():
        return render(request, "reports/dashboard.html", {"form": form}, status=400)
    selection = form.selection()
    report = campaign_report(user, selection)
    sort = request.GET.get("sort", "")
    context = {
        "form": form,
        "selection": selection,
        "report": report,
        "links": _links(report),
        "rows": _sorted_rows(report, sort),
        "sort": sort,
        "table_keys": TABLE_KEYS,
        "charts": _chart_data(user, report),
        "overdue_issues": selectors.overdue_issues(user, selection),
        "escalations": selectors.escalations_awaiting_decision(user, selection),
        "unsatisfied": selectors.unsatisfied_feedback(user, selection),
        "shows_branches": scope_of(user).all_branches,
    }
    return render(request, "reports/dashboard.html", context)


def _links(report: Report) -> dict:
    """figure key → URL, for the totals and for each branch row."""
    selection = report.selection
    return {
        "total": {key: figure_url(key, selection) for key in COUNT_KEYS},
        "branches": {
            row.branch.pk: {key: figure_url(key, selection, row.branch) for key in COUNT_KEYS}
            for row in report.branches
        },
    }


def _sorted_rows(report: Report, sort: str) -> list:
    """The branch rows, sorted by a column when asked (``-key`` for descending)."""
    key = sort.removeprefix("-")
    rows = list(report.branches)
    if key in COUNT_KEYS:
        rows.sort(key=lambda row: row.figures[key], reverse=sort.startswith("-"))
    elif key in RATE_SORT_KEYS:
        rows.sort(
            key=lambda row: getattr(row.figures, key).value or 0, reverse=sort.startswith("-")
        )
    return rows


def _chart_data(user, report: Report) -> dict:
    """Everything the charts draw, handed to static/js/dashboard.js as JSON."""
    total = report.total
    english = (get_language() or "").startswith("en")
    categories = selectors.opinions_by_category(user, report.selection)
    return {
        "over_time": selectors.activity_over_time(user, report.selection),
        "funnel": [
            total["feedback_items"],
            total["issues_found"],
            total["rectified"],
            total["answered"],
        ],
        "states": [total[f"state_{state}"] for state in _STATES],
        "categories": {
            "labels": [
                (row["category__name_en"] if english and row["category__name_en"] else None)
                or row["category__name"]
                for row in categories
            ],
            "counts": [row["n"] for row in categories],
        },
        "branches": {
            "labels": [row.branch.short_name for row in report.branches],
            "opinions": [row.figures["feedback_items"] for row in report.branches],
            "issues": [row.figures["issues_found"] for row in report.branches],
            "answered": [row.figures["answered"] for row in report.branches],
        },
    }


_STATES = ("collected", "rectifying", "escalated", "rectified", "answered")
