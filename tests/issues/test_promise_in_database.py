"""The database keeps the promise's rules whatever writes (a script, the shell, the admin).

``issues/migrations/0008_attempts_are_not_replies.py`` and
``0009_opinions_only_in_counted_issues.py`` add these triggers on SQLite and PostgreSQL; the
writes below bypass the services. On SQLite a trigger goes with its table when a later
migration rebuilds the table: these tests then fail, as they should. Each refused write
runs in ``transaction.atomic()`` so that, on PostgreSQL, the failed statement does not
poison the test's own transaction.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from issues.models import Issue, Reply
from outreach.models import FeedbackItem
from tests.factories import FeedbackItemFactory, IssueFactory, ReplyFactory

pytestmark = pytest.mark.django_db

S = Reply.Satisfaction
State = Issue.State


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def item(world):
    return FeedbackItemFactory(activity=world.a.activity, enterprise=world.a.enterprise)


def summary(item):
    return FeedbackItem.objects.values_list("last_replied_on", "satisfaction").get(pk=item.pk)


# --- the reply summary ignores attempts -------------------------------------------------------


def test_the_summary_ignores_attempts_on_insert_update_and_delete(item, staff_a):
    attempt = ReplyFactory(
        feedback_item=item, replied_by=staff_a, satisfaction=S.NOT_REACHABLE, replied_on=days_ago(1)
    )
    assert summary(item) == (None, "")
    Reply.objects.filter(pk=attempt.pk).update(satisfaction=S.BASICALLY_SATISFIED)
    assert summary(item) == (days_ago(1), S.BASICALLY_SATISFIED)
    Reply.objects.filter(pk=attempt.pk).update(satisfaction=S.NOT_REACHABLE)
    assert summary(item) == (None, "")
    reached = ReplyFactory(feedback_item=item, replied_by=staff_a, replied_on=days_ago(3))
    assert summary(item) == (days_ago(3), S.SATISFIED)
    Reply.objects.filter(pk=reached.pk).delete()
    assert summary(item) == (None, "")


# --- the "answered" guard ---------------------------------------------------------------------


@pytest.fixture
def rectified(world, item):
    return IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        category=item.category,
        state=State.RECTIFIED,
        feedback_items=[item],
    )


def answer_directly(issue):
    return Issue.objects.filter(pk=issue.pk).update(state=State.ANSWERED)


def test_database_refuses_answered_while_an_opinion_has_only_attempts(rectified, item, staff_a):
    ReplyFactory(feedback_item=item, replied_by=staff_a, satisfaction=S.NOT_REACHABLE)
    with pytest.raises(IntegrityError), transaction.atomic():
        answer_directly(rectified)
    ReplyFactory(feedback_item=item, replied_by=staff_a, satisfaction="")
    with transaction.atomic():
        assert answer_directly(rectified) == 1


def test_database_accepts_answered_once_the_opinion_is_closed_as_unreachable(
    rectified, item, staff_a, lead_a
):
    for day in (1, 2):
        ReplyFactory(
            feedback_item=item,
            replied_by=staff_a,
            satisfaction=S.NOT_REACHABLE,
            replied_on=days_ago(day),
        )
    FeedbackItem.objects.filter(pk=item.pk).update(
        unreachable_at=timezone.now(), unreachable_by=lead_a, unreachable_reason="企业已注销"
    )
    with transaction.atomic():
        assert answer_directly(rectified) == 1


# --- closing as unreachable needs attempts on two days --------------------------------------


def close_directly(item, lead):
    return FeedbackItem.objects.filter(pk=item.pk).update(
        unreachable_at=timezone.now(), unreachable_by=lead, unreachable_reason="联系不上"
    )


def test_database_refuses_closing_as_unreachable_without_two_days_of_attempts(
    item, staff_a, lead_a
):
    with pytest.raises(IntegrityError), transaction.atomic():
        close_directly(item, lead_a)
    for _ in range(2):
        ReplyFactory(
            feedback_item=item,
            replied_by=staff_a,
            satisfaction=S.NOT_REACHABLE,
            replied_on=days_ago(1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        close_directly(item, lead_a)
    ReplyFactory(
        feedback_item=item, replied_by=staff_a, satisfaction=S.NOT_REACHABLE, replied_on=days_ago(2)
    )
    with transaction.atomic():
        assert close_directly(item, lead_a) == 1


def test_database_refuses_closing_as_unreachable_without_a_reason(item, staff_a, lead_a):
    for day in (1, 2):
        ReplyFactory(
            feedback_item=item,
            replied_by=staff_a,
            satisfaction=S.NOT_REACHABLE,
            replied_on=days_ago(day),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackItem.objects.filter(pk=item.pk).update(unreachable_at=timezone.now())


def test_database_refuses_an_opinion_born_closed_as_unreachable(world, lead_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackItemFactory(
            activity=world.a.activity,
            unreachable_at=timezone.now(),
            unreachable_by=lead_a,
            unreachable_reason="联系不上",
        )


# --- an opinion is linked only to a counted issue -------------------------------------------


def test_database_refuses_withdrawing_an_issue_that_still_holds_opinions(rectified):
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=rectified.pk).update(
            withdrawn_at=timezone.now(), withdrawn_reason="重复"
        )
    assert Issue.objects.get(pk=rectified.pk).withdrawn_at is None


def test_database_refuses_merging_an_issue_that_still_holds_opinions(world, rectified):
    survivor = IssueFactory(branch=world.a.branch, campaign=world.campaign)
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=rectified.pk).update(merged_into=survivor, merged_at=timezone.now())


def test_database_refuses_linking_an_opinion_to_a_withdrawn_or_merged_issue(world, item):
    withdrawn = IssueFactory(branch=world.a.branch, campaign=world.campaign, withdrawn=True)
    merged = IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        merged_into=world.a.issue,
        merged_at=timezone.now(),
    )
    for issue in (withdrawn, merged):
        with pytest.raises(IntegrityError), transaction.atomic():
            FeedbackItem.objects.filter(pk=item.pk).update(issue=issue)
        with pytest.raises(IntegrityError), transaction.atomic():
            FeedbackItemFactory(activity=world.a.activity, issue=issue)
    assert FeedbackItem.objects.get(pk=item.pk).issue_id is None


def test_a_withdrawn_issue_without_opinions_saves_as_before(world):
    issue = IssueFactory(branch=world.a.branch, campaign=world.campaign, withdrawn=True)
    issue.title = "改名"
    issue.save()  # a full save names withdrawn_at again: still accepted
    assert Issue.objects.get(pk=issue.pk).title == "改名"
