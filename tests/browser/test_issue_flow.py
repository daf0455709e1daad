"""One complaint the whole way, in the browser (issue 4's "done when").

Branch staff tick two enterprises' opinions on the feedback list and open an issue from
them; the branch lead escalates it on the issue page; the provincial office records the
provincial decision on the issue page's decide form (the meeting itself is recorded in
the set-up through ``issues.services.meeting_record``: the meeting page has its own test);
staff sign for it (签收) and report the rectification with a photo; the lead verifies;
staff reply to both enterprises (one is not satisfied) and mark the issue answered; the
lead reopens it.
The database and the timeline are checked at each step; screenshots at phone and desktop.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from issues.models import Escalation, Issue, IssueEvent, IssueEvidence, ProvincialDecision, Reply
from issues.services import meeting_record
from tests.browser.conftest import PHONE
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
)

# Transactional: the browser talks to the live server in another thread.
pytestmark = pytest.mark.django_db(transaction=True)

PNG_1x1 = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
State = Issue.State


def open_issue(page, live_server, issue):
    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    expect(page.get_by_test_id("issue-title")).to_have_text(issue.title)


def act(page, name: str):
    """Open the action's form from its button (the buttons are the allowed transitions)."""
    page.get_by_test_id(f"action-{name}").click()
    form = page.get_by_test_id(f"form-{name}")
    expect(form).to_be_visible()
    return form


def shows_state(page, state: str):
    expect(page.get_by_test_id("issue-state")).to_have_attribute("data-state", state)


def buttons(page) -> list[str]:
    return page.locator("[data-action]").evaluate_all("els => els.map(e => e.dataset.action)")


def transitions(issue) -> list[tuple[str, str]]:
    return list(
        IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.TRANSITION)
        .order_by("created_at", "id")
        .values_list("from_state", "to_state")
    )


