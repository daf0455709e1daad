"""What each transition needs and what it writes, beyond who may make it.

Role and state are covered, combination by combination, in ``test_transitions_table.py``;
here the actors are always allowed, and the tests are about required fields, guards, the
fields each transition records, and stale (repeated) submissions.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from issues.models import Escalation, Issue, IssueEvent, ProvincialDecision, Reply
from issues.services import rectification_report
from issues.transitions import StaleTransition, apply_transition, available_transitions
from tests.factories import (
    ActivityFactory,
    EnterpriseFactory,
    EscalationFactory,
    FeedbackItemFactory,
    IssueFactory,
    ProvincialDecisionFactory,
    ProvincialMeetingFactory,
    ReplyFactory,
    member,
)

pytestmark = pytest.mark.django_db

State = Issue.State
Satisfaction = Reply.Satisfaction


def today():
    return timezone.localdate()


@pytest.fixture
def activity(branch_a):
    return ActivityFactory(branch=branch_a)


def make_issue(activity, state=State.COLLECTED, items=1, **fields):
    """An issue of the activity's branch with ``items`` linked opinions."""
    linked = [FeedbackItemFactory(activity=activity) for _ in range(items)]
    if linked:
        fields.setdefault("category", linked[0].category)
    return IssueFactory(
        branch=activity.branch,
        campaign=activity.campaign,
        state=state,
        feedback_items=linked,
        **fields,
    )


def move(issue, name, actor, *, expected_state=None, **values):
    return apply_transition(
        issue_id=issue.pk,
        name=name,
        actor=actor,
        expected_state=expected_state or issue.state,
        **values,
    )


def plan_values(staff_a, **overrides):
    values = {
        "measures": "公布检验预约电话，三个工作日内安排上门",
        "responsible": staff_a,
        "deadline": today() + timedelta(days=30),
    }
    values.update(overrides)
    return values


def row(issue):
    """The issue's stored row, to show a refusal changed nothing."""
    return Issue.objects.filter(pk=issue.pk).values().get()


def transition_events(issue):
    return IssueEvent.objects.filter(issue=issue, kind=IssueEvent.Kind.TRANSITION)


# --- plan ----------------------------------------------------------------------------


def test_plan_with_blank_measures_and_no_responsible_names_both_fields(activity, staff_a):
    issue = make_issue(activity)
    before = row(issue)
    with pytest.raises(ValidationError) as refused:
        move(issue, "plan", staff_a, **plan_values(staff_a, measures="   ", responsible=None))
    assert set(refused.value.message_dict) == {"measures", "responsible"}
    assert row(issue) == before


def test_an_issue_awaiting_signature_is_not_planned_fixed_or_escalated(activity, staff_a, lead_a):
    issue = make_issue(activity, signed_at=None)
    before = row(issue)
    for name, actor, values in (
        ("plan", staff_a, plan_values(staff_a)),
        ("fix_now", staff_a, {"rectification": "当场整改"}),
        ("escalate", lead_a, {"reason": "需省院协调"}),
    ):
        with pytest.raises(ValidationError):
            move(issue, name, actor, **values)
    assert row(issue) == before
    assert not issue.events.exists()


def test_plan_records_measures_responsible_and_keeps_the_clocks_deadline(activity, staff_a, lead_a):
    deadline = today() + timedelta(days=21)  # set by the clock when the issue was signed for
    issue = make_issue(activity, deadline=deadline)
    move(issue, "plan", lead_a, **plan_values(staff_a, deadline=today()))
    issue.refresh_from_db()
    assert issue.state == State.RECTIFYING
    assert issue.measures.startswith("公布检验预约电话")
    assert issue.responsible == staff_a
    assert issue.deadline == deadline
    assert not issue.immediate_fix
    assert issue.rectified_at is None
    event = transition_events(issue).get()
    assert event.note == issue.measures  # the event says what was planned when no note is given


# --- fix_now, verify ---------------------------------------------------------------------


def test_fix_now_marks_an_immediate_fix_rectified_now(activity, staff_a):
    issue = make_issue(activity)
    before = timezone.now()
    move(issue, "fix_now", staff_a, rectification="当场为企业补办检验报告")
    issue.refresh_from_db()
    assert issue.state == State.RECTIFIED
    assert issue.immediate_fix is True
    assert issue.rectification == "当场为企业补办检验报告"
    assert issue.rectified_at is not None and issue.rectified_at >= before
    assert issue.verified_by == staff_a


