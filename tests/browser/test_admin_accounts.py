"""The provincial office gives a new colleague an account and a role in one admin form."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_creates_an_account_with_its_role(log_in, live_server, world, office, screenshot):
    page = log_in(office.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/auth/user/add/")
    page.locator("#id_username").fill("putian_newcomer")
    page.locator("#id_password1").fill("Newcomer#Pass-2026")
    page.locator("#id_password2").fill("Newcomer#Pass-2026")
    page.locator("#id_membership-0-branch").select_option(str(world.b.branch.pk))
    page.locator("#id_membership-0-role").select_option("staff")
    page.locator("#id_membership-0-job_title").fill("检验员")
    screenshot("admin-account-add")
    page.locator("input[name=_save]").click()

    # The account's page follows, with its role kept.
    expect(page.locator(".messagelist")).to_be_visible()
    expect(page.locator("#id_membership-0-role")).to_have_value("staff")
    screenshot("admin-account-saved")
    account = get_user_model().objects.get(username="putian_newcomer")
    assert account.membership.branch == world.b.branch
    assert list(account.groups.values_list("name", flat=True)) == ["branch staff"]
