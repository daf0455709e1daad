"""The issue page: what it shows to whom, its buttons, and its cost."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue, IssueEvent, Reply
from issues.transitions import available_transitions
from tests.clock import overdue_deadline
from tests.factories import (
    FeedbackItemFactory,
    InstructionFactory,
    IssueEvidenceFactory,
    ReplyFactory,
)
from tests.issues.screens import issue_in

pytestmark = pytest.mark.django_db

State = Issue.State
PERSONAS = ("staff_a", "lead_a", "staff_b", "office", "leader", "admin_user", "no_role_user")


def url_of(issue):
    return reverse("issues:issue_detail", args=[issue.pk])


def buttons(response) -> set[str]:
    return set(re.findall(r'data-action="([a-z_]+)"', response.content.decode()))


def test_the_page_shows_the_issue_and_everything_recorded_on_it(client, world, staff_a, lead_a):
    issue = world.a.issue
    anonymous = FeedbackItemFactory(activity=world.a.activity, anonymous=True, content="匿名意见")
    anonymous.issue = issue
    anonymous.save(update_fields=["issue"])
    client.force_login(staff_a)
    response = client.get(url_of(issue))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        issue.title,
        world.a.branch.short_name,
        str(world.campaign),
        world.a.feedback.content,
        world.a.enterprise.name,
        "匿名",
        world.a.reply.content,
        world.a.escalation.reason,
        world.a.decision.decision,
        world.a.instruction.content,
        world.a.evidence.original_name,
        reverse("issues:evidence_download", args=[world.a.evidence.pk]),
        reverse("outreach:activity_detail", args=[world.a.activity.pk]),
    ):
        assert text in body, text
    assert [event.pk for event in response.context["events"]] == [world.a.event.pk]


def test_outsiders_get_a_404(client, world, staff_b, no_role_user):
    for user in (staff_b, no_role_user):
        client.force_login(user)
        assert client.get(url_of(world.a.issue)).status_code == 404


def test_a_merged_or_withdrawn_issue_is_still_shown_without_actions(client, world, staff_a):
    survivor = issue_in(world, State.RECTIFYING)
    merged = issue_in(
        world, State.COLLECTED, merged_into=survivor, merged_at=timezone.now(), items=0
    )
    client.force_login(staff_a)
    response = client.get(url_of(merged))
    assert response.status_code == 200
    assert buttons(response) == set()
    assert url_of(survivor) in response.content.decode()
    assert response.context["merge_form"] is None


STATES_AND_SETUP = [
    (State.COLLECTED, {}),
    (State.RECTIFYING, {"rectification": "已整改"}),
    (State.ESCALATED, {}),
    (State.RECTIFIED, {}),
    (State.ANSWERED, {}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("state", "fields"), STATES_AND_SETUP)
def test_the_buttons_shown_are_exactly_the_available_transitions(
    client, personas, world, persona, state, fields
):
    issue = issue_in(world, state, **fields)
    user = personas[persona]
    client.force_login(user)
    response = client.get(url_of(issue))
    if persona in ("staff_b", "no_role_user"):
        assert response.status_code == 404
        return
    expected = {t.name for t in available_transitions(user, issue)}
    assert buttons(response) == expected
    # Each button opens a form posting to its own transition, with the state shown.
    body = response.content.decode()
    for name in expected:
        assert reverse("issues:issue_transition", args=[issue.pk, name]) in body
    assert body.count(f'name="expected_state" value="{state}"') == len(expected)


def test_each_persona_sees_its_own_buttons_on_a_collected_issue(client, personas, world):
    """The table above, spelt out for one state, so a reader sees who does what."""
    issue = issue_in(world, State.COLLECTED)
    expected = {
        "staff_a": {"plan", "fix_now"},
        "lead_a": {"plan", "fix_now", "escalate"},
        "office": {"supervise"},
        "leader": set(),
        "admin_user": set(),
    }
    for persona, names in expected.items():
        client.force_login(personas[persona])
        assert buttons(client.get(url_of(issue))) == names, persona


def test_forms_are_offered_to_the_people_who_may_use_them(client, personas, world):
    issue = issue_in(world, State.RECTIFYING, items=2)
    issue_in(world, State.COLLECTED)  # a merge target
    InstructionFactory(issue=issue)
    offered = {}
    for persona in ("staff_a", "lead_a", "office", "leader"):
        client.force_login(personas[persona])
        context = client.get(url_of(issue)).context
        offered[persona] = {
            "reply": all(item.reply_form for item in context["items"]),
            "reply_all": context["reply_all_form"] is not None,
            "rectification": context["rectification_form"] is not None,
            "merge": context["merge_form"] is not None,
            "instruction": context["instruction_form"] is not None,
            "acknowledge": context["can_acknowledge"],
        }
    branch = {
        "reply": True,
        "reply_all": True,
        "rectification": True,
        "merge": True,
        "instruction": False,
        "acknowledge": True,
    }
    reader = dict.fromkeys(branch, False)
    assert offered == {
        "staff_a": branch,
        "lead_a": branch,
        "office": reader,
        "leader": {**reader, "instruction": True},
    }


def test_the_branch_sees_an_unacknowledged_instruction_with_its_button(client, world, staff_a):
    client.force_login(staff_a)
    body = client.get(url_of(world.a.issue)).content.decode()
    assert reverse("issues:instruction_acknowledge", args=[world.a.instruction.pk]) in body
    assert 'data-testid="acknowledge"' in body


def test_overdue_is_shown(client, world, staff_a):
    issue = issue_in(world, State.RECTIFYING, deadline=overdue_deadline())
    client.force_login(staff_a)
    body = client.get(url_of(issue)).content.decode()
    assert 'data-testid="issue-overdue"' in body


def test_replies_show_channel_who_and_satisfaction(client, world, staff_a):
    issue = issue_in(world, State.RECTIFIED)
    ReplyFactory(
        feedback_item=issue.feedback_items.get(),
        replied_by=staff_a,
        channel=Reply.Channel.VISIT,
        satisfaction=Reply.Satisfaction.UNSATISFIED,
        content="上门说明了整改情况",
    )
    client.force_login(staff_a)
    body = client.get(url_of(issue)).content.decode()
    assert "上门说明了整改情况" in body
    assert 'data-satisfaction="unsatisfied"' in body
    assert "上门" in body or "Visit" in body


@pytest.mark.parametrize("persona", ["staff_a", "office"])
def test_the_page_costs_the_same_with_5_or_100_events(client, personas, world, persona):
    issue = issue_in(world, State.RECTIFYING, items=3, rectification="已整改")
    for item in issue.feedback_items.all():
        ReplyFactory(feedback_item=item, replied_by=world.a.activity.staff.first())
    for _ in range(2):
        IssueEvidenceFactory(issue=issue)
        InstructionFactory(issue=issue)

    staff = world.a.activity.staff.first()

    def add_events(count):
        IssueEvent.objects.bulk_create(
            IssueEvent(issue=issue, kind=IssueEvent.Kind.COMMENT, note=f"备注{n}", actor=staff)
            for n in range(count)
        )

    client.force_login(personas[persona])
    client.get(url_of(issue))  # the first request after login refreshes the session
    add_events(5)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url_of(issue))
    assert len(response.context["events"]) == 5
    add_events(95)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url_of(issue))
    assert len(response.context["events"]) == 100
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 30
