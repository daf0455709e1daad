"""The database itself refuses "answered" while a linked opinion has no reply.

``issues/migrations/0004_answered_needs_replies.py`` adds the trigger on SQLite and on
PostgreSQL; these writes bypass ``apply_transition`` entirely, as a script or the shell
would. Each refused write runs in ``transaction.atomic()`` so that, on PostgreSQL, the
failed statement does not poison the test's own transaction.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from issues.models import Issue
from tests.factories import (
    ActivityFactory,
    FeedbackItemFactory,
    IssueFactory,
    ReplyFactory,
)

pytestmark = pytest.mark.django_db

State = Issue.State


@pytest.fixture
def issue(branch_a):
    """A rectified issue of branch A with two linked opinions, neither replied yet."""
    activity = ActivityFactory(branch=branch_a)
    items = FeedbackItemFactory.create_batch(2, activity=activity)
    return IssueFactory(
        branch=branch_a,
        campaign=activity.campaign,
        category=items[0].category,
        state=State.RECTIFIED,
        feedback_items=items,
    )


def answer_directly(issue):
    return Issue.objects.filter(pk=issue.pk).update(state=State.ANSWERED)


def stored_state(issue):
    return Issue.objects.filter(pk=issue.pk).values_list("state", flat=True).get()


def test_database_refuses_answered_while_no_opinion_has_a_reply(issue):
    # SQLite's RAISE(ABORT) surfaces as an IntegrityError, PostgreSQL's check_violation
    # as an IntegrityError too; both are DatabaseErrors.
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        answer_directly(issue)
    assert isinstance(refused.value, IntegrityError)
    assert stored_state(issue) == State.RECTIFIED


def test_database_refuses_answered_while_one_opinion_still_lacks_a_reply(issue, staff_a):
    first, _second = issue.feedback_items.order_by("pk")
    ReplyFactory(feedback_item=first, replied_by=staff_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        answer_directly(issue)
    assert stored_state(issue) == State.RECTIFIED


def test_database_refuses_a_saved_instance_just_the_same(issue):
    issue.state = State.ANSWERED
    with pytest.raises(IntegrityError), transaction.atomic():
        issue.save(update_fields=["state"])
    assert stored_state(issue) == State.RECTIFIED


def test_database_accepts_answered_once_every_opinion_has_a_reply(issue, staff_a):
    for item in issue.feedback_items.all():
        ReplyFactory(feedback_item=item, replied_by=staff_a)
    with transaction.atomic():
        assert answer_directly(issue) == 1
    assert stored_state(issue) == State.ANSWERED


def test_a_withdrawn_unreplied_opinion_does_not_block_answered(issue, staff_a):
    first, second = issue.feedback_items.order_by("pk")
    ReplyFactory(feedback_item=first, replied_by=staff_a)
    type(second).objects.filter(pk=second.pk).update(
        withdrawn_at=timezone.now(), withdrawn_reason="重复录入"
    )
    with transaction.atomic():
        answer_directly(issue)
    assert stored_state(issue) == State.ANSWERED


def test_an_opinion_of_another_issue_does_not_block_answered(issue, staff_a, branch_a):
    for item in issue.feedback_items.all():
        ReplyFactory(feedback_item=item, replied_by=staff_a)
    other = IssueFactory(branch=branch_a, campaign=issue.campaign, state=State.RECTIFIED)
    FeedbackItemFactory(
        activity=ActivityFactory(branch=branch_a, campaign=issue.campaign), issue=other
    )
    with transaction.atomic():
        answer_directly(issue)
    assert stored_state(issue) == State.ANSWERED
    with pytest.raises(IntegrityError), transaction.atomic():
        answer_directly(other)


def test_other_updates_of_an_unreplied_issue_are_not_blocked(issue):
    """The trigger watches the state only: editing an open issue still works."""
    with transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(title="改过的标题", state=State.RECTIFIED)
    assert Issue.objects.get(pk=issue.pk).title == "改过的标题"
