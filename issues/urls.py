"""Issue routes: the pages, the workflow actions, opinions (their page, replies, feedback →
issue), and the province's work."""

from django.urls import path

from .views import (
    actions,
    clock_records,
    clock_settings,
    drafts,
    feedback_actions,
    issue_pages,
    opinions,
    province,
    suggestions,
)

app_name = "issues"

urlpatterns = [
    # Pages
    path("", issue_pages.IssueListView.as_view(), name="issue_list"),
    path("mine/", issue_pages.my_work, name="my_work"),
    path("<int:pk>/", issue_pages.issue_detail, name="issue_detail"),
    # The clock's records, as the dashboard counts them
    path("clock/extensions/", clock_records.ExtensionListView.as_view(), name="extension_records"),
    path("clock/returns/", clock_records.ReturnListView.as_view(), name="return_records"),
    path(
        "clock/supervision/",
        clock_records.SupervisionListView.as_view(),
        name="supervision_records",
    ),
    # Workflow actions on an issue: POST only (a GET is a 405), back to the issue page
    path(
        "<int:pk>/transition/<str:name>/",
        actions.issue_transition,
        name="issue_transition",
    ),
    path("<int:pk>/replies/", actions.reply_add, name="reply_add"),
    path("<int:pk>/rectification/", actions.rectification_report, name="rectification_report"),
    path("evidence/<int:pk>/download/", actions.evidence_download, name="evidence_download"),
    path("<int:pk>/instructions/", actions.instruction_add, name="instruction_add"),
    path(
        "instructions/<int:pk>/acknowledge/",
        actions.instruction_acknowledge,
        name="instruction_acknowledge",
    ),
    path("<int:pk>/merge/", actions.issue_merge, name="issue_merge"),
    path("<int:pk>/withdraw/", actions.issue_withdraw, name="issue_withdraw"),
    # Opinions: the page, a reply to one, closing one as unreachable (POSTs back to it)
    path("opinions/<int:pk>/", opinions.feedback_detail, name="feedback_detail"),
    path("opinions/<int:pk>/reply/", opinions.feedback_reply, name="feedback_reply"),
    path(
        "opinions/<int:pk>/unreachable/",
        opinions.feedback_close_unreachable,
        name="feedback_close_unreachable",
    ),
    # Replies waiting for the branch lead's approval: POSTs back to the opinion page
    path("drafts/<int:pk>/approve/", drafts.reply_draft_approve, name="reply_draft_approve"),
    path("drafts/<int:pk>/send-back/", drafts.reply_draft_send_back, name="reply_draft_send_back"),
    path("drafts/<int:pk>/resubmit/", drafts.reply_draft_resubmit, name="reply_draft_resubmit"),
    # Open issues like the text an intake form is typing: a partial fetched as it types
    path("suggestions/", suggestions.issue_suggestions, name="issue_suggestions"),
    # Opinions ticked on a list: dispose of them, or one reply to those of one enterprise
    path("from-feedback/", feedback_actions.feedback_dispose, name="feedback_dispose"),
    path("opinions/reply/", feedback_actions.feedback_reply_bulk, name="feedback_reply_bulk"),
    # Province
    path(
        "province/escalations/",
        province.EscalationQueueView.as_view(),
        name="escalation_queue",
    ),
    path("province/meetings/", province.MeetingListView.as_view(), name="meeting_list"),
    path("province/meetings/new/", province.meeting_create, name="meeting_create"),
    path("province/meetings/<int:pk>/", province.meeting_detail, name="meeting_detail"),
    # The office's clock settings (leaders and administrators read them)
    path("settings/time-limits/", clock_settings.time_limit_edit, name="time_limit_edit"),
    path(
        "settings/return-reasons/",
        clock_settings.return_reason_list,
        name="return_reason_list",
    ),
    path(
        "settings/return-reasons/<int:pk>/",
        clock_settings.return_reason_update,
        name="return_reason_update",
    ),
    path(
        "settings/reply-approval/",
        clock_settings.branch_approval_edit,
        name="branch_approval_edit",
    ),
]
