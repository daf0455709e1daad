"""'Keep me signed in on this device': a long session on that browser only."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, user, **extra):
    return client.post(reverse("login"), {"username": user.username, "password": PASSWORD, **extra})


def test_without_the_tick_the_session_ends_with_the_browser(client, staff_a):
    log_in(client, staff_a)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_with_the_tick_the_session_outlives_the_browser_for_the_set_days(client, staff_a):
    log_in(client, staff_a, remember_device="on")
    days = settings.REMEMBER_DEVICE_DAYS
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == days * 86400
    assert not client.session.get_expire_at_browser_close()
    assert client.get(reverse("reports:home")).status_code == 200


def test_another_device_keeps_the_short_session(client, staff_a):
    from django.test import Client

    log_in(client, staff_a, remember_device="on")
    other = Client()
    log_in(other, staff_a)
    assert other.session.get_expire_at_browser_close()


def test_the_choice_can_be_turned_off(client, staff_a, settings):
    settings.REMEMBER_DEVICE_DAYS = 0
    page = client.get(reverse("login")).content.decode()
    assert "remember_device" not in page
    log_in(client, staff_a, remember_device="on")
    assert client.session.get_expire_at_browser_close()


def test_the_login_page_offers_it_in_both_languages(client):
    assert "在此设备上保持登录 30 天" in client.get(reverse("login")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("login")).content.decode()
    assert "Keep me signed in on this device for 30 days" in english
