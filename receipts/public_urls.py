"""The enterprise's pages (``track:``), open to anyone with a code: ``/r/`` and ``/r/<code>/``;
the online opinion box ``/r/box/``."""

from django.urls import path

from . import box_views, public

app_name = "track"

urlpatterns = [
    path("", public.lookup, name="lookup"),
    path("box/", box_views.box_page, name="box"),
    path("<str:code>/", public.receipt_page, name="receipt"),
]
