"""Abstract bases shared by the core models of every app, and the submission receipts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    """Rows that remember when they were created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Withdrawable(models.Model):
    """Rows that are never deleted from the UI, only withdrawn with a reason.

    A withdrawn row stays in the database and in its history; lists and counts leave it
    out through the queryset's ``active()``.
    """

    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="%(app_label)s_%(class)s_withdrawal_has_reason",
            )
        ]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class SubmissionReceipt(models.Model):
    """A form submission that was carried out, so a repeat of it is not carried out again.

    Written by ``core.submissions.once_per_submission`` before the view does its work, in
    the same transaction: a second identical submission waits on this row's primary key
    until the first commits, then finds it and is sent to the first one's result. Rows
    older than ``core.submissions.KEPT_FOR`` are removed by
    ``manage.py clear_submission_receipts``.
    """

    #: SHA-256 of the form's one-time key, the user, the address and the posted content.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, primary_key=True)
    key = models.UUIDField(_("form key"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    path = models.TextField(_("address"))
    #: Where the first submission led (its redirect), and the messages it showed there.
    result_url = models.TextField(_("result address"), blank=True)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("submission receipt")
        verbose_name_plural = _("submission receipts")

    def __str__(self) -> str:
        return f"{self.path} {self.created_at:%Y-%m-%d %H:%M}"
