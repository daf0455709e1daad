"""The nightly search for recurring problems (the scheduler's), over the month so far."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from . import finding


@shared_task(name="themes.search", ignore_result=True)
def search_recurring_problems() -> None:
    finding.search(timezone.localdate())
