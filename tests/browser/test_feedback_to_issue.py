"""From feedback to issues, and a provincial meeting deciding an escalation, in the browser.

Branch staff tick two opinions on the feedback list and open an issue from them, then
close a praise with a reason; the provincial office records a meeting and decides an
escalated issue on the meeting's page.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from issues.models import Issue, ProvincialDecision
from outreach.models import FeedbackItem
from tests.browser.conftest import PHONE
from tests.factories import (
    PASSWORD,
    EscalationFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
    IssueFactory,
)

# Transactional: the browser talks to the live server in another thread.
pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_opens_an_issue_from_two_opinions_and_closes_a_praise(
    log_in, live_server, world, staff_a, screenshot
):
    fees = FeedbackCategoryFactory(name="收费")
    activity = world.a.activity
    first = FeedbackItemFactory(
        activity=activity,
        category=fees,
        content="检验收费标准不透明，希望公示收费依据",
        received_on=date(2026, 3, 1),
    )
    second = FeedbackItemFactory(
        activity=activity,
        category=fees,
        content="收费项目和金额事先不告知",
        received_on=date(2026, 3, 2),
    )
    praise = FeedbackItemFactory(
        activity=activity,
        category=fees,
        kind=FeedbackItem.Kind.PRAISE,
        content="检验员服务热情、讲解耐心",
        received_on=date(2026, 3, 3),
    )

    page = log_in(staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/outreach/feedback/?sort=received_on")
    items = page.get_by_test_id("feedback-item")
    # world.a.feedback is already in an issue: no tick for it.
    expect(page.get_by_test_id("tick")).to_have_count(3)
    items.filter(has_text="检验收费标准不透明").get_by_test_id("tick").check()
    items.filter(has_text="收费项目和金额").get_by_test_id("tick").check()
    screenshot("feedback-ticked-staff-zh")
    page.get_by_test_id("dispose-selected").click()

    expect(page.get_by_test_id("chosen-item")).to_have_count(2)
    expect(page.get_by_label("标题")).to_have_value("检验收费标准不透明，希望公示收费依据")
    screenshot("feedback-dispose-staff-zh")
    page.get_by_label("标题").fill("收费依据未公示")
    page.get_by_label("严重程度").select_option("serious")
    page.get_by_test_id("submit-create").click()

    issue = Issue.objects.get(title="收费依据未公示")
    page.wait_for_url(f"**/issues/{issue.pk}/")
    expect(page.get_by_test_id("issue-title")).to_have_text("收费依据未公示")
    expect(page.get_by_role("alert").first).to_contain_text(f"#{issue.pk}")
    assert set(issue.feedback_items.values_list("pk", flat=True)) == {first.pk, second.pk}

    # On a phone: the praise needs no issue, it is closed with a reason.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/outreach/feedback/?kind=praise")
    expect(page.get_by_test_id("tick")).to_have_count(1)
    page.get_by_test_id("tick").check()
    page.get_by_test_id("dispose-selected").click()
    expect(page.locator("#pane-close")).to_be_visible()  # praise alone: closing comes first
    reason = page.get_by_label("无需立项的原因")
    expect(reason).not_to_be_empty()
    reason.fill("表扬意见，已转告检验员")
    screenshot("feedback-close-praise-staff-zh")
    page.get_by_test_id("submit-close").click()

    page.wait_for_url("**/outreach/feedback/?kind=praise")
    expect(page.get_by_role("alert").first).to_contain_text("1")
    expect(page.get_by_test_id("disposition")).to_contain_text("表扬意见，已转告检验员")
    # Disposed of, but not yet answered: it can still be ticked, for a reply.
    expect(page.get_by_test_id("tick")).to_have_count(1)
    expect(page.get_by_test_id("reply-status")).to_have_text("未答复")
    praise.refresh_from_db()
    assert praise.closed_by == staff_a


def test_office_records_a_meeting_that_decides_an_escalation(
    log_in, live_server, world, office, staff_a, lead_a, screenshot
):
    issue = IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        title="气瓶充装站检验排期过长",
        state=Issue.State.ESCALATED,
        created_by=staff_a,
    )
    escalation = EscalationFactory(
        issue=issue,
        reason="需省院统筹调配检验人员",
        requested_by=lead_a,
        requested_at=timezone.now() - timedelta(days=9),
    )

    page = log_in(office.username, PASSWORD)
    page.get_by_test_id("nav-more").click()
    page.get_by_test_id("nav-escalations").click()
    rows = page.get_by_test_id("escalation")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("气瓶充装站检验排期过长")
    expect(rows.first.get_by_test_id("age")).to_contain_text("9")
    expect(page.get_by_test_id("recent-decisions")).to_contain_text(world.a.issue.title)
    screenshot("province-escalations-office-zh")

    page.get_by_test_id("record-meeting").click()
    expect(page.get_by_label("标题")).to_have_value("院长办公会")
    page.get_by_label("参会人员").fill("院长、分管副院长、办公室主任")
    page.get_by_label("会议纪要").fill("研究泉州分院上报的气瓶检验排期问题。")
    page.get_by_test_id("save-meeting").click()

    expect(page.get_by_test_id("meeting-title")).to_have_text("院长办公会")
    row = page.get_by_test_id("decide-row").filter(has_text="气瓶充装站检验排期过长")
    row.get_by_label("本次会议已研究").check()
    row.get_by_label("决定事项").fill("省院调派两名检验员支援，分院一个月内清理积压")
    row.get_by_label("牵头负责人").select_option(str(staff_a.pk))
    deadline = timezone.localdate() + timedelta(days=30)
    row.get_by_label("整改时限").fill(deadline.isoformat())
    screenshot("province-meeting-decide-office-zh")
    page.get_by_test_id("save-decisions").click()

    expect(page.get_by_role("alert").first).to_contain_text("1")
    decisions = page.get_by_test_id("meeting-decisions")
    expect(decisions).to_contain_text("省院调派两名检验员支援")
    expect(page.get_by_test_id("decide-row")).to_have_count(0)
    screenshot("province-meeting-decided-office-zh")
    issue.refresh_from_db()
    assert issue.state == Issue.State.RECTIFYING
    assert issue.responsible == staff_a
    assert issue.deadline == deadline
    assert ProvincialDecision.objects.get(escalation=escalation).meeting.title == "院长办公会"
