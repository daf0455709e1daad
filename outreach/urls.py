"""Outreach routes: enterprises, activities, the feedback they gather, and attachments."""

from django.urls import path

from .views import activities, attachments, enterprises, feedback

app_name = "outreach"

urlpatterns = [
    # Enterprises
    path("enterprises/", enterprises.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/new/", enterprises.EnterpriseFormView.as_view(), name="enterprise_create"),
    path(
        "enterprises/autocomplete/",
        enterprises.enterprise_autocomplete,
        name="enterprise_autocomplete",
    ),
    path(
        "enterprises/<int:pk>/",
        enterprises.EnterpriseDetailView.as_view(),
        name="enterprise_detail",
    ),
    path(
        "enterprises/<int:pk>/edit/",
        enterprises.EnterpriseFormView.as_view(),
        name="enterprise_update",
    ),
    path(
        "enterprises/<int:pk>/withdraw/",
        enterprises.enterprise_withdraw,
        name="enterprise_withdraw",
    ),
    path("enterprises/<int:pk>/merge/", enterprises.enterprise_merge, name="enterprise_merge"),
    path("enterprises/<int:pk>/choice/", enterprises.enterprise_choice, name="enterprise_choice"),
    # Activities
    path("activities/", activities.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", activities.activity_kind_choice, name="activity_kind_choice"),
    path(
        "activities/new/<str:kind>/",
        activities.ActivityFormView.as_view(),
        name="activity_create",
    ),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity_detail"),
    path(
        "activities/<int:pk>/edit/", activities.ActivityFormView.as_view(), name="activity_update"
    ),
    path("activities/<int:pk>/withdraw/", activities.activity_withdraw, name="activity_withdraw"),
    # Feedback
    path("feedback/", feedback.FeedbackListView.as_view(), name="feedback_list"),
    path("feedback/<int:pk>/edit/", feedback.feedback_update, name="feedback_update"),
    path("feedback/<int:pk>/withdraw/", feedback.feedback_withdraw, name="feedback_withdraw"),
    path(
        "activities/<int:activity_pk>/feedback/new/",
        feedback.feedback_entry,
        name="feedback_entry",
    ),
    # Attachments
    path(
        "activities/<int:activity_pk>/attachments/",
        attachments.attachment_add,
        name="attachment_add",
    ),
    path(
        "attachments/<int:pk>/download/",
        attachments.attachment_download,
        name="attachment_download",
    ),
]
