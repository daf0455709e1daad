"""Reads: a receipt from a typed code, what its public page shows, the staff's pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches import rules as branch_rules
from branches.models import Membership
from issues.models import Issue, Reply
from outreach.models import FeedbackItem

from . import codes
from .figures import RECEIPT_LIVE
from .models import NEEDS_FOLLOW_UP, EnterpriseRating, Receipt, expires_on


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


# --- the enterprise's ratings ------------------------------------------------------------


def holder_ratings(receipt: Receipt, items) -> dict[int, EnterpriseRating]:
    """The newest rating of each of ``items`` that the holder of ``receipt`` gave (through
    it, or through the receipt it reissued): what its page shows back to it. A rating given
    through someone else's receipt is never shown."""
    chain = [receipt.pk]
    previous = receipt.reissue_of_id
    while previous and previous not in chain and len(chain) < MAX_REISSUES:
        chain.append(previous)
        previous = (
            Receipt.objects.filter(pk=previous).values_list("reissue_of_id", flat=True).first()
        )
    ratings = EnterpriseRating.objects.latest().filter(
        feedback_item__in=[item.pk for item in items], receipt_id__in=chain
    )
    return {rating.feedback_item_id: rating for rating in ratings}


#: How far back a receipt's reissues are followed for its holder's ratings.
MAX_REISSUES = 50


def add_latest_ratings(opinions, flags=None) -> None:
    """``issues.extensions.OPINION_EXTRAS``: each of the staff's ``opinions`` gets
    ``enterprise_rating``, the enterprise's newest rating of it (or None); one query, none
    when ``flags`` (the issue or opinion read with ``rating_flags``) says there is none."""
    answered = {}
    for item in opinions:
        item.enterprise_rating = None
        if item.last_replied_on is not None:
            answered[item.pk] = item
    if not answered or not getattr(flags, "has_enterprise_ratings", True):
        return
    for rating in EnterpriseRating.objects.latest().filter(feedback_item_id__in=list(answered)):
        answered[rating.feedback_item_id].enterprise_rating = rating


class RatingFilter(TextChoices):
    AWAITING = "awaiting", _("Awaiting follow-up")
    NEGATIVE = "negative", _("All unsatisfied or not solved")
    ALL = "all", _("All ratings")


def ratings_for_list(user, show: str):
    """The ratings in the user's scope, newest first: those awaiting follow-up, every
    unsatisfied or "not solved" one (followed up or not, older ones too), or all."""
    ratings = EnterpriseRating.objects.visible_to(user).select_related(
        "feedback_item__enterprise",
        "feedback_item__branch",
        "feedback_item__category",
        "feedback_item__issue",
    )
    if show == RatingFilter.AWAITING:
        ratings = ratings.awaiting_follow_up()
    elif show == RatingFilter.NEGATIVE:
        ratings = ratings.filter(NEEDS_FOLLOW_UP)
    return ratings.order_by("-rated_at", "-id")


def ratings_awaiting(user):
    """The lead's queue ("my work"): ratings of the branch awaiting follow-up, oldest first."""
    return (
        EnterpriseRating.objects.visible_to(user)
        .awaiting_follow_up()
        .select_related(
            "feedback_item__enterprise",
            "feedback_item__branch",
            "feedback_item__category",
            "feedback_item__issue",
        )
        .order_by("rated_at", "id")
    )


def rating_for_page(user):
    return EnterpriseRating.objects.visible_to(user).select_related(
        "feedback_item__enterprise",
        "feedback_item__branch",
        "feedback_item__category",
        "feedback_item__activity",
        "feedback_item__issue",
        "reply",
        "followed_up_by",
    )


def rating_history(rating: EnterpriseRating) -> list[EnterpriseRating]:
    """Every rating of the opinion, newest first (``rating`` among them)."""
    return list(
        EnterpriseRating.objects.filter(feedback_item_id=rating.feedback_item_id)
        .select_related("reply")
        .order_by("-rated_at", "-id")
    )


def ratings_my_work_section(user) -> dict | None:
    """``issues.extensions.MY_WORK_SECTIONS``: the lead's ratings awaiting follow-up."""
    if branch_rules.role_of(user) != Membership.Role.LEAD:
        return None
    return {
        "key": "enterprise_ratings",
        "title": _("Enterprise ratings awaiting follow-up"),
        "empty": _("No unsatisfied enterprise rating waits for follow-up."),
        "queryset": ratings_awaiting(user),
        "template": "receipts/partials/my_work_rating.html",
    }


def issue_rating_flags() -> dict:
    """``issues.extensions.ISSUE_FLAGS``: whether an opinion of the issue was rated."""
    return {
        "has_enterprise_ratings": Exists(
            EnterpriseRating.objects.filter(feedback_item__issue=OuterRef("pk"), is_latest=True)
        )
    }


def opinion_rating_flags() -> dict:
    """``issues.extensions.OPINION_FLAGS``: whether the opinion was rated."""
    return {
        "has_enterprise_ratings": Exists(
            EnterpriseRating.objects.filter(feedback_item=OuterRef("pk"), is_latest=True)
        )
    }


def counted_receipts(user):
    """The receipts the figures count (``receipts_issued``): live (not revoked) receipts of
    activities in ``user``'s scope that are not withdrawn."""
    return Receipt.objects.visible_to(user).filter(
        RECEIPT_LIVE, activity__withdrawn_at__isnull=True
    )


def receipt_keeps_enterprise(item: FeedbackItem) -> str:
    """``outreach.extensions.ENTERPRISE_KEPT``: a live receipt lists the opinion under the
    enterprise (or the anonymous giver) it was given to; moving the opinion to another
    would show it on the wrong one's page."""
    if Receipt.objects.filter(RECEIPT_LIVE, feedback_items=item.pk).exists():
        return str(
            _(
                "A receipt given at this activity lists this opinion: revoke it on the "
                "activity's receipts page before changing who gave the opinion."
            )
        )
    return ""
