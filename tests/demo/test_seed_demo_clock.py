"""``seed_demo``'s clock: sign-fors and deadlines in working days (the National Day week of
2026 and its make-up working days), returns, extensions, supervision notices and replies
waiting for approval, none of which changes the report's figures.

The command runs once for the module inside a transaction rolled back at the end.
"""

from collections import Counter
from datetime import date, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from branches.models import Branch
from issues import selectors
from issues.clock import Clock
from issues.models import (
    DeadlineExtension,
    Issue,
    IssueEvent,
    IssueReturn,
    ProvincialDecision,
    Reply,
    ReplyDraft,
    ReturnReason,
    SupervisionNotice,
)
from outreach.models import FeedbackItem
from reports.metrics import campaign_report
from reports.selection import Selection
from workdays.calendar import WorkingCalendar, local_date

pytestmark = pytest.mark.django_db

E = IssueEvent.Kind
STATE = Issue.State
DEMO_DAY = date(2026, 11, 24)

# The report's figures for the whole province on the demo's day and the day after, as the
# demo had them before the clock (every key of reports.metrics.COUNT_KEYS), and the overdue
# issues per branch.
# The report's figures, plus the three opinions demo/box.py leaves in Quanzhou's online
# box (a problem, a suggestion and praise, none disposed of or answered yet): "+ n".
FIGURES = {
    "enterprises_visited": 233,
    "enterprise_forums": 19,
    "internal_forums": 52,
    "surveys": 1,
    "forms_sent": 106,
    "forms_returned": 88,
    "feedback_items": 510 + 3,
    "problem_feedback": 264 + 1,
    "suggestion_feedback": 178 + 1,
    "praise_feedback": 68 + 1,
    "undisposed_feedback": 12 + 3,
    "unreplied_feedback": 127 + 3,
    "replied_feedback": 383,
    "satisfied_feedback": 336,
    "satisfaction_recorded": 348,
    "issues_found": 116,
    "fixed_on_the_spot": 73,
    "fixed_on_the_spot_reopened": 0,
    "escalated": 37,
    "decided_by_province": 37,
    "awaiting_decision": 0,
    "rectified": 90,
    "answered": 72,
    "overdue": 6,
    "state_collected": 0,
    "state_rectifying": 26,
    "state_escalated": 0,
    "state_rectified": 18,
    "state_answered": 72,
}
OVERDUE_BY_BRANCH = {
    "longyan": 0,
    "nanping": 2,
    "ningde": 1,
    "putian": 1,
    "quanzhou": 0,
    "sanming": 1,
    "zhangzhou": 1,
}


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def calendar(seeded, django_db_blocker):
    with django_db_blocker.unblock():
        return WorkingCalendar.read()


def monday_to_friday(moment, count: int) -> date:
    """``count`` working days after ``moment``'s day, counting Monday to Friday only."""
    day = local_date(moment)
    while count:
        day += timedelta(days=1)
        count -= day.weekday() < 5
    return day


def user(username):
    return get_user_model().objects.get(username=username)


def decided_issues():
    return Issue.objects.filter(escalations__decision__isnull=False).distinct()


# --- the figures stay the report's ----------------------------------------------------------


@pytest.mark.parametrize("today", [DEMO_DAY, DEMO_DAY + timedelta(days=1)])
def test_the_report_figures_are_unchanged(today):
    with mock.patch("django.utils.timezone.localdate", return_value=today):
        report = campaign_report(user("office"), Selection())
    # The report's figures (the clock's own figures come beside them).
    assert {key: report.total.counts[key] for key in FIGURES} == FIGURES
    overdue = {row.branch.code: row.figures["overdue"] for row in report.branches}
    assert overdue == OVERDUE_BY_BRANCH


def test_the_overdue_issues_are_the_report_overdue_ones():
    overdue = Issue.objects.overdue(today=DEMO_DAY + timedelta(days=1))
    by_branch = Counter(overdue.values_list("branch__code", flat=True))
    assert by_branch == {code: n for code, n in OVERDUE_BY_BRANCH.items() if n}
    assert not overdue.filter(immediate_fix=True).exists()


# --- every issue's clock --------------------------------------------------------------------