def test_fix_now_needs_what_was_done(activity, staff_a):
    issue = make_issue(activity)
    with pytest.raises(ValidationError) as refused:
        move(issue, "fix_now", staff_a, rectification="")
    assert set(refused.value.message_dict) == {"rectification"}
    issue.refresh_from_db()
    assert (issue.state, issue.immediate_fix, issue.rectified_at) == (State.COLLECTED, False, None)


def test_verify_is_refused_until_the_rectification_is_reported(activity, lead_a):
    issue = make_issue(activity, state=State.RECTIFYING)
    with pytest.raises(ValidationError) as refused:
        move(issue, "verify", lead_a)
    assert refused.value.code == "rectification_missing"
    assert row(issue)["state"] == State.RECTIFYING
    assert not issue.events.exists()


def test_verify_records_who_verified_and_when(activity, lead_a):
    issue = make_issue(activity, state=State.RECTIFYING, rectification="已增派检验员")
    move(issue, "verify", lead_a)
    issue.refresh_from_db()
    assert issue.state == State.RECTIFIED
    assert issue.verified_by == lead_a
    assert issue.rectified_at is not None
    assert issue.immediate_fix is False


# --- answer --------------------------------------------------------------------------


def test_answer_is_refused_while_opinions_lack_replies_and_names_them(activity, staff_a):
    named = FeedbackItemFactory(
        activity=activity, enterprise=EnterpriseFactory(branch=activity.branch, name="宏达锅炉厂")
    )
    anonymous = FeedbackItemFactory(activity=activity, anonymous=True)
    replied = FeedbackItemFactory(activity=activity)
    ReplyFactory(feedback_item=replied, replied_by=staff_a)
    issue = IssueFactory(
        branch=activity.branch,
        campaign=activity.campaign,
        state=State.RECTIFIED,
        feedback_items=[named, anonymous, replied],
    )
    before = row(issue)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        move(issue, "answer", staff_a)
    assert refused.value.code == "replies_missing"
    message = refused.value.messages[0]
    assert f"#{named.pk} 宏达锅炉厂" in message
    assert f"#{anonymous.pk} anonymous" in message
    assert f"#{replied.pk} " not in message
    assert row(issue) == before
    assert not issue.events.exists()


def test_answer_is_allowed_once_every_opinion_has_a_reply(activity, staff_a):
    issue = make_issue(activity, state=State.RECTIFIED, items=2)
    first, second = issue.feedback_items.order_by("pk")
    ReplyFactory(feedback_item=first, replied_by=staff_a)
    with pytest.raises(ValidationError):
        move(issue, "answer", staff_a)
    ReplyFactory(feedback_item=second, replied_by=staff_a)
    move(issue, "answer", staff_a)
    issue.refresh_from_db()
    assert issue.state == State.ANSWERED
    assert issue.answered_at is not None


def test_a_withdrawn_opinion_does_not_hold_the_answer_back(activity, staff_a):
    issue = make_issue(activity, state=State.RECTIFIED)
    ReplyFactory(feedback_item=issue.feedback_items.get(), replied_by=staff_a)
    FeedbackItemFactory(activity=activity, withdrawn=True, issue=issue)
    move(issue, "answer", staff_a)
    assert row(issue)["state"] == State.ANSWERED


# --- reopen --------------------------------------------------------------------------


def answered_issue(activity, staff_a, satisfaction):
    issue = make_issue(
        activity,
        state=State.ANSWERED,
        rectification="已整改",
        rectified_at=timezone.now(),
        verified_by=staff_a,
        answered_at=timezone.now(),
    )
    ReplyFactory(
        feedback_item=issue.feedback_items.get(), replied_by=staff_a, satisfaction=satisfaction
    )
    return issue


@pytest.mark.parametrize(
    "satisfaction", [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, ""]
)
def test_reopen_is_refused_without_an_unsatisfied_reply(activity, staff_a, lead_a, satisfaction):
    issue = answered_issue(activity, staff_a, satisfaction)
    before = row(issue)
    with pytest.raises(ValidationError) as refused:
        move(issue, "reopen", lead_a, note="企业仍有意见")
    assert refused.value.code == "no_unsatisfied_reply"
    assert row(issue) == before


