"""The home page: each role lands on what it needs first, all read from live data."""

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
        feedback=outreach_selectors.feedback_promise_counts(user),
        issues=issue_selectors.issue_counts(user),
        open_issues=issue_selectors.open_issues(user),
        recent_activities=outreach_selectors.recent_activities(user),
    )
    if scope.all_branches:
        context.update(
            branch_rows=_branch_rows(user),
            escalations=issue_selectors.escalations_awaiting_decision(user),
        )
        return render(request, "core/home_province.html", context)
    return render(request, "core/home_branch.html", context)


def _branch_rows(user) -> list[dict]:
    """One row per city branch for the overview table; liaison branches first marked."""
    liaisons = branch_selectors.liaison_branch_ids(user)
    activities = outreach_selectors.activity_counts_by_branch(user)
    feedback = outreach_selectors.feedback_promise_counts_by_branch(user)
    issues = issue_selectors.issue_counts_by_branch(user)
    empty_feedback = {"feedback": 0, "undisposed": 0, "unreplied": 0}
    empty_issues = {"issues": 0, "open_issues": 0, "overdue": 0}
    return [
        {
            "branch": branch,
            "is_liaison": branch.pk in liaisons,
            "activities": activities.get(branch.pk, 0),
            **feedback.get(branch.pk, empty_feedback),
            **issues.get(branch.pk, empty_issues),
        }
        for branch in branch_selectors.visible_city_branches(user)
    ]
