from django.urls import path

from ..views import province

urlpatterns = [
    path(
        "province/escalations/",
        province.EscalationQueueView.as_view(),
        name="escalation_queue",
    ),
    path("province/meetings/", province.MeetingListView.as_view(), name="meeting_list"),
    path("province/meetings/new/", province.meeting_create, name="meeting_create"),
    path("province/meetings/<int:pk>/", province.meeting_detail, name="meeting_detail"),
]
