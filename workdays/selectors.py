"""Reads of the working-day calendar: one year as the office's page shows it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chinese_calendar import constants as packaged

from core.languages import english_active

from .calendar import PACKAGED_YEARS
from .models import CalendarDay, ScheduledYear

#: The years the calendar page opens: the package's first year to well past the next.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class PackagedDay:
    """A statutory holiday or make-up working day as ``chinesecalendar`` lists it."""

    day: date
    is_working: bool
    name: str


@dataclass(frozen=True)
class YearOverview:
    """What the calendar knows of one year, and from where."""

    year: int
    office_days: list[CalendarDay]
    packaged_days: list[PackagedDay]
    scheduled: ScheduledYear | None

    @property
    def packaged(self) -> bool:
        return self.year in PACKAGED_YEARS

    @property
    def known(self) -> bool:
        return self.packaged or self.scheduled is not None


def _holiday_name(english: str) -> str:
    """The package's name of a holiday, in Chinese unless the page is in English."""
    try:
        holiday = packaged.Holiday(english)
    except ValueError:  # pragma: no cover - every name of the tables is a Holiday
        return english
    return english if english_active() else holiday.chinese


def packaged_days(year: int) -> list[PackagedDay]:
    """The holidays and make-up working days the package lists for ``year`` (none for a
    year it does not know); ordinary weekends are not listed."""
    days = [
        PackagedDay(day, False, _holiday_name(name))
        for day, name in packaged.holidays.items()
        if day.year == year
    ]
    days += [
        PackagedDay(day, True, _holiday_name(name))
        for day, name in packaged.workdays.items()
        if day.year == year
    ]
    return sorted(days, key=lambda entry: entry.day)


def year_overview(user, year: int) -> YearOverview:
    """The office's entries of ``year``, the package's days and whether the year is known."""
    office_days = list(
        CalendarDay.objects.visible_to(user).filter(day__year=year).select_related("created_by")
    )
    scheduled = (
        ScheduledYear.objects.visible_to(user)
        .filter(year=year)
        .select_related("entered_by")
        .first()
    )
    return YearOverview(year, office_days, packaged_days(year), scheduled)
