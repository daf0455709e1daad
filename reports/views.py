"""The home page (each role lands on what it needs first) and the leadership dashboard
(live, exact figures of a campaign or period, each a link)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from branches import rules as branch_rules
from branches.scoping import membership_of, scope_of
from core.languages import in_reader_language
from issues import selectors as issue_selectors
from issues.clock import Clock
from issues.models import Issue, TimeLimit
from outreach import selectors as outreach_selectors

from . import selectors
from .links import figure_url
from .metrics import (
    CLOCK_RATES,
    CLOCK_RECORD_KEYS,
    COUNT_KEYS,
    KIND_KEYS,
    LABELS,
    Report,
    campaign_report,
    selected_issues,
)
from .selection import SelectionForm


@login_required
def home(request):
    """The user's scope at a glance: the province's overview, or one branch's figures."""
    user = request.user
    scope = scope_of(user)
    context = {"membership": membership_of(user), "scope": scope}
    if scope.is_empty:
        return render(request, "reports/home_no_role.html", context)

    context.update(
        campaign=outreach_selectors.current_campaign(user),
        open_issues=issue_selectors.open_issues(user),
        recent_activities=outreach_selectors.recent_activities(user),
    )
    if scope.all_branches:
        overview = selectors.province_overview(user)
        context.update(
            feedback=overview.feedback,
            issues=overview.issues,
            branch_rows=overview.branch_rows,
            escalations=issue_selectors.escalations_awaiting_decision(user),
            **_attention(user),
        )
        if branch_rules.is_provincial_office(user):
            # The office enters what the calendar does not know; it is told here.
            context["unknown_years"] = selectors.years_counted_monday_to_friday(
                user, timezone.localdate()
            )
        return render(request, "reports/home_province.html", context)
    context.update(
        feedback=outreach_selectors.feedback_promise_counts(user),
        issues=issue_selectors.issue_counts(user),
    )
    return render(request, "reports/home_branch.html", context)


def _attention(user) -> dict:
    """The leaders' attention list (the office and institute leaders): issues at least
    ``attention_after`` working days overdue, a few shown, the count linking to them all."""
    clock = Clock()
    issues = issue_selectors.attention_issues(user, clock=clock)
    return {
        "attention_issues": list(issues[: selectors.LIST_LIMIT]),
        "attention_count": issues.count(),
        "attention_days": clock.limits[TimeLimit.Step.ATTENTION_AFTER],
        "attention_url": f"{reverse('issues:issue_list')}?{urlencode({'overdue': 'attention'})}",
    }


# --- the dashboard ----------------------------------------------------------------------

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
    "decided_by_province",
    "rectified",
    "answered",
    "overdue",
)
#: The rates, each (numerator, denominator): the table shows both, each a link.
RATES = {
    "reply_rate": ("replied_feedback", "feedback_items"),
    "satisfaction_rate": ("satisfied_feedback", "satisfaction_recorded"),
    **CLOCK_RATES,
}
RATE_SORT_KEYS = tuple(RATES)
#: Every column after the branch: the counts, the rates, then the clock's records.
COLUMN_KEYS = (*TABLE_KEYS, *RATES, *CLOCK_RECORD_KEYS)
#: Figures shown under a headline figure, each with its own list: the opinions by kind,
#: the issues fixed on the spot that were reopened since (no longer counted as fixed), the
#: issues the approved extensions moved.
BESIDE = {
    "feedback_items": KIND_KEYS,
    "fixed_on_the_spot": ("fixed_on_the_spot_reopened",),
    "extensions_approved": ("issues_extended",),
    "receipts_issued": ("receipts_opened",),
}
#: Counts that should be zero: shown in red when they are not.
WARN_KEYS = {"undisposed_feedback", "unreplied_feedback", "overdue", "supervision_open"}
#: The two satisfactions side by side in the table of the enterprise's word: each rate's
#: numerator and denominator.
VOICE_RATES = (
    ("satisfaction_rate", "satisfied_feedback", "satisfaction_recorded"),
    ("enterprise_satisfaction_rate", "enterprise_satisfied", "enterprise_rated"),
)


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
    report = campaign_report(user, selection, form.branches)
    charts = _chart_data(report)
    sort = request.GET.get("sort", "")
    total_links = {key: figure_url(key, selection) for key in COUNT_KEYS}
    context = {
        "form": form,
        "selection": selection,
        "report": report,
        "total": report.total,
        "link": total_links,
        "label": LABELS,
        "beside_figures": BESIDE,
        "columns": [(key, LABELS[key]) for key in COLUMN_KEYS],
        "rows": _table_rows(report, sort),
        "voice_rows": _voice_rows(report),
        "total_cells": _cells(report.total, total_links),
        "sort": sort,
        "charts": charts,
        "chart_tables": _chart_tables(charts),
        "promise": [
            {
                "key": key,
                "remaining": report.total[key],
                "done": report.total["feedback_items"] - report.total[key],
            }
            for key in ("undisposed_feedback", "unreplied_feedback")
        ],
        "selection_query": urlencode(selection.params()),
        # "All campaigns" said out loud: without it the briefing opens on the newest.
        "briefing_query": urlencode({"campaign": "", **selection.params()}),
        "shows_branches": scope_of(user).all_branches,
    }
    return render(request, "reports/dashboard.html", context)


