from django.urls import path

from . import views

app_name = "themes"

urlpatterns = [
    path("", views.theme_list, name="theme_list"),
    path("<int:pk>/", views.theme_detail, name="theme_detail"),
    path("<int:pk>/adopt/", views.theme_adopt, name="theme_adopt"),
    path("<int:pk>/dismiss/", views.theme_dismiss, name="theme_dismiss"),
    path("<int:pk>/merge/", views.theme_merge, name="theme_merge"),
    path("<int:pk>/link/", views.theme_link, name="theme_link"),
]
