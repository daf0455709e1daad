"""One escalated issue against the clock, in the browser (issue 12's "done when").

The provincial office records the provincial decision on the issue page (the meeting is
recorded in the set-up through ``issues.services``): the issue waits for signature, its
sign-for deadline shown in working days. Branch staff sign for it (签收) and its
rectification deadline appears. The responsible person asks for an extension (延期); the
province decided the issue, so the office decides it, not the branch lead. Chasing runs
(``manage.py send_reminders --today``, a day the supervision step is due): the automatic
supervision notice (督办单) is recorded once however often it runs, the office sees it on
the issue page and the branch lead answers it in writing. The office switches reply
approval on for the branch in its settings; staff draft a reply on the opinion page, the
lead sends it back with a comment, staff edit and resubmit, the lead approves and the reply
counts. The database and the page are checked at each step; screenshots at phone and
desktop size of the clock card, the supervision notice and the opinion page with a draft.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from branches.models import Branch
from core.templatetags.people import person_name
from issues.clock import Clock
from issues.models import (
    DeadlineExtension,
    Issue,
    IssueEvent,
    Reply,
    ReplyDraft,
    SupervisionNotice,
    TimeLimit,
)
from issues.services import issue_create, meeting_record
from issues.transitions import apply_transition
from notifications.models import Notification
from tests.browser.test_issue_flow import act, buttons, open_issue, shows_state
from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    FeedbackCategoryFactory,
    FeedbackItemFactory,
)

# Transactional: the browser talks to the live server in another thread.
pytestmark = pytest.mark.django_db(transaction=True)

State = Issue.State
Kind = IssueEvent.Kind


def events(issue) -> list[str]:
    return list(
        IssueEvent.objects.filter(issue=issue)
        .order_by("created_at", "id")
        .values_list("kind", flat=True)
    )


def clock_row(page, key: str):
    return page.get_by_test_id(f"clock-{key}")


def open_opinion(page, live_server, item):
    page.goto(f"{live_server.url}/issues/opinions/{item.pk}/")
    expect(page.get_by_test_id("opinion-content")).to_contain_text(item.content)


def test_an_escalated_issue_against_the_clock(
    log_in, live_server, world, staff_a, lead_a, office, screenshot
):
    # Set-up: an issue the branch opened (signed by its creator at once), escalated by the
    # lead, and the provincial meeting that decides it.
    boiler = EnterpriseFactory(branch=world.a.branch, name="泉州锅炉制造有限公司")
    opinion = FeedbackItemFactory(
        activity=world.a.activity,
        enterprise=boiler,
        category=FeedbackCategoryFactory(name="收费"),
        content="定检报告出具超过承诺时限，影响设备按期投用",
    )
    issue = issue_create(
        actor=staff_a,
        feedback_items=[opinion],
        title="定检报告出具超期",
        category=opinion.category,
    )
    issue = apply_transition(
        issue_id=issue.pk,
        name="escalate",
        actor=lead_a,
        expected_state=State.COLLECTED,
        reason="报告审批流程在省院，分院无法单独缩短时限",
    )
    meeting = meeting_record(
        actor=office,
        title="院长办公会（第5次）",
        held_on=timezone.localdate(),
        attendees="院长、各副院长、办公室",
    )
    clock = Clock()

    # 1. The office records the provincial decision: the issue waits for the branch to sign.
    page = log_in(office.username, PASSWORD)
    open_issue(page, live_server, issue)
    assert "decide" in buttons(page)
    form = act(page, "decide")
    form.get_by_label("省院会议").select_option(str(meeting.pk))
    form.get_by_label("决定").fill("下放报告审批权限至分院，按时限整改")
    form.get_by_label("负责人").select_option(str(staff_a.pk))
    form.get_by_test_id("submit-decide").click()
    shows_state(page, State.RECTIFYING)
    issue.refresh_from_db()
    assert issue.awaiting_signature
    assert (issue.responsible, issue.signed_at, issue.deadline) == (staff_a, None, None)
    assert issue.sign_deadline == clock.after(issue.assigned_at, TimeLimit.Step.SIGN_FOR)
    sign_left = clock.working_days_left(issue.sign_deadline)
    expect(clock_row(page, "signed")).to_contain_text("待签收")
    expect(clock_row(page, "sign")).to_contain_text(issue.sign_deadline.isoformat())
    expect(clock_row(page, "sign")).to_have_attribute("data-left", str(sign_left))
    expect(clock_row(page, "sign")).to_contain_text(f"剩余{sign_left}个工作日")
    expect(clock_row(page, "rectify")).to_have_count(0)
    assert "decide" not in buttons(page)
    screenshot("clock-awaiting-signature-office-zh")

    # 2. Branch staff sign for it: the rectification deadline is counted from signing.
    page = log_in(staff_a.username, PASSWORD)
    open_issue(page, live_server, issue)
    assert {"sign_for", "return"} <= set(buttons(page))
    assert "request_extension" not in buttons(page)  # not signed yet: no deadline to move
    act(page, "sign_for").get_by_test_id("submit-sign_for").click()
    expect(clock_row(page, "signed")).to_contain_text(person_name(staff_a))
    expect(clock_row(page, "signed")).not_to_contain_text("待签收")
    issue.refresh_from_db()
    assert (issue.signed_by, issue.state) == (staff_a, State.RECTIFYING)
    rectify_by = clock.rectify_deadline(issue, issue.signed_at)
    assert issue.deadline == rectify_by
    rectify_left = clock.working_days_left(rectify_by)
    expect(clock_row(page, "rectify")).to_contain_text(rectify_by.isoformat())
    expect(clock_row(page, "rectify")).to_contain_text(f"剩余{rectify_left}个工作日")
    # The sign-for step is closed: its date stays, without a count.
    expect(clock_row(page, "sign")).to_have_attribute("data-left", "")
    assert "sign_for" not in buttons(page) and "return" not in buttons(page)
    screenshot("clock-signed-staff-zh")

    # 3. The responsible person asks for an extension...
    assert "request_extension" in buttons(page)
    new_deadline = rectify_by + timedelta(days=14)
    form = act(page, "request_extension")
    form.get_by_label("申请的新期限").fill(new_deadline.isoformat())
    form.get_by_label("需要延期的原因").fill("需等待省院审批系统升级后方能出具报告")
    form.get_by_test_id("submit-request_extension").click()
    expect(page.get_by_test_id("extension-row")).to_have_attribute("data-status", "pending")
    extension = DeadlineExtension.objects.get(issue=issue)
    assert (extension.old_deadline, extension.new_deadline, extension.requested_by) == (
        rectify_by,
        new_deadline,
        staff_a,
    )
    assert extension.status == DeadlineExtension.Status.PENDING
    assert "request_extension" not in buttons(page)  # one request waits at a time
    assert "decide_extension" not in buttons(page)

    # ...the province decided this issue, so the branch lead does not decide it...
    page = log_in(lead_a.username, PASSWORD)
    open_issue(page, live_server, issue)
    expect(page.get_by_test_id("extension-row")).to_contain_text("需等待省院审批系统升级")
    assert "decide_extension" not in buttons(page)

    # ...the office does, and approves it: the deadline moves, the timeline keeps both.
    page = log_in(office.username, PASSWORD)
    open_issue(page, live_server, issue)
    form = act(page, "decide_extension")
    form.get_by_label("同意：期限顺延").check()
    form.get_by_label("备注").fill("同意延期，请按新期限完成")
    form.get_by_test_id("submit-decide_extension").click()
    expect(page.get_by_test_id("extension-row")).to_have_attribute("data-status", "approved")
    extension.refresh_from_db()
    issue.refresh_from_db()
    assert (extension.status, extension.decided_by) == (DeadlineExtension.Status.APPROVED, office)
    assert issue.deadline == new_deadline
    expect(clock_row(page, "rectify")).to_contain_text(new_deadline.isoformat())
    expect(page.get_by_test_id("extension-row")).to_contain_text(
        f"{rectify_by.isoformat()} → {new_deadline.isoformat()}"
    )
    expect(page.get_by_test_id("clock-extension-count")).to_be_visible()
    decided = page.get_by_test_id("event").filter(has_text=new_deadline.isoformat())
    expect(decided.filter(has_text=rectify_by.isoformat())).to_have_count(2)  # asked, approved
    assert "decide_extension" not in buttons(page)

    # 4. Chasing, on the day the supervision step is due (supervise_after working days
    # past the new deadline), twice: the automatic notice is recorded once.
    supervise_on = clock.calendar.add_working_days(
        new_deadline, clock.limits[TimeLimit.Step.SUPERVISE_AFTER]
    )
    for _run in range(2):
        call_command("send_reminders", today=supervise_on.isoformat(), stdout=None)
    notice = SupervisionNotice.objects.get(issue=issue)
    assert (notice.automatic, notice.deadline, notice.answered_at) == (True, new_deadline, None)
    assert (
        Notification.objects.filter(
            recipient=office, issue=issue, kind=Notification.Kind.SUPERVISED
        ).count()
        == 1
    )
    assert events(issue).count(Kind.SUPERVISED) == 1
    assert events(issue).count(Kind.CHASED) == 1

    # The office sees the notice on the issue page; only the branch lead answers it.
    open_issue(page, live_server, issue)
    notices = page.get_by_test_id("supervision-notice")
    expect(notices).to_have_count(1)
    expect(notices).to_have_attribute("data-open", "true")
    expect(notices).to_contain_text("督办单（自动生成）")
    expect(notices).to_contain_text(new_deadline.isoformat())
    assert "answer_supervision" not in buttons(page)
    # Flagged at the top of the page too (on a phone the notice is below the clock card).
    expect(page.get_by_test_id("issue-open-notice")).to_have_attribute("href", "#supervision")
    screenshot("clock-supervision-office-zh")

    page = log_in(lead_a.username, PASSWORD)
    open_issue(page, live_server, issue)
    form = act(page, "answer_supervision")
    form.get_by_label("书面答复").fill("省院审批系统本周升级完成，报告将于三个工作日内出具")
    form.get_by_test_id("submit-answer_supervision").click()
    expect(notices).to_have_attribute("data-open", "false")
    expect(page.get_by_test_id("supervision-answer")).to_contain_text("省院审批系统本周升级完成")
    notice.refresh_from_db()
    assert notice.answered_by == lead_a and notice.answer.startswith("省院审批系统")
    assert "answer_supervision" not in buttons(page)
    expect(page.get_by_test_id("issue-open-notice")).to_have_count(0)
    screenshot("clock-supervision-answered-lead-zh")

    # 5. The office switches reply approval on for branch A in its settings.
    page = log_in(office.username, PASSWORD)
    page.get_by_test_id("nav-more").click()
    page.get_by_role("link", name="时限设置").click()
    page.get_by_test_id("settings-tabs").get_by_role("link", name="答复审核").click()
    page.wait_for_url("**/issues/settings/reply-approval/")
    approval = page.get_by_test_id("reply-approval-form")
    approval.get_by_label(world.a.branch.name).check()
    approval.get_by_test_id("save-reply-approval").click()
    expect(page.get_by_role("alert")).to_have_text("答复审核设置已保存。")
    expect(approval.get_by_label(world.a.branch.name)).to_be_checked()
    assert Branch.objects.get(pk=world.a.branch.pk).replies_need_approval
    assert not Branch.objects.get(pk=world.b.branch.pk).replies_need_approval

    # Staff draft a reply on the opinion page (from the issue page's link): it waits.
    page = log_in(staff_a.username, PASSWORD)
    open_issue(page, live_server, issue)
    page.locator(f"[data-testid=opinion][data-pk='{opinion.pk}']").get_by_test_id(
        "opinion-link"
    ).click()
    expect(page.get_by_test_id("opinion-content")).to_contain_text(opinion.content)
    expect(page.get_by_test_id("needs-approval")).to_be_visible()
    form = page.get_by_test_id("reply-form")
    form.get_by_label("答复方式").select_option("phone")
    form.get_by_label("答复内容").fill("已电话告知：报告审批已下放")
    form.get_by_label("企业满意度").select_option("satisfied")
    form.get_by_test_id("submit-reply").click()
    draft_box = page.get_by_test_id("reply-draft")
    expect(draft_box).to_have_attribute("data-status", "pending")
    expect(draft_box).to_contain_text("待审核")
    expect(draft_box).to_contain_text("已电话告知：报告审批已下放")
    expect(page.get_by_test_id("opinion-answer")).to_have_attribute("data-answer", "unreplied")
    expect(page.get_by_test_id("approve-draft")).to_have_count(0)  # not its own author's
    # The form for another reply is closed while this one waits.
    expect(page.get_by_test_id("reply-details")).to_be_visible()
    expect(page.get_by_test_id("reply-details")).not_to_have_attribute("open", "")
    draft = ReplyDraft.objects.get(feedback_item=opinion)
    assert (draft.status, draft.drafted_by) == (ReplyDraft.Status.PENDING, staff_a)
    assert not Reply.objects.filter(feedback_item=opinion).exists()
    screenshot("clock-reply-draft-staff-zh")

    # The lead sends it back with a comment.
    page = log_in(lead_a.username, PASSWORD)
    open_opinion(page, live_server, opinion)
    page.get_by_test_id("send-back-details").locator("summary").click()
    send_back = page.get_by_test_id("send-back-form")
    send_back.get_by_label("需要拟稿人修改的内容").fill("请写明报告出具的具体时限")
    screenshot("clock-reply-draft-lead-zh")
    send_back.get_by_test_id("submit-send-back").click()
    expect(draft_box).to_have_attribute("data-status", "sent_back")
    expect(page.get_by_test_id("approve-draft")).to_have_count(0)
    draft.refresh_from_db()
    assert (draft.status, draft.reviewed_by) == (ReplyDraft.Status.SENT_BACK, lead_a)
    assert draft.review_comment == "请写明报告出具的具体时限"

    # Staff read the comment, edit the reply and submit it again.
    page = log_in(staff_a.username, PASSWORD)
    open_opinion(page, live_server, opinion)
    expect(page.get_by_test_id("review-comment")).to_contain_text("请写明报告出具的具体时限")
    page.get_by_test_id("resubmit-details").locator("summary").click()
    resubmit = page.get_by_test_id("resubmit-form")
    expect(resubmit.get_by_label("答复内容")).to_have_value("已电话告知：报告审批已下放")
    resubmit.get_by_label("答复内容").fill("已电话告知：报告审批已下放，报告于十个工作日内出具")
    screenshot("clock-reply-resubmit-staff-zh")
    resubmit.get_by_test_id("submit-resubmit").click()
    expect(draft_box).to_have_attribute("data-status", "pending")
    draft.refresh_from_db()
    assert draft.status == ReplyDraft.Status.PENDING
    assert draft.content.endswith("十个工作日内出具")
    assert not Reply.objects.filter(feedback_item=opinion).exists()

    # The lead approves it: it is recorded as a reply, with its approver, and counts.
    page = log_in(lead_a.username, PASSWORD)
    open_opinion(page, live_server, opinion)
    page.get_by_test_id("approve-draft").click()
    expect(page.get_by_test_id("opinion-answer")).to_have_attribute("data-answer", "replied")
    expect(page.get_by_test_id("reply-draft")).to_have_count(0)
    expect(page.get_by_test_id("opinion-replies")).to_contain_text("报告于十个工作日内出具")
    reply = Reply.objects.get(feedback_item=opinion)
    assert (reply.approved_by, reply.replied_by, reply.satisfaction) == (
        lead_a,
        staff_a,
        "satisfied",
    )
    assert reply.content.endswith("十个工作日内出具")
    draft.refresh_from_db()
    assert (draft.status, draft.reply) == (ReplyDraft.Status.APPROVED, reply)
    screenshot("clock-reply-approved-lead-zh")

    # The timeline holds the clock's steps, in order, after the decision (chasing and the
    # supervision notice it found due come from the same run).
    kinds = events(issue)
    kinds = kinds[kinds.index(Kind.SIGNED) :]
    assert kinds[:3] == [Kind.SIGNED, Kind.EXTENSION_REQUESTED, Kind.EXTENSION_DECIDED]
    assert sorted(kinds[3:5]) == sorted([Kind.CHASED, Kind.SUPERVISED])
    assert kinds[5:] == [
        Kind.SUPERVISION_ANSWERED,
        Kind.REPLY_DRAFTED,
        Kind.REPLY_SENT_BACK,
        Kind.REPLY_DRAFTED,  # submitted again
        Kind.REPLY_APPROVED,
    ]
