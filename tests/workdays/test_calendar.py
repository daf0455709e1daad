"""The working-day calendar on real dates: China's holidays and make-up days (调休), the
office's own days, and Monday to Friday for a year nobody knows.

The dates of 2025 and 2026 are the State Council's (checked against ``chinesecalendar`` in
the first test, so a package that changed them fails there, not in a puzzling sum); 2027
is a year the installed package does not know.
"""

from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest

from tests.factories import CalendarDayFactory, ScheduledYearFactory
from workdays import calendar
from workdays.calendar import PACKAGED_YEARS, WorkingCalendar, local_date

#: What the package says of the days the tests below count across.
PACKAGED_FACTS = {
    # New Year 2026: Thu 1 to Sat 3 January off, Sun 4 January worked.
    date(2025, 12, 31): True,
    date(2026, 1, 1): False,
    date(2026, 1, 3): False,
    date(2026, 1, 4): True,
    # Spring Festival 2026: Sun 15 to Mon 23 February off, Sat 14 and Sat 28 worked.
    date(2026, 2, 14): True,
    date(2026, 2, 15): False,
    date(2026, 2, 23): False,
    date(2026, 2, 28): True,
    # National Day 2026: Thu 1 to Wed 7 October off, Sun 20 September and Sat 10 October
    # worked; Sun 11 October is an ordinary Sunday.
    date(2026, 9, 20): True,
    date(2026, 10, 1): False,
    date(2026, 10, 7): False,
    date(2026, 10, 10): True,
    date(2026, 10, 11): False,
}


def package_only() -> WorkingCalendar:
    """The calendar with an empty office table (no database needed)."""
    return WorkingCalendar({}, set())


def test_the_package_says_what_these_tests_count_on():
    assert 2026 in PACKAGED_YEARS
    assert 2027 not in PACKAGED_YEARS
    for day, working in PACKAGED_FACTS.items():
        assert chinese_calendar.is_workday(day) is working, day
        assert package_only().is_working_day(day) is working, day
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2027, 1, 4))


def test_every_day_the_package_knows_is_read_as_the_package_says():
    # The calendar reads the package's tables itself (its function is slow): same answer.
    first, last = date(PACKAGED_YEARS.start, 1, 1), date(PACKAGED_YEARS.stop - 1, 12, 31)
    day = first
    while day <= last:
        assert package_only().is_working_day(day) is chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


# --- National Day 2026 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "deadline"),
    [
        (date(2026, 9, 30), 1, date(2026, 10, 8)),  # the whole week off is skipped
        (date(2026, 9, 30), 2, date(2026, 10, 9)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),  # the make-up Saturday counts
        (date(2026, 9, 30), 4, date(2026, 10, 12)),  # the Sunday after it does not
        (date(2026, 9, 18), 1, date(2026, 9, 20)),  # the make-up Sunday before it
        (date(2026, 9, 24), 1, date(2026, 9, 28)),  # Mid-autumn: Fri 25 to Sun 27 off
        (date(2026, 10, 3), 1, date(2026, 10, 8)),  # from a day off: the next working day
    ],
)
def test_deadline_across_national_day_2026(start, count, deadline):
    assert package_only().add_working_days(start, count) == deadline


def test_national_day_week_is_not_monday_to_friday():
    # Counting Monday to Friday would end on Monday 5 October, in the middle of the week off.
    assert package_only().add_working_days(date(2026, 9, 30), 3) != date(2026, 10, 5)
    assert package_only().working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4


# --- Spring Festival 2026 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "deadline"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 14)),  # the make-up Saturday before it
        (date(2026, 2, 14), 1, date(2026, 2, 24)),  # nine days off
        (date(2026, 2, 12), 5, date(2026, 2, 26)),
        (date(2026, 2, 26), 2, date(2026, 2, 28)),  # the make-up Saturday after it
        (date(2026, 2, 27), 2, date(2026, 3, 2)),  # Sat 28, then Mon 2 March
    ],
)
def test_deadline_across_spring_festival_2026(start, count, deadline):
    assert package_only().add_working_days(start, count) == deadline


def test_working_days_across_spring_festival_2026():
    # Sat 14, then Tue 24 to Sat 28.
    assert package_only().working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6


# --- the year end: New Year 2026 --------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "count", "deadline"),
    [
        (date(2025, 12, 31), 1, date(2026, 1, 4)),  # Thu 1 to Sat 3 off, Sun 4 worked
        (date(2025, 12, 30), 3, date(2026, 1, 5)),
        (date(2025, 12, 26), 5, date(2026, 1, 5)),  # an ordinary weekend before it
    ],
)
def test_deadline_across_the_year_end_into_2026(start, count, deadline):
    assert package_only().add_working_days(start, count) == deadline


# --- 2027: a year the package does not know ----------------------------------------------


@pytest.mark.django_db
def test_a_year_nobody_knows_is_counted_monday_to_friday():
    working = WorkingCalendar.load()
    # Thu 30 September 2027: Fri 1, Mon 4, Tue 5 October, whatever the holiday will be.
    assert working.add_working_days(date(2027, 9, 30), 3) == date(2027, 10, 5)
    assert working.is_working_day(date(2027, 10, 1))
    assert not working.is_working_day(date(2027, 10, 9))  # a Saturday
    assert working.years_without_schedule([2026, 2027, 2027]) == [2027]
    # The year end into it: Thu 31 December 2026, then Fri 1 and Mon 4 January 2027.
    assert working.add_working_days(date(2026, 12, 31), 2) == date(2027, 1, 4)


