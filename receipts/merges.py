"""Receipts follow an enterprise merge (outreach.signals.enterprise_merged)."""

from django.utils import timezone

from .models import Receipt


def move_receipts(sender, *, survivor, duplicate, actor, **kwargs) -> None:
    """The duplicate's receipts become the survivor's. Where both have a live receipt for
    the same activity, the duplicate's is revoked (one live receipt per activity and
    enterprise): the survivor's code keeps working, the other answers like a wrong code."""
    both = Receipt.objects.filter(enterprise=survivor, revoked_at__isnull=True).values(
        "activity_id"
    )
    Receipt.objects.filter(
        enterprise=duplicate, revoked_at__isnull=True, activity_id__in=both
    ).update(revoked_at=timezone.now(), revoked_by=actor)
    Receipt.objects.filter(enterprise=duplicate).update(enterprise=survivor)
