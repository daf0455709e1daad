"""On a phone, branch staff correct an opinion entered against the wrong enterprise and
category, and see the change, with who made it, in the opinion's history."""

import pytest
from playwright.sync_api import expect

from core.templatetags.people import person_name
from outreach.models import FeedbackCategory, FeedbackItem
from tests.factories import PASSWORD, ActivityFactory, EnterpriseFactory, FeedbackItemFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_staff_correct_an_opinion_on_a_phone_and_see_its_history(
    log_in, live_server, world, staff_a, screenshot
):
    first = EnterpriseFactory(branch=world.a.branch, name="泉州宏达机械有限公司")
    second = EnterpriseFactory(branch=world.a.branch, name="晋江顺昌燃气有限公司")
    visit = ActivityFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        title="走访宏达、顺昌",
        enterprises=[first, second],
        staff=[staff_a],
        created_by=staff_a,
    )
    item = FeedbackItemFactory(
        activity=visit,
        enterprise=first,
        category=FeedbackCategory.objects.get(name="服务态度"),
        content="定期检验预约周期太长，希望缩短到一周内",
        contact="",
        created_by=staff_a,
    )
    page = log_in(staff_a.username, PASSWORD)
    page.set_viewport_size(PHONE)

    # From the activity page, where the opinions were entered, to the correction form.
    page.goto(f"{live_server.url}/outreach/activities/{visit.pk}/")
    row = page.get_by_test_id("activity-feedback").get_by_role("listitem").first
    row.get_by_test_id("edit-opinion").click()
    expect(page.get_by_role("heading", name=f"更正意见 #{item.pk}")).to_be_visible()
    page.get_by_label("企业").select_option(label=second.name)
    page.get_by_label("类别").select_option(label="服务效率")
    page.get_by_label("联系方式").fill("李经理 13905950000")
    screenshot("opinion-correct-form")
    page.get_by_test_id("save-correction").click()

    # Back on the opinion's page: the correction, and its history with who made it.
    page.wait_for_url(f"**/issues/opinions/{item.pk}/")
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        "意见已更正"
    )
    expect(page.get_by_test_id("opinion-enterprise")).to_have_text(second.name)
    history = page.get_by_test_id("record-history")
    history.scroll_into_view_if_needed()
    latest = history.get_by_test_id("history-entry").first
    expect(latest).to_have_attribute("data-kind", "changed")
    expect(latest.get_by_test_id("history-user")).to_have_text(person_name(staff_a))
    expect(latest.locator("[data-field=enterprise]")).to_contain_text(first.name)
    expect(latest.locator("[data-field=enterprise]")).to_contain_text(second.name)
    expect(latest.locator("[data-field=category]")).to_contain_text("服务态度")
    expect(latest.locator("[data-field=category]")).to_contain_text("服务效率")
    entered = history.get_by_test_id("history-entry").last
    expect(entered).to_have_attribute("data-kind", "created")
    expect(entered.get_by_test_id("history-user")).to_have_text(person_name(staff_a))
    expect(page.get_by_test_id("changed-by")).to_contain_text(person_name(staff_a))
    # Nothing wider than the phone: the history's long lines wrap.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    screenshot("opinion-corrected-history")

    item.refresh_from_db()
    assert (item.enterprise, item.category.name, item.contact) == (
        second,
        "服务效率",
        "李经理 13905950000",
    )
    assert FeedbackItem.history.filter(id=item.pk, history_type="~").count() == 1
