"""The notifications' tasks: the hourly chase (from the scheduler) and emails, sent by a
worker with retries instead of inside the web request that caused them."""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.utils import timezone

from .models import Notification
from .services import email_pending
from .triggers import chase

#: How far back an email that could not be sent is tried again by the hourly chase.
RETRY_EMAILS_FOR = timedelta(days=2)
#: Retries of one batch of emails, after 1, 2, 4, 8 and 16 minutes.
EMAIL_RETRIES = 5


def remind(today: date | None = None) -> tuple[int, int]:
    """Chase late issues for ``today`` and email what is new or failed lately; returns
    (notifications created, emails sent). Never does a step twice."""
    today = today or timezone.localdate()
    created = chase(today)
    emailed = email_pending(since=timezone.now() - RETRY_EMAILS_FOR)
    return len(created), emailed


@shared_task(name="notifications.send_reminders", ignore_result=True)
def send_reminders() -> None:
    remind()


@shared_task(bind=True, name="notifications.email", ignore_result=True, max_retries=EMAIL_RETRIES)
def email_notifications(self, ids: list[int]) -> int:
    """Email these notifications; those the mail server refused are tried again later
    (each is sent once: ``email_pending`` skips what was sent)."""
    sent = email_pending(ids=ids)
    unsent = (
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .exists()
    )
    if unsent and not self.request.is_eager:
        raise self.retry(countdown=60 * 2**self.request.retries)
    return sent
