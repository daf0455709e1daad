"""Passwords, idle sessions and lock-out, exercised rather than read from the settings.

Each test drives the login page or a page behind it and, where the behaviour waits,
moves the clock (``tests/clock.py``): a session idle past the timeout is logged out while
one in use is not; a lock-out lasts its cool-off and no longer.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

import config.settings as production_settings
from core.middleware import TOUCH_INTERVAL
from tests.clock import clock_moved
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOME = "/"  # the home page, by its path
NEW_PASSWORD = "Xq7-lantern-harbour-93"


def log_in(client, user, password=PASSWORD):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def is_logged_in(client, user) -> bool:
    """The home page opens for ``user`` (rather than sending them to the login page)."""
    response = client.get(HOME)
    if response.status_code == 302:
        assert response.url.startswith(reverse("login"))
        return False
    assert response.status_code == 200
    return response.wsgi_request.user == user


# --- passwords ------------------------------------------------------------------------------


@pytest.fixture
def production_hashers(settings):
    """The production password hashers (the test settings use fast MD5)."""
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS


def test_a_new_password_is_stored_with_argon2_and_logs_in(client, staff_a, production_hashers):
    staff_a.set_password(NEW_PASSWORD)
    staff_a.save()
    staff_a.refresh_from_db()
    assert staff_a.password.startswith("argon2$")
    assert NEW_PASSWORD not in staff_a.password
    response = log_in(client, staff_a, NEW_PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client, staff_a)


def test_an_older_hash_becomes_argon2_at_the_next_login(client, staff_a, production_hashers):
    staff_a.password = make_password(NEW_PASSWORD, hasher="pbkdf2_sha256")
    staff_a.save()
    assert log_in(client, staff_a, NEW_PASSWORD).status_code == 302
    staff_a.refresh_from_db()
    assert staff_a.password.startswith("argon2$")


# --- idle sessions --------------------------------------------------------------------------


@pytest.fixture
def idle_limit(settings) -> timedelta:
    return timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_a_session_idle_past_the_timeout_is_logged_out(client, staff_a, idle_limit):
    assert log_in(client, staff_a).status_code == 302
    assert is_logged_in(client, staff_a)
    last_request = idle_limit - timedelta(minutes=1)
    with clock_moved(last_request):
        assert is_logged_in(client, staff_a)
    # Idle again from that last request, this time a second longer than the timeout.
    with clock_moved(last_request + idle_limit + timedelta(seconds=1)):
        assert not is_logged_in(client, staff_a)


def test_a_session_in_use_outlives_the_timeout(client, staff_a, idle_limit):
    """A request every half timeout keeps it alive, long past one timeout since login."""
    assert log_in(client, staff_a).status_code == 302
    step = idle_limit / 2
    # Each request must be far enough apart for the session's expiry to be pushed on.
    assert step > timedelta(seconds=TOUCH_INTERVAL)
    for requests in range(1, 6):
        with clock_moved(requests * step):
            assert is_logged_in(client, staff_a), requests * step


def test_no_session_survives_a_working_day_idle(client, staff_a):
    assert log_in(client, staff_a).status_code == 302
    with clock_moved(timedelta(hours=8)):
        assert not is_logged_in(client, staff_a)


# --- lock-out -------------------------------------------------------------------------------


def fail(client, user, times: int):
    for _ in range(times):
        response = log_in(client, user, "wrong-guess-1")
    return response


def test_fewer_wrong_passwords_than_the_limit_do_not_lock(client, staff_a, settings):
    fail(client, staff_a, settings.LOGIN_FAILURES_PER_USERNAME - 1)
    assert log_in(client, staff_a).status_code == 302
    assert is_logged_in(client, staff_a)


def test_the_limit_of_wrong_passwords_locks_even_the_right_one_out(client, staff_a, settings):
    response = fail(client, staff_a, settings.LOGIN_FAILURES_PER_USERNAME)
    assert response.status_code in (403, 429)
    assert "登录失败次数过多" in response.content.decode()
    response = log_in(client, staff_a)
    assert response.status_code in (403, 429)
    assert not is_logged_in(client, staff_a)


@pytest.mark.parametrize(
    ("after_cool_off", "logs_in"),
    [(-timedelta(minutes=1), False), (timedelta(seconds=1), True)],
    ids=["a-minute-before-the-cool-off-ends", "a-second-after"],
)
def test_a_lock_out_lasts_the_cool_off_and_no_longer(
    client, staff_a, settings, after_cool_off, logs_in
):
    fail(client, staff_a, settings.LOGIN_FAILURES_PER_USERNAME)
    with clock_moved(settings.AXES_COOLOFF_TIME + after_cool_off):
        response = log_in(client, staff_a)
        assert (response.status_code == 302) is logs_in
        assert is_logged_in(client, staff_a) is logs_in
