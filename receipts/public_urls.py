"""The enterprise's pages (``track:``), open to anyone with a code: ``/r/`` and ``/r/<code>/``."""

from django.urls import path

from . import public

app_name = "track"

urlpatterns = [
    path("", public.lookup, name="lookup"),
    path("<str:code>/", public.receipt_page, name="receipt"),
]
