"""A branch lead brings the branch's promise meter to zero from the screens alone.

A small world shaped like one branch of the demo: an answered issue, praise and advice
closed with a reason but never answered, opinions still waiting for a disposition, an
anonymous opinion, and one whose enterprise was not reached on two days. The lead disposes
(closing with a reason on the opinion list), replies in bulk from the opinion list (one
enterprise's opinions at once), replies from an opinion's page, closes the unreachable one
as unreachable, and then the dashboard shows 0 and 0 for the branch. No admin page is used.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from issues.models import Issue, Reply
from outreach.models import UNDISPOSED, UNREPLIED, FeedbackItem
from tests.factories import (
    PASSWORD,
    ActivityFactory,
    EnterpriseFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
    IssueFactory,
    ReplyFactory,
)

# Transactional: the browser talks to the live server in another thread.
pytestmark = pytest.mark.django_db(transaction=True)

Kind = FeedbackItem.Kind


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def branch_story(world, staff_a):
    """World A plus an enterprise forum of branch A with what a demo branch has left."""
    a = world.a
    service = FeedbackCategoryFactory(name="服务态度")
    fees = FeedbackCategoryFactory(name="收费")
    boiler = EnterpriseFactory(branch=a.branch, name="泉州锅炉制造有限公司", county=a.county)
    crane = EnterpriseFactory(branch=a.branch, name="泉州港口起重有限公司", county=a.county)
    forum = ActivityFactory(
        branch=a.branch,
        campaign=world.campaign,
        kind="enterprise_forum",
        title="泉州企业座谈会",
        occurred_on=days_ago(10),
        enterprises=[boiler, crane, a.enterprise],
        staff=[staff_a],
    )

    def opinion(enterprise, kind, content, **fields):
        return FeedbackItemFactory(
            activity=forum,
            enterprise=enterprise,
            category=service if kind != Kind.PROBLEM else fees,
            kind=kind,
            content=content,
            received_on=days_ago(10),
            **fields,
        )

    closed = {"closed_at": timezone.now(), "closed_reason": "表扬意见，已转告检验员"}
    story = {
        # The boiler maker: praise and advice closed, one suggestion not yet disposed.
        "boiler_praise": opinion(boiler, Kind.PRAISE, "检验员服务热情、讲解耐心", **closed),
        "boiler_advice": opinion(boiler, Kind.SUGGESTION, "建议推行检验预约线上办理", **closed),
        "boiler_open": opinion(boiler, Kind.SUGGESTION, "希望增加锅炉能效测试的宣讲"),
        # The crane company: a praise not yet disposed, answered on its own page.
        "crane_praise": opinion(crane, Kind.PRAISE, "起重机械检验响应迅速"),
        # Back-to-back: answered in public, on its own page.
        "anonymous": opinion(None, Kind.PROBLEM, "个别检验人员态度生硬", contact="", **closed),
        # World A's enterprise was called twice on two days without an answer.
        "unreachable": opinion(a.enterprise, Kind.SUGGESTION, "建议定期回访", **closed),
    }
    for day in (5, 2):
        ReplyFactory(
            feedback_item=story["unreachable"],
            replied_by=staff_a,
            satisfaction=Reply.Satisfaction.NOT_REACHABLE,
            replied_on=days_ago(day),
            content="电话联系未接通",
        )
    # An answered issue, as most of the demo's problems are.
    done = opinion(boiler, Kind.PROBLEM, "检验收费依据未公示")
    IssueFactory(
        branch=a.branch,
        campaign=world.campaign,
        category=fees,
        state=Issue.State.ANSWERED,
        feedback_items=[done],
    )
    ReplyFactory(feedback_item=done, replied_by=staff_a, replied_on=days_ago(3))
    # Branch B keeps its own unfinished work: the lead of A does not see it.
    FeedbackItemFactory(activity=world.b.activity, content="漳州的意见")
    return story


def meter(page, key):
    return page.get_by_test_id(f"promise-{key}").locator("[data-figure]")


def fill_reply(page, content, *, channel="phone", satisfaction="satisfied"):
    page.locator("#id_channel").select_option(channel)
    page.locator("#id_content").fill(content)
    page.locator("#id_satisfaction").select_option(satisfaction)


def test_a_branch_lead_brings_the_promise_meter_to_zero_from_the_screens(
    log_in, live_server, world, lead_a, branch_story, screenshot
):
    story = branch_story
    page = log_in(lead_a.username, PASSWORD)
    mine = FeedbackItem.objects.active().filter(branch=world.a.branch)
    assert mine.filter(UNDISPOSED).count() == 2
    assert mine.filter(UNREPLIED).count() == 6

    page.goto(f"{live_server.url}/dashboard/")
    expect(meter(page, "undisposed_feedback")).to_have_text("2")
    expect(meter(page, "unreplied_feedback")).to_have_text("6")
    expect(page.get_by_test_id("promise-note")).to_contain_text("联系不上")

    # "My work" lists the branch's opinions still waiting, with links to act.
    page.goto(f"{live_server.url}/issues/mine/")
    rows = page.get_by_test_id("section-opinions").get_by_test_id("opinion-row")
    expect(rows).to_have_count(6)
    screenshot("my-work-opinions-lead-zh")

    # 1. Dispose: the two opinions without a disposition, closed with a reason on the list.
    page.goto(f"{live_server.url}/outreach/feedback/?disposition=open")
    expect(page.get_by_test_id("tick")).to_have_count(2)
    for tick in page.get_by_test_id("tick").all():
        tick.check()
    page.get_by_test_id("dispose-selected").click()
    page.get_by_test_id("choose-close").click()
    page.get_by_label("无需立项的原因").fill("意见已采纳并转相关科室，无需立项")
    page.get_by_test_id("submit-close").click()
    page.wait_for_url("**/outreach/feedback/?disposition=open")
    expect(page.get_by_test_id("feedback-item")).to_have_count(0)

    # 2. One reply to the boiler maker's three opinions, ticked on the list.
    boiler = story["boiler_praise"].enterprise
    page.goto(f"{live_server.url}/outreach/feedback/?enterprise={boiler.pk}&replied=no")
    expect(page.get_by_test_id("feedback-item")).to_have_count(3)
    for tick in page.get_by_test_id("tick").all():
        tick.check()
    screenshot("opinions-list-ticked-lead-zh")
    page.get_by_test_id("reply-selected").click()
    expect(page.get_by_test_id("chosen-item")).to_have_count(3)
    fill_reply(page, "上门回访企业，逐条说明意见采纳情况", channel="visit")
    screenshot("opinions-bulk-reply-lead-zh")
    page.get_by_test_id("submit-bulk-reply").click()
    page.wait_for_url(f"**/outreach/feedback/?enterprise={boiler.pk}&replied=no")
    expect(page.get_by_role("alert").first).to_contain_text("3")
    expect(page.get_by_test_id("feedback-item")).to_have_count(0)

    # 3. Mixed enterprises are refused with a clear message, nothing recorded.
    page.goto(f"{live_server.url}/outreach/feedback/?replied=no")
    for tick in page.get_by_test_id("tick").all():
        tick.check()
    page.get_by_test_id("reply-selected").click()
    expect(page.get_by_test_id("reply-error")).to_contain_text("企业")
    expect(page.get_by_test_id("bulk-reply-form")).to_have_count(0)

    # 4. From "my work" to an opinion's page: the crane company's praise, answered there.
    page.goto(f"{live_server.url}/issues/mine/")
    rows.filter(has_text="泉州港口起重").get_by_role("link").first.click()
    expect(page.get_by_test_id("opinion-content")).to_contain_text("起重机械检验响应迅速")
    fill_reply(page, "电话感谢企业的肯定，已转告检验员")
    page.get_by_test_id("submit-reply").click()
    expect(page.get_by_test_id("opinion-answer")).to_have_attribute("data-answer", "replied")

    # 5. The anonymous opinion, answered in public on its page.
    page.goto(f"{live_server.url}/issues/opinions/{story['anonymous'].pk}/")
    fill_reply(
        page, "已在企业联络群公开答复，并加强检验人员作风教育", channel="online", satisfaction=""
    )
    page.get_by_test_id("submit-reply").click()
    expect(page.get_by_test_id("opinion-answer")).to_have_attribute("data-answer", "replied")

    # 6. Not reached on two days: shown as attempts; the lead closes it as unreachable.
    page.goto(f"{live_server.url}/issues/opinions/{story['unreachable'].pk}/")
    expect(page.get_by_test_id("attempt")).to_have_count(2)
    expect(page.get_by_test_id("opinion-answer")).to_have_attribute("data-answer", "unreplied")
    screenshot("opinion-page-attempts-lead-zh")
    page.get_by_test_id("unreachable-details").locator("summary").click()
    page.get_by_label("无法联系企业的原因").fill("企业已搬迁，登记电话停机")
    page.get_by_test_id("submit-unreachable").click()
    expect(page.get_by_test_id("opinion-answer")).to_have_attribute("data-answer", "unreachable")
    screenshot("opinion-page-unreachable-lead-zh")

    # The promise is kept for branch A: 0 and 0 on the dashboard, and in the database.
    page.goto(f"{live_server.url}/dashboard/")
    expect(meter(page, "undisposed_feedback")).to_have_text("0")
    expect(meter(page, "unreplied_feedback")).to_have_text("0")
    assert not mine.filter(UNDISPOSED).exists()
    assert not mine.filter(UNREPLIED).exists()
    page.goto(f"{live_server.url}/issues/mine/")
    expect(rows).to_have_count(0)
