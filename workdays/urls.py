"""Calendar routes: the page per year (``?year=``), and the office's POST-only edits."""

from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("days/new/", views.day_create, name="day_create"),
    path("days/<int:pk>/delete/", views.day_delete, name="day_delete"),
    path("years/mark/", views.year_mark, name="year_mark"),
    path("years/unmark/", views.year_unmark, name="year_unmark"),
]
