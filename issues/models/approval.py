"""Replies waiting for the branch lead's approval (four eyes), where the office asks for it.

A draft is not a reply: no figure counts it. Approving it records the ``Reply`` (with its
approver); sending it back keeps the draft, with the lead's comment, for its author.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.scoping import BranchScopedQuerySet
from outreach.models import FeedbackItem, Satisfaction

from .issue import Reply


class ReplyDraftQuerySet(BranchScopedQuerySet):
    branch_path = "feedback_item__branch"

    def pending(self):
        return self.filter(status=ReplyDraft.Status.PENDING)


class ReplyDraft(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        SENT_BACK = "sent_back", _("Sent back")
        APPROVED = "approved", _("Approved")

    feedback_item = models.ForeignKey(
        FeedbackItem,
        verbose_name=_("opinion"),
        on_delete=models.PROTECT,
        related_name="reply_drafts",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Reply.Channel.choices)
    content = models.TextField(_("content"))
    replied_on = models.DateField(_("replied on"))
    satisfaction = models.CharField(
        _("enterprise's satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("comment"), blank=True)
    reply = models.OneToOneField(
        Reply,
        verbose_name=_("reply"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="draft",
    )

    objects = ReplyDraftQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reply draft")
        verbose_name_plural = _("reply drafts")
        ordering = ["-drafted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending")
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="reply_draft_review_has_author",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(reply__isnull=False),
                name="reply_draft_approved_has_reply",
            ),
            # One answer waits for approval per opinion: two would become two replies.
            models.UniqueConstraint(
                fields=["feedback_item"],
                condition=Q(status="pending"),
                name="reply_draft_one_pending_per_opinion",
            ),
            # Four eyes: the author never approves their own reply.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("drafted_by")),
                name="reply_draft_not_reviewed_by_author",
            ),
        ]

    def __str__(self) -> str:
        return self.content[:40]
