"""Every (state, transition, persona) of the workflow, one test each.

The expected outcome is read from the ``TRANSITIONS`` table and each persona's role and
branch only (never from ``role_may``): a move is allowed exactly when the issue's state is
one of the transition's sources, the persona's role is one of its roles, and a branch role
acts on its own branch. Allowed moves succeed and write one transition event; forbidden
ones raise and leave every row as it was. That the table itself is the design's is checked
apart, against a statement written from DESIGN.md (``test_permissions_from_design.py``).

Each issue is of branch A and is made ready for the transition tried (rectification
reported for ``verify``, every opinion replied for ``answer``, an unsatisfied reply for
``reopen``, an open escalation and a meeting for ``decide``; for the clock's actions, which
keep the state: not signed for yet, a return awaiting a ruling, a deadline to extend, a
pending request, an overdue deadline), so a refusal can only come from state, role or scope.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from branches.models import Membership
from branches.scoping import membership_of
from issues.models import (
    DeadlineExtension,
    Escalation,
    Issue,
    IssueEvent,
    IssueReturn,
    ProvincialDecision,
    Reply,
    ReturnReason,
    SupervisionNotice,
)
from issues.transitions import (
    TRANSITIONS,
    StaleTransition,
    Transition,
    apply_transition,
    available_transitions,
)
from tests.factories import (
    ActivityFactory,
    EscalationFactory,
    FeedbackItemFactory,
    IssueFactory,
    ProvincialMeetingFactory,
    ReplyFactory,
)

pytestmark = pytest.mark.django_db

Role = Membership.Role
STATES = list(Issue.State.values)
BRANCH_ROLES = frozenset({Role.STAFF, Role.LEAD})
NOTE = "表驱动测试的备注"

#: Persona -> (role, branch). Branch "a" owns every issue here; None is provincial or none.
PERSONAS = {
    "staff_a": (Role.STAFF, "a"),
    "lead_a": (Role.LEAD, "a"),
    "staff_b": (Role.STAFF, "b"),
    "lead_b": (Role.LEAD, "b"),
    "office": (Role.OFFICE, None),
    "leader": (Role.LEADER, None),
    "admin_user": (None, None),
    "no_role_user": (None, None),
}


#: The clock's actions (issue 12): open only in a situation ``issue_ready_for`` makes (not
#: on a plain signed issue without a deadline).
CLOCK_ACTIONS = frozenset(
    {"sign_for", "return", "rule_return", "request_extension", "decide_extension", "office_extend"}
)
#: Beyond role and branch, who may in that situation: the extension staff A asked for on a
#: branch issue (not decided by the province, not overdue) is decided by A's lead alone.
SITUATION_DECIDERS = {"decide_extension": frozenset({"lead_a"})}


def role_allows(transition: Transition, persona: str) -> bool:
    """The persona's role may make the transition on an issue of branch A (state aside)."""
    if transition.name in SITUATION_DECIDERS:
        return persona in SITUATION_DECIDERS[transition.name]
    role, branch = PERSONAS[persona]
    if role not in transition.roles:
        return False
    return branch == "a" if role in BRANCH_ROLES else True


def expected_allowed(state: str, transition: Transition, persona: str) -> bool:
    return state in transition.sources and role_allows(transition, persona)


def issue_ready_for(name: str, state: str, *, branch, personas):
    """An issue of ``branch`` in ``state`` with one linked opinion and what ``name`` needs."""
    activity = ActivityFactory(branch=branch)
    # Anonymous: no enterprise row to make, 322 times over.
    item = FeedbackItemFactory(activity=activity, anonymous=True)
    issue = IssueFactory(
        branch=branch,
        campaign=activity.campaign,
        category=item.category,
        state=state,
        feedback_items=[item],
    )
    values: dict = {}
    today = timezone.localdate()
    if name == "plan":
        values = {
            "measures": "约定上门服务时间并公示",
            "responsible": personas["staff_a"],
            "deadline": today + timedelta(days=30),
        }
    elif name == "fix_now":
        values = {"rectification": "当场更正收费单据"}
    elif name == "escalate":
        values = {"reason": "涉及全省收费标准，需省院决定"}
    elif name == "decide":
        EscalationFactory(issue=issue, requested_by=personas["lead_a"])
        values = {
            "meeting": ProvincialMeetingFactory(recorded_by=personas["office"]),
            "decision": "由省院统一修订收费标准",
            "deadline": today + timedelta(days=60),
        }
    elif name == "verify":
        issue.rectification = "已调整检验排期"
        issue.save(update_fields=["rectification"])
    elif name == "answer":
        ReplyFactory(feedback_item=item, replied_by=personas["staff_a"])
    elif name == "reopen":
        ReplyFactory(
            feedback_item=item,
            replied_by=personas["staff_a"],
            satisfaction=Reply.Satisfaction.UNSATISFIED,
        )
    elif name in CLOCK_ACTIONS:
        values = clock_situation(name, issue, personas, today)
    elif name == "supervise":
        values = {"content": "请于三个工作日内书面说明整改进展"}
    elif name == "answer_supervision":
        notice = SupervisionNotice.objects.create(issue=issue, automatic=True, content="逾期未整改")
        values = {"answer": "已调配人手，本周内完成", "notice_id": notice.pk}
    return issue, values


