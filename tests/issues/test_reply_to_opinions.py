"""One reply to one or several opinions of one enterprise (``services.feedback_reply``).

Every opinion can be answered from the screens, whatever its disposition (in an issue,
closed with a reason, not yet disposed); one answer to an enterprise is recorded on each of
its ticked opinions. Tested at the service, with the personas who may and may not.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from issues import services
from issues.models import IssueEvent, Reply
from outreach.models import REPLIED, UNREPLIED, FeedbackItem
from tests.factories import EnterpriseFactory, FeedbackItemFactory, IssueFactory, ReplyFactory

pytestmark = pytest.mark.django_db

S = Reply.Satisfaction


@pytest.fixture
def enterprise(world):
    return world.a.enterprise


@pytest.fixture
def three(world, enterprise):
    """Three opinions of world A's enterprise: one closed with a reason, one not yet
    disposed, one in an issue; none answered."""
    activity = world.a.activity
    closed = FeedbackItemFactory(activity=activity, enterprise=enterprise, closed=True)
    undisposed = FeedbackItemFactory(activity=activity, enterprise=enterprise)
    linked = FeedbackItemFactory(activity=activity, enterprise=enterprise)
    IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        category=linked.category,
        feedback_items=[linked],
    )
    return [closed, undisposed, linked]


def reply(actor, items, **fields):
    values = {"channel": Reply.Channel.PHONE, "content": "已电话向企业说明", **fields}
    return services.feedback_reply(actor=actor, feedback_items=items, **values)


def answered(items) -> set[int]:
    return set(
        FeedbackItem.objects.filter(REPLIED, pk__in=[i.pk for i in items]).values_list(
            "pk", flat=True
        )
    )


def test_one_reply_to_three_opinions_of_one_enterprise_records_three_replies(staff_a, three):
    replies = reply(staff_a, three, satisfaction=S.SATISFIED)
    assert len(replies) == 3
    assert {r.feedback_item_id for r in replies} == {item.pk for item in three}
    assert {r.content for r in replies} == {"已电话向企业说明"}
    assert answered(three) == {item.pk for item in three}


def test_the_opinion_in_an_issue_gets_its_reply_on_the_issues_timeline(staff_a, three):
    reply(staff_a, three)
    linked = three[2]
    notes = IssueEvent.objects.filter(issue=linked.issue_id, kind=IssueEvent.Kind.REPLY)
    assert [f"#{linked.pk}" in note for note in notes.values_list("note", flat=True)] == [True]


def test_opinions_of_two_enterprises_are_refused_and_nothing_is_recorded(staff_a, world, three):
    other = FeedbackItemFactory(
        activity=world.a.activity, enterprise=EnterpriseFactory(branch=world.a.branch)
    )
    before = Reply.objects.count()
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        reply(staff_a, [*three, other])
    assert refused.value.code == "mixed_enterprises"
    assert "one enterprise" in refused.value.messages[0]
    assert Reply.objects.count() == before


def test_an_anonymous_opinion_is_never_answered_together_with_others(staff_a, world):
    anonymous = FeedbackItemFactory.create_batch(2, activity=world.a.activity, anonymous=True)
    with pytest.raises(ValidationError) as refused:
        reply(staff_a, anonymous)
    assert refused.value.code == "anonymous_together"
    with pytest.raises(ValidationError):
        reply(staff_a, [anonymous[0], world.a.feedback])
    # On its own, it gets its own reply.
    assert len(reply(staff_a, anonymous[:1], channel=Reply.Channel.ONLINE)) == 1


def test_the_lead_replies_too(lead_a, three):
    assert len(reply(lead_a, three[:2])) == 2


@pytest.mark.parametrize("persona", ["office", "leader", "admin_user"])
def test_the_province_reads_but_does_not_reply(personas, persona, three):
    with pytest.raises(PermissionDenied):
        reply(personas[persona], three)
    assert not Reply.objects.filter(feedback_item__in=three).exists()


@pytest.mark.parametrize("persona", ["staff_b", "lead_b", "no_role_user"])
def test_another_branch_cannot_reach_the_opinions(personas, persona, three):
    # Outside the actor's scope: the view answers 404 before the service is called.
    with pytest.raises(PermissionDenied):
        reply(personas[persona], three)
    assert not Reply.objects.filter(feedback_item__in=three).exists()


def test_a_withdrawn_opinion_gets_no_reply(staff_a, world):
    item = FeedbackItemFactory(activity=world.a.activity, withdrawn=True)
    with pytest.raises(ValidationError):
        reply(staff_a, [item])


def test_a_second_submission_of_the_same_page_is_refused(staff_a, three):
    seen = 0  # the page showed no reply
    reply(staff_a, three, seen_reply_id=seen)
    with pytest.raises(ValidationError) as refused:
        reply(staff_a, three, seen_reply_id=seen)
    assert refused.value.code == "stale"
    assert Reply.objects.filter(feedback_item__in=three).count() == 3


def test_a_reply_recorded_meanwhile_by_someone_else_refuses_the_page(staff_a, lead_a, three):
    seen = ReplyFactory(feedback_item=three[0], replied_by=staff_a).pk
    reply(lead_a, three[:1], seen_reply_id=seen)  # up to date: accepted
    with pytest.raises(ValidationError):
        reply(staff_a, three, seen_reply_id=seen)


def test_a_reply_in_the_future_is_refused_on_its_field(staff_a, three):
    with pytest.raises(ValidationError) as refused:
        reply(staff_a, three, replied_on=timezone.localdate() + timedelta(days=1))
    assert "replied_on" in refused.value.error_dict


def test_an_attempt_on_three_opinions_leaves_them_unanswered(staff_a, three):
    replies = reply(staff_a, three, satisfaction=S.NOT_REACHABLE)
    assert all(r.is_attempt for r in replies)
    assert answered(three) == set()
    assert FeedbackItem.objects.filter(UNREPLIED, pk__in=[i.pk for i in three]).count() == 3