def test_issues_opened_by_a_branch_were_signed_by_their_creator_when_opened(calendar):
    clock = Clock(calendar=calendar)
    opened = Issue.objects.exclude(pk__in=decided_issues().values("pk"))
    assert opened.count() == 116 - 37
    for issue in opened:
        assert issue.assigned_at == issue.signed_at == issue.created_at
        assert issue.signed_by_id == issue.created_by_id
        assert issue.sign_deadline is None
        assert issue.plan_deadline == clock.after(issue.created_at, "plan")
        if issue.immediate_fix:
            assert issue.deadline == clock.rectify_deadline(issue, issue.created_at)
        assert issue.deadline is not None


def test_decided_issues_were_given_back_at_the_decision_and_signed_within_the_limit(calendar):
    decided = decided_issues()
    assert decided.count() == 37
    signed = decided.filter(signed_at__isnull=False)
    assert signed.count() == 36
    for issue in signed:
        decision = ProvincialDecision.objects.get(escalation__issue=issue)
        event = issue.events.get(kind=E.SIGNED)
        assert (event.created_at, event.actor_id) == (issue.signed_at, issue.signed_by_id)
        assert issue.signed_by.membership.branch_id == issue.branch_id
        # Given at the decision (or at the office's ruling on a return), signed in time.
        assert issue.assigned_at >= decision.created_at
        assert issue.sign_deadline == calendar.add_working_days(issue.assigned_at, 1)
        assert issue.assigned_at < issue.signed_at
        assert local_date(issue.signed_at) <= issue.sign_deadline
        assert issue.deadline == decision.deadline or issue.extensions.approved().exists()
        assert str(issue.deadline) in event.note
        # Nothing was done on it between the decision and the signing but a return.
        given = issue.events.get(kind=E.TRANSITION, to_state=STATE.RECTIFYING).created_at
        between = issue.events.filter(created_at__gt=given, created_at__lt=issue.signed_at)
        assert set(between.values_list("kind", flat=True)) <= {E.RETURNED, E.RETURN_RULED}


def test_rectified_issues_reply_within_the_reply_limit(calendar):
    rectified = Issue.objects.filter(rectified_at__isnull=False)
    assert rectified.count() == 18 + 72
    for issue in rectified:
        assert issue.reply_deadline == calendar.add_working_days(issue.rectified_at, 5)
    assert not Issue.objects.filter(rectified_at__isnull=True, reply_deadline__isnull=False)


def test_a_deadline_is_counted_across_the_national_day_week_and_its_make_up_days(calendar):
    """Signed on Wednesday 30 September 2026: 1 to 7 October are holidays and Saturday 10
    October a working day, so 3 working days end on Saturday 10 October (Monday to Friday
    would say Monday 5 October) and 15 on 27 October (not 21 October)."""
    before_holiday = Issue.objects.filter(
        immediate_fix=True, severity=Issue.Severity.NORMAL, signed_at__date=date(2026, 9, 30)
    )
    assert before_holiday.exists()
    for issue in before_holiday:
        assert local_date(issue.signed_at) == date(2026, 9, 30)
        assert issue.plan_deadline == date(2026, 10, 10) != monday_to_friday(issue.signed_at, 3)
        assert issue.deadline == date(2026, 10, 27) != monday_to_friday(issue.signed_at, 15)
        assert monday_to_friday(issue.signed_at, 3) == date(2026, 10, 5)
        assert monday_to_friday(issue.signed_at, 15) == date(2026, 10, 21)
    assert not calendar.is_working_day(date(2026, 10, 5))
    assert calendar.is_working_day(date(2026, 10, 10))


def test_the_make_up_sunday_before_the_holiday_is_a_deadline_too():
    """Signed on Wednesday 16 September: Friday 25 September is the Mid-Autumn Festival and
    Sunday 20 September a working day, so the plan is due that Sunday."""
    issue = Issue.objects.filter(signed_at__date=date(2026, 9, 16)).first()
    assert issue is not None
    assert issue.plan_deadline == date(2026, 9, 20) != monday_to_friday(issue.signed_at, 3)


# --- sign-for and return --------------------------------------------------------------------


