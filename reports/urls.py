from django.urls import path

from . import api, views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("api/stats/", api.stats, name="stats_api"),
]
