"""Passwords: everyone changes their own; the provincial office e-mails a reset link."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "蓝色-河流-Quarry-2026"
LINK = re.compile(r"https?://\S+/accounts/reset/\S+/")


def _can_log_in(client, user, password) -> bool:
    client.logout()
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def _change(client, old, new):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


# --- changing one's own password ---------------------------------------------------------


def test_the_user_menu_links_to_the_password_page(client, staff_a):
    client.force_login(staff_a)
    body = client.get(reverse("reports:home")).content.decode()
    assert f'href="{reverse("password_change")}"' in body
    assert "修改密码" in body


def test_staff_change_their_password_and_the_old_one_stops_working(client, staff_a):
    client.force_login(staff_a)
    response = _change(client, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    # Still signed in: the session's hash follows the new password.
    done = client.get(response.url)
    assert done.status_code == 200
    assert "密码已修改" in done.content.decode()
    assert not _can_log_in(client, staff_a, PASSWORD)
    assert _can_log_in(client, staff_a, NEW_PASSWORD)


def test_a_wrong_old_password_is_refused_in_chinese_and_changes_nothing(client, staff_a):
    client.force_login(staff_a)
    response = _change(client, "not-my-password-1", NEW_PASSWORD)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "你的旧密码不正确" in body
    staff_a.refresh_from_db()
    assert staff_a.check_password(PASSWORD)


def test_a_weak_new_password_is_refused_by_the_validators(client, staff_a):
    client.force_login(staff_a)
    response = _change(client, PASSWORD, "12345678")
    assert response.status_code == 200
    body = response.content.decode()
    assert "密码太短" in body
    assert "密码只包含数字" in body
    staff_a.refresh_from_db()
    assert staff_a.check_password(PASSWORD)


# --- the office's reset ------------------------------------------------------------------


def _send(client, user):
    return client.post(reverse("password_reset_send", args=[user.pk]))


def test_the_office_e_mails_a_link_that_sets_a_new_password(client, office, staff_a):
    client.force_login(office)
    response = _send(client, staff_a)
    assert response.status_code == 302
    assert response.url == reverse("admin:auth_user_change", args=[staff_a.pk])
    page = client.get(response.url).content.decode()
    assert staff_a.email in page  # the message names where it went
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff_a.email]
    assert "设置新密码" in message.subject
    assert LogEntry.objects.filter(object_id=str(staff_a.pk), user=office).exists()
    link = LINK.search(message.body)[0]
    # The link, opened by the person signed out: Django moves the token into the session.
    client.logout()
    form_page = client.get(link, follow=True)
    assert 'data-testid="password-reset-confirm"' in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    assert _can_log_in(client, staff_a, NEW_PASSWORD)
    assert not _can_log_in(client, staff_a, PASSWORD)
    # The link works once.
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert 'data-testid="reset-link-invalid"' in again


def test_the_admin_page_of_an_account_has_the_button(client, office, staff_a):
    client.force_login(office)
    body = client.get(reverse("admin:auth_user_change", args=[staff_a.pk])).content.decode()
    assert reverse("password_reset_send", args=[staff_a.pk]) in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_an_account_without_an_address_gets_no_e_mail_and_the_office_is_told(
    client, office, staff_a
):
    staff_a.email = ""
    staff_a.save(update_fields=["email"])
    client.force_login(office)
    page = client.post(reverse("password_reset_send", args=[staff_a.pk]), follow=True)
    assert "没有电子邮件地址" in page.content.decode()
    assert mail.outbox == []


def test_a_mail_server_failure_is_reported_not_hidden(client, office, staff_a, settings):
    settings.EMAIL_BACKEND = "tests.branches.failing_mail.RefusingBackend"
    client.force_login(office)
    page = client.post(reverse("password_reset_send", args=[staff_a.pk]), follow=True)
    assert "邮件服务器未接受" in page.content.decode()
    assert not LogEntry.objects.filter(object_id=str(staff_a.pk)).exists()


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "staff_b", "leader", "no_role_user"])
def test_only_the_office_may_send_a_reset(client, personas, staff_a, persona):
    client.force_login(personas[persona])
    assert _send(client, staff_a).status_code == 403
    assert mail.outbox == []


def test_the_office_cannot_reset_a_system_administrator(client, office, admin_user):
    client.force_login(office)
    assert _send(client, admin_user).status_code == 404
    assert mail.outbox == []


def test_sending_needs_a_post(client, office, staff_a):
    client.force_login(office)
    assert client.get(reverse("password_reset_send", args=[staff_a.pk])).status_code == 405
    assert mail.outbox == []


def test_a_reset_also_ends_a_lock_out(client, office, staff_a):
    for _ in range(settings.LOGIN_FAILURES_PER_USERNAME):
        client.post(reverse("login"), {"username": staff_a.username, "password": "wrong-pw-12"})
    locked = client.post(reverse("login"), {"username": staff_a.username, "password": PASSWORD})
    assert locked.status_code == 429
    client.force_login(office)
    _send(client, staff_a)
    link = LINK.search(mail.outbox[0].body)[0]
    client.logout()
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert _can_log_in(client, staff_a, NEW_PASSWORD)
