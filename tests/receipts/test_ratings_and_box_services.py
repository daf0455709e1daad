"""The enterprise's ratings and the online opinion box, at the service level."""

import pytest
from django.core.exceptions import ValidationError

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