def test_reopen_needs_a_note(activity, staff_a, lead_a):
    issue = answered_issue(activity, staff_a, Satisfaction.UNSATISFIED)
    with pytest.raises(ValidationError) as refused:
        move(issue, "reopen", lead_a, note="  ")
    assert set(refused.value.message_dict) == {"note"}
    assert row(issue)["state"] == State.ANSWERED


def test_reopen_counts_and_clears_rectified_and_answered(activity, staff_a, lead_a):
    issue = answered_issue(activity, staff_a, Satisfaction.UNSATISFIED)
    move(issue, "reopen", lead_a, note="企业对答复不满意，重新整改")
    issue.refresh_from_db()
    assert issue.state == State.RECTIFYING
    assert issue.reopen_count == 1
    assert issue.answered_at is None
    assert issue.rectified_at is None
    assert issue.verified_by is None
    assert issue.rectification == ""
    event = transition_events(issue).get()
    assert (event.from_state, event.to_state, event.note) == (
        State.ANSWERED,
        State.RECTIFYING,
        "企业对答复不满意，重新整改",
    )


def test_a_second_round_reopens_again_and_counts_two(activity, staff_a, lead_a):
    issue = answered_issue(activity, staff_a, Satisfaction.UNSATISFIED)
    move(issue, "reopen", lead_a, note="第一次重新整改")
    rectification_report(actor=staff_a, issue=issue, rectification="再次整改完成")
    move(issue, "verify", lead_a, expected_state=State.RECTIFYING)
    ReplyFactory(
        feedback_item=issue.feedback_items.get(),
        replied_by=staff_a,
        satisfaction=Satisfaction.UNSATISFIED,
    )
    move(issue, "answer", staff_a, expected_state=State.RECTIFIED)
    move(issue, "reopen", lead_a, expected_state=State.ANSWERED, note="第二次重新整改")
    issue.refresh_from_db()
    assert issue.reopen_count == 2
    assert list(transition_events(issue).values_list("to_state", flat=True)) == [
        State.RECTIFYING,
        State.RECTIFIED,
        State.ANSWERED,
        State.RECTIFYING,
    ]


# --- escalate and decide ---------------------------------------------------------------


@pytest.mark.parametrize("state", [State.COLLECTED, State.RECTIFYING])
def test_escalate_creates_an_escalation(activity, lead_a, state):
    issue = make_issue(activity, state=state)
    move(issue, "escalate", lead_a, reason="涉及全省收费政策")
    issue.refresh_from_db()
    assert issue.state == State.ESCALATED
    escalation = Escalation.objects.get(issue=issue)
    assert escalation.reason == "涉及全省收费政策"
    assert escalation.requested_by == lead_a
    assert not ProvincialDecision.objects.filter(escalation=escalation).exists()


def test_escalate_needs_a_reason(activity, lead_a):
    issue = make_issue(activity)
    with pytest.raises(ValidationError) as refused:
        move(issue, "escalate", lead_a, reason="")
    assert set(refused.value.message_dict) == {"reason"}
    assert not Escalation.objects.exists()
    assert row(issue)["state"] == State.COLLECTED


def test_decide_answers_the_open_escalation_and_sets_the_deadline(
    activity, staff_a, lead_a, office
):
    issue = make_issue(activity, state=State.ESCALATED)
    # An earlier escalation already decided must not be decided again.
    old = EscalationFactory(
        issue=issue, requested_by=lead_a, requested_at=timezone.now() - timedelta(days=40)
    )
    ProvincialDecisionFactory(escalation=old, recorded_by=office)
    open_escalation = EscalationFactory(issue=issue, requested_by=lead_a)
    meeting = ProvincialMeetingFactory(recorded_by=office)
    deadline = today() + timedelta(days=45)
    move(
        issue,
        "decide",
        office,
        meeting=meeting,
        decision="省院统一调整收费标准，由分院落实",
        owner=staff_a,
        deadline=deadline,
    )
    issue.refresh_from_db()
    assert issue.state == State.RECTIFYING
    decision = ProvincialDecision.objects.get(escalation=open_escalation)
    assert decision.meeting == meeting
    assert decision.owner == staff_a
    assert decision.deadline == deadline
    assert decision.recorded_by == office
    assert ProvincialDecision.objects.count() == 2
    assert issue.deadline == deadline
    assert issue.responsible == staff_a  # the owner works in the issue's branch
    assert issue.measures == "省院统一调整收费标准，由分院落实"


