from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("start/<slug:kind>/", views.job_start, name="job_start"),
    path("<uuid:pk>/", views.job_detail, name="job_detail"),
    path("<uuid:pk>/status/", views.job_status, name="job_status"),
    path("<uuid:pk>/download/", views.job_download, name="job_download"),
    path("<uuid:pk>/restart/", views.job_restart, name="job_restart"),
]
