from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.UploadView.as_view(), name="upload"),
    path("template/", views.TemplateDownloadView.as_view(), name="template"),
    path("<int:pk>/", views.BatchView.as_view(), name="confirm"),
    path("<int:pk>/status/", views.BatchStatusView.as_view(), name="batch_status"),
]