def _cells(figures, links: dict[str, str]) -> list[dict]:
    """The table's cells of one row: each count with its list, each rate with the lists
    of its numerator and denominator."""
    cells = []
    for key in COLUMN_KEYS:
        if key in RATES:
            numerator, denominator = RATES[key]
            cells.append(
                {
                    "key": key,
                    "rate": getattr(figures, key),
                    "numerator": numerator,
                    "denominator": denominator,
                    "url": links[numerator],
                    "denominator_url": links[denominator],
                }
            )
        else:
            cells.append(
                {"key": key, "value": figures[key], "url": links[key], "warn": key in WARN_KEYS}
            )
    return cells


def _table_rows(report: Report, sort: str) -> list[dict]:
    """The branch rows, sorted by a column when asked (``-key`` for descending)."""
    rows = list(report.branches)
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    if key in COUNT_KEYS:
        rows.sort(key=lambda row: row.figures[key], reverse=descending)
    elif key in RATE_SORT_KEYS:
        rows.sort(key=lambda row: getattr(row.figures, key).value or 0, reverse=descending)
    selection = report.selection
    return [
        {
            "branch": row.branch,
            "is_liaison": row.is_liaison,
            "cells": _cells(
                row.figures,
                {key: figure_url(key, selection, row.branch) for key in COUNT_KEYS},
            ),
        }
        for row in rows
    ]


def _voice_rows(report: Report) -> list[dict]:
    """Per branch (a branch's own users: their branch only), the satisfaction as recorded
    by staff, as stated by the enterprise, and the opinions where the two disagree; every
    number links to its opinions."""
    selection = report.selection
    rows = []
    for row in report.branches:
        figures = row.figures

        def url(key, branch=row.branch):
            return figure_url(key, selection, branch)

        rows.append(
            {
                "branch": row.branch,
                "rates": [
                    {
                        "key": key,
                        "rate": getattr(figures, key),
                        "numerator": numerator,
                        "denominator": denominator,
                        "numerator_url": url(numerator),
                        "denominator_url": url(denominator),
                    }
                    for key, numerator, denominator in VOICE_RATES
                ],
                "disagree": figures["satisfaction_disagree"],
                "disagree_url": url("satisfaction_disagree"),
            }
        )
    return rows