def test_returns_with_a_reason_from_the_office_list_and_the_office_ruling():
    returns = IssueReturn.objects.order_by("returned_at")
    assert returns.count() == 2
    assert not returns.awaiting_ruling().exists()
    reasons = set(ReturnReason.objects.filter(is_active=True))
    office = user("office")
    for row in returns:
        issue = row.issue
        assert row.reason in reasons and row.note
        assert row.ruled_by == office and row.ruling_note
        assert row.returned_by.membership.branch_id == issue.branch_id
        decided = issue.events.get(kind=E.DECISION).created_at
        assert decided < row.returned_at < row.ruled_at
        assert local_date(row.returned_at) <= WorkingCalendar.read().add_working_days(decided, 1)
        assert issue.events.filter(kind=E.RETURNED, created_at=row.returned_at).exists()
        ruled = issue.events.get(kind=E.RETURN_RULED)
        assert (ruled.created_at, ruled.actor) == (row.ruled_at, office)
        assert issue.assigned_at == row.ruled_at
    insisted, reassigned = returns
    assert insisted.ruling == IssueReturn.Ruling.INSIST
    assert insisted.issue.signed_at > insisted.ruled_at
    assert insisted.issue.events.filter(kind=E.SIGNED).count() == 1
    assert reassigned.ruling == IssueReturn.Ruling.REASSIGN
    assert reassigned.issue.awaiting_signature
    assert not reassigned.issue.events.filter(kind=E.SIGNED).exists()


def test_one_issue_waits_to_be_signed_for_on_the_demo_day():
    waiting = Issue.objects.awaiting_signature()
    assert waiting.count() == 1
    issue = waiting.get()
    assert issue.state == STATE.RECTIFYING
    assert local_date(issue.assigned_at) == DEMO_DAY
    assert issue.sign_deadline == date(2026, 11, 25)
    staff = user(f"{issue.branch.code}_staff")
    assert list(selectors.issues_to_sign_for(staff)) == [issue]
    ruled = issue.events.get(kind=E.RETURN_RULED)
    assert issue.responsible.last_name + issue.responsible.first_name in ruled.note
    assert issue.responsible.membership.branch_id == issue.branch_id


# --- extensions -----------------------------------------------------------------------------


def test_extensions_approved_refused_and_waiting():
    extensions = DeadlineExtension.objects.all()
    status = DeadlineExtension.Status
    assert sorted(extensions.values_list("status", flat=True)) == sorted(
        [status.APPROVED, status.REFUSED, status.PENDING]
    )
    for row in extensions:
        issue = row.issue
        assert row.old_deadline < row.new_deadline <= date(2026, 12, 31)
        assert local_date(row.requested_at) < row.old_deadline
        asked = issue.events.get(kind=E.EXTENSION_REQUESTED)
        assert (asked.created_at, asked.actor) == (row.requested_at, row.requested_by)
        assert str(row.old_deadline) in asked.note and str(row.new_deadline) in asked.note

    approved = extensions.get(status=status.APPROVED)
    assert approved.issue.deadline == approved.new_deadline
    assert approved.decided_by == user(f"{approved.issue.branch.code}_lead")
    assert approved.requested_by == approved.issue.responsible != approved.decided_by
    assert not approved.issue.escalations.exists()
    decided = approved.issue.events.get(kind=E.EXTENSION_DECIDED)
    assert str(approved.old_deadline) in decided.note
    assert str(approved.new_deadline) in decided.note

    refused = extensions.get(status=status.REFUSED)
    assert refused.issue.deadline == refused.old_deadline
    assert refused.decided_by == user("office") and refused.decision_note
    assert refused.issue.escalations.exists()

    pending = extensions.get(status=status.PENDING)
    assert pending.decided_by is None
    assert list(selectors.extensions_to_decide(user("office"), today=DEMO_DAY)) == [pending]


# --- chasing and supervision ----------------------------------------------------------------


