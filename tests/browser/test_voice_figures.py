"""A leader compares the satisfaction recorded by staff with the one enterprises stated on
their receipt pages, by branch, and follows a disagreement to its opinions; a branch's
staff see their own row on a phone."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "Outreach#2026"


@pytest.fixture
def demo(reference_data):
    call_command("seed_demo", verbosity=0)


def test_leader_compares_the_two_satisfactions(demo, log_in, live_server, screenshot):
    page = log_in("leader", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    rate = page.get_by_test_id("figure-enterprise_satisfaction_rate")
    expect(rate).to_contain_text("满意率（企业自评）")
    expect(page.get_by_test_id("figure-satisfaction_rate")).to_contain_text("工作人员记录")
    rated = int(rate.locator("[data-figure=enterprise_rated]").inner_text())
    assert rated > 0
    expect(page.get_by_test_id("figure-receipts_issued")).not_to_contain_text("\n0\n")
    table = page.get_by_test_id("voice-table")
    rows = table.locator("tbody tr")
    # One row per branch, as in the table of branches.
    expect(rows).to_have_count(page.get_by_test_id("branch-figures").locator("tbody tr").count())
    page.get_by_test_id("voice-table").scroll_into_view_if_needed()
    screenshot("dashboard-voice-leader-zh")

    # The first branch has an opinion staff recorded satisfied and the enterprise did not.
    cell = table.locator("tbody tr").first.locator("[data-figure=satisfaction_disagree]")
    shown = int(cell.inner_text())
    assert shown >= 1
    cell.click()
    expect(page.get_by_test_id("result-count")).to_contain_text(str(shown))
    assert "enterprise_rating=disagree" in page.url

    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_test_id("figure-receipts_issued").locator("[data-figure=receipts_opened]").click()
    expect(page.get_by_test_id("receipts")).to_be_visible()
    screenshot("receipt-list-leader-zh")


def test_branch_staff_see_their_own_row_on_a_phone(demo, log_in, live_server, screenshot):
    page = log_in("quanzhou_staff", DEMO_PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/dashboard/")
    rows = page.get_by_test_id("voice-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-branch", "quanzhou")
    page.get_by_test_id("voice-figures").scroll_into_view_if_needed()
    screenshot("dashboard-voice-staff-phone-zh")
