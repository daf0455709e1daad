"""A leader opens the branches' assessment on a phone and follows a figure to its records;
the office changes the weights, and the months that ended keep theirs."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from reports.assessment.periods import Period
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "Outreach#2026"


@pytest.fixture
def demo(reference_data):
    call_command("seed_demo", verbosity=0)


def test_a_leader_reads_the_assessment_on_a_phone(demo, log_in, live_server, screenshot):
    page = log_in("leader", DEMO_PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_test_id("assessment-link").click()
    expect(page.get_by_role("heading", name="分院考核排名")).to_be_visible()
    page.select_option("#id_period", "2026-10")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_test_id("assessment-period")).to_contain_text("2026年10月")
    rows = page.get_by_test_id("assessment-table").locator("tbody tr")
    expect(rows).to_have_count(7)
    # Each branch stands as a card the width of the phone: nothing scrolls sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    first = rows.first
    expect(first.get_by_test_id("rank")).to_have_text("1")
    box = first.bounding_box()
    assert box["width"] <= PHONE["width"]
    # A label before each value: the component's name, read on the phone.
    label = page.evaluate(
        "getComputedStyle(document.querySelector('[data-col=reply_rate]'), '::before').content"
    )
    assert "答复率" in label
    screenshot("assessment-leader-phone-zh")

    # The reply rate's denominator leads to exactly that many opinions of that branch.
    link = first.locator("[data-col=reply_rate] [data-figure=feedback_items]")
    shown = link.inner_text()
    link.click()
    expect(page.get_by_test_id("result-count")).to_contain_text(shown)
    assert "date_from=2026-10-01" in page.url and "date_to=2026-10-31" in page.url


def test_the_office_changes_the_weights_and_past_months_keep_theirs(
    demo, log_in, live_server, screenshot
):
    page = log_in("office", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/assessment/?period=2026-10")
    table = page.get_by_test_id("assessment-table")
    header = table.locator("th[data-component=reply_rate]")
    expect(header).to_contain_text("权重 20")
    ranks_before = table.get_by_test_id("rank").all_inner_texts()
    scores_before = table.get_by_test_id("score").all_inner_texts()

    page.get_by_test_id("scheme-link").click()
    form = page.get_by_test_id("scheme-form")
    expect(form.get_by_label("起始月份")).to_have_value(
        timezone.localdate().replace(day=1).isoformat()
    )
    form.get_by_label("答复率").fill("50")
    form.get_by_label("满意率（工作人员记录）").fill("5")
    form.get_by_label("排名最低件数").fill("2")
    screenshot("assessment-weights-office-zh")
    page.get_by_test_id("scheme-save").click()
    expect(page.get_by_role("alert").filter(has_text="考核方案已保存")).to_be_visible()
    schemes = page.get_by_test_id("scheme")
    expect(schemes).to_have_count(2)
    expect(schemes.first).to_contain_text("本月施行")
    expect(schemes.first).to_contain_text(re.compile(r"答复率\s*50"))

    # October ended: the same weights, the same ranking.
    page.goto(f"{live_server.url}/assessment/?period=2026-10")
    expect(header).to_contain_text("权重 20")
    expect(table.locator("th[data-component=staff_satisfaction]")).to_have_count(0)
    assert table.get_by_test_id("rank").all_inner_texts() == ranks_before
    assert table.get_by_test_id("score").all_inner_texts() == scores_before
    # This month is assessed with the new weights.
    current = Period.containing(timezone.localdate())
    page.goto(f"{live_server.url}/assessment/?period={current.key}")
    expect(
        page.get_by_test_id("assessment-table").locator("th[data-component=reply_rate]")
    ).to_contain_text("权重 50")
    screenshot("assessment-current-month-office-zh")
