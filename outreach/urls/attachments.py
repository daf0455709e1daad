from django.urls import path

from ..views import attachments

urlpatterns = [
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
