"""Security every page relies on: password rules, the login form, CSP, the deploy check.

Password hashing, idle sessions and lock-out are exercised in
``tests/core/test_sessions_and_lockout.py``.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_password_validators_refuse_short_and_common_passwords():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short1", "password123", "1234567890"):
        with pytest.raises(ValidationError):
            validate_password(weak)


@pytest.mark.django_db
def test_login_form_logs_in_with_the_right_password(client, staff_a):
    response = client.post(reverse("login"), {"username": staff_a.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("reports:home")
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
    response = client.get(reverse("reports:home"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_pages_load_nothing_from_another_host(client, office, world):
    client.force_login(office)
    for url in (reverse("reports:home"), reverse("login")):
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
    body = client.get(reverse("reports:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content
    assert '<html lang="zh-hans">' in body.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("reports:home"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in body
    assert "Opinions heard" in body
