"""The fixed frame of the demo's story: its days, the clock of a timeline, weighted draws.

Every planning step draws from the one seeded ``random.Random`` the builder hands it, in a
fixed order, and none reads the real clock: that is what makes the demo the same on every run.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
SEED = 20260901

FIRST_DAY = date(2026, 9, 1)
CAMPAIGN_ENDS = date(2026, 12, 31)
MEETING_DAY = date(2026, 10, 28)
# The demo's "now": nothing on a timeline happens after it.
CUTOFF = datetime(2026, 11, 24, 17, 30, tzinfo=TZ)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def full_name(user) -> str:
    return f"{user.last_name}{user.first_name}"


def weighted(rng: random.Random, weights: dict):
    """One key of ``weights``, drawn in proportion to its weight (keys weighing 0 never)."""
    keys = [k for k, w in weights.items() if w > 0]
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class Clock:
    """The moments of one timeline: each later than the last, none (much) past CUTOFF."""

    def __init__(self, rng: random.Random, start: datetime):
        self.rng = rng
        self.now = start

    def next(self, min_days: int = 0, max_days: int = 0, ceiling: datetime = CUTOFF) -> datetime:
        day = self.now.date() + timedelta(days=self.rng.randint(min_days, max_days))
        moment = at(day, self.rng.randint(8, 17), self.rng.choice(range(0, 60, 5)))
        if moment <= self.now or moment > ceiling:
            moment = self.now + timedelta(minutes=self.rng.randint(5, 40))
        self.now = moment
        return moment

    def soon(self) -> datetime:
        self.now += timedelta(minutes=self.rng.randint(1, 5))
        return self.now

    def jump_to(self, moment: datetime) -> datetime:
        self.now = max(self.now + timedelta(minutes=1), moment)
        return self.now
