"""Housekeeping on the scheduler (``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from .submissions import clear_submission_receipts as clear


@shared_task(name="core.clear_submission_receipts", ignore_result=True)
def clear_submission_receipts() -> int:
    return clear()
