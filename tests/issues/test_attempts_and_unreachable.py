"""An attempt is not an answer; the branch lead closes an opinion as unreachable.

A reply recorded as "not reachable" (联系不上) is shown but leaves the opinion unanswered:
in ``REPLIED``/``UNREPLIED``, the reply rate, the promise meter and the "answered" guard.
After attempts on at least two different days, the branch lead may close the opinion as
unreachable (``services.feedback_close_unreachable``), and then it counts as answered.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from issues import services
from issues.models import Issue, IssueEvent, Reply
from issues.transitions import apply_transition, unreplied_items
from outreach.models import REPLIED, UNREPLIED, FeedbackItem
from reports.metrics import campaign_report
from reports.selection import Selection
from tests.factories import FeedbackItemFactory, IssueFactory, ReplyFactory

pytestmark = pytest.mark.django_db

S = Reply.Satisfaction
State = Issue.State


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def attempt(item, by, on):
    return ReplyFactory(
        feedback_item=item, replied_by=by, satisfaction=S.NOT_REACHABLE, replied_on=on
    )


def fresh(item) -> FeedbackItem:
    return FeedbackItem.objects.get(pk=item.pk)


def is_answered(item) -> bool:
    return FeedbackItem.objects.filter(REPLIED, pk=item.pk).exists()


@pytest.fixture
def item(world):
    """An opinion of world A's enterprise, closed with a reason, with no reply yet."""
    return FeedbackItemFactory(
        activity=world.a.activity, enterprise=world.a.enterprise, closed=True
    )


def close(actor, item, reason="企业已搬迁，电话停机"):
    return services.feedback_close_unreachable(actor=actor, feedback_item=item, reason=reason)


# --- attempts are not answers ---------------------------------------------------------------


def test_an_attempt_is_kept_but_the_opinion_stays_unanswered(item, staff_a):
    attempt(item, staff_a, days_ago(1))
    stored = fresh(item)
    assert stored.last_replied_on is None
    assert not stored.is_answered
    assert FeedbackItem.objects.filter(UNREPLIED, pk=item.pk).exists()
    assert stored.replies.count() == 1


def test_a_reply_that_reaches_the_enterprise_answers_it_after_attempts(item, staff_a):
    attempt(item, staff_a, days_ago(3))
    ReplyFactory(
        feedback_item=item, replied_by=staff_a, satisfaction=S.SATISFIED, replied_on=days_ago(2)
    )
    attempt(item, staff_a, days_ago(1))  # a later attempt does not move the date
    stored = fresh(item)
    assert stored.last_replied_on == days_ago(2)
    assert stored.satisfaction == S.SATISFIED
    assert is_answered(item)


def test_a_reply_without_a_recorded_satisfaction_is_an_answer(item, staff_a):
    ReplyFactory(feedback_item=item, replied_by=staff_a, satisfaction="")
    assert is_answered(item)


def test_the_reply_rate_and_the_meter_do_not_count_attempts(world, item, staff_a, office):
    attempt(item, staff_a, days_ago(1))
    report = campaign_report(office, Selection(campaign=world.campaign))
    counts = report.total.counts
    # world.a.feedback and world.b.feedback have a satisfied reply; ``item`` only an attempt.
    assert counts["replied_feedback"] == 2
    assert counts["unreplied_feedback"] == 1
    assert (report.total.reply_rate.numerator, report.total.reply_rate.denominator) == (2, 3)


def test_an_issue_whose_opinion_has_only_an_attempt_cannot_be_answered(world, staff_a):
    linked = FeedbackItemFactory(activity=world.a.activity, enterprise=world.a.enterprise)
    issue = IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        category=linked.category,
        state=State.RECTIFIED,
        rectification="已整改",
        feedback_items=[linked],
    )
    attempt(linked, staff_a, days_ago(1))
    assert list(unreplied_items(issue)) == [linked]
    with pytest.raises(ValidationError) as refused:
        apply_transition(
            issue_id=issue.pk, name="answer", actor=staff_a, expected_state=State.RECTIFIED
        )
    assert refused.value.code == "replies_missing"
    ReplyFactory(feedback_item=linked, replied_by=staff_a)
    apply_transition(
        issue_id=issue.pk, name="answer", actor=staff_a, expected_state=State.RECTIFIED
    )
    assert Issue.objects.get(pk=issue.pk).state == State.ANSWERED


