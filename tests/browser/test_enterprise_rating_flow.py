"""The enterprise's own voice, the whole way, in the browser (issue 13's first "done when").

Staff open the receipts of a visit with two opinions from one enterprise and issue its
receipt: the printed page shows the code and the link. An anonymous phone opens the link
and sees "being handled" (办理中); the lead verifies the rectification, staff reply to both
opinions on the issue page and mark it answered; the enterprise sees the reply and rates
it 不满意 saying the problem is not solved (first without a reason: refused); the lead is
notified, looks at the rating page, opens the notification and reopens the issue on its
page; after a new reply the enterprise rates it 满意.

Made in the set-up with factories (their screens have browser tests of their own): the
visit and its two opinions (tests/browser/test_log_visit_on_phone.py), the issue they
went into, with its rectification reported (tests/browser/test_issue_flow.py); the lead
verifies it here on the issue page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from issues.models import Issue
from notifications.models import Notification
from outreach.models import Activity
from receipts.models import POSITIVE_LEVELS, EnterpriseRating
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    EnterpriseFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
    IssueFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = SCREENSHOTS / "rate"
State = Issue.State


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def shows_state(page, state: str):
    expect(page.get_by_test_id("issue-state")).to_have_attribute("data-state", state)


def reply_on_issue_page(page, item, text: str, satisfaction: str = "satisfied"):
    opinion = page.locator(f"[data-testid=opinion][data-pk='{item.pk}']")
    opinion.get_by_test_id("reply-details").locator("summary").click()
    form = opinion.get_by_test_id(f"reply-form-item{item.pk}")
    form.get_by_label("答复方式").select_option("phone")
    form.get_by_label("答复内容").fill(text)
    form.get_by_label("企业满意度").select_option(satisfaction)
    form.get_by_test_id(f"submit-reply-item{item.pk}").click()
    expect(
        page.locator(f"[data-testid=opinion][data-pk='{item.pk}'] [data-testid=reply]").last
    ).to_contain_text(text)


def rate_on_phone(phone, number: int, level: str, comment: str = "", not_solved=False):
    opinion = phone.locator(f"[data-testid=public-opinion][data-number='{number}']")
    details = opinion.get_by_test_id("rating-details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = opinion.get_by_test_id("rating-form")
    form.get_by_text(level, exact=True).click()
    if not_solved:
        form.get_by_label("问题没有解决").check()
    if comment:
        form.get_by_label("评价内容").fill(comment)
    return form


def test_the_enterprise_rates_an_answer_the_lead_reopens_and_it_rates_again(
    browser, log_in, live_server, world, staff_a, lead_a
):
    fees = FeedbackCategoryFactory(name="检验时限")
    boiler = EnterpriseFactory(branch=world.a.branch, name="泉州锅炉制造有限公司")
    visit = ActivityFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        kind=Activity.Kind.VISIT,
        title="走访泉州锅炉制造有限公司",
        enterprises=[boiler],
        staff=[staff_a],
        created_by=staff_a,
    )
    first = FeedbackItemFactory(
        activity=visit, enterprise=boiler, category=fees, content="定检报告出具超过承诺时限"
    )
    second = FeedbackItemFactory(
        activity=visit, enterprise=boiler, category=fees, content="预约检验电话经常占线"
    )
    issue = IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        category=fees,
        title="检验报告出具和预约不畅",
        state=State.RECTIFYING,
        measures="报告审批下放分院；增开预约线路",
        rectification="本月报告均在十个工作日内出具",
        responsible=staff_a,
        feedback_items=[first, second],
    )

    # 1. Staff open the visit's receipts from its page and issue the enterprise's receipt.
    page = log_in(staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/outreach/activities/{visit.pk}/")
    page.get_by_test_id("receipts").first.click()
    rows = page.get_by_test_id("receipt-enterprises")
    expect(rows).to_contain_text("泉州锅炉制造有限公司")
    rows.get_by_test_id("issue-receipt").click()
    expect(page.get_by_test_id("receipt-sheet")).to_be_visible()
    expect(page.get_by_test_id("receipt-opinions")).to_contain_text("定检报告出具超过承诺时限")
    expect(page.get_by_test_id("receipt-qr").locator("svg")).to_be_visible()
    link = page.get_by_test_id("receipt-link").inner_text().strip()
    code = page.get_by_test_id("receipt-code").inner_text().strip()
    assert link.startswith(live_server.url + "/r/") and code

    # 2. The enterprise opens the link on its phone, without an account: being handled.
    phone_context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    phone = phone_context.new_page()
    phone.set_default_timeout(60_000)
    phone.goto(link)
    statuses = phone.get_by_test_id("public-status")
    expect(statuses).to_have_count(2)
    expect(statuses.first).to_have_text("办理中")
    expect(statuses.last).to_have_text("办理中")
    expect(phone.get_by_test_id("rating-form")).to_have_count(0)
    shot(phone, "public-being-handled-phone")

    # 3. The lead verifies the rectification reported; staff reply to both opinions on the
    # issue page and mark the issue answered.
    page = log_in(lead_a.username, PASSWORD)
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    page.get_by_test_id("action-verify").click()
    page.get_by_test_id("submit-verify").click()
    shows_state(page, State.RECTIFIED)
    phone.reload()
    expect(statuses.first).to_have_text("已整改")
    page = log_in(staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    reply_on_issue_page(page, first, "报告审批已下放分院，今后十个工作日内出具")
    reply_on_issue_page(page, second, "已增开两条预约线路")
    page.get_by_test_id("action-answer").click()
    page.get_by_test_id("submit-answer").click()
    shows_state(page, State.ANSWERED)

    # 4. The enterprise sees the answers and rates the first 不满意: not solved.
    phone.reload()
    expect(statuses.first).to_have_text("已答复")
    expect(phone.get_by_test_id("public-reply").first).to_contain_text("报告审批已下放分院")
    expect(phone.get_by_test_id("rating-form")).to_have_count(2)
    form = rate_on_phone(phone, 1, "不满意")
    form.get_by_label("问题没有解决").check()
    form.get_by_test_id("submit-rating").click()
    # No reason: refused in Chinese, nothing recorded.
    expect(phone.get_by_test_id("error-comment")).to_contain_text("请说明仍未解决的问题")
    assert not EnterpriseRating.objects.exists()
    form = rate_on_phone(phone, 1, "不满意", comment="上月的报告还是拖了二十天", not_solved=True)
    shot(phone, "public-rating-form-phone")
    form.get_by_test_id("submit-rating").click()
    expect(phone.get_by_test_id("public-message")).to_contain_text("谢谢")
    mine = phone.locator("[data-testid=public-opinion][data-number='1']").get_by_test_id(
        "my-rating"
    )
    expect(mine).to_contain_text("不满意")
    expect(mine).to_contain_text("未解决")
    expect(mine).to_contain_text("上月的报告还是拖了二十天")
    shot(phone, "public-rated-phone")
    rating = EnterpriseRating.objects.get(feedback_item=first)
    assert (rating.level, rating.not_solved) == (EnterpriseRating.Level.UNSATISFIED, True)

    # 5. The lead is notified, opens the notification: the issue page shows the complaint
    # and the reopen button. The rating page is looked at first.
    assert Notification.objects.filter(
        recipient=lead_a, kind=Notification.Kind.ENTERPRISE_RATING, issue=issue
    ).exists()
    page = log_in(lead_a.username, PASSWORD)
    page.goto(f"{live_server.url}/receipts/ratings/{rating.pk}/")
    expect(page.get_by_test_id("rating-comment")).to_contain_text("上月的报告还是拖了二十天")
    expect(page.get_by_test_id("form-reopen")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    shot(page, "staff-rating-page-desktop")
    page.goto(f"{live_server.url}/notifications/")
    page.get_by_test_id("notification-list").get_by_role("link").filter(
        has_text=issue.title
    ).first.click()
    page.wait_for_url(f"**/issues/{issue.pk}/")
    expect(page.get_by_test_id("enterprise-complaint")).to_contain_text("上月的报告还是拖了二十天")
    expect(page.get_by_test_id("enterprise-rating").first).to_contain_text("不满意")
    shot(page, "issue-complaint-desktop")
    page.get_by_test_id("action-reopen").click()
    form = page.get_by_test_id("form-reopen")
    form.get_by_label("重新整改的原因").fill("企业反映报告仍然超期，需进一步整改")
    form.get_by_test_id("submit-reopen").click()
    shows_state(page, State.RECTIFYING)
    expect(page.get_by_test_id("enterprise-complaint")).to_have_count(0)
    rating.refresh_from_db()
    assert rating.follow_up == EnterpriseRating.FollowUp.REOPENED
    assert rating.followed_up_by == lead_a

    # 6. Staff answer again; the enterprise rates the new answer 满意.
    page = log_in(staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    reply_on_issue_page(page, first, "已专人跟踪，上月超期报告已于昨日出具")
    phone.reload()
    expect(phone.get_by_test_id("public-reply").nth(1)).to_contain_text("已专人跟踪")
    opinion = phone.locator("[data-testid=public-opinion][data-number='1']")
    expect(opinion).to_contain_text("该评价针对的是之前的答复")
    form = rate_on_phone(phone, 1, "满意", comment="谢谢跟进")
    form.get_by_test_id("submit-rating").click()
    expect(phone.get_by_test_id("public-message")).to_contain_text("谢谢")
    expect(opinion.get_by_test_id("my-rating-level")).to_have_text("满意")
    phone_context.close()

    # The enterprise's word on the opinion is now satisfied, and the earlier one is kept.
    latest = EnterpriseRating.objects.get(feedback_item=first, is_latest=True)
    assert latest.level == EnterpriseRating.Level.SATISFIED
    assert latest.reply.content == "已专人跟踪，上月超期报告已于昨日出具"
    assert EnterpriseRating.objects.filter(feedback_item=first).count() == 2

    # 7. The dashboard's satisfaction as stated by the enterprise counts it, beside the
    # satisfaction the staff recorded.
    latest_ratings = EnterpriseRating.objects.filter(
        is_latest=True, feedback_item__branch=first.branch, feedback_item__withdrawn_at=None
    )
    rated = latest_ratings.count()
    satisfied = latest_ratings.filter(level__in=POSITIVE_LEVELS).count()
    assert satisfied >= 1
    page = log_in(lead_a.username, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/?campaign={first.activity.campaign_id}")
    figure = page.get_by_test_id("figure-enterprise_satisfaction_rate")
    expect(figure.locator("[data-figure=enterprise_satisfied]")).to_have_text(str(satisfied))
    expect(figure.locator("[data-figure=enterprise_rated]")).to_have_text(str(rated))
    expect(page.get_by_test_id("figure-satisfaction_rate")).to_be_visible()
    shot(page, "dashboard-enterprise-satisfaction-desktop")
