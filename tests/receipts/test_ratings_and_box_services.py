"""The enterprise's ratings and the online opinion box, at the service level."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from issues import transitions
from outreach.models import Activity
from receipts import box, codes, ratings
from receipts.models import BoxOpinion, EnterpriseRating
from receipts.selectors import receipt_for_code

pytestmark = pytest.mark.django_db


def _item(world):
    receipt = receipt_for_code(world.a.receipt_code)
    item = next(i for i in receipt.public_items if i.pk == world.a.feedback.pk)
    return receipt, item


def test_a_change_of_mind_is_a_new_rating_and_the_same_one_twice_is_one(world):
    receipt, item = _item(world)
    first = ratings.rating_record(receipt=receipt, item=item, level=2, comment="没解决")
    again = ratings.rating_record(receipt=receipt, item=item, level=2, comment="没解决")
    assert again.pk == first.pk
    later = ratings.rating_record(receipt=receipt, item=item, level=4)
    assert EnterpriseRating.objects.filter(feedback_item=item).count() == 2
    assert list(EnterpriseRating.objects.filter(feedback_item=item, is_latest=True)) == [later]


def test_not_solved_needs_a_reason(world):
    receipt, item = _item(world)
    with pytest.raises(ValidationError):
        ratings.rating_record(receipt=receipt, item=item, level=3, not_solved=True)
    assert not EnterpriseRating.objects.exists()


def test_an_unsatisfied_rating_is_a_ground_to_reopen_until_followed_up(world, lead_a):
    receipt, item = _item(world)
    issue = world.a.issue
    assert not ratings.issue_has_enterprise_complaint(issue)
    rating = ratings.rating_record(receipt=receipt, item=item, level=1, comment="差")
    assert ratings.issue_has_enterprise_complaint(issue) is (item.issue_id == issue.pk)
    assert ratings.issue_has_enterprise_complaint in transitions.REOPEN_GROUNDS
    ratings.rating_follow_up(actor=lead_a, rating=rating, note="已电话沟通")
    assert not ratings.issue_has_enterprise_complaint(issue)


def test_the_box_files_an_opinion_on_the_standing_activity_with_a_receipt(world):
    code = box.ticket_code(box.box_ticket())
    receipt = box.box_submit(
        code=code,
        branch=world.a.branch,
        category=world.a.feedback.category,
        content="网上办理太慢",
        anonymous=True,
    )
    opened = receipt_for_code(code)
    assert opened.pk == receipt.pk
    [item] = opened.public_items
    assert item.content == "网上办理太慢"
    assert item.activity.kind == Activity.Kind.ONLINE_BOX
    assert BoxOpinion.objects.get(feedback_item=item).anonymous
    second = box.box_submit(
        code=codes.new_code(),
        branch=world.a.branch,
        category=world.a.feedback.category,
        content="第二条",
        anonymous=True,
    )
    assert second.activity_id == receipt.activity_id


def test_a_forged_ticket_carries_no_code():
    assert box.ticket_code("x" * 40) is None
    assert box.ticket_code(box.box_ticket() + "A") is None


def _complaints_told(lead):
    from notifications.models import Notification

    return Notification.objects.filter(
        recipient=lead, kind=Notification.Kind.ENTERPRISE_RATING
    ).count()


def test_a_complaint_is_told_once_until_it_is_followed_up(
    world, lead_a, settings, mailoutbox, django_capture_on_commit_callbacks
):
    """A holder alternating complaints does not flood the leads: the branch hears of the
    opinion once while a complaint awaits follow-up, and again after a follow-up."""
    settings.RECEIPT_RATINGS_PER_OPINION_PER_DAY = 100
    receipt, item = _item(world)
    complaints = [
        {"level": 2},
        {"level": 1},
        {"level": 3, "not_solved": True, "comment": "没解决"},
        {"level": 1, "comment": "还是没解决"},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        ratings.rating_record(receipt=receipt, item=item, **complaints[0])
    assert _complaints_told(lead_a) == 1
    emailed = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        for complaint in complaints[1:]:
            ratings.rating_record(receipt=receipt, item=item, **complaint)
    assert _complaints_told(lead_a) == 1
    assert len(mailoutbox) == emailed
    latest = EnterpriseRating.objects.get(feedback_item=item, is_latest=True)
    ratings.rating_follow_up(actor=lead_a, rating=latest, note="已电话沟通")
    with django_capture_on_commit_callbacks(execute=True):
        ratings.rating_record(receipt=receipt, item=item, level=2, comment="仍不满意")
        ratings.rating_record(receipt=receipt, item=item, level=1, comment="仍不满意")
    assert _complaints_told(lead_a) == 2
    # Satisfied in between, nothing waits: the next complaint is news again.
    with django_capture_on_commit_callbacks(execute=True):
        ratings.rating_record(receipt=receipt, item=item, level=5)
        ratings.rating_record(receipt=receipt, item=item, level=2)
    assert _complaints_told(lead_a) == 3


def test_an_opinion_takes_a_few_ratings_a_day(world, settings):
    settings.RECEIPT_RATINGS_PER_OPINION_PER_DAY = 3
    receipt, item = _item(world)
    for level in (5, 4, 3):
        ratings.rating_record(receipt=receipt, item=item, level=level)
    with pytest.raises(ValidationError) as refused:
        ratings.rating_record(receipt=receipt, item=item, level=2)
    assert refused.value.error_list[0].code == "too_many_ratings"
    assert EnterpriseRating.objects.filter(feedback_item=item).count() == 3
    assert EnterpriseRating.objects.get(feedback_item=item, is_latest=True).level == 3
    # The same rating again records nothing, so it is no new rating to refuse.
    assert ratings.rating_record(receipt=receipt, item=item, level=3).level == 3
    # Ratings older than a day no longer count.
    from datetime import timedelta

    from django.utils import timezone

    EnterpriseRating.objects.update(rated_at=timezone.now() - timedelta(hours=25))
    assert ratings.rating_record(receipt=receipt, item=item, level=2).level == 2


def test_only_the_newest_rating_of_an_opinion_is_followed_up(world, lead_a):
    receipt, item = _item(world)
    older = ratings.rating_record(receipt=receipt, item=item, level=2, comment="慢")
    newer = ratings.rating_record(receipt=receipt, item=item, level=1, comment="更慢")
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        ratings.rating_follow_up(actor=lead_a, rating=older, note="已沟通")
    assert "later rating is the one to follow up" in refused.value.messages[0]
    older.refresh_from_db()
    assert older.followed_up_at is None
    assert ratings.rating_follow_up(actor=lead_a, rating=newer, note="已沟通").followed_up_at
