"""The box's challenge pictures under ``/r/captcha/``, limited per address. The names are
django-simple-captcha's own (its widget reverses them). There is no audio (no speech
synthesiser is configured) and no double-size picture (the page asks for none)."""

from django.urls import path

from . import box_views

urlpatterns = [
    path("image/<str:key>/", box_views.captcha_image, name="captcha-image", kwargs={"scale": 1}),
    path("refresh/", box_views.captcha_refresh, name="captcha-refresh"),
]
