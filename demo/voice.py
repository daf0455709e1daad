"""The enterprises' own word in the demo: receipts given to some enterprises whose opinions
were answered, some of them opened, and ratings on their pages, so the dashboard's
figures of "The enterprise's own word" (docs/metrics.md) are not all zero.

Written through the services, as an enterprise and the staff would: ``receipt_issue`` for
each receipt, ``receipt_opened`` for each opening, ``rating_record`` for each rating from
the receipt's own page (``receipt_for_code``). In each of the first branches: a very
satisfied and a basically satisfied rating; in the first branch also an opinion the staff
recorded satisfied that the enterprise rates unsatisfied (the two disagree), and one it
says is not solved. Runs once: nothing is written when the campaign already has a rating
(``seed_demo`` stays idempotent).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef

from branches.models import Branch, Membership
from issues.models import Reply
from outreach.models import POSITIVE_SATISFACTION, FeedbackItem, Satisfaction
from receipts.models import EnterpriseRating
from receipts.ratings import rating_record
from receipts.selectors import receipt_for_code
from receipts.services import receipt_issue, receipt_opened

Level = EnterpriseRating.Level

#: Branches (in their order) whose enterprises rate, and how many opened without rating.
RATING_BRANCHES = 3
OPENED_ONLY = 2


def demo_voice(campaign) -> int:
    """Write the demo's receipts, openings and ratings for ``campaign``; the number of
    ratings written (0 when the campaign already has some, or nothing is answered)."""
    if EnterpriseRating.objects.filter(feedback_item__activity__campaign=campaign).exists():
        return 0
    with transaction.atomic():
        return _write(campaign)


def _answered(campaign, branch, satisfaction):
    """The branch's opinions of enterprises answered with the staff's ``satisfaction``
    recorded (their latest), oldest first."""
    replies = Reply.objects.filter(feedback_item=OuterRef("pk"))
    return (
        FeedbackItem.objects.active()
        .filter(
            Exists(replies),
            branch=branch,
            activity__campaign=campaign,
            activity__withdrawn_at__isnull=True,
            enterprise__isnull=False,
            satisfaction__in=satisfaction,
        )
        .select_related("activity", "enterprise")
        .order_by("received_on", "id")
    )


def _staff(branch):
    membership = (
        Membership.objects.filter(branch=branch, role=Membership.Role.STAFF, user__is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return membership.user if membership else None


def _rate(item, staff, level, comment="", not_solved=False) -> bool:
    """The enterprise gets its receipt, opens its page and rates ``item``'s answer."""
    receipt, code = receipt_issue(activity=item.activity, enterprise=item.enterprise, actor=staff)
    receipt_opened(receipt=receipt)
    opened = receipt_for_code(code)
    if opened is None:  # expired: the demo's answers are too old for this setting
        return False
    page_item = next((i for i in opened.public_items if i.pk == item.pk), None)
    if page_item is None or not getattr(page_item, "answers", None):
        return False
    rating_record(
        receipt=opened, item=page_item, level=level, comment=comment, not_solved=not_solved
    )
    return True


def _write(campaign) -> int:
    written = 0
    branches = Branch.objects.filter(kind=Branch.Kind.CITY).order_by("sort_order", "id")
    used: set[tuple[int, int]] = set()  # (activity, enterprise): one receipt each

    def fresh(items):
        for item in items:
            key = (item.activity_id, item.enterprise_id)
            if key not in used:
                used.add(key)
                yield item

    for number, branch in enumerate(branches[:RATING_BRANCHES]):
        staff = _staff(branch)
        if staff is None:
            continue
        positive = fresh(_answered(campaign, branch, POSITIVE_SATISFACTION))
        plan = [
            (Level.VERY_SATISFIED, "", False),
            (Level.BASICALLY_SATISFIED, "答复及时，希望继续压缩办理时间", False),
        ]
        if number == 0:
            # The staff recorded satisfied; the enterprise, on its own page, does not agree.
            plan.append((Level.UNSATISFIED, "电话里说满意，其实问题还在", False))
        for level, comment, not_solved in plan:
            item = next(positive, None)
            if item is not None and _rate(item, staff, level, comment, not_solved):
                written += 1
        if number == 0:
            # One "not solved" report, on an opinion the staff recorded unsatisfied.
            negative = fresh(_answered(campaign, branch, (Satisfaction.UNSATISFIED,)))
            item = next(negative, None) or next(positive, None)
            if item is not None and _rate(
                item, staff, Level.UNSATISFIED, "整改措施尚未落实，设备仍在排队检验", True
            ):
                written += 1
        # Receipts given and opened, not (yet) rated.
        for _ in range(OPENED_ONLY):
            item = next(positive, None)
            if item is None:
                break
            receipt, _code = receipt_issue(
                activity=item.activity, enterprise=item.enterprise, actor=staff
            )
            receipt_opened(receipt=receipt)
    return written
