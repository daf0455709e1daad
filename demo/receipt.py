"""The demo's receipt: one enterprise's receipt whose opinion has an answer, so the link
``seed_demo`` prints opens a page with something to read.

The code is never stored (``receipts.codes``), so each run reissues the receipt and prints
the new code; the previous one stops working.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef

from branches.models import Membership
from issues.models import Reply
from outreach.models import FeedbackItem
from receipts.services import receipt_issue


def demo_receipt(campaign):
    """(receipt, code) for an answered opinion of ``campaign`` (one with an issue that was
    put right first), or None when no opinion has an answer."""
    answered = Reply.objects.filter(feedback_item=OuterRef("pk")).exclude(
        satisfaction=Reply.Satisfaction.NOT_REACHABLE
    )
    item = (
        FeedbackItem.objects.active()
        .filter(
            Exists(answered),
            activity__campaign=campaign,
            activity__withdrawn_at__isnull=True,
            enterprise__isnull=False,
        )
        .order_by(F("issue_id").asc(nulls_last=True), "received_on", "id")
        .select_related("activity", "enterprise")
        .first()
    )
    if item is None:
        return None
    staff = (
        Membership.objects.filter(
            branch_id=item.activity.branch_id, role=Membership.Role.STAFF, user__is_active=True
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    if staff is None:
        return None
    return receipt_issue(activity=item.activity, enterprise=item.enterprise, actor=staff.user)
