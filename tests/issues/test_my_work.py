""" "My work": what waits for each role, section by section, at a constant query cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from issues.models import Issue
from outreach.models import UNDISPOSED, UNREPLIED, FeedbackItem
from tests.factories import (
    EscalationFactory,
    FeedbackItemFactory,
    InstructionFactory,
    ReplyFactory,
)
from tests.issues.screens import issue_in

pytestmark = pytest.mark.django_db

MINE = reverse("issues:my_work")
State = Issue.State


def sections(client) -> dict[str, set[int]]:
    """Section key -> the issue ids it lists (the opinion ids, for the opinions and the
    replies waiting for approval)."""
    response = client.get(MINE)
    assert response.status_code == 200
    return {
        section["key"]: {
            entry.pk
            if section["kind"] == "opinions"
            else getattr(entry, "issue_id", getattr(entry, "feedback_item_id", entry.pk))
            for entry in section["items"]
        }
        for section in response.context["sections"]
    }


def unanswered(*issue_ids) -> set[int]:
    """The opinions of these issues that have no reply yet."""
    items = FeedbackItem.objects.filter(issue__in=issue_ids, replies__isnull=True)
    return set(items.values_list("pk", flat=True))


@pytest.fixture
def work(world, staff_a, lead_a, leader):
    """Work of branch A (and one piece of B's):

    - ``mine``: rectifying, staff_a responsible, nothing reported yet;
    - ``reported``: rectifying, lead_a responsible, rectification reported (to verify);
    - ``unreplied``: rectified, one of its two opinions without a reply;
    - ``replied``: rectified, every opinion replied (waits for nobody's reply);
    - ``done``: answered, staff_a responsible (no longer open);
    - ``escalated``: escalated and waiting for a decision (``world.a.issue``'s was decided);
    - ``escalated_b``: the same in branch B.
    """
    mine = issue_in(world, State.RECTIFYING, responsible=staff_a)
    reported = issue_in(world, State.RECTIFYING, responsible=lead_a, rectification="已整改")
    unreplied = issue_in(world, State.RECTIFIED, items=2, responsible=lead_a)
    ReplyFactory(feedback_item=unreplied.feedback_items.first(), replied_by=staff_a)
    replied = issue_in(world, State.RECTIFIED, replied=True, responsible=lead_a)
    done = issue_in(world, State.ANSWERED, replied=True, responsible=staff_a)
    escalated = issue_in(world, State.ESCALATED, responsible=lead_a)
    EscalationFactory(issue=escalated, requested_by=lead_a)
    escalated_b = issue_in(world, State.ESCALATED, branch="b", responsible=None)
    EscalationFactory(issue=escalated_b)
    return {
        "mine": mine.pk,
        "reported": reported.pk,
        "unreplied": unreplied.pk,
        "replied": replied.pk,
        "done": done.pk,
        "escalated": escalated.pk,
        "escalated_b": escalated_b.pk,
    }


def test_branch_staff_see_their_issues_replies_and_instructions(client, world, work, staff_a):
    client.force_login(staff_a)
    assert sections(client) == {
        "responsible": {work["mine"]},
        "replies": {work["unreplied"]},
        "opinions": unanswered(
            work["mine"], work["reported"], work["unreplied"], work["escalated"]
        ),
        "instructions": {world.a.issue.pk},
        "sign_for": set(),
    }


def test_branch_lead_also_verifies(client, world, work, lead_a):
    client.force_login(lead_a)
    assert sections(client) == {
        "responsible": {work["reported"], work["unreplied"], work["replied"], work["escalated"]},
        "verify": {work["reported"]},
        "replies": {work["unreplied"]},
        "opinions": unanswered(
            work["mine"], work["reported"], work["unreplied"], work["escalated"]
        ),
        "instructions": {world.a.issue.pk},
        "sign_for": set(),
        "extensions": set(),
        "supervision": set(),
        # The world's reply of A's staff waiting for a lead's approval.
        "drafts_to_approve": {world.a.reply_draft.feedback_item_id},
        # The enterprises' ratings awaiting the lead's follow-up (receipts): none here.
        "enterprise_ratings": set(),
    }


def test_provincial_office_sees_every_undecided_escalation(client, world, work, office):
    client.force_login(office)
    assert sections(client) == {
        "escalations": {work["escalated"], work["escalated_b"]},
        "returns": set(),
        "extensions": set(),
        "open_notices": set(),
    }


def test_leader_sees_own_unacknowledged_instructions(client, world, work, leader):
    client.force_login(leader)
    assert sections(client) == {"my_instructions": {world.a.issue.pk, world.b.issue.pk}}


def test_an_acknowledged_instruction_leaves_both_queues(client, world, work, staff_a, leader):
    for instruction in (world.a.instruction, world.b.instruction):
        instruction.acknowledged_by = staff_a
        instruction.acknowledged_at = timezone.now()
        instruction.save()
    client.force_login(leader)
    assert sections(client) == {"my_instructions": set()}
    client.force_login(staff_a)
    assert sections(client)["instructions"] == set()


def test_other_branches_work_is_not_shown(client, world, work, staff_b):
    client.force_login(staff_b)
    assert sections(client) == {
        "responsible": set(),
        "replies": set(),
        "opinions": unanswered(work["escalated_b"]),
        "instructions": {world.b.issue.pk},
        "sign_for": set(),
    }


def test_user_without_role_has_no_sections(client, world, no_role_user):
    client.force_login(no_role_user)
    assert sections(client) == {}


def more_work(world, count: int, lead, leader) -> None:
    for _ in range(count):
        issue_in(world, State.RECTIFYING, responsible=lead, rectification="已整改")
        waiting = issue_in(world, State.RECTIFIED, responsible=lead)
        escalated = issue_in(world, State.ESCALATED)
        EscalationFactory(issue=escalated, requested_by=lead)
        InstructionFactory(issue=waiting, author=leader)


@pytest.mark.parametrize("persona", ["lead_a", "office", "leader"])
def test_my_work_costs_the_same_with_more_work(client, personas, world, persona, lead_a, leader):
    client.force_login(personas[persona])
    client.get(MINE)  # the first request after login refreshes the session
    more_work(world, 2, lead_a, leader)
    with CaptureQueriesContext(connection) as few:
        client.get(MINE)
    more_work(world, 12, lead_a, leader)
    with CaptureQueriesContext(connection) as many:
        response = client.get(MINE)
    assert any(len(section["items"]) >= 14 for section in response.context["sections"])
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    # (17: the lead's queue of enterprise ratings awaiting follow-up is one more, and the
    # opinions' queue counts what waits for a disposition and a reply in one more.)
    assert len(few) <= 17


def test_the_opinions_queue_counts_both_waits_and_leads_to_where_each_is_done(
    client, world, staff_a
):
    undisposed = FeedbackItemFactory(activity=world.a.activity)
    ReplyFactory(feedback_item=undisposed, replied_by=staff_a)  # replied, not disposed of
    unreplied = FeedbackItemFactory(activity=world.a.activity, closed=True)
    FeedbackItemFactory(activity=world.b.activity)  # B's: not A's work
    mine = FeedbackItem.objects.active().filter(branch=world.a.branch)
    client.force_login(staff_a)
    response = client.get(MINE)
    section = next(s for s in response.context["sections"] if s["key"] == "opinions")
    assert section["counts"] == {
        "waiting": mine.filter(UNDISPOSED | UNREPLIED).count(),
        "undisposed": mine.filter(UNDISPOSED).count(),
        "unreplied": mine.filter(UNREPLIED).count(),
    }
    body = response.content.decode()
    queues = body[body.index('data-testid="opinion-queues"') :]
    undisposed_count = section["counts"]["undisposed"]
    assert f"{undisposed_count} 条待处置" in queues
    assert f"{section['counts']['unreplied']} 条待答复" in queues
    assert f"{reverse('outreach:feedback_list')}?disposition=open" in queues
    assert f"{reverse('outreach:feedback_list')}?replied=no" in queues
    detail = reverse("issues:feedback_detail", args=[undisposed.pk])
    assert f'href="{detail}#disposition" data-testid="needs-disposition"' in body
    detail = reverse("issues:feedback_detail", args=[unreplied.pk])
    assert f'href="{detail}#replies" data-testid="needs-reply"' in body
    assert f'href="{reverse("issues:feedback_detail", args=[undisposed.pk])}#replies"' not in body
