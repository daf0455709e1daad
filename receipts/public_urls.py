"""The enterprise's pages (``track:``), open to anyone: ``/r/`` (type a code), ``/r/<code>/``
and its rating form's POST, and the online opinion box ``/r/box/``."""

from django.urls import path

from . import box_views, public

app_name = "track"

urlpatterns = [
    path("", public.lookup, name="lookup"),
    path("box/", box_views.box_page, name="box"),
    path("<str:code>/", public.receipt_page, name="receipt"),
    path("<str:code>/rate/<int:number>/", public.rate, name="rate"),
]
