"""The enterprise's ratings (好差评) of its answers, and the branch's follow-up of those
that say unsatisfied or not solved.

The enterprise rates on its receipt page, which it opened with its code: the rating is
taken only for an opinion of that receipt, and only of the opinion's newest answer. A
rating never overwrites another: the newest is the enterprise's word on the opinion
(``is_latest``), the older ones stay as its history. The same rating sent twice (a double
tap, a resent form) is recorded once.

The branch hears of a complaint once: a rating that says unsatisfied or not solved
notifies the leads unless the opinion's previous newest rating already awaited follow-up
(after a follow-up, the next complaint notifies again); and one opinion takes at most
``RECEIPT_RATINGS_PER_OPINION_PER_DAY`` ratings in 24 hours.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import rules
from branches.models import Membership
from issues.models import Issue
from notifications.models import Notification
from notifications.services import notify
from outreach.models import FeedbackItem

from .models import NEEDS_FOLLOW_UP, EnterpriseRating, Receipt

COMMENT_MAX_LENGTH = 1000


def answer_to_rate(item: FeedbackItem):
    """The opinion's newest answer that reached the enterprise (what the page offers to
    rate), from the ``answers`` the public page prefetched; None before any."""
    answers = getattr(item, "answers", None)
    if answers is None:
        raise ValueError("read the opinion through receipts.selectors.public_items")
    return answers[-1] if answers else None


@transaction.atomic
def rating_record(
    *,
    receipt: Receipt,
    item: FeedbackItem,
    level: int,
    comment: str = "",
    not_solved: bool = False,
) -> EnterpriseRating:
    """Record what the enterprise holding ``receipt`` says of ``item``'s newest answer.

    ``item`` comes from the receipt's public page (``selectors.public_items``), so it is
    one of the receipt's own opinions. The opinion's row is locked while its newest rating
    is replaced, so two ratings sent at once are both kept, one after the other.
    """
    comment = (comment or "").strip()
    if level not in EnterpriseRating.Level.values:
        raise ValidationError({"level": _("Choose one of the five ratings.")})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": _("The comment is too long.")})
    if not_solved and not comment:
        raise ValidationError({"comment": _("Say what is still not solved.")})
    reply = answer_to_rate(item)
    if reply is None:
        raise ValidationError(_("This opinion has no answer to rate yet."))
    if not receipt.feedback_items.filter(pk=item.pk).exists():
        raise PermissionDenied
    FeedbackItem.objects.select_for_update().filter(pk=item.pk).first()
    latest = EnterpriseRating.objects.filter(feedback_item=item, is_latest=True).first()
    if latest is not None and (
        latest.reply_id,
        latest.level,
        latest.comment,
        latest.not_solved,
    ) == (
        reply.pk,
        level,
        comment,
        not_solved,
    ):
        return latest
    since = timezone.now() - timedelta(hours=24)
    recent = EnterpriseRating.objects.filter(feedback_item=item, rated_at__gt=since).count()
    if recent >= settings.RECEIPT_RATINGS_PER_OPINION_PER_DAY:
        raise ValidationError(
            _(
                "This answer was rated too many times today. Nothing was recorded: try "
                "again tomorrow, or call the branch."
            ),
            code="too_many_ratings",
        )
    already_waiting = latest is not None and latest.awaits_follow_up
    if latest is not None:
        EnterpriseRating.objects.filter(pk=latest.pk).update(is_latest=False)
    rating = EnterpriseRating.objects.create(
        receipt=receipt,
        feedback_item=item,
        reply=reply,
        level=level,
        comment=comment,
        not_solved=not_solved,
    )
    if rating.needs_follow_up and not already_waiting:
        transaction.on_commit(lambda: notify_branch(rating))
    return rating


def notify_branch(rating: EnterpriseRating) -> None:
    """Tell the branch's leads (and the person responsible for the issue) that the
    enterprise is not satisfied. Notifications are about issues: an opinion answered
    without an issue waits in the leads' follow-up queue ("my work") instead."""
    issue = (
        Issue.objects.filter(feedback_items=rating.feedback_item_id)
        .select_related("responsible")
        .first()
    )
    if issue is None:
        return
    leads = get_user_model().objects.filter(
        is_active=True,
        membership__branch_id=rating.feedback_item.branch_id,
        membership__role=Membership.Role.LEAD,
    )
    recipients = {user.pk: user for user in leads}
    if issue.responsible is not None and issue.responsible.is_active:
        recipients.setdefault(issue.responsible.pk, issue.responsible)
    notify(
        recipients=recipients.values(),
        kind=Notification.Kind.ENTERPRISE_RATING,
        issue=issue,
        key_suffix=f"rating-{rating.pk}",
    )


def may_follow_up(user, rating: EnterpriseRating) -> bool:
    """The branch's lead follows the enterprise's word up."""
    return rules.leads_branch(user, rating.feedback_item.branch_id)


@transaction.atomic
def rating_follow_up(*, actor, rating: EnterpriseRating, note: str) -> EnterpriseRating:
    """The lead records what was done about a rating that says unsatisfied or not solved
    (when the issue is reopened this happens by itself: ``ratings_reopened``)."""
    rating = (
        EnterpriseRating.objects.select_for_update()
        .select_related("feedback_item")
        .get(pk=rating.pk)
    )
    if not may_follow_up(actor, rating):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what was done about it.")})
    if not rating.is_latest:
        raise ValidationError(
            _("The enterprise rated again since: its later rating is the one to follow up.")
        )
    if not rating.needs_follow_up:
        raise ValidationError(_("The enterprise was satisfied: there is nothing to follow up."))
    if rating.followed_up_at is not None:
        raise ValidationError(_("This rating was already followed up."))
    _mark_followed_up(
        EnterpriseRating.objects.filter(pk=rating.pk), actor, EnterpriseRating.FollowUp.NOTED, note
    )
    rating.refresh_from_db()
    return rating


def reopened(sender, *, issue, transition, actor, values, **kwargs) -> None:
    """``issues.signals.transition_made`` receiver: a reopening follows the ratings up."""
    if transition.name == "reopen":
        ratings_reopened(issue=issue, actor=actor, note=values.get("note", ""))


def ratings_reopened(*, issue: Issue, actor, note: str = "") -> int:
    """The issue was reopened: the ratings that asked for it are followed up."""
    waiting = EnterpriseRating.objects.filter(
        feedback_item__issue=issue, is_latest=True, followed_up_at__isnull=True
    ).filter(NEEDS_FOLLOW_UP)
    return _mark_followed_up(waiting, actor, EnterpriseRating.FollowUp.REOPENED, note)


def _mark_followed_up(ratings, actor, how: str, note: str) -> int:
    return ratings.update(
        followed_up_at=timezone.now(), followed_up_by=actor, follow_up=how, follow_up_note=note
    )


def issue_has_enterprise_complaint(issue: Issue) -> bool:
    """A ground to reopen (``issues.transitions.REOPEN_GROUNDS``): an opinion of the
    issue's newest rating by the enterprise says unsatisfied or not solved and has not been
    followed up."""
    return (
        EnterpriseRating.objects.awaiting_follow_up()
        .filter(feedback_item__issue=issue, feedback_item__withdrawn_at__isnull=True)
        .exists()
    )
