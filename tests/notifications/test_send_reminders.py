"""``manage.py send_reminders``: deadline approaching (3 days) and overdue, each once.

Run twice in a row, or every hour for days, it sends each reminder once; a new deadline
gets new reminders.
"""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from branches.models import Membership
from issues.models import Issue
from notifications.models import Notification
from tests.factories import IssueFactory, member

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
State = Issue.State
TODAY = date(2026, 3, 10)


def send_reminders(today=TODAY) -> str:
    out = StringIO()
    call_command("send_reminders", today=today.isoformat(), stdout=out)
    return out.getvalue()


def reminders() -> set[tuple[str, str, int]]:
    """(kind, username, issue pk) of every reminder sent."""
    return set(
        Notification.objects.filter(kind__in=[Kind.DEADLINE_SOON, Kind.OVERDUE]).values_list(
            "kind", "recipient__username", "issue_id"
        )
    )


def issue_due(branch, days: int, responsible=None, state=State.RECTIFYING, **fields) -> Issue:
    return IssueFactory(
        branch=branch,
        state=state,
        responsible=responsible,
        deadline=TODAY + timedelta(days=days),
        **fields,
    )


def test_a_deadline_three_days_ahead_reminds_the_responsible_person(
    branch_a, staff_a, lead_a, mailoutbox
):
    issue = issue_due(branch_a, 3, responsible=staff_a)

    output = send_reminders()

    assert reminders() == {(Kind.DEADLINE_SOON, "staff_a", issue.pk)}
    assert [mail.to for mail in mailoutbox] == [[staff_a.email]]
    assert "1 created, 1 emailed" in output
    assert Notification.objects.get().deadline == issue.deadline


@pytest.mark.parametrize("days", [0, 1, 2, 3])
def test_each_day_of_the_last_three_reminds(branch_a, staff_a, days):
    issue_due(branch_a, days, responsible=staff_a)
    send_reminders()
    assert {kind for kind, _user, _issue in reminders()} == {Kind.DEADLINE_SOON}


def test_a_deadline_four_days_ahead_is_not_reminded_yet(branch_a, staff_a, mailoutbox):
    issue_due(branch_a, 4, responsible=staff_a)
    assert "0 created, 0 emailed" in send_reminders()
    assert mailoutbox == []


def test_without_a_responsible_person_the_branch_leads_are_reminded(
    branch_a, staff_a, lead_a, lead_b
):
    member(Membership.Role.LEAD, branch_a, username="lead_a2")
    issue = issue_due(branch_a, 1)
    send_reminders()
    assert reminders() == {
        (Kind.DEADLINE_SOON, "lead_a", issue.pk),
        (Kind.DEADLINE_SOON, "lead_a2", issue.pk),
    }


def test_a_deactivated_responsible_person_counts_as_nobody(branch_a, staff_a, lead_a):
    issue = issue_due(branch_a, 1, responsible=staff_a)
    staff_a.is_active = False
    staff_a.save(update_fields=["is_active"])
    send_reminders()
    assert reminders() == {(Kind.DEADLINE_SOON, "lead_a", issue.pk)}


def test_overdue_reminds_the_responsible_person_and_the_branch_lead(
    branch_a, staff_a, lead_a, staff_b, lead_b, mailoutbox
):
    issue = issue_due(branch_a, -1, responsible=staff_a, state=State.ESCALATED)
    send_reminders()
    assert reminders() == {(Kind.OVERDUE, "staff_a", issue.pk), (Kind.OVERDUE, "lead_a", issue.pk)}
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([staff_a.email, lead_a.email])


def test_a_lead_responsible_for_an_overdue_issue_is_reminded_once(branch_a, lead_a):
    issue = issue_due(branch_a, -5, responsible=lead_a, state=State.COLLECTED)
    send_reminders()
    assert reminders() == {(Kind.OVERDUE, "lead_a", issue.pk)}


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
def test_issues_done_withdrawn_or_without_deadline_are_not_reminded(
    branch_a, staff_a, lead_a, fields
):
    IssueFactory(
        branch=branch_a, responsible=staff_a, **{"deadline": TODAY - timedelta(1), **fields}
    )
    send_reminders()
    assert reminders() == set()


