"""The nightly search for recurring problems (the scheduler's), over the month so far."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import finding

#: A province's six months of issues take minutes to group (docs/themes.md): more room
#: than the default limit of a task.
SOFT_TIME_LIMIT = 30 * 60


@shared_task(
    name="themes.search",
    ignore_result=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=SOFT_TIME_LIMIT + 60,
)
def search_recurring_problems() -> None:
    # Yesterday's month: on the 1st, the month just ended is judged with all its days (its
    # last day's issues would otherwise only ever count for the new month).
    finding.search(timezone.localdate() - timedelta(days=1))
