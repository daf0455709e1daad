"""``manage.py send_reminders``: chasing and supervision (催办 → 督办) in working days.

The dates are real ones around the 2026 Mid-Autumn day (Friday 25 September) and the
National Day week (1–7 October; Saturday 10 October is a make-up working day), with the
office's default limits: remind 3 working days before, supervise after 3 working days
overdue, the leaders' attention after 10. For a deadline on Wednesday 30 September:

* the reminder goes out on Thursday 24 September (25–27 are not working days);
* the branch lead hears on the 30th; the issue is not overdue during the holiday;
* overdue begins on Thursday 8 October; the supervision notice comes on the make-up
  Saturday 10 October;
* the attention list takes it on Tuesday 20 October.

Run twice, or every day for a month, each step happens once per deadline; a new deadline
starts the steps again.
"""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from branches.models import Membership
from issues.models import Issue, IssueEvent, SupervisionNotice, TimeLimit
from issues.supervision import DUE, OVERDUE, REMIND, SUPERVISE, chases
from notifications.models import Notification
from tests.factories import IssueFactory, member

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
State = Issue.State
DEADLINE = date(2026, 9, 30)  # Wednesday, the last working day before the holidays


def send_reminders(today: date) -> str:
    out = StringIO()
    call_command("send_reminders", today=today.isoformat(), stdout=out)
    return out.getvalue()


def told() -> set[tuple[str, str, int]]:
    """(kind, username, issue pk) of every notification sent."""
    return set(Notification.objects.values_list("kind", "recipient__username", "issue_id"))


def issue_due(branch, deadline=DEADLINE, responsible=None, state=State.RECTIFYING, **fields):
    return IssueFactory(
        branch=branch, state=state, responsible=responsible, deadline=deadline, **fields
    )


def steps_on(day: date) -> set[str]:
    return {step for chase in chases(day) for step in chase.steps}


# --- the steps on real dates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "steps"),
    [
        (date(2026, 9, 23), set()),  # 4 working days before: not yet
        (date(2026, 9, 24), {REMIND}),  # 3 working days before (25–27 are days off)
        (date(2026, 9, 27), {REMIND}),  # Sunday: still 3 working days left
        (date(2026, 9, 28), {REMIND}),
        (date(2026, 9, 30), {REMIND, DUE}),  # the deadline day: the branch lead
        (date(2026, 10, 1), {DUE}),  # the holiday: not overdue
        (date(2026, 10, 7), {DUE}),  # the holiday's last day: still not overdue
        (date(2026, 10, 8), {DUE, OVERDUE}),  # the first working day after it
        (date(2026, 10, 9), {DUE, OVERDUE}),  # 2 working days overdue
        (date(2026, 10, 10), {DUE, OVERDUE, SUPERVISE}),  # the make-up Saturday: 3
        (date(2026, 10, 11), {DUE, OVERDUE, SUPERVISE}),
    ],
)
def test_each_step_starts_on_its_working_day(branch_a, staff_a, day, steps):
    issue_due(branch_a, responsible=staff_a)
    assert steps_on(day) == steps


def test_the_office_sets_the_days(branch_a, staff_a):
    issue_due(branch_a, responsible=staff_a)
    TimeLimit.objects.filter(step=TimeLimit.Step.REMIND_BEFORE).update(working_days=1)
    TimeLimit.objects.filter(step=TimeLimit.Step.SUPERVISE_AFTER).update(working_days=1)
    assert steps_on(date(2026, 9, 28)) == set()
    assert steps_on(date(2026, 9, 29)) == {REMIND}
    assert steps_on(date(2026, 10, 8)) == {DUE, OVERDUE, SUPERVISE}


def test_the_reminder_goes_to_the_responsible_person(branch_a, staff_a, lead_a, mailoutbox):
    issue = issue_due(branch_a, responsible=staff_a)
    output = send_reminders(date(2026, 9, 24))
    assert told() == {(Kind.DEADLINE_SOON, "staff_a", issue.pk)}
    assert [mail.to for mail in mailoutbox] == [[staff_a.email]]
    assert "1 created, 1 emailed" in output
    assert Notification.objects.get().deadline == DEADLINE


