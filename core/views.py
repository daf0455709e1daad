"""The home page: each role lands on what it needs first, all read from live data."""

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from branches import selectors as branch_selectors
from branches.scoping import membership_of, scope_of
from issues import selectors as issue_selectors
from outreach import selectors as outreach_selectors


@login_required
def home(request):
    user = request.user
    scope = scope_of(user)
    context = {"membership": membership_of(user), "scope": scope}
    if scope.is_empty:
        return render(request, "core/home_no_role.html", context)

    context.update(
        campaign=outreach_selectors.current_campaign(user),
        open_issues=issue_selectors.open_issues(user),
        recent_activities=outreach_selectors.recent_activities(user),
    )
    if scope.all_branches:
        feedback_by_branch = outreach_selectors.feedback_promise_counts_by_branch(user)
        issues_by_branch = issue_selectors.issue_counts_by_branch(user)
        context.update(
            # The province's totals are the sums of the per-branch counts: two queries fewer.
            feedback=_total(feedback_by_branch, outreach_selectors.FEEDBACK_COUNTS),
            issues=_total(issues_by_branch, issue_selectors.ISSUE_COUNT_NAMES),
            branch_rows=_branch_rows(user, feedback_by_branch, issues_by_branch),
            escalations=issue_selectors.escalations_awaiting_decision(user),
        )
        return render(request, "core/home_province.html", context)
    context.update(
        feedback=outreach_selectors.feedback_promise_counts(user),
        issues=issue_selectors.issue_counts(user),
    )
    return render(request, "core/home_branch.html", context)


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
