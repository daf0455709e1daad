"""Receipts (回执): what an enterprise takes home from a visit or forum, with a tracking code
that opens a public page of its own opinions and their answers."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.scoping import BranchScopedQuerySet
from outreach.models import Activity, Enterprise, FeedbackItem


class ReceiptQuerySet(BranchScopedQuerySet):
    branch_path = "activity__branch"

    def live(self):
        return self.filter(revoked_at__isnull=True)


class Receipt(models.Model):
    """A receipt for the opinions one enterprise gave at one activity, or for anonymous
    (背靠背) opinions whose giver asked for one (then it names nobody).

    The tracking code is kept as a selector and the SHA-256 of its secret part only
    (``receipts.codes`` explains why and how it is compared). A receipt stops opening its
    page when the branch revokes it (reissuing revokes it and gives a new code) or when
    it expires: ``RECEIPT_DAYS_AFTER_LAST_ANSWER`` days after the last of its opinions was
    answered, never while one still waits for an answer. The expiry is worked out from
    the opinions when the code is used, not stored, so a later reply moves it.
    """

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="receipts"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
        help_text=_("Empty for anonymous opinions: the receipt carries no name."),
    )
    feedback_items = models.ManyToManyField(
        FeedbackItem, verbose_name=_("opinions"), related_name="receipts"
    )
    requested = models.BooleanField(
        _("the person asked for a receipt"),
        default=False,
        help_text=_("Anonymous opinions get a receipt only when the person asks for one."),
    )
    selector = models.CharField(_("code selector"), max_length=8, unique=True, editable=False)
    verifier_digest = models.CharField(_("code digest"), max_length=64, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    reissue_of = models.OneToOneField(
        "self",
        verbose_name=_("reissue of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reissued_as",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_count = models.PositiveIntegerField(_("times opened"), default=0)
    first_opened_at = models.DateTimeField(_("first opened at"), null=True, blank=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "enterprise"],
                condition=Q(revoked_at__isnull=True, enterprise__isnull=False),
                name="receipt_one_live_per_enterprise",
            ),
            # An anonymous opinion's receipt exists only because its giver asked for it.
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | Q(requested=True),
                name="receipt_anonymous_only_on_request",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_by__isnull=False),
                name="receipt_revoked_has_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.enterprise or _('anonymous')}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_anonymous(self) -> bool:
        return self.enterprise_id is None


def expires_on(items, issued_at) -> date | None:
    """The last day a receipt over ``items`` opens: none while an opinion is unanswered;
    else the last answer (or the issue day, with no opinion left) plus the setting."""
    answers = []
    for item in items:
        if not item.is_answered:
            return None
        answered = [item.last_replied_on]
        if item.unreachable_at:
            answered.append(timezone.localdate(item.unreachable_at))
        answers.append(max(day for day in answered if day))
    last = max(answers) if answers else timezone.localdate(issued_at)
    return last + timedelta(days=settings.RECEIPT_DAYS_AFTER_LAST_ANSWER)
