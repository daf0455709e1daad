"""Abstract bases shared by the core models of every app."""

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
