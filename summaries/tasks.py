"""The scheduler folds the summaries' delta rows now and then (``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from . import services


@shared_task(name="summaries.compact", ignore_result=True, time_limit=600)
def compact() -> None:
    services.compact()
