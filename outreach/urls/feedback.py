from django.urls import path

from ..views import feedback

urlpatterns = [
    path("feedback/", feedback.FeedbackListView.as_view(), name="feedback_list"),
    path("feedback/export.xlsx", feedback.feedback_export, name="feedback_export"),
    path("feedback/<int:pk>/withdraw/", feedback.feedback_withdraw, name="feedback_withdraw"),
    path(
        "activities/<int:activity_pk>/feedback/new/",
        feedback.feedback_entry,
        name="feedback_entry",
    ),
    path(
        "activities/<int:activity_pk>/feedback/row/",
        feedback.feedback_entry_row,
        name="feedback_entry_row",
    ),
]
