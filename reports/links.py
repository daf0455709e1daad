"""Where each figure leads: the list of the records behind it, filtered the same way."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from branches.models import Branch
from issues.models import Issue
from outreach.models import FeedbackItem

from .selection import Selection

FEEDBACK = "outreach:feedback_list"
ISSUES = "issues:issue_list"
ACTIVITIES = "outreach:activity_list"
ENTERPRISES = "outreach:enterprise_list"
EXTENSIONS = "issues:extension_records"
RETURNS = "issues:return_records"
SUPERVISION = "issues:supervision_records"
RECEIPTS = "receipts:receipt_list"

#: figure → (list URL name, the list's own filter for it). The selection (campaign,
#: period, branch) is added to every link.
FIGURE_LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "enterprises_visited": (ENTERPRISES, {"visited": "yes"}),
    "enterprise_forums": (ACTIVITIES, {"kind": "enterprise_forum"}),
    "internal_forums": (ACTIVITIES, {"kind": "internal_forum"}),
    "surveys": (ACTIVITIES, {"kind": "survey"}),
    "forms_sent": (ACTIVITIES, {"kind": "survey"}),
    "forms_returned": (ACTIVITIES, {"kind": "survey"}),
    "feedback_items": (FEEDBACK, {}),
    "problem_feedback": (FEEDBACK, {"kind": FeedbackItem.Kind.PROBLEM}),
    "suggestion_feedback": (FEEDBACK, {"kind": FeedbackItem.Kind.SUGGESTION}),
    "praise_feedback": (FEEDBACK, {"kind": FeedbackItem.Kind.PRAISE}),
    "undisposed_feedback": (FEEDBACK, {"disposition": "open"}),
    "unreplied_feedback": (FEEDBACK, {"replied": "no"}),
    "replied_feedback": (FEEDBACK, {"replied": "yes"}),
    "satisfied_feedback": (FEEDBACK, {"satisfaction": "positive"}),
    "satisfaction_recorded": (FEEDBACK, {"satisfaction": "recorded"}),
    "issues_found": (ISSUES, {}),
    "fixed_on_the_spot": (ISSUES, {"immediate_fix": "yes"}),
    "fixed_on_the_spot_reopened": (ISSUES, {"immediate_fix": "reopened"}),
    "escalated": (ISSUES, {"escalated": "yes"}),
    "decided_by_province": (ISSUES, {"provincial": "decided"}),
    "awaiting_decision": (ISSUES, {"provincial": "waiting"}),
    "rectified": (ISSUES, {"rectified": "yes"}),
    "answered": (ISSUES, {"state": Issue.State.ANSWERED}),
    "overdue": (ISSUES, {"overdue": "yes"}),
    **{f"state_{state}": (ISSUES, {"state": state}) for state in Issue.State.values},
    # The clock: issues, opinions, or the records themselves (docs/metrics.md).
    "signed_on_time": (ISSUES, {"clock": "signed_on_time"}),
    "sign_due": (ISSUES, {"clock": "sign_due"}),
    "rectified_on_time": (ISSUES, {"clock": "rectified_on_time"}),
    "rectify_due": (ISSUES, {"clock": "rectify_due"}),
    "replied_on_time": (FEEDBACK, {"clock": "replied_on_time"}),
    "reply_due": (FEEDBACK, {"clock": "reply_due"}),
    "extensions_approved": (EXTENSIONS, {"status": "approved"}),
    "issues_extended": (ISSUES, {"clock": "extended"}),
    "returns": (RETURNS, {}),
    "supervision_open": (SUPERVISION, {"answered": "no"}),
    "supervision_answered": (SUPERVISION, {"answered": "yes"}),
    # The enterprise's own word (docs/metrics.md): opinions by their latest enterprise
    # rating, the live receipts, the online box's opinions.
    "enterprise_satisfied": (FEEDBACK, {"enterprise_rating": "positive"}),
    "enterprise_rated": (FEEDBACK, {"enterprise_rating": "rated"}),
    "not_solved_reports": (FEEDBACK, {"enterprise_rating": "not_solved"}),
    "satisfaction_disagree": (FEEDBACK, {"enterprise_rating": "disagree"}),
    "receipts_issued": (RECEIPTS, {}),
    "receipts_opened": (RECEIPTS, {"opened": "yes"}),
    "box_feedback": (FEEDBACK, {"activity_kind": "online_box"}),
    # The assessment's own figures (docs/metrics.md, "The assessment").
    "reopened": (ISSUES, {"reopened": "yes"}),
    "answered_ever": (ISSUES, {"answered": "ever"}),
    "supervision_notices": (SUPERVISION, {}),
}

#: The enterprise list's own names for the selection: there ``branch`` is the home branch,
#: and a visit's campaign, dates and branch are what select an enterprise visited.
ENTERPRISE_SELECTION_NAMES = {
    "campaign": "visit_campaign",
    "date_from": "visit_from",
    "date_to": "visit_to",
    "branch": "visit_branch",
}


def figure_url(key: str, selection: Selection, branch: Branch | None = None) -> str:
    url_name, own = FIGURE_LISTS[key]
    params = selection.params(branch=branch)
    if url_name == ENTERPRISES:
        params = {ENTERPRISE_SELECTION_NAMES[name]: value for name, value in params.items()}
    return f"{reverse(url_name)}?{urlencode({**own, **params})}"