def test_an_automatic_supervision_notice_answered_and_a_manual_one_open(calendar):
    notices = SupervisionNotice.objects.all()
    assert notices.count() == 2
    automatic = notices.get(automatic=True)
    issue = automatic.issue
    assert automatic.issued_by is None and automatic.deadline == issue.deadline
    assert issue.is_overdue(today=DEMO_DAY, calendar=calendar)
    assert local_date(automatic.issued_at) == calendar.add_working_days(issue.deadline, 3)
    assert automatic.answered_by == user(f"{issue.branch.code}_lead") and automatic.answer
    assert (
        automatic.issued_at
        < automatic.answered_at
        < datetime.fromisoformat("2026-11-24T17:30+08:00")
    )
    assert issue.events.filter(kind=E.CHASED).count() == 2
    assert issue.events.get(kind=E.SUPERVISED).actor is None
    assert issue.events.get(kind=E.SUPERVISION_ANSWERED).actor == automatic.answered_by

    manual = notices.get(automatic=False)
    assert manual.issued_by == user("office")
    assert manual in notices.open()
    assert manual.issue.is_overdue(today=DEMO_DAY, calendar=calendar)
    assert manual.issue.events.get(kind=E.SUPERVISED).actor == manual.issued_by


# --- replies waiting for the lead's approval ------------------------------------------------


def test_one_branch_needs_approval_with_drafts_waiting_and_one_sent_back():
    branch = Branch.objects.get(replies_need_approval=True)
    drafts = ReplyDraft.objects.all()
    assert set(drafts.values_list("feedback_item__branch", flat=True)) == {branch.pk}
    assert drafts.pending().count() == 2
    sent_back = drafts.get(status=ReplyDraft.Status.SENT_BACK)
    lead = user(f"{branch.code}_lead")
    assert sent_back.reviewed_by == lead and sent_back.review_comment
    assert sent_back.reviewed_at > sent_back.drafted_at
    for draft in drafts:
        assert draft.drafted_by != lead and draft.reply is None
        issue = draft.feedback_item.issue
        assert issue.state == STATE.RECTIFIED
        assert issue.events.filter(kind=E.REPLY_DRAFTED, created_at=draft.drafted_at).exists()
    assert list(selectors.issues_to_sign_for(lead)) == []


def test_drafts_are_not_replies():
    drafted = FeedbackItem.objects.filter(reply_drafts__isnull=False)
    assert drafted.count() == 3
    assert not Reply.objects.filter(feedback_item__in=drafted).exists()
    branch = Branch.objects.get(replies_need_approval=True)
    first_draft = ReplyDraft.objects.earliest("drafted_at").drafted_at
    assert not Reply.objects.filter(
        feedback_item__branch=branch, created_at__gte=first_draft
    ).exists()


# --- once ------------------------------------------------------------------------------------


def test_a_second_run_adds_none_of_the_clock_rows():
    models = (IssueReturn, DeadlineExtension, SupervisionNotice, ReplyDraft, IssueEvent, Issue)
    before = {m.__name__: m.objects.count() for m in models}
    call_command("seed_demo", stdout=StringIO())
    assert {m.__name__: m.objects.count() for m in models} == before


# --- the screens show it ---------------------------------------------------------------------


def test_my_work_shows_each_queue_with_the_demo_rows(client):
    waiting = Issue.objects.awaiting_signature().get()
    pending = DeadlineExtension.objects.pending().get()
    for username, expected in [
        (f"{waiting.branch.code}_staff", waiting.title),
        ("office", pending.issue.title),
    ]:
        client.force_login(user(username))
        page = client.get(reverse("issues:my_work"))
        assert page.status_code == 200
        assert expected in page.content.decode(), username


def test_the_issue_pages_show_the_clock_rows(client):
    client.force_login(user("office"))
    issues = {
        *IssueReturn.objects.values_list("issue", flat=True),
        *DeadlineExtension.objects.values_list("issue", flat=True),
        *SupervisionNotice.objects.values_list("issue", flat=True),
        *ReplyDraft.objects.values_list("feedback_item__issue", flat=True),
    }
    for pk in issues:
        page = client.get(reverse("issues:issue_detail", args=[pk]))
        assert page.status_code == 200
        body = page.content.decode()
        issue = Issue.objects.get(pk=pk)
        for event in issue.events.exclude(kind__in=[E.FEEDBACK_LINKED, E.REPLY]):
            assert event.get_kind_display() in body, (pk, event.kind)