def _chart_data(report: Report) -> dict:
    """Everything the charts draw, handed to static/js/dashboard.js as JSON."""
    total = report.total
    # Opinions (heard, replied) and problems (found, rectified, answered) are not one
    # unit: each stage says which of the funnel's two charts it is on.
    funnel = (
        ("feedback_items", "opinions"),
        ("replied_feedback", "opinions"),
        ("issues_found", "problems"),
        ("rectified", "problems"),
        ("answered", "problems"),
    )
    units = {
        "opinions": str(_("Opinions (number heard)")),
        "problems": str(_("Issues (number)")),
    }
    return {
        # The headings of the charts of opinions and of problems.
        "units": units,
        # The province compares its branches; one branch shows its problems by state.
        "by_branch": len(report.branches) > 1,
        "over_time": {
            **report.over_time,
            "labels": {"activities": str(_("Activities")), "opinions": str(_("Opinions"))},
            # Activities and opinions are different units: each has its own chart, headed
            # by its unit.
            "axes": {
                "activities": str(_("Activities (number held)")),
                "opinions": str(_("Opinions (number heard)")),
            },
        },
        "funnel": {
            "labels": [str(LABELS[key]) for key, _unit in funnel],
            "counts": [total[key] for key, _unit in funnel],
            "units": [unit for _key, unit in funnel],
        },
        "states": {
            "labels": [str(label) for label in Issue.State.labels],
            "counts": [total[f"state_{state}"] for state in Issue.State.values],
        },
        "categories": {
            "labels": [
                in_reader_language(category["name"], category["name_en"])
                for category in report.categories
            ],
            "counts": [category["count"] for category in report.categories],
        },
        "branches": {
            "labels": [row.branch.display_short_name for row in report.branches],
            # Opinions and problems are not one unit: each series says which chart it is on.
            "series": [
                {
                    "label": str(LABELS[key]),
                    "counts": [row.figures[key] for row in report.branches],
                    "axis": axis,
                }
                for key, axis in BRANCH_SERIES
            ],
            "axes": units,
        },
    }


#: The branch chart's series and the axis each is read on.
BRANCH_SERIES = (
    ("feedback_items", "opinions"),
    ("issues_found", "problems"),
    ("answered", "problems"),
)


def _chart_tables(charts: dict) -> dict[str, dict]:
    """Each chart's numbers as a table (its text alternative), from the same data the
    chart draws: ``{"head": [...], "rows": [(label, [numbers...]), ...]}`` per chart."""
    over_time = charts["over_time"]
    period = _("Week") if over_time["bucket"] == "week" else _("Month")

    def table(head, labels, *columns):
        rows = zip(labels, zip(*columns, strict=True), strict=True)
        return {"head": [str(h) for h in head], "rows": list(rows)}

    tables = {
        "over_time": table(
            (period, over_time["labels"]["activities"], over_time["labels"]["opinions"]),
            over_time["periods"],
            over_time["activities"],
            over_time["opinions"],
        ),
        "funnel": table(
            (_("Stage"), _("Number")), charts["funnel"]["labels"], charts["funnel"]["counts"]
        ),
        "categories": table(
            (_("Category"), _("Opinions")),
            charts["categories"]["labels"],
            charts["categories"]["counts"],
        ),
    }
    if charts["by_branch"]:
        series = charts["branches"]["series"]
        tables["branches"] = table(
            (_("Branch"), *(s["label"] for s in series)),
            charts["branches"]["labels"],
            *(s["counts"] for s in series),
        )
    else:
        tables["branches"] = table(
            (_("State"), _("Problems")), charts["states"]["labels"], charts["states"]["counts"]
        )
    return tables


@require_safe
@login_required
def attention(request):
    """The dashboard's lists of what needs attention now, loaded after the figures."""
    user = request.user
    if scope_of(user).is_empty:
        raise Http404
    form = SelectionForm(request.GET, user=user)
    if not form.is_valid():
        return HttpResponseBadRequest(_("The selection is not valid."))
    selection = form.selection()
    unsatisfied_params = {"satisfaction": "unsatisfied", **selection.params()}
    context = {
        "overdue_issues": selectors.overdue_issues(user, selection),
        "overdue_url": figure_url("overdue", selection),
        "escalations": issue_selectors.escalations_awaiting_decision(
            user, issues=selected_issues(user, selection), limit=selectors.LIST_LIMIT
        ),
        "escalations_url": figure_url("awaiting_decision", selection),
        "unsatisfied": selectors.unsatisfied_feedback(user, selection),
        "unsatisfied_url": f"{reverse('outreach:feedback_list')}?{urlencode(unsatisfied_params)}",
    }
    return render(request, "reports/partials/attention.html", context)
