"""The project's URL map plus a bare view: the ceiling of the stack on this machine.

Used only through ``bench/settings.py`` (``bench/run``); ``config/urls.py`` does not know it.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def ceiling(request):
    """No template, no query of its own: what the middleware and gunicorn cost per request."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ceiling/", ceiling, name="bench_ceiling"), *project_urlpatterns]