def test_reply_to_every_enterprise_skips_only_answered_opinions(world, staff_a):
    items = FeedbackItemFactory.create_batch(
        2, activity=world.a.activity, enterprise=world.a.enterprise
    )
    issue = IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        category=items[0].category,
        feedback_items=items,
    )
    attempt(items[0], staff_a, days_ago(1))
    replies = services.reply_record_for_issue(
        actor=staff_a, issue=issue, channel="visit", content="上门说明", only_unreplied=True
    )
    assert {r.feedback_item_id for r in replies} == {items[0].pk, items[1].pk}


# --- closing as unreachable -----------------------------------------------------------------


def test_the_lead_closes_after_attempts_on_two_days(item, staff_a, lead_a):
    attempt(item, staff_a, days_ago(3))
    attempt(item, staff_a, days_ago(1))
    close(lead_a, item)
    stored = fresh(item)
    assert stored.unreachable_by == lead_a
    assert stored.unreachable_reason == "企业已搬迁，电话停机"
    assert stored.unreachable_at is not None
    assert stored.is_answered and is_answered(item)
    assert stored.history.first().history_change_reason == "企业已搬迁，电话停机"


def test_two_attempts_on_the_same_day_are_not_enough(item, staff_a, lead_a):
    attempt(item, staff_a, days_ago(1))
    attempt(item, staff_a, days_ago(1))
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        close(lead_a, item)
    assert refused.value.code == "too_few_attempts"
    assert "two different days" in refused.value.messages[0]
    assert fresh(item).unreachable_at is None


def test_no_attempt_at_all_is_not_enough(item, lead_a):
    with pytest.raises(ValidationError):
        close(lead_a, item)


def test_staff_cannot_close_as_unreachable(item, staff_a):
    attempt(item, staff_a, days_ago(3))
    attempt(item, staff_a, days_ago(1))
    with pytest.raises(PermissionDenied):
        close(staff_a, item)
    assert fresh(item).unreachable_at is None


@pytest.mark.parametrize("persona", ["lead_b", "office", "leader", "admin_user", "no_role_user"])
def test_nobody_but_the_branch_lead_closes_as_unreachable(item, staff_a, personas, persona):
    attempt(item, staff_a, days_ago(3))
    attempt(item, staff_a, days_ago(1))
    with pytest.raises(PermissionDenied):
        close(personas[persona], item)
    assert fresh(item).unreachable_at is None


def test_closing_needs_a_reason(item, staff_a, lead_a):
    attempt(item, staff_a, days_ago(3))
    attempt(item, staff_a, days_ago(1))
    with pytest.raises(ValidationError) as refused:
        close(lead_a, item, reason="  ")
    assert "reason" in refused.value.error_dict


def test_closing_twice_is_refused_as_stale(item, staff_a, lead_a):
    attempt(item, staff_a, days_ago(3))
    attempt(item, staff_a, days_ago(1))
    close(lead_a, item)
    with pytest.raises(ValidationError) as refused:
        close(lead_a, item)
    assert refused.value.code == "stale"


def test_an_answered_opinion_is_not_closed_as_unreachable(item, staff_a, lead_a):
    attempt(item, staff_a, days_ago(3))
    attempt(item, staff_a, days_ago(2))
    ReplyFactory(feedback_item=item, replied_by=staff_a, replied_on=days_ago(1))
    with pytest.raises(ValidationError) as refused:
        close(lead_a, item)
    assert refused.value.code == "answered"


def test_an_opinion_in_an_issue_closed_as_unreachable_lets_the_issue_be_answered(
    world, staff_a, lead_a
):
    linked = FeedbackItemFactory(activity=world.a.activity, enterprise=world.a.enterprise)
    issue = IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        category=linked.category,
        state=State.RECTIFIED,
        rectification="已整改",
        feedback_items=[linked],
    )
    attempt(linked, staff_a, days_ago(4))
    attempt(linked, staff_a, days_ago(2))
    close(lead_a, linked)
    assert issue.events.filter(kind=IssueEvent.Kind.COMMENT, note__contains="#").exists()
    apply_transition(
        issue_id=issue.pk, name="answer", actor=staff_a, expected_state=State.RECTIFIED
    )
    assert Issue.objects.get(pk=issue.pk).state == State.ANSWERED
