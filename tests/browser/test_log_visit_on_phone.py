"""On a phone, branch staff log a visit to two enterprises and record three opinions in one
go, then find them in the feedback list by filter."""

import re

import pytest
from playwright.sync_api import expect

from outreach.models import Activity, FeedbackCategory, FeedbackItem
from tests.factories import PASSWORD, EnterpriseFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def pick_enterprise(page, query: str, name: str) -> None:
    """Search the enterprise picker and choose ``name`` from what the server returns."""
    control = page.locator("#id_enterprises-ts-control")
    control.click()
    control.fill(query)
    page.locator(".ts-dropdown .option", has_text=name).first.click()


def test_staff_logs_a_visit_and_three_opinions_on_a_phone(
    log_in, live_server, world, staff_a, screenshot
):
    first = EnterpriseFactory(branch=world.a.branch, name="泉州宏达机械有限公司")
    second = EnterpriseFactory(branch=world.a.branch, name="晋江顺昌燃气有限公司")
    fees = FeedbackCategory.objects.get(name="收费")
    page = log_in(staff_a.username, PASSWORD)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/outreach/activities/")
    page.get_by_test_id("log-activity").click()
    page.get_by_role("link", name="走访调研").click()
    pick_enterprise(page, "宏达", first.name)
    pick_enterprise(page, "顺昌", second.name)
    page.get_by_label("地点").fill("晋江市")
    screenshot("activity-form-phone")
    page.get_by_test_id("save-activity").click()

    expect(page.get_by_test_id("activity-enterprises")).to_contain_text(first.name)
    expect(page.get_by_test_id("activity-enterprises")).to_contain_text(second.name)
    activity = Activity.objects.get(kind="visit", place="晋江市")

    page.get_by_test_id("record-feedback").click()
    rows = [
        (first.name, "收费", "检验收费标准不够透明，希望公开收费明细"),
        (second.name, "服务效率", "定期检验预约周期太长，希望缩短到一周内"),
        ("", "收费", "外县企业领取发票需往返市区，希望邮寄"),
    ]
    for index, (enterprise, category, content) in enumerate(rows):
        if enterprise:
            page.locator(f"#id_feedback-{index}-enterprise").select_option(label=enterprise)
        page.locator(f"#id_feedback-{index}-category").select_option(label=category)
        page.locator(f"#id_feedback-{index}-content").fill(content)
    screenshot("feedback-entry-phone")
    page.get_by_test_id("save-feedback").click()

    expect(page.get_by_test_id("activity-feedback")).to_contain_text(rows[2][2])
    assert FeedbackItem.objects.filter(activity=activity).count() == 3
    assert FeedbackItem.objects.get(content=rows[2][2]).enterprise is None

    # Find the two fee opinions in the feedback list with the filters.
    page.goto(f"{live_server.url}/outreach/feedback/")
    # On a phone the filters fold away: open them and wait for the fold to finish (a click
    # on "应用" while it still moves can miss on a loaded machine).
    filters = page.get_by_role("button", name="筛选")
    expect(filters).to_be_visible()
    filters.click()
    expect(page.locator("#filters")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.locator("#filters")).not_to_have_class(re.compile(r"\bcollapsing\b"))
    page.locator("select[name=category]").select_option(str(fees.pk))
    page.locator("select[name=replied]").select_option("no")
    page.get_by_role("button", name="应用").click()
    # The filtered page, not the list before it (which also holds the first opinion).
    page.wait_for_url("**replied=no**")
    results = page.get_by_test_id("feedback-results")
    expect(results).to_contain_text(rows[0][2])
    expect(results).to_contain_text(rows[2][2])
    expect(results).not_to_contain_text(rows[1][2])
    screenshot("feedback-list-filtered-phone")
