"""The enterprise's pages (``track:``), open to anyone with a code: ``/r/``, ``/r/<code>/`` and its
rating form's POST."""

from django.urls import path

from . import public

app_name = "track"

urlpatterns = [
    path("", public.lookup, name="lookup"),
    path("<str:code>/", public.receipt_page, name="receipt"),
    path("<str:code>/rate/<int:number>/", public.rate, name="rate"),
]
