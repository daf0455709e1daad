"""The public pages' housekeeping, on the scheduler (``CELERY_BEAT_SCHEDULE``)."""

from captcha.models import CaptchaStore
from celery import shared_task


@shared_task(name="receipts.remove_expired_challenges", ignore_result=True)
def remove_expired_challenges() -> None:
    """The box's challenges nobody answered in time (each answered one is removed at
    once): without this, a visitor who only opens the form leaves a row behind."""
    CaptchaStore.remove_expired()
