"""Login lock-out (django-axes, core.login_limits): one username guessed from one address, and one
address trying many usernames, are both locked for a cool-off; the page says for how long.

Requests carry their address in REMOTE_ADDR (AXES_PROXY_COUNT is 0 in tests). The clock is
moved by patching django-axes' time source, which stamps each attempt and the cool-off window.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

OFFICE_NETWORK = "10.20.30.40"
ELSEWHERE = "10.99.0.7"


def _log_in(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _is_locked_out(response) -> bool:
    return response.status_code == 429 and 'data-testid="locked-out"' in response.content.decode()


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@contextmanager
def clock_moved(by: timedelta):
    """django-axes' clock (which stamps attempts and the cool-off window), and Django's, moved."""
    moved = timezone.now() + by
    with (
        mock.patch("axes.handlers.proxy.now", lambda: moved),
        mock.patch("django.utils.timezone.now", lambda: moved),
    ):
        yield


def test_one_address_trying_many_usernames_is_locked(client, staff_a):
    answers = [_log_in(client, f"guess{n:02d}", "Wrong-guess-1", OFFICE_NETWORK) for n in range(25)]
    locked = [n for n, response in enumerate(answers) if _is_locked_out(response)]
    limit = settings.LOGIN_FAILURES_PER_ADDRESS
    assert locked == list(range(limit - 1, 25)), "locked from the address limit on"
    # While the address is locked, even a real account's right password is refused there...
    assert _is_locked_out(_log_in(client, staff_a.username, PASSWORD, OFFICE_NETWORK))
    assert not _logged_in(client)


def test_another_address_is_not_locked_by_them(client, staff_a):
    for n in range(25):
        _log_in(client, f"guess{n:02d}", "Wrong-guess-1", OFFICE_NETWORK)
    response = _log_in(client, staff_a.username, PASSWORD, ELSEWHERE)
    assert response.status_code == 302
    assert _logged_in(client)


def test_a_few_typos_in_an_office_lock_only_that_account(client, staff_a, lead_a):
    """Colleagues share the office's address: one person's wrong passwords lock their own
    login only (the address limit is higher than the username's)."""
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME):
        response = _log_in(client, staff_a.username, "Wrong-guess-1", OFFICE_NETWORK)
    assert _is_locked_out(response)
    assert _is_locked_out(_log_in(client, staff_a.username, PASSWORD, OFFICE_NETWORK))
    response = _log_in(client, lead_a.username, PASSWORD, OFFICE_NETWORK)
    assert response.status_code == 302
    assert _logged_in(client)


def _lock(client, address=OFFICE_NETWORK):
    for n in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        response = _log_in(client, f"guess{n:02d}", "Wrong-guess-1", address)
    assert _is_locked_out(response)
    return response


def test_the_locked_out_page_says_for_how_long_in_chinese(client):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    body = _lock(client).content.decode()
    assert '<html lang="zh-hans">' in body
    assert f"{minutes} 分钟后再试" in body


def test_the_locked_out_page_says_for_how_long_in_english(client):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = _lock(client).content.decode()
    assert '<html lang="en">' in body
    assert f"Try again in {minutes} minutes" in body


def test_after_the_cool_off_the_right_password_logs_in(client, staff_a):
    _lock(client)
    cool_off = settings.AXES_COOLOFF_TIME
    with clock_moved(cool_off - timedelta(minutes=1)):
        assert _is_locked_out(_log_in(client, staff_a.username, PASSWORD, OFFICE_NETWORK))
    with clock_moved(cool_off + timedelta(minutes=1)):
        response = _log_in(client, staff_a.username, PASSWORD, OFFICE_NETWORK)
    assert response.status_code == 302
    assert _logged_in(client)
