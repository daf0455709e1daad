"""Security settings that every page relies on: passwords, lock-out, sessions, CSP, deploy."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

import config.settings as production_settings
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_passwords_are_hashed_with_argon2_in_production():
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_password_validators_refuse_short_and_common_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short1", "password123", "1234567890"):
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_sessions_end_after_idle_time():
    assert "core.middleware.SessionIdleTimeoutMiddleware" in settings.MIDDLEWARE
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600


@pytest.mark.django_db
def test_an_active_session_is_extended_and_an_idle_one_expires(client, staff_a):
    from django.contrib.sessions.models import Session

    client.force_login(staff_a)
    session = client.session
    session["_last_touch"] = 0  # long ago: the next request must push the expiry forward
    session.save()
    before = Session.objects.get(pk=session.session_key).expire_date
    client.get(reverse("core:home"))
    after = Session.objects.get(pk=session.session_key).expire_date
    assert after > before

    Session.objects.filter(pk=session.session_key).update(expire_date="2000-01-01T00:00:00Z")
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_axes_locks_for_a_cool_off_not_forever():
    assert settings.LOGIN_FAILURES_PER_USERNAME >= 3
    assert isinstance(settings.AXES_COOLOFF_TIME, timedelta)
    assert settings.AXES_COOLOFF_TIME > timedelta(0)


@pytest.mark.django_db
def test_repeated_wrong_passwords_lock_the_account_then_the_right_one_is_refused(client, staff_a):
    url = reverse("login")
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME):
        response = client.post(url, {"username": staff_a.username, "password": "wrong-guess-1"})
    assert response.status_code in (403, 429)
    assert "登录失败次数过多" in response.content.decode()
    # Even the right password is refused while the lock lasts.
    response = client.post(url, {"username": staff_a.username, "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_form_logs_in_with_the_right_password(client, staff_a):
    response = client.post(reverse("login"), {"username": staff_a.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert client.session["_auth_user_id"] == str(staff_a.pk)


@pytest.mark.django_db
def test_wrong_password_shows_a_chinese_message_and_logs_nobody_in(client, staff_a):
    response = client.post(reverse("login"), {"username": staff_a.username, "password": "nope"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body


@pytest.mark.django_db
def test_every_page_sends_a_content_security_policy_without_inline_script(client, staff_a):
    client.force_login(staff_a)
    response = client.get(reverse("core:home"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_pages_load_nothing_from_another_host(client, office, world):
    client.force_login(office)
    for url in (reverse("core:home"), reverse("login")):
        body = client.get(url).content.decode()
        external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]+"', body)
        assert external == [], (url, external)


def test_templates_have_no_inline_script_or_style():
    for template in (ROOT / "templates").rglob("*.html"):
        text = re.sub(
            r"{% comment %}.*?{% endcomment %}|{#.*?#}", "", template.read_text(), flags=re.S
        )
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert " style=" not in text, template
        assert "<style" not in text, template


def test_check_deploy_is_clean_with_production_variables():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="a-long-random-production-key-" + "x7Qp2Lr9Vw" * 5,
        DJANGO_ALLOWED_HOSTS="outreach.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_the_built_in_secret_key():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    # Debugging is the only way to run on the built-in key (tests/test_secret_key.py).
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ALLOWED_HOSTS="example.org",
        DJANGO_DEBUG="true",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_user_switches(client, staff_a):
    client.force_login(staff_a)
    body = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert '<html lang="zh-hans">' in body.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in body
    assert "Opinions heard" in body
