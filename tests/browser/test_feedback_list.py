"""Branch staff on a phone: record opinions at an activity, then find them in the list."""

from datetime import date

import pytest
from playwright.sync_api import expect

from outreach.models import FeedbackItem
from tests.browser.conftest import PHONE
from tests.factories import (
    PASSWORD,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
    ReplyFactory,
)

# Transactional: the browser talks to the live server in another thread.
pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_filters_feedback_by_category_and_reply_on_a_phone(
    log_in, live_server, world, staff_a, screenshot
):
    fees = FeedbackCategoryFactory(name="收费")
    speed = FeedbackCategoryFactory(name="服务效率")
    activity = world.a.activity
    wanted = FeedbackItemFactory(
        activity=activity,
        category=fees,
        content="检验收费标准不透明，希望公示收费依据",
        received_on=date(2026, 3, 1),
    )
    replied = FeedbackItemFactory(
        activity=activity, category=fees, content="收费发票开具慢", received_on=date(2026, 3, 2)
    )
    ReplyFactory(feedback_item=replied, replied_by=staff_a)
    other_category = FeedbackItemFactory(
        activity=activity,
        category=speed,
        anonymous=True,
        content="报告出具周期太长",
        received_on=date(2026, 3, 3),
    )

    page = log_in(staff_a.username, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/outreach/feedback/")
    items = page.get_by_test_id("feedback-item")
    expect(items).to_have_count(4)  # the three above and world.a.feedback
    expect(page.get_by_test_id("feedback-results")).not_to_contain_text(
        world.b.feedback.content[:10]
    )
    screenshot("feedback-list-staff-zh")

    # On a phone the filters are folded away until asked for.
    filters = page.locator("#filters")
    expect(filters).to_be_hidden()
    page.locator("[data-bs-target='#filters']").click()
    expect(filters).to_be_visible()
    page.get_by_label("类别").select_option(label="收费")
    page.get_by_label("答复", exact=True).select_option(label="未答复")
    # Submit as a phone keyboard does: "Go" in the search box.
    filters.get_by_role("searchbox").press("Enter")
    page.wait_for_url("**replied=no**")

    expect(items).to_have_count(1)
    expect(items.first).to_have_attribute("data-pk", str(wanted.pk))
    expect(items.first).to_contain_text("检验收费标准不透明")
    expect(items.first).to_contain_text("未答复")
    expect(page.get_by_test_id("result-count")).to_contain_text("1")
    assert f"category={fees.pk}" in page.url
    expect(page.get_by_test_id("feedback-results")).not_to_contain_text(other_category.content)
    screenshot("feedback-list-filtered-staff-zh")


def test_staff_records_opinions_with_an_added_row_on_a_phone(
    log_in, live_server, world, staff_a, screenshot
):
    FeedbackCategoryFactory(name="服务效率")
    activity = world.a.activity
    before = FeedbackItem.objects.filter(activity=activity).count()

    page = log_in(staff_a.username, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/outreach/activities/{activity.pk}/feedback/new/")
    rows = page.get_by_test_id("feedback-row")
    expect(rows).to_have_count(3)
    expect(page.locator("#id_feedback-0-content")).to_be_focused()
    screenshot("feedback-entry-staff-zh")

    page.locator("#id_feedback-0-enterprise").select_option(label=world.a.enterprise.name)
    page.locator("#id_feedback-0-category").select_option(label="服务效率")
    page.locator("#id_feedback-0-content").fill("希望缩短定检报告出具时间")

    page.get_by_test_id("add-row").click()
    expect(rows).to_have_count(4)
    expect(page.locator("#id_feedback-TOTAL_FORMS")).to_have_value("4")
    expect(page.locator("#id_feedback-3-content")).to_be_focused()
    page.locator("#id_feedback-3-category").select_option(label="服务效率")
    page.locator("#id_feedback-3-kind").select_option(value="praise")
    page.locator("#id_feedback-3-content").fill("检验员耐心细致")
    screenshot("feedback-entry-added-row-staff-zh")

    page.get_by_test_id("save-feedback").click()
    page.wait_for_url(f"{live_server.url}/outreach/activities/{activity.pk}/")
    expect(page.get_by_role("alert")).to_contain_text("已记录 2 条意见")
    assert FeedbackItem.objects.filter(activity=activity).count() == before + 2
    praise = FeedbackItem.objects.get(content="检验员耐心细致")
    assert praise.kind == FeedbackItem.Kind.PRAISE
    assert praise.enterprise is None


def test_a_row_in_error_is_shown_again_with_what_was_typed(
    log_in, live_server, world, staff_a, screenshot
):
    FeedbackCategoryFactory(name="服务效率")
    page = log_in(staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/outreach/activities/{world.a.activity.pk}/feedback/new/")
    page.locator("#id_feedback-0-category").select_option(label="服务效率")
    page.locator("#id_feedback-0-content").fill("第一条意见")
    page.locator("#id_feedback-1-contact").fill("李工")  # a row without content
    page.get_by_test_id("save-feedback").click()
    expect(page.locator("#id_feedback-0-content")).to_have_value("第一条意见")
    expect(page.locator("#id_feedback-1-content")).to_have_class("textarea form-control is-invalid")
    # The cursor waits in the row's first field in error (its category, then its content).
    expect(page.locator("#id_feedback-1-category")).to_be_focused()
    screenshot("feedback-entry-error-staff-zh")