def test_without_a_responsible_person_the_branch_leads_are_reminded(
    branch_a, staff_a, lead_a, lead_b
):
    member(Membership.Role.LEAD, branch_a, username="lead_a2")
    issue = issue_due(branch_a)
    send_reminders(date(2026, 9, 28))
    assert told() == {
        (Kind.DEADLINE_SOON, "lead_a", issue.pk),
        (Kind.DEADLINE_SOON, "lead_a2", issue.pk),
    }


def test_a_deactivated_responsible_person_counts_as_nobody(branch_a, staff_a, lead_a):
    issue = issue_due(branch_a, responsible=staff_a)
    staff_a.is_active = False
    staff_a.save(update_fields=["is_active"])
    send_reminders(date(2026, 9, 28))
    assert told() == {(Kind.DEADLINE_SOON, "lead_a", issue.pk)}


def test_on_the_deadline_day_the_branch_lead_hears_and_the_timeline_says_so(
    branch_a, staff_a, lead_a, lead_b
):
    issue = issue_due(branch_a, responsible=staff_a)
    send_reminders(date(2026, 9, 30))
    assert told() == {
        (Kind.DEADLINE_SOON, "staff_a", issue.pk),
        (Kind.DUE_TODAY, "lead_a", issue.pk),
    }
    chased = IssueEvent.objects.get(issue=issue, kind=IssueEvent.Kind.CHASED)
    assert chased.actor is None
    assert "2026-09-30" in chased.note


def test_the_holiday_does_not_make_it_overdue(branch_a, staff_a, lead_a):
    issue_due(branch_a, responsible=staff_a)
    for day in range(1, 8):
        send_reminders(date(2026, 10, day))
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == {Kind.DUE_TODAY}


def test_overdue_tells_the_responsible_person_on_the_first_working_day(
    branch_a, staff_a, lead_a, mailoutbox
):
    issue = issue_due(branch_a, responsible=staff_a, state=State.ESCALATED)
    send_reminders(date(2026, 10, 8))
    assert told() == {(Kind.DUE_TODAY, "lead_a", issue.pk), (Kind.OVERDUE, "staff_a", issue.pk)}
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([staff_a.email, lead_a.email])


def test_supervision_on_the_make_up_saturday(branch_a, staff_a, lead_a, office, leader):
    issue = issue_due(branch_a, responsible=staff_a)
    send_reminders(date(2026, 10, 9))
    assert not SupervisionNotice.objects.exists()

    send_reminders(date(2026, 10, 10))

    notice = SupervisionNotice.objects.get()
    assert (notice.issue, notice.deadline, notice.automatic) == (issue, DEADLINE, True)
    assert notice.answered_at is None and notice.issued_by is None
    assert "3" in notice.content
    assert IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.SUPERVISED).count() == 1
    supervised = {user for kind, user, _pk in told() if kind == Kind.SUPERVISED}
    assert supervised == {"office", "lead_a"}


@pytest.mark.parametrize(
    "fields",
    [
        {"state": State.RECTIFIED},
        {"state": State.ANSWERED},
        {"withdrawn": True},
        {"deadline": None},
    ],
    ids=["rectified", "answered", "withdrawn", "no-deadline"],
)
def test_issues_done_withdrawn_or_without_deadline_are_not_chased(
    branch_a, staff_a, lead_a, office, fields
):
    IssueFactory(branch=branch_a, responsible=staff_a, **{"deadline": DEADLINE, **fields})
    send_reminders(date(2026, 10, 20))
    assert told() == set()
    assert not SupervisionNotice.objects.exists()


def test_a_merged_issue_is_not_chased(branch_a, staff_a, lead_a, office):
    survivor = issue_due(branch_a, deadline=date(2026, 12, 31), responsible=staff_a)
    issue_due(branch_a, responsible=staff_a, merged_into=survivor, merged_at=timezone.now())
    send_reminders(date(2026, 10, 20))
    assert told() == set()
    assert not SupervisionNotice.objects.exists()


# --- once per deadline ----------------------------------------------------------------------


