"""Reads: a receipt from a typed code, what its public page shows, the staff's pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Membership
from issues.models import Issue, Reply
from outreach.models import FeedbackItem

from . import codes
from .figures import RECEIPT_LIVE
from .models import Receipt, expires_on


class PublicStatus(TextChoices):
    """Where an opinion stands, in the words the enterprise reads."""

    RECEIVED = "received", _("Received")
    HANDLING = "handling", _("Being handled")
    RECTIFIED = "rectified", _("Rectified")
    ANSWERED = "answered", _("Answered")


STATUS_COLORS = {
    PublicStatus.RECEIVED: "secondary",
    PublicStatus.HANDLING: "warning",
    PublicStatus.RECTIFIED: "info",
    PublicStatus.ANSWERED: "success",
}
DONE_STATES = (Issue.State.RECTIFIED, Issue.State.ANSWERED)


def public_status(item: FeedbackItem) -> PublicStatus:
    """Answered once a reply reached the enterprise; rectified when its issue was put
    right; being handled once disposed of (an issue, a closing, attempts to reach them);
    received before that."""
    if item.last_replied_on is not None:
        return PublicStatus.ANSWERED
    issue = item.issue
    if issue is not None and issue.withdrawn_at is None and issue.state in DONE_STATES:
        return PublicStatus.RECTIFIED
    if item.issue_id or item.closed_at or item.unreachable_at:
        return PublicStatus.HANDLING
    return PublicStatus.RECEIVED


def receipt_for_code(text: str) -> Receipt | None:
    """The live, unexpired receipt the typed ``text`` opens, or None: a malformed, wrong,
    revoked or expired code are all None, found by the selector and compared in constant
    time (``receipts.codes``)."""
    code = codes.normalize(text)
    if code is None:
        return None
    selector, verifier = codes.split(code)
    receipt = (
        Receipt.objects.select_related("activity__branch", "enterprise", "issued_by")
        .filter(selector=selector)
        .first()
    )
    matches = codes.verifier_matches(verifier, receipt.verifier_digest if receipt else None)
    if receipt is None or not matches or receipt.is_revoked:
        return None
    items = public_items(receipt)
    last_day = expires_on(items, receipt.issued_at)
    if last_day is not None and timezone.localdate() > last_day:
        return None
    receipt.public_items = items
    return receipt


def public_items(receipt: Receipt) -> list[FeedbackItem]:
    """The receipt's opinions (withdrawn ones left out) with their issue and the replies
    that reached the enterprise, oldest first; each carries ``public_status``."""
    replies = Reply.objects.exclude(satisfaction=Reply.Satisfaction.NOT_REACHABLE).order_by(
        "replied_on", "id"
    )
    items = list(
        receipt.feedback_items.active()
        .select_related("category", "issue")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="answers"))
        .order_by("received_on", "id")
    )
    for item in items:
        item.public_status = public_status(item)
        item.public_status_color = STATUS_COLORS[item.public_status]
        issue = item.issue
        item.shown_issue = issue if issue is not None and issue.withdrawn_at is None else None
    return items


def contact_phone(receipt: Receipt) -> str:
    """The branch's contact on the receipt: the phone of the staff member who issued it
    (branches keep no phone of their own)."""
    membership = Membership.objects.filter(user_id=receipt.issued_by_id).first()
    return membership.phone if membership else ""


@dataclass
class EnterpriseRow:
    enterprise: object
    items: list
    receipt: Receipt | None


def activity_receipt_rows(activity) -> dict:
    """The activity page's receipts: a row per enterprise with opinions there (and its
    live receipt), the anonymous opinions, and their live receipts."""
    items = list(
        activity.feedback_items.active()
        .select_related("enterprise", "category")
        .order_by("received_on", "id")
    )
    live = list(
        Receipt.objects.live()
        .filter(activity=activity)
        .prefetch_related("feedback_items")
        .order_by("issued_at", "id")
    )
    by_enterprise = {r.enterprise_id: r for r in live if r.enterprise_id is not None}
    rows: dict[int, EnterpriseRow] = {}
    anonymous = []
    for item in items:
        if item.enterprise_id is None:
            anonymous.append(item)
            continue
        row = rows.setdefault(
            item.enterprise_id,
            EnterpriseRow(item.enterprise, [], by_enterprise.get(item.enterprise_id)),
        )
        row.items.append(item)
    return {
        "enterprise_rows": list(rows.values()),
        "anonymous_items": anonymous,
        "anonymous_receipts": [r for r in live if r.enterprise_id is None],
    }


def counted_receipts(user):
    """The receipts the figures count (``receipts_issued``): live (not revoked) receipts of
    activities in ``user``'s scope that are not withdrawn."""
    return Receipt.objects.visible_to(user).filter(
        RECEIPT_LIVE, activity__withdrawn_at__isnull=True
    )
