"""The periods a branch is assessed over: a month, a quarter, a year.

A period is named by a key that reads as it says (``2026-11``, ``2026-Q4``, ``2026``), the
one the page's address carries. Its figures are those of ``Selection(date_from=start,
date_to=end)``: every campaign, the activities of those days and what came from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.months import add_months, month_start

from ..selection import Selection

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
KINDS = (MONTH, QUARTER, YEAR)
#: Months in a period of each kind.
SPAN = {MONTH: 1, QUARTER: 3, YEAR: 12}
KIND_LABELS = {
    MONTH: gettext_lazy("Months"),
    QUARTER: gettext_lazy("Quarters"),
    YEAR: gettext_lazy("Years"),
}
#: How many of each kind the choice offers, the current one included.
CHOICES_BACK = {MONTH: 24, QUARTER: 8, YEAR: 3}

#: The years a period may be in (the one before the first and after the last stay dates).
FIRST_YEAR, LAST_YEAR = 2000, 2100
_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$", re.ASCII)


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    #: the period's first day (the first of a month, a quarter's first month, January)
    start: date

    @classmethod
    def containing(cls, day: date, kind: str = MONTH) -> Period:
        if kind == YEAR:
            return cls(YEAR, date(day.year, 1, 1))
        if kind == QUARTER:
            return cls(QUARTER, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
        return cls(MONTH, month_start(day))

    @classmethod
    def parse(cls, key: str) -> Period | None:
        match = _KEY.match(key or "")
        if not match:
            return None
        year = int(match["year"])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return None
        if match["month"]:
            month = int(match["month"])
            return cls(MONTH, date(year, month, 1)) if 1 <= month <= 12 else None
        if match["quarter"]:
            return cls(QUARTER, date(year, (int(match["quarter"]) - 1) * 3 + 1, 1))
        return cls(YEAR, date(year, 1, 1))

    @property
    def end(self) -> date:
        return add_months(self.start, SPAN[self.kind]) - timedelta(days=1)

    @property
    def last_month(self) -> date:
        """The first day of the period's last month: its scheme is the one in force then."""
        return month_start(self.end)

    @property
    def quarter(self) -> int:
        return (self.start.month - 1) // 3 + 1

    @property
    def key(self) -> str:
        if self.kind == YEAR:
            return f"{self.start.year}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{self.quarter}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        """In the interface's language: 2026年11月 / November 2026."""
        if self.kind == YEAR:
            return _("%(year)d") % {"year": self.start.year}
        if self.kind == QUARTER:
            return _("Q%(quarter)d %(year)d") % {"quarter": self.quarter, "year": self.start.year}
        return date_format(self.start, "YEAR_MONTH_FORMAT")

    def previous(self) -> Period:
        return Period(self.kind, add_months(self.start, -SPAN[self.kind]))

    def next(self) -> Period:
        return Period(self.kind, add_months(self.start, SPAN[self.kind]))

    def has_ended(self, today: date) -> bool:
        return self.end < today

    def selection(self) -> Selection:
        return Selection(date_from=self.start, date_to=self.end)


def default_period(today: date) -> Period:
    """The last month that has ended: the one a monthly assessment is about."""
    return Period.containing(month_start(today) - timedelta(days=1))


def recent_periods(today: date) -> dict[str, list[Period]]:
    """The periods the choice offers, newest first, by kind (the current ones included)."""
    result = {}
    for kind in KINDS:
        period = Period.containing(today, kind)
        periods = []
        for _step in range(CHOICES_BACK[kind]):
            periods.append(period)
            period = period.previous()
        result[kind] = periods
    return result