def test_run_twice_in_a_row_each_step_happens_once(
    branch_a, branch_b, staff_a, lead_a, staff_b, lead_b, office, mailoutbox
):
    issue_due(branch_a, responsible=staff_a)
    issue_due(branch_b, deadline=date(2026, 10, 14), responsible=staff_b)

    first = send_reminders(date(2026, 10, 12))
    sent, emailed = Notification.objects.count(), len(mailoutbox)
    second = send_reminders(date(2026, 10, 12))

    # A: lead (due), staff_a (overdue), office and lead (supervised); B: staff_b reminded.
    assert (sent, emailed) == (5, 5)
    assert Notification.objects.count() == 5
    assert len(mailoutbox) == 5
    assert "5 created, 5 emailed" in first
    assert "0 created, 0 emailed" in second
    assert SupervisionNotice.objects.count() == 1
    assert IssueEvent.objects.filter(kind=IssueEvent.Kind.SUPERVISED).count() == 1
    assert IssueEvent.objects.filter(kind=IssueEvent.Kind.CHASED).count() == 1


def test_run_every_day_for_a_month_each_step_goes_out_once(
    branch_a, staff_a, lead_a, office, mailoutbox
):
    issue = issue_due(branch_a, responsible=staff_a)
    for day in range(30):
        for _hour in range(2):
            send_reminders(date(2026, 9, 20) + timedelta(days=day))
    assert told() == {
        (Kind.DEADLINE_SOON, "staff_a", issue.pk),
        (Kind.DUE_TODAY, "lead_a", issue.pk),
        (Kind.OVERDUE, "staff_a", issue.pk),
        (Kind.SUPERVISED, "office", issue.pk),
        (Kind.SUPERVISED, "lead_a", issue.pk),
    }
    assert len(mailoutbox) == 5
    assert SupervisionNotice.objects.count() == 1
    assert IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.CHASED).count() == 1


def test_a_new_deadline_starts_the_steps_again(branch_a, staff_a, lead_a, office):
    issue = issue_due(branch_a, responsible=staff_a)
    send_reminders(date(2026, 9, 28))
    send_reminders(date(2026, 10, 10))
    issue.deadline = date(2026, 10, 14)  # an extension
    issue.save(update_fields=["deadline"])
    send_reminders(date(2026, 10, 10))
    send_reminders(date(2026, 10, 19))  # 3 working days after the 14th: 15, 16, 19

    reminded = Notification.objects.filter(kind=Kind.DEADLINE_SOON, recipient=staff_a)
    assert sorted(reminded.values_list("deadline", flat=True)) == [DEADLINE, date(2026, 10, 14)]
    notices = SupervisionNotice.objects.filter(issue=issue, automatic=True)
    assert sorted(notices.values_list("deadline", flat=True)) == [DEADLINE, date(2026, 10, 14)]
    assert IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.CHASED).count() == 2


def test_an_email_that_failed_is_sent_by_the_next_run(branch_a, staff_a, mailoutbox, monkeypatch):
    from django.core import mail

    issue_due(branch_a, responsible=staff_a)
    real_send = mail.send_mail

    def down(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(mail, "send_mail", down)
    assert "1 created, 0 emailed" in send_reminders(date(2026, 9, 28))
    monkeypatch.setattr(mail, "send_mail", real_send)
    assert "0 created, 1 emailed" in send_reminders(date(2026, 9, 28))
    assert len(mailoutbox) == 1


def test_the_queries_do_not_grow_with_the_number_of_issues(branch_a, branch_b, staff_a, lead_a):
    """Reminders and overdue notices cost the same for 3 issues as for 30 (the automatic
    supervision notices, written one by one, are not among these)."""

    def queries_for(count: int) -> int:
        before = Notification.objects.count()
        for index in range(count):
            branch = branch_a if index % 2 else branch_b
            deadline = date(2026, 10, 8) + timedelta(days=index % 3)
            issue_due(branch, deadline=deadline, responsible=staff_a, title=f"到期{index}")
        with CaptureQueriesContext(connection) as captured:
            send_reminders(date(2026, 10, 9))
        assert Notification.objects.count() >= before + count
        return len(captured.captured_queries)

    assert queries_for(3) == queries_for(30)


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="--today"):
        call_command("send_reminders", today="31.03.2026", stdout=StringIO())


def test_without_today_it_chases_as_of_the_local_date(branch_a, staff_a, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 9, 28))
    issue = issue_due(branch_a, responsible=staff_a)
    call_command("send_reminders", stdout=StringIO())
    assert told() == {(Kind.DEADLINE_SOON, "staff_a", issue.pk)}
