"""Who is told about each event of the workflow (notifications/triggers.py): exactly the
people DESIGN.md names, never the person who acted, each once, with one email each."""

from datetime import timedelta

import pytest
from django.utils import timezone

from branches.models import Membership
from issues import services
from issues.models import Issue, Reply
from issues.transitions import TRANSITIONS, apply_transition
from notifications.models import Notification
from notifications.triggers import after_transition
from tests.factories import (
    FeedbackItemFactory,
    IssueFactory,
    ProvincialMeetingFactory,
    ReplyFactory,
    member,
)
from tests.notifications.conftest import told

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
Role = Membership.Role
State = Issue.State


def in_a_week():
    return timezone.localdate() + timedelta(days=7)


def plan(issue, actor, responsible):
    return apply_transition(
        issue_id=issue.pk,
        name="plan",
        actor=actor,
        expected_state=State.COLLECTED,
        measures="更新收费公示栏",
        responsible=responsible,
        deadline=in_a_week(),
    )


def escalate(issue, lead, from_state=State.COLLECTED):
    return apply_transition(
        issue_id=issue.pk,
        name="escalate",
        actor=lead,
        expected_state=from_state,
        reason="涉及全省收费标准，分院无权调整",
    )


def decide(issue, office, owner=None):
    return apply_transition(
        issue_id=issue.pk,
        name="decide",
        actor=office,
        expected_state=State.ESCALATED,
        meeting=ProvincialMeetingFactory(recorded_by=office),
        decision="由省院统一修订收费公示模板",
        owner=owner,
        deadline=in_a_week(),
    )


# --- being made responsible ---------------------------------------------------------------


def test_planning_tells_the_responsible_person_and_emails_them(
    issue_a, staff_a, lead_a, mailoutbox
):
    Issue.objects.filter(pk=issue_a.pk).update(deadline=in_a_week())  # the clock's
    plan(issue_a, staff_a, responsible=lead_a)

    assert told(issue_a) == {"lead_a"}
    notification = Notification.objects.get(issue=issue_a)
    assert (notification.kind, notification.actor, notification.deadline) == (
        Kind.RESPONSIBLE,
        staff_a,
        in_a_week(),
    )
    assert [mail.to for mail in mailoutbox] == [[lead_a.email]]
    assert issue_a.title in mailoutbox[0].subject
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_making_oneself_responsible_notifies_nobody(issue_a, staff_a, mailoutbox):
    plan(issue_a, staff_a, responsible=staff_a)
    assert told(issue_a) == set()
    assert mailoutbox == []


# --- escalation and decision --------------------------------------------------------------


def test_escalation_tells_every_active_provincial_office_user(
    issue_a, lead_a, office, leader, staff_a, province, mailoutbox
):
    member(Role.OFFICE, province, username="office2")
    gone = member(Role.OFFICE, province, username="office_retired")
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    escalate(issue_a, lead_a)

    assert told(issue_a, Kind.ESCALATION) == {"office", "office2"}
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        [office.email, "office2@example.com"]
    )


def test_escalation_from_rectifying_tells_the_office_again_for_the_new_escalation(
    issue_a, staff_a, lead_a, office
):
    escalate(issue_a, lead_a)
    decide(issue_a, office)
    Issue.objects.filter(pk=issue_a.pk).update(signed_at=timezone.now())  # signed for again
    escalate(issue_a, lead_a, from_state=State.RECTIFYING)
    assert Notification.objects.filter(issue=issue_a, kind=Kind.ESCALATION).count() == 2


def test_decision_tells_the_branch_and_the_owner_but_not_the_office_that_decided(
    issue_a, staff_a, lead_a, staff_b, office, leader, province
):
    owner = member(Role.OFFICE, province, username="owner_office")
    escalate(issue_a, lead_a)
    Notification.objects.all().delete()

    decide(issue_a, office, owner=owner)

    assert told(issue_a) == {"staff_a", "lead_a", "owner_office"}
    assert set(Notification.objects.values_list("kind", flat=True)) == {Kind.DECISION}


def test_decision_tells_each_person_once_whatever_their_parts(issue_a, staff_a, lead_a, office):
    plan(issue_a, lead_a, responsible=staff_a)
    escalate(issue_a, lead_a, from_state=State.RECTIFYING)
    decide(issue_a, office, owner=staff_a)
    # staff_a is branch staff, the decision's owner and the responsible person.
    assert Notification.objects.filter(issue=issue_a, kind=Kind.DECISION).count() == 2
    assert told(issue_a, Kind.DECISION) == {"staff_a", "lead_a"}


# --- reopening ----------------------------------------------------------------------------


def test_reopening_tells_the_responsible_person(branch_a, staff_a, lead_a):
    item = FeedbackItemFactory(activity__branch=branch_a)
    issue = IssueFactory(
        branch=branch_a,
        campaign=item.activity.campaign,
        state=State.ANSWERED,
        responsible=staff_a,
        feedback_items=[item],
    )
    ReplyFactory(
        feedback_item=item, replied_by=staff_a, satisfaction=Reply.Satisfaction.UNSATISFIED
    )

    apply_transition(
        issue_id=issue.pk,
        name="reopen",
        actor=lead_a,
        expected_state=State.ANSWERED,
        note="企业对答复不满意",
    )

    assert told(issue, Kind.REOPENED) == {"staff_a"}