def clock_situation(name: str, issue: Issue, personas, today) -> dict:
    """Make ``issue`` ready for the clock's action ``name``; its values."""
    if name in ("sign_for", "return", "rule_return"):
        # Given to the branch by the province, not signed for yet.
        Issue.objects.filter(pk=issue.pk).update(
            signed_at=None, signed_by=None, sign_deadline=today + timedelta(days=7)
        )
    reason = ReturnReason.objects.get_or_create(name="非本单位职责")[0]
    if name == "return":
        return {"reason": reason}
    if name == "rule_return":
        awaiting = IssueReturn.objects.create(
            issue=issue, reason=reason, note="不属于本分院", returned_by=personas["staff_a"]
        )
        return {"ruling": IssueReturn.Ruling.INSIST, "return_id": awaiting.pk}
    if name in ("request_extension", "decide_extension"):
        Issue.objects.filter(pk=issue.pk).update(
            deadline=today + timedelta(days=30), responsible=personas["staff_a"]
        )
    if name == "request_extension":
        return {"new_deadline": today + timedelta(days=45), "reason": "需协调第三方检测机构"}
    if name == "decide_extension":
        pending = DeadlineExtension.objects.create(
            issue=issue,
            old_deadline=today + timedelta(days=30),
            new_deadline=today + timedelta(days=45),
            reason="需协调第三方检测机构",
            requested_by=personas["staff_a"],
        )
        return {"outcome": DeadlineExtension.Status.APPROVED, "extension_id": pending.pk}
    if name == "office_extend":
        Issue.objects.filter(pk=issue.pk).update(deadline=today - timedelta(days=30))
        return {"new_deadline": today + timedelta(days=20), "reason": "省院同意延期"}
    return {}


def snapshot(issue: Issue) -> dict:
    """Everything a transition could write, to compare before and after a refusal: the
    issue's row (state, every field, ``updated_at``), its events, escalations, decisions."""
    return {
        "issue": Issue.objects.filter(pk=issue.pk).values().get(),
        "events": list(IssueEvent.objects.filter(issue=issue).values_list("pk", flat=True)),
        "escalations": Escalation.objects.filter(issue=issue).count(),
        "decisions": ProvincialDecision.objects.count(),
        "returns": list(IssueReturn.objects.filter(issue=issue).values()),
        "extensions": list(DeadlineExtension.objects.filter(issue=issue).values()),
    }


def test_persona_table_matches_their_memberships(personas):
    for name, (role, branch) in PERSONAS.items():
        membership = membership_of(personas[name])
        if role is None:
            assert membership is None, name
            continue
        assert membership.role == role, name
        if branch is not None:
            assert membership.branch.code == {"a": "quanzhou", "b": "zhangzhou"}[branch], name


def test_every_transition_is_open_to_some_persona_from_some_state():
    for name, transition in TRANSITIONS.items():
        assert any(
            expected_allowed(state, transition, persona) for state in STATES for persona in PERSONAS
        ), name


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", TRANSITIONS)
@pytest.mark.parametrize("state", STATES)
def test_transition_by_persona_from_state(state, name, persona, personas, branch_a):
    transition = TRANSITIONS[name]
    actor = personas[persona]
    issue, values = issue_ready_for(name, state, branch=branch_a, personas=personas)
    before = snapshot(issue)

    def attempt():
        return apply_transition(
            issue_id=issue.pk,
            name=name,
            actor=actor,
            expected_state=state,
            note=NOTE,
            **values,
        )

    if expected_allowed(state, transition, persona):
        returned = attempt()
        issue.refresh_from_db()
        target = transition.target or state  # the clock's actions keep the state
        assert issue.state == target
        assert returned.state == target
        new_events = list(IssueEvent.objects.filter(issue=issue).exclude(pk__in=before["events"]))
        assert len(new_events) == 1
        event = new_events[0]
        assert event.kind == transition.event_kind
        if transition.target is None:
            assert (event.from_state, event.to_state) == ("", "")
            assert event.note.endswith(NOTE)  # after what was done (dates, reason)
        else:
            assert event.kind == IssueEvent.Kind.TRANSITION
            assert (event.from_state, event.to_state) == (state, transition.target)
            assert event.note == NOTE
        assert event.actor_id == actor.pk
    else:
        # A role or scope that may not is told so (403) whatever the state; a role that may,
        # from a state the transition does not start from, gets the stale-page refusal.
        expected_error = StaleTransition if role_allows(transition, persona) else PermissionDenied
        with pytest.raises(expected_error) as refused:
            attempt()
        if expected_error is StaleTransition:
            assert refused.value.code == "stale"
        assert isinstance(refused.value, PermissionDenied | ValidationError)
        assert snapshot(issue) == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("state", STATES)
def test_available_transitions_are_exactly_the_allowed_ones(state, persona, personas, branch_a):
    issue = IssueFactory(branch=branch_a, state=state)
    # No supervision notice is open: the written answer is not offered.
    expected = {
        name
        for name, transition in TRANSITIONS.items()
        if expected_allowed(state, transition, persona)
        and name not in CLOCK_ACTIONS
        and name != "answer_supervision"
    }
    shown = [transition.name for transition in available_transitions(personas[persona], issue)]
    assert len(shown) == len(set(shown))
    assert set(shown) == expected


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(CLOCK_ACTIONS))
@pytest.mark.parametrize("state", STATES)
def test_a_clock_action_is_offered_exactly_where_allowed(state, name, persona, personas, branch_a):
    issue, _values = issue_ready_for(name, state, branch=branch_a, personas=personas)
    issue.refresh_from_db()
    shown = {transition.name for transition in available_transitions(personas[persona], issue)}
    assert (name in shown) == expected_allowed(state, TRANSITIONS[name], persona)