def enter_national_day_2027(office, *, whole_year: bool) -> None:
    """The office's entries for 2027 (made up for the test: Fri 1 to Thu 7 October off,
    Sat 9 October worked), and the year marked as entered or not."""
    for day in range(1, 8):
        CalendarDayFactory(
            day=date(2027, 10, day), kind="holiday", name="国庆节", created_by=office
        )
    CalendarDayFactory(day=date(2027, 10, 9), kind="workday", name="国庆节调休", created_by=office)
    CalendarDayFactory(day=date(2027, 1, 1), kind="holiday", name="元旦", created_by=office)
    if whole_year:
        ScheduledYearFactory(year=2027, entered_by=office)


@pytest.mark.django_db
@pytest.mark.parametrize("whole_year", [True, False])
def test_the_office_table_counts_in_a_year_the_package_does_not_know(office, whole_year):
    enter_national_day_2027(office, whole_year=whole_year)
    working = WorkingCalendar.load()
    # Fri 8 October, the make-up Saturday 9, Mon 11.
    assert working.add_working_days(date(2027, 9, 30), 3) == date(2027, 10, 11)
    assert working.working_days_between(date(2027, 9, 30), date(2027, 10, 11)) == 3
    # The year end: 1 January 2027 is the office's holiday.
    assert working.add_working_days(date(2026, 12, 31), 2) == date(2027, 1, 5)
    # The days are used either way; only a year marked as entered is "known".
    assert working.years_without_schedule([2027]) == ([] if whole_year else [2027])
    assert working.knows_year(2027) is whole_year


@pytest.mark.django_db
def test_the_module_functions_read_the_office_table(office):
    assert calendar.add_working_days(date(2027, 9, 30), 3) == date(2027, 10, 5)
    enter_national_day_2027(office, whole_year=True)
    assert calendar.add_working_days(date(2027, 9, 30), 3) == date(2027, 10, 11)
    assert calendar.working_days_between(date(2027, 10, 11), date(2027, 9, 30)) == -3


# --- working days between ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 10, 8), date(2026, 10, 12), 3),  # Fri 9, Sat 10 (make-up), Mon 12
        (date(2026, 10, 12), date(2026, 10, 8), -3),  # the same days, counted back
        (date(2026, 9, 30), date(2026, 10, 7), 0),  # the whole week off
        (date(2026, 10, 7), date(2026, 9, 30), 0),
        (date(2026, 10, 8), date(2026, 10, 8), 0),
        (date(2026, 10, 9), date(2026, 10, 8), -1),  # overdue by one working day
        (date(2026, 10, 11), date(2026, 10, 9), -1),  # Sat 10 between them, not Fri 9
        (date(2025, 12, 31), date(2026, 1, 5), 2),  # Sun 4, Mon 5
        (date(2026, 1, 5), date(2025, 12, 31), -2),
    ],
)
def test_working_days_between_counts_after_the_first_day_up_to_the_last(start, end, days):
    working = package_only()
    assert working.working_days_between(start, end) == days
    if days > 0:
        assert working.add_working_days(start, days) == end


def test_between_undoes_add_whatever_the_direction():
    working = package_only()
    for start in (date(2026, 2, 10), date(2026, 9, 18), date(2025, 12, 29)):
        for count in range(0, 12):
            end = working.add_working_days(start, count)
            assert working.working_days_between(start, end) == count
            assert working.working_days_between(end, start) == -count


# --- moments are dated in Shanghai ------------------------------------------------------


def test_a_late_utc_evening_is_the_next_day_in_shanghai():
    # 16:30 UTC on Friday 13 February 2026 is 00:30 on Saturday 14 February in Shanghai,
    # the make-up working day before Spring Festival.
    moment = datetime(2026, 2, 13, 16, 30, tzinfo=UTC)
    assert local_date(moment) == date(2026, 2, 14)
    working = package_only()
    assert working.add_working_days(moment, 1) == date(2026, 2, 24)
    # Counted from the UTC date it would have been the Saturday itself.
    assert working.add_working_days(moment.date(), 1) == date(2026, 2, 14)
    assert working.working_days_between(moment, date(2026, 2, 24)) == 1
    assert working.working_days_between(date(2026, 2, 24), moment) == -1


def test_a_shanghai_moment_keeps_its_date():
    moment = datetime(2026, 10, 9, 23, 59, tzinfo=calendar.SHANGHAI)
    assert local_date(moment) == date(2026, 10, 9)
    assert package_only().add_working_days(moment, 1) == date(2026, 10, 10)


# --- the office's table wins over the package -------------------------------------------


def test_an_office_holiday_closes_a_packaged_working_day():
    # A local closure on Friday 9 October 2026 (the package: a working day).
    working = WorkingCalendar({date(2026, 10, 9): False}, set())
    assert not working.is_working_day(date(2026, 10, 9))
    assert working.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 12)
    # ... and the make-up Saturday after it can be closed too.
    closed = WorkingCalendar({date(2026, 10, 10): False}, set())
    assert closed.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 12)


def test_an_office_working_day_opens_a_packaged_holiday():
    # The office works on Wednesday 7 October 2026 (the package: National Day).
    working = WorkingCalendar({date(2026, 10, 7): True}, set())
    assert working.is_working_day(date(2026, 10, 7))
    assert working.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 7)
    assert working.working_days_between(date(2026, 9, 30), date(2026, 10, 8)) == 2


@pytest.mark.django_db
def test_the_office_table_is_read_from_the_database(office):
    CalendarDayFactory(day=date(2026, 10, 9), kind="holiday", name="地方停工", created_by=office)
    CalendarDayFactory(day=date(2026, 10, 11), kind="workday", name="补班", created_by=office)
    working = WorkingCalendar.load()
    assert working.office_days == {date(2026, 10, 9): False, date(2026, 10, 11): True}
    # Thu 8, Sat 10 (the package's make-up day), Sun 11 (the office's).
    assert working.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 11)