def test_one_complaint_from_two_opinions_to_a_reopened_answer(
    log_in, live_server, world, staff_a, lead_a, office, screenshot
):
    fees = FeedbackCategoryFactory(name="收费")
    boiler = EnterpriseFactory(branch=world.a.branch, name="泉州锅炉制造有限公司")
    crane = EnterpriseFactory(branch=world.a.branch, name="晋江起重机械厂")
    first = FeedbackItemFactory(
        activity=world.a.activity,
        enterprise=boiler,
        category=fees,
        content="定检报告出具超过承诺时限，影响设备按期投用",
    )
    second = FeedbackItemFactory(
        activity=world.a.activity,
        enterprise=crane,
        category=fees,
        content="检验报告要等一个多月才能拿到",
    )
    meeting = meeting_record(
        actor=office,
        title="院长办公会（第3次）",
        held_on=timezone.localdate(),
        attendees="院长、各副院长、办公室",
    )

    # 1. Staff tick the two opinions on the feedback list and open one issue from them.
    page = log_in(staff_a.username, PASSWORD)
    page.goto(f"{live_server.url}/outreach/feedback/")
    items = page.get_by_test_id("feedback-item")
    items.filter(has_text="定检报告出具超过承诺时限").get_by_test_id("tick").check()
    items.filter(has_text="检验报告要等一个多月").get_by_test_id("tick").check()
    page.get_by_test_id("dispose-selected").click()
    page.get_by_label("标题").fill("检验报告出具超期")
    page.get_by_test_id("submit-create").click()
    issue = Issue.objects.get(title="检验报告出具超期")
    page.wait_for_url(f"**/issues/{issue.pk}/")
    assert set(issue.feedback_items.values_list("pk", flat=True)) == {first.pk, second.pk}
    shows_state(page, State.COLLECTED)
    assert sorted(buttons(page)) == ["fix_now", "plan"]
    expect(page.get_by_test_id("opinion")).to_have_count(2)
    expect(page.get_by_test_id("opinions")).to_contain_text("泉州锅炉制造有限公司")
    expect(page.get_by_test_id("opinions")).to_contain_text("晋江起重机械厂")
    screenshot("issue-collected-staff-zh")

    # 2. The lead escalates it: the fee rules are the province's.
    page = log_in(lead_a.username, PASSWORD)
    open_issue(page, live_server, issue)
    assert sorted(buttons(page)) == ["escalate", "fix_now", "plan", "request_extension"]
    form = act(page, "escalate")
    form.get_by_label("需省院研究解决的理由").fill("报告审批流程在省院，分院无法单独缩短时限")
    screenshot("issue-escalate-form-lead-zh")
    form.get_by_test_id("submit-escalate").click()
    shows_state(page, State.ESCALATED)
    issue.refresh_from_db()
    assert issue.state == State.ESCALATED
    escalation = Escalation.objects.get(issue=issue)
    assert escalation.requested_by == lead_a
    assert buttons(page) == []
    expect(page.get_by_test_id("escalations")).to_contain_text("报告审批流程在省院")

    # 3. The provincial office records the meeting's decision on the issue page.
    page = log_in(office.username, PASSWORD)
    open_issue(page, live_server, issue)
    assert buttons(page) == ["decide", "supervise"]
    form = act(page, "decide")
    form.get_by_label("省院会议").select_option(str(meeting.pk))
    form.get_by_label("决定").fill("下放报告审批权限至分院，十个工作日内出具")
    form.get_by_label("负责人").select_option(str(staff_a.pk))
    deadline = timezone.localdate() + timedelta(days=30)
    form.get_by_label("整改时限").fill(deadline.isoformat())
    screenshot("issue-decide-form-office-zh")
    form.get_by_test_id("submit-decide").click()
    shows_state(page, State.RECTIFYING)
    issue.refresh_from_db()
    assert (issue.state, issue.responsible, issue.deadline) == (
        State.RECTIFYING,
        staff_a,
        deadline,
    )
    decision = ProvincialDecision.objects.get(escalation=escalation)
    assert (decision.meeting, decision.recorded_by) == (meeting, office)

    # 4. Staff see the decision first, sign for the issue the province gave back (签收: the
    # decision's deadline stays), and report what was done with a photo.
    page = log_in(staff_a.username, PASSWORD)
    open_issue(page, live_server, issue)
    expect(page.get_by_test_id("decision")).to_contain_text("下放报告审批权限至分院")
    assert sorted(buttons(page)) == ["return", "sign_for"]
    act(page, "sign_for").get_by_test_id("submit-sign_for").click()
    expect(page.get_by_test_id("clock-signed")).not_to_contain_text("待签收")
    issue.refresh_from_db()
    assert (issue.signed_by, issue.deadline) == (staff_a, deadline)
    # A plan exists: the lead verifies, staff report (and, responsible, may ask for time).
    assert sorted(buttons(page)) == ["request_extension"]
    page.get_by_test_id("rectification-details").locator("summary").click()
    report = page.get_by_test_id("rectification-form")
    report.get_by_label("整改情况").fill("报告审批已下放，本月报告均在十个工作日内出具")
    report.locator("input[type=file]").set_input_files(
        {"name": "报告台账.png", "mimeType": "image/png", "buffer": PNG_1x1}
    )
    report.get_by_test_id("submit-rectification").click()
    expect(page.get_by_test_id("evidence-file")).to_have_count(1)
    issue.refresh_from_db()
    assert issue.rectification.startswith("报告审批已下放")
    assert IssueEvidence.objects.get(issue=issue).original_name == "报告台账.png"
    screenshot("issue-rectifying-staff-zh")

    # 5. The lead verifies the rectification.
    page = log_in(lead_a.username, PASSWORD)
    open_issue(page, live_server, issue)
    assert sorted(buttons(page)) == ["escalate", "request_extension", "verify"]
    act(page, "verify").get_by_test_id("submit-verify").click()
    shows_state(page, State.RECTIFIED)
    issue.refresh_from_db()
    assert (issue.state, issue.verified_by) == (State.RECTIFIED, lead_a)

    # 6. Staff reply to both enterprises, one of them not satisfied, then mark it answered.
    page = log_in(staff_a.username, PASSWORD)
    page.set_viewport_size(PHONE)
    open_issue(page, live_server, issue)
    for item, satisfaction, text in (
        (first, "satisfied", "已电话告知：报告将在十个工作日内出具"),
        (second, "unsatisfied", "已上门说明整改措施"),
    ):
        opinion = page.locator(f"[data-testid=opinion][data-pk='{item.pk}']")
        opinion.get_by_test_id("reply-details").locator("summary").click()
        reply_form = opinion.get_by_test_id(f"reply-form-item{item.pk}")
        reply_form.get_by_label("答复方式").select_option("phone")
        reply_form.get_by_label("答复内容").fill(text)
        reply_form.get_by_label("企业满意度").select_option(satisfaction)
        reply_form.get_by_test_id(f"submit-reply-item{item.pk}").click()
        expect(
            page.locator(f"[data-testid=opinion][data-pk='{item.pk}'] [data-testid=reply]")
        ).to_contain_text(text)
    assert dict(
        Reply.objects.filter(feedback_item__issue=issue).values_list(
            "feedback_item", "satisfaction"
        )
    ) == {first.pk: "satisfied", second.pk: "unsatisfied"}
    screenshot("issue-replied-staff-zh")
    act(page, "answer").get_by_test_id("submit-answer").click()
    shows_state(page, State.ANSWERED)
    issue.refresh_from_db()
    assert issue.state == State.ANSWERED

    # 7. The lead reopens it, since one enterprise was not satisfied.
    page = log_in(lead_a.username, PASSWORD)
    page.set_viewport_size(PHONE)
    open_issue(page, live_server, issue)
    assert buttons(page) == ["reopen"]
    form = act(page, "reopen")
    form.get_by_label("重新整改的原因").fill("晋江起重机械厂对答复不满意，需进一步整改")
    form.get_by_test_id("submit-reopen").click()
    shows_state(page, State.RECTIFYING)
    issue.refresh_from_db()
    assert (issue.state, issue.reopen_count) == (State.RECTIFYING, 1)

    # The timeline holds every step, in order.
    assert transitions(issue) == [
        ("collected", "escalated"),
        ("escalated", "rectifying"),
        ("rectifying", "rectified"),
        ("rectified", "answered"),
        ("answered", "rectifying"),
    ]
    timeline = page.get_by_test_id("event")
    expect(timeline).to_have_count(IssueEvent.objects.filter(issue=issue).count())
    expect(timeline.last).to_contain_text("晋江起重机械厂对答复不满意")
    expect(page.get_by_test_id("reopen-count")).to_have_text("1")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot("issue-reopened-lead-zh")

    # The lead finds it again in "my work" (a reopened issue waits for a new report) and
    # in the issue list, filtered to the branch's work in progress.
    page.get_by_role("link", name="我的待办").click()
    expect(page.get_by_test_id("section-responsible")).to_be_visible()
    expect(page.get_by_test_id("section-verify")).not_to_contain_text(issue.title)
    screenshot("issue-my-work-lead-zh")
    page.goto(f"{live_server.url}/issues/?state=rectifying")
    rows = page.get_by_test_id("issue-row")
    expect(rows.filter(has_text=issue.title)).to_have_count(1)
    expect(page.get_by_test_id("filter-chip")).to_have_count(1)
    screenshot("issue-list-lead-zh")
