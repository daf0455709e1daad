"""Issuing, reissuing and revoking receipts; who may; and when a code expires."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from receipts.models import Receipt
from receipts.selectors import receipt_for_code
from receipts.services import receipt_issue, receipt_reissue, receipt_revoke
from tests.factories import FeedbackItemFactory, ReplyFactory

pytestmark = pytest.mark.django_db


def _staff(world):
    return world.a.activity.staff.first()


def test_issuing_again_reissues_one_live_receipt_per_enterprise(world):
    new, code = receipt_issue(
        activity=world.a.activity, enterprise=world.a.enterprise, actor=_staff(world)
    )
    old = Receipt.objects.get(pk=world.a.receipt.pk)
    assert old.is_revoked and new.reissue_of == old
    assert receipt_for_code(world.a.receipt_code) is None
    assert receipt_for_code(code).pk == new.pk
    live = Receipt.objects.live().filter(activity=world.a.activity, enterprise=world.a.enterprise)
    assert list(live) == [new]


def test_the_database_refuses_two_live_receipts_for_one_enterprise(world):
    receipt = world.a.receipt
    with pytest.raises(IntegrityError), transaction.atomic():
        Receipt.objects.create(
            activity=receipt.activity,
            enterprise=receipt.enterprise,
            selector="ZZZZZZZZ",
            verifier_digest="0" * 64,
            issued_by=receipt.issued_by,
        )


def test_a_reissue_covers_the_enterprises_opinions_recorded_since(world):
    later = FeedbackItemFactory(activity=world.a.activity, enterprise=world.a.enterprise)
    new, _code = receipt_reissue(receipt=world.a.receipt, actor=_staff(world))
    assert set(new.feedback_items.all()) == {world.a.feedback, later}


def test_an_anonymous_opinion_gets_a_receipt_only_on_request(world):
    item = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    with pytest.raises(ValidationError):
        receipt_issue(activity=world.a.activity, actor=_staff(world), feedback_items=[item])
    receipt, _code = receipt_issue(
        activity=world.a.activity, actor=_staff(world), feedback_items=[item], requested=True
    )
    assert receipt.enterprise is None and receipt.requested


def test_a_named_opinion_cannot_ride_on_an_anonymous_receipt(world):
    with pytest.raises(ValidationError):
        receipt_issue(
            activity=world.a.activity,
            actor=_staff(world),
            feedback_items=[world.a.feedback],
            requested=True,
        )


@pytest.mark.parametrize("persona", ["office", "leader", "staff_b", "no_role_user"])
def test_only_the_branch_issues_and_revokes(world, personas, persona):
    with pytest.raises(PermissionDenied):
        receipt_issue(
            activity=world.a.activity, enterprise=world.a.enterprise, actor=personas[persona]
        )
    with pytest.raises(PermissionDenied):
        receipt_revoke(receipt=world.a.receipt, actor=personas[persona])


def test_a_revoked_receipt_cannot_be_revoked_or_reissued_again(world, lead_a):
    receipt_revoke(receipt=world.a.receipt, actor=lead_a)
    with pytest.raises(ValidationError):
        receipt_revoke(receipt=world.a.receipt, actor=lead_a)
    with pytest.raises(ValidationError):
        receipt_reissue(receipt=world.a.receipt, actor=lead_a)


def test_no_expiry_while_an_opinion_waits_for_an_answer(world, settings):
    settings.RECEIPT_DAYS_AFTER_LAST_ANSWER = 1
    item = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    receipt, code = receipt_issue(
        activity=world.a.activity, actor=_staff(world), feedback_items=[item], requested=True
    )
    Receipt.objects.filter(pk=receipt.pk).update(issued_at=timezone.now() - timedelta(days=400))
    assert receipt_for_code(code) is not None


def test_a_code_expires_the_set_days_after_the_last_answer(world, settings):
    settings.RECEIPT_DAYS_AFTER_LAST_ANSWER = 90
    item = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    _receipt, code = receipt_issue(
        activity=world.a.activity, actor=_staff(world), feedback_items=[item], requested=True
    )
    today = timezone.localdate()
    reply = ReplyFactory(
        feedback_item=item, replied_by=_staff(world), replied_on=today - timedelta(days=90)
    )
    assert receipt_for_code(code) is not None  # the 90th day still opens
    reply.replied_on = today - timedelta(days=91)
    reply.save()
    assert receipt_for_code(code) is None
    # A later answer moves the expiry.
    ReplyFactory(feedback_item=item, replied_by=_staff(world), replied_on=today)
    assert receipt_for_code(code) is not None


def test_a_merge_moves_the_duplicates_receipts_and_keeps_one_live_per_activity(world, office):
    """The survivor takes the duplicate's receipts; where both had a live one for the same
    activity, the duplicate's is revoked."""
    from outreach.registry import enterprise_merge
    from receipts.models import Receipt
    from receipts.services import receipt_issue
    from tests.factories import EnterpriseFactory

    survivor = world.a.enterprise
    duplicate = EnterpriseFactory(branch=world.a.branch, name=survivor.name + "（重复）")
    world.a.activity.enterprises.add(duplicate)
    from tests.factories import FeedbackItemFactory

    FeedbackItemFactory(activity=world.a.activity, enterprise=duplicate)
    theirs, _code = receipt_issue(
        activity=world.a.activity, enterprise=duplicate, actor=world.a.activity.created_by
    )
    enterprise_merge(actor=office, survivor=survivor, duplicate=duplicate, reason="同一家企业")
    theirs.refresh_from_db()
    assert theirs.enterprise == survivor
    assert theirs.revoked_at is not None and theirs.revoked_by == office
    assert not Receipt.objects.filter(enterprise=duplicate).exists()
    assert (
        Receipt.objects.filter(
            enterprise=survivor, activity=world.a.activity, revoked_at__isnull=True
        ).count()
        == 1
    )
