"""Uploads are never served from MEDIA_URL: only the download views, which check scope first.

``django.conf.urls.static.static()`` adds a route only while DEBUG is on, and the test
runner turns DEBUG off before the URL map is first read; a test that only requests a
media URL would pass with ``+ static(settings.MEDIA_URL, ...)`` in ``config/urls.py``.
So the URL map is built again here with DEBUG on and off. (The project leaves MEDIA_URL
unset, which Django reads as "/": such a line would serve MEDIA_ROOT from the site root.)
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve
from django.views import static

from tests.url_routes import every_route

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def urlconf(request, settings):
    """The project's URL map, imported afresh under DEBUG on or off, and in use."""
    settings.DEBUG = request.param
    spec = importlib.util.find_spec(settings.ROOT_URLCONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    name = f"tests_media_urlconf_{request.param}"
    sys.modules[name] = module
    settings.ROOT_URLCONF = name
    yield name
    del sys.modules[name]


def test_no_route_serves_files_from_disk(urlconf):
    from django.urls import get_resolver

    serving = [
        route.path
        for route in every_route(get_resolver(urlconf))
        if route.callback is static.serve or route.callback.__module__ == static.__name__
    ]
    assert serving == []


def test_no_route_answers_under_media_url(urlconf, settings):
    with pytest.raises(Resolver404):
        resolve(f"{settings.MEDIA_URL}attachments/2026/09/sign-in.png", urlconf=urlconf)


def test_a_stored_upload_is_not_served_from_media_url(urlconf, settings, client, world, staff_a):
    attachment = world.a.attachment
    assert (Path(settings.MEDIA_ROOT) / attachment.file.name).is_file()
    # staff_a may download it, through its view, and only there.
    client.force_login(staff_a)
    response = client.get(f"{settings.MEDIA_URL}{attachment.file.name}")
    assert response.status_code == 404
