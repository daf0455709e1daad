from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification_list"),
    path("<int:pk>/open/", views.notification_open, name="notification_open"),
    path("read/", views.mark_all_read, name="mark_all_read"),
]
