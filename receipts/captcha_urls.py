"""The box's challenge pictures under ``/r/captcha/``, limited per address. The names are
django-simple-captcha's own (its widget reverses them); it has no audio here (no speech
synthesiser is configured)."""

from django.urls import re_path

from . import box_views

urlpatterns = [
    re_path(
        r"^image/(?P<key>\w+)/$",
        box_views.captcha_image,
        name="captcha-image",
        kwargs={"scale": 1},
    ),
    re_path(
        r"^image/(?P<key>\w+)@2/$",
        box_views.captcha_image,
        name="captcha-image-2x",
        kwargs={"scale": 2},
    ),
    re_path(r"^refresh/$", box_views.captcha_refresh, name="captcha-refresh"),
]
