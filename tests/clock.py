"""Move the clock forward in a test, for behaviour that waits (idle sessions, lock-outs).

No time-travel package is installed, so this patches the two clocks the code reads:
``django.utils.timezone.now`` (with every module that imported ``now`` from it by name,
such as django-axes) and ``time.time`` (read by ``core.middleware``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from unittest import mock

from django.utils import timezone


@contextmanager
def clock_moved(by: timedelta) -> Iterator[None]:
    """Within the block, every reader of the current time sees it ``by`` later."""
    real_now, real_time = timezone.now, time.time

    def moved_now():
        return real_now() + by

    def moved_time():
        return real_time() + by.total_seconds()

    # Modules that did ``from django.utils.timezone import now`` hold their own name for it.
    holders = [
        module
        for module in list(sys.modules.values())
        if module is not None and vars(module).get("now") is real_now
    ]
    with ExitStack() as stack:
        for module in holders:
            stack.enter_context(mock.patch.object(module, "now", moved_now))
        stack.enter_context(mock.patch.object(time, "time", moved_time))
        yield


def overdue_deadline():
    """A deadline that is overdue today whatever day today is: the working day before the
    last working day up to today (a deadline of "yesterday" is not overdue on a Saturday
    or Sunday, nor after a holiday)."""
    from django.utils import timezone

    from workdays.calendar import WorkingCalendar

    return WorkingCalendar.load().working_day_back(timezone.localdate(), 2)
