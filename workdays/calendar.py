"""Working days in China (工作日), with statutory holidays and make-up days (调休).

One source answers every "N working days after" and "working days between" question of the
app. A day is a working day, in this order:

1. as the office's table says (``CalendarDay``: next year's schedule before the package
   knows it, local closures);
2. as ``chinesecalendar`` says, for the years it knows;
3. Monday to Friday, for a year neither knows (``years_without_schedule`` tells the office,
   and nothing fails).

Days are dates in Asia/Shanghai: a moment is first turned into its date there.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from chinese_calendar import constants as packaged

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: The calendar read once for the web request being served (``workdays.middleware``): a
#: list of a hundred issues asks it a hundred times and reads the office's table once.
#: Outside a request (commands, the queue) every ``load`` reads the table afresh.
_request_calendar: ContextVar[WorkingCalendar | bool | None] = ContextVar(
    "request_calendar", default=False
)
#: The years the packaged calendar knows (its holiday table's first and last year).
PACKAGED_YEARS = range(min(packaged.holidays).year, max(packaged.holidays).year + 1)


def local_date(moment: date | datetime) -> date:
    """The date of ``moment`` in Asia/Shanghai (a naive datetime is taken as local)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(SHANGHAI)
        return moment.date()
    return moment


class WorkingCalendar:
    """The calendar with the office's table read once (one small query)."""

    def __init__(self, office_days: dict[date, bool], scheduled_years: set[int] | None = None):
        #: day -> True for a working day, False for a holiday, as the office entered it.
        self.office_days = office_days
        self._scheduled_years = scheduled_years

    @property
    def scheduled_years(self) -> set[int]:
        """The years the office entered in full (read when first asked: counting days
        does not need them)."""
        if self._scheduled_years is None:
            from .models import ScheduledYear

            self._scheduled_years = set(ScheduledYear.objects.values_list("year", flat=True))
        return self._scheduled_years

    @classmethod
    def load(cls) -> WorkingCalendar:
        cached = _request_calendar.get()
        if cached:
            return cached
        calendar = cls.read()
        if cached is None:  # inside a request: keep it for the rest of the request
            _request_calendar.set(calendar)
        return calendar

    @classmethod
    def read(cls) -> WorkingCalendar:
        from .models import CalendarDay

        office_days = {
            day: kind == CalendarDay.Kind.WORKDAY
            for day, kind in CalendarDay.objects.values_list("day", "kind")
        }
        return cls(office_days)

    def knows_year(self, year: int) -> bool:
        return year in PACKAGED_YEARS or year in self.scheduled_years

    def is_working_day(self, day: date) -> bool:
        if day in self.office_days:
            return self.office_days[day]
        if day.year in PACKAGED_YEARS:
            # ``chinese_calendar.is_workday``'s own rule, from its tables: the function
            # itself first finds the tables' first and last day (min/max over two thousand
            # days, ~30 µs a call), which made the ledger's overdue column take minutes.
            return day in packaged.workdays or (day.weekday() < 5 and day not in packaged.holidays)
        return day.weekday() < 5

    def add_working_days(self, moment: date | datetime, count: int) -> date:
        """The ``count``-th working day after the day of ``moment`` (the day itself is day
        0, whether or not it is a working day): a limit of 1 working day from a Friday
        ends on the next working day."""
        day = local_date(moment)
        if count <= 0:
            return day
        left = count
        while left:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_day_back(self, moment: date | datetime, count: int) -> date:
        """The ``count``-th working day counting back from the day of ``moment``, that day
        included when it is a working day: ``working_days_between(d, moment) >= count``
        exactly when ``d`` comes before it."""
        day = local_date(moment)
        if count <= 0:
            return day + timedelta(days=1)
        left = count
        while True:
            if self.is_working_day(day):
                left -= 1
                if not left:
                    return day
            day -= timedelta(days=1)

    def working_days_between(self, start: date | datetime, end: date | datetime) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when ``end``
        comes first): ``add_working_days(d, n)`` is ``n`` working days after ``d``."""
        first, last = local_date(start), local_date(end)
        sign = 1
        if last < first:
            first, last, sign = last, first, -1
        days = (last - first).days
        count = sum(
            1 for offset in range(1, days + 1) if self.is_working_day(first + timedelta(offset))
        )
        return sign * count

    def years_without_schedule(self, years) -> list[int]:
        """Those of ``years`` counted Monday to Friday for want of a schedule."""
        return sorted(year for year in set(years) if not self.knows_year(year))


def add_working_days(moment: date | datetime, count: int) -> date:
    return WorkingCalendar.load().add_working_days(moment, count)


def working_days_between(start: date | datetime, end: date | datetime) -> int:
    return WorkingCalendar.load().working_days_between(start, end)
