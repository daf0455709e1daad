"""Workflow actions on an issue: POST only (a GET is a 405), back to the issue page."""

from django.urls import path

from ..views import actions

urlpatterns = [
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
]
