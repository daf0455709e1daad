from django.urls import path

from ..views import activities

urlpatterns = [
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
]