def test_decide_keeps_the_branch_responsible_when_the_owner_is_elsewhere(
    activity, staff_a, lead_a, office
):
    issue = make_issue(activity, state=State.ESCALATED, responsible=staff_a, measures="原措施")
    EscalationFactory(issue=issue, requested_by=lead_a)
    outsider = member("staff", username="staff_elsewhere")
    move(
        issue,
        "decide",
        office,
        meeting=ProvincialMeetingFactory(recorded_by=office),
        decision="由其他分院协助",
        owner=outsider,
    )
    issue.refresh_from_db()
    assert issue.responsible == staff_a
    assert issue.measures == "原措施"
    assert issue.deadline is None


def test_decide_without_an_open_escalation_is_refused(activity, office):
    issue = make_issue(activity, state=State.ESCALATED)
    with pytest.raises(ValidationError):
        move(
            issue,
            "decide",
            office,
            meeting=ProvincialMeetingFactory(recorded_by=office),
            decision="省院决定",
        )
    assert row(issue)["state"] == State.ESCALATED
    assert not ProvincialDecision.objects.exists()


def test_decide_needs_a_meeting_and_a_decision(activity, lead_a, office):
    issue = make_issue(activity, state=State.ESCALATED)
    EscalationFactory(issue=issue, requested_by=lead_a)
    with pytest.raises(ValidationError) as refused:
        move(issue, "decide", office, meeting=None, decision="")
    assert set(refused.value.message_dict) == {"meeting", "decision"}
    assert not ProvincialDecision.objects.exists()


# --- stale and repeated submissions ------------------------------------------------------


def test_a_double_click_applies_once_and_the_second_is_stale(activity, staff_a):
    issue = make_issue(activity)
    values = plan_values(staff_a)
    move(issue, "plan", staff_a, expected_state=State.COLLECTED, **values)
    with pytest.raises(StaleTransition) as refused:
        move(issue, "plan", staff_a, expected_state=State.COLLECTED, **values)
    assert refused.value.code == "stale"
    assert transition_events(issue).count() == 1
    assert row(issue)["state"] == State.RECTIFYING


def test_a_page_drawn_before_another_move_is_stale(activity, staff_a, lead_a):
    issue = make_issue(activity)
    move(issue, "fix_now", staff_a, rectification="当场解决")  # another tab, another person
    with pytest.raises(StaleTransition) as refused:
        move(issue, "escalate", lead_a, expected_state=State.COLLECTED, reason="迟到的升级")
    assert refused.value.code == "stale"
    assert not Escalation.objects.exists()
    assert row(issue)["state"] == State.RECTIFIED


def test_an_unknown_action_is_refused(activity, staff_a):
    issue = make_issue(activity)
    with pytest.raises(ValidationError) as refused:
        move(issue, "delete", staff_a)
    assert refused.value.code == "unknown_transition"


# --- merged and withdrawn issues -------------------------------------------------------


@pytest.fixture
def merged_issue(activity, staff_a):
    survivor = make_issue(activity)
    # A merged or withdrawn issue holds no opinion (the database refuses it).
    return make_issue(activity, merged_into=survivor, merged_at=timezone.now(), items=0)


@pytest.fixture
def withdrawn_issue(activity):
    return make_issue(activity, withdrawn=True, items=0)


@pytest.mark.parametrize("which", ["merged_issue", "withdrawn_issue"])
def test_merged_or_withdrawn_issue_offers_no_transition_and_refuses(
    request, which, staff_a, lead_a
):
    issue = request.getfixturevalue(which)
    assert available_transitions(staff_a, issue) == []
    assert available_transitions(lead_a, issue) == []
    before = row(issue)
    for name, actor, values in [
        ("plan", staff_a, plan_values(staff_a)),
        ("fix_now", staff_a, {"rectification": "当场解决"}),
        ("escalate", lead_a, {"reason": "需要省院"}),
    ]:
        with pytest.raises(ValidationError) as refused:
            move(issue, name, actor, **values)
        assert refused.value.code == "closed"
    assert row(issue) == before
    assert not issue.events.exists()
    assert not Escalation.objects.filter(issue=issue).exists()


def test_an_inactive_account_cannot_move_an_issue(activity, inactive_user):
    issue = make_issue(activity)
    assert available_transitions(inactive_user, issue) == []
    with pytest.raises(PermissionDenied):
        move(issue, "fix_now", inactive_user, rectification="当场解决")
    assert row(issue)["state"] == State.COLLECTED
