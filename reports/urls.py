from django.urls import path

from . import api, views
from .assessment import views as assessment_views
from .briefing.views import briefing
from .bulletin.views import bulletin

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/attention/", views.attention, name="dashboard_attention"),
    path("api/stats/", api.stats, name="stats_api"),
    path("briefing/", briefing, name="briefing"),
    path("assessment/", assessment_views.assessment, name="assessment"),
    path(
        "assessment/weights/",
        assessment_views.assessment_scheme_edit,
        name="assessment_scheme_edit",
    ),
    path("assessment/bulletin/", bulletin, name="bulletin"),
]
