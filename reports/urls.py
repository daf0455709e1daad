from django.urls import path

from . import api, views
from .briefing.views import briefing

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/attention/", views.attention, name="dashboard_attention"),
    path("api/stats/", api.stats, name="stats_api"),
    path("briefing/", briefing, name="briefing"),
]