def test_a_merged_issue_is_not_reminded(branch_a, staff_a, lead_a):
    survivor = issue_due(branch_a, 30, responsible=staff_a)
    issue_due(branch_a, -1, responsible=staff_a, merged_into=survivor, merged_at=timezone.now())
    send_reminders()
    assert reminders() == set()


def test_run_twice_in_a_row_it_sends_each_reminder_once(
    branch_a, branch_b, staff_a, lead_a, staff_b, lead_b, mailoutbox
):
    issue_due(branch_a, 2, responsible=staff_a)
    issue_due(branch_a, -3, responsible=staff_a)
    issue_due(branch_b, 0)
    issue_due(branch_b, -1, responsible=staff_b)

    first = send_reminders()
    sent, emailed = Notification.objects.count(), len(mailoutbox)
    second = send_reminders()

    assert (sent, emailed) == (6, 6)
    assert Notification.objects.count() == 6
    assert len(mailoutbox) == 6
    assert "6 created, 6 emailed" in first
    assert "0 created, 0 emailed" in second


def test_run_every_hour_for_a_week_each_reminder_goes_out_once(
    branch_a, staff_a, lead_a, mailoutbox
):
    issue = issue_due(branch_a, 3, responsible=staff_a)
    for day in range(7):
        for _hour in range(3):
            send_reminders(TODAY + timedelta(days=day))
    assert reminders() == {
        (Kind.DEADLINE_SOON, "staff_a", issue.pk),
        (Kind.OVERDUE, "staff_a", issue.pk),
        (Kind.OVERDUE, "lead_a", issue.pk),
    }
    assert len(mailoutbox) == 3


def test_a_new_deadline_gets_new_reminders(branch_a, staff_a, lead_a, mailoutbox):
    issue = issue_due(branch_a, 1, responsible=staff_a)
    send_reminders()
    issue.deadline = TODAY + timedelta(days=2)
    issue.save(update_fields=["deadline"])
    send_reminders()
    send_reminders()

    deadlines = Notification.objects.filter(recipient=staff_a).values_list("deadline", flat=True)
    assert sorted(deadlines) == [TODAY + timedelta(days=1), TODAY + timedelta(days=2)]
    assert len(mailoutbox) == 2


def test_an_email_that_failed_is_sent_by_the_next_run(branch_a, staff_a, mailoutbox, monkeypatch):
    from django.core import mail

    issue_due(branch_a, 1, responsible=staff_a)
    real_send = mail.send_mail

    def down(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(mail, "send_mail", down)
    assert "1 created, 0 emailed" in send_reminders()
    monkeypatch.setattr(mail, "send_mail", real_send)
    assert "0 created, 1 emailed" in send_reminders()
    assert len(mailoutbox) == 1


def test_the_queries_do_not_grow_with_the_number_of_issues(branch_a, branch_b, staff_a, lead_a):
    def queries_for(count: int) -> int:
        Notification.objects.all().delete()
        Issue.objects.filter(title__startswith="到期").delete()
        for index in range(count):
            branch = branch_a if index % 2 else branch_b
            issue_due(branch, index % 6 - 2, responsible=staff_a, title=f"到期{index}")
        with CaptureQueriesContext(connection) as captured:
            send_reminders()
        assert Notification.objects.count() >= count
        return len(captured.captured_queries)

    assert queries_for(3) == queries_for(30)


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="--today"):
        call_command("send_reminders", today="31.03.2026", stdout=StringIO())


def test_without_today_it_reminds_as_of_the_local_date(branch_a, staff_a):
    issue = IssueFactory(
        branch=branch_a,
        state=State.RECTIFYING,
        responsible=staff_a,
        deadline=timezone.localdate() + timedelta(days=1),
    )
    call_command("send_reminders", stdout=StringIO())
    assert reminders() == {(Kind.DEADLINE_SOON, "staff_a", issue.pk)}
