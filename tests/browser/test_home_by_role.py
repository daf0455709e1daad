"""Each role logs in through the real form, sees its own home page, and switches language."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, ActivityFactory, IssueFactory

# Transactional: the browser talks to the live server in another thread.
pytestmark = pytest.mark.django_db(transaction=True)


def switch_to_english(page):
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_branch_staff_sees_own_branch_and_switches_to_english(log_in, world, staff_a, screenshot):
    page = log_in(staff_a.username, PASSWORD)
    expect(page.get_by_test_id("home-heading")).to_have_text(world.a.branch.name)
    activities = page.get_by_test_id("recent-activities")
    expect(activities).to_contain_text(world.a.activity.title)
    expect(activities).not_to_contain_text(world.b.activity.title)
    expect(page.get_by_test_id("open-issues")).to_contain_text(world.a.issue.title)
    expect(page.get_by_test_id("stat-feedback")).to_contain_text("1")
    screenshot("home-staff-zh")

    switch_to_english(page)
    expect(page.get_by_test_id("stat-open-issues")).to_contain_text("Open issues")
    expect(page.get_by_test_id("stat-feedback")).to_contain_text("Opinions heard")
    screenshot("home-staff-en")


def test_branch_lead_sees_overdue_work_of_own_branch(log_in, world, lead_a, screenshot):
    IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        title="锅炉定检报告出具超期",
        state="rectifying",
        deadline="2020-01-31",
    )
    page = log_in(lead_a.username, PASSWORD)
    expect(page.get_by_test_id("stat-overdue")).to_contain_text("1")
    expect(page.get_by_test_id("open-issues")).to_contain_text("锅炉定检报告出具超期")
    expect(page.get_by_test_id("open-issues")).to_contain_text("逾期")
    expect(page.get_by_test_id("open-issues")).not_to_contain_text(world.b.issue.title)
    screenshot("home-lead-zh")
    switch_to_english(page)
    expect(page.get_by_test_id("open-issues")).to_contain_text("Overdue")


def test_provincial_office_sees_every_branch(log_in, world, office, screenshot):
    ActivityFactory(branch=world.b.branch, campaign=world.campaign, title="宁德院企共建座谈会")
    page = log_in(office.username, PASSWORD)
    expect(page.get_by_test_id("home-heading")).to_have_text("全省概况")
    table = page.get_by_test_id("branch-table")
    expect(table).to_contain_text(world.a.branch.short_name)
    expect(table).to_contain_text(world.b.branch.short_name)
    expect(table.locator(f"tr[data-branch='{world.b.branch.code}'] td").nth(1)).to_have_text("2")
    expect(page.get_by_test_id("recent-activities")).to_contain_text("宁德院企共建座谈会")
    screenshot("home-office-zh")
    switch_to_english(page)
    expect(page.get_by_test_id("home-heading")).to_have_text("Province overview")


def test_leader_sees_liaison_branch_highlighted(log_in, world, leader, screenshot):
    page = log_in(leader.username, PASSWORD)
    table = page.get_by_test_id("branch-table")
    expect(table.locator("tr[data-liaison='true']")).to_have_count(1)
    expect(table.locator(f"tr[data-branch='{world.a.branch.code}']")).to_have_attribute(
        "data-liaison", "true"
    )
    expect(table.locator(f"tr[data-branch='{world.b.branch.code}']")).not_to_have_attribute(
        "data-liaison", "true"
    )
    screenshot("home-leader-zh")
    switch_to_english(page)
    expect(table.locator("tr[data-liaison='true']")).to_contain_text("Liaison")