# --- transitions nobody else needs to hear about ------------------------------------------


def test_fixing_on_the_spot_verifying_and_answering_notify_nobody(
    issue_a, staff_a, lead_a, mailoutbox
):
    apply_transition(
        issue_id=issue_a.pk,
        name="fix_now",
        actor=staff_a,
        expected_state=State.COLLECTED,
        rectification="当场更换了公示牌",
    )
    for item in issue_a.feedback_items.all():
        ReplyFactory(feedback_item=item, replied_by=staff_a)
    apply_transition(
        issue_id=issue_a.pk, name="answer", actor=staff_a, expected_state=State.RECTIFIED
    )
    assert told(issue_a) == set()
    assert mailoutbox == []


# --- replies and instructions (on commit) -------------------------------------------------


def record_reply(actor, item, satisfaction):
    return services.reply_record(
        actor=actor,
        feedback_item=item,
        channel=Reply.Channel.PHONE,
        content="已电话告知整改结果",
        satisfaction=satisfaction,
    )


def test_an_unsatisfied_reply_tells_every_lead_of_the_branch(
    issue_a, staff_a, lead_a, lead_b, branch_a, django_capture_on_commit_callbacks, mailoutbox
):
    member(Role.LEAD, branch_a, username="lead_a2")
    item = issue_a.feedback_items.get()
    with django_capture_on_commit_callbacks(execute=True):
        record_reply(staff_a, item, Reply.Satisfaction.UNSATISFIED)

    assert told(issue_a, Kind.UNSATISFIED_REPLY) == {"lead_a", "lead_a2"}
    assert len(mailoutbox) == 2


def test_the_lead_who_records_an_unsatisfied_reply_is_not_told_of_it(
    issue_a, lead_a, branch_a, django_capture_on_commit_callbacks
):
    member(Role.LEAD, branch_a, username="lead_a2")
    with django_capture_on_commit_callbacks(execute=True):
        record_reply(lead_a, issue_a.feedback_items.get(), Reply.Satisfaction.UNSATISFIED)
    assert told(issue_a) == {"lead_a2"}


@pytest.mark.parametrize(
    "satisfaction",
    [
        Reply.Satisfaction.SATISFIED,
        Reply.Satisfaction.BASICALLY_SATISFIED,
        Reply.Satisfaction.NOT_REACHABLE,
        "",
    ],
)
def test_other_replies_notify_nobody(
    issue_a, staff_a, lead_a, satisfaction, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_reply(staff_a, issue_a.feedback_items.get(), satisfaction)
    assert not Notification.objects.exists()


def test_an_unsatisfied_reply_to_an_opinion_without_issue_notifies_nobody(
    branch_a, staff_a, lead_a, django_capture_on_commit_callbacks
):
    item = FeedbackItemFactory(activity__branch=branch_a, closed=True)
    with django_capture_on_commit_callbacks(execute=True):
        record_reply(staff_a, item, Reply.Satisfaction.UNSATISFIED)
    assert not Notification.objects.exists()


def test_a_leader_instruction_tells_the_branch_staff_and_lead(
    issue_a, staff_a, lead_a, staff_b, lead_b, office, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        instruction = services.instruction_write(
            actor=leader, issue=issue_a, content="请尽快整改并向企业反馈"
        )
    assert told(issue_a, Kind.INSTRUCTION) == {"staff_a", "lead_a"}
    assert set(Notification.objects.values_list("actor", flat=True)) == {leader.pk}
    assert instruction.pk


def test_a_reply_tells_the_lead_only_once_it_is_committed(
    issue_a, staff_a, lead_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_reply(staff_a, issue_a.feedback_items.get(), Reply.Satisfaction.UNSATISFIED)
    assert not Notification.objects.exists()
    callbacks[0]()
    assert told(issue_a) == {"lead_a"}


# --- each event once ----------------------------------------------------------------------


def test_the_same_event_told_twice_makes_one_notification_and_one_email(
    issue_a, staff_a, lead_a, mailoutbox
):
    issue = plan(issue_a, staff_a, responsible=lead_a)
    values = {"responsible": lead_a, "deadline": issue.deadline, "measures": "x"}
    after_transition(issue=issue, transition=TRANSITIONS["plan"], actor=staff_a, values=values)
    after_transition(issue=issue, transition=TRANSITIONS["plan"], actor=staff_a, values=values)
    assert Notification.objects.filter(issue=issue).count() == 1
    assert len(mailoutbox) == 1


def test_a_deactivated_responsible_person_is_not_told(issue_a, staff_a, lead_a, mailoutbox):
    issue = plan(issue_a, staff_a, responsible=lead_a)
    lead_a.is_active = False
    lead_a.save(update_fields=["is_active"])
    Notification.objects.all().delete()
    issue.responsible = lead_a
    after_transition(issue=issue, transition=TRANSITIONS["plan"], actor=staff_a, values={})
    assert not Notification.objects.exists()
