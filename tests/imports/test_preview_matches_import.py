"""The preview refuses exactly what the confirmation would refuse.

For odd values of the dates a file may hold (out of range, year 1, before or after the
campaign, in the future, Excel day numbers, text in every accepted spelling, and a seeded
spread of random ones), each one alone in an otherwise clean row:

- a file the preview accepts is imported (the confirmation writes every row);
- a file the preview refuses names that cell, and the services the confirmation calls refuse
  the same value given to them directly (or the cell cannot be read as a date at all).

The cases are generated, not drawn at run time: a failure names the value that diverged.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl.utils.datetime import to_excel

from imports import services
from imports.cells import CellError, cell_date
from outreach import services as outreach_services
from outreach.models import Activity, FeedbackCategory, FeedbackItem
from tests.factories import CampaignFactory
from tests.imports.conftest import preview_of, upload, xlsx

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# The campaign runs from 40 days ago to 20 days ahead; its activity is dated 10 days ago.
STARTS, ENDS, HELD = TODAY - timedelta(days=40), TODAY + timedelta(days=20), TODAY - timedelta(10)


def _spellings(day: date) -> list:
    return [
        day,
        datetime.combine(day, datetime.min.time()),
        day.isoformat(),
        f"{day:%Y/%m/%d}",
        f"{day:%Y.%m.%d}",
        f"{day.year}年{day.month}月{day.day}日",
        f" {day:%Y-%m-%d} 08:30",
        int(to_excel(day)) if date(1954, 10, 10) <= day <= date(2118, 12, 26) else day,
    ]


def _odd_dates(around: date, seed: int) -> list:
    """Dates near ``around`` and the campaign's edges, each as a date and in one other
    spelling, the extremes, and values that are no date at all."""
    days = [around, STARTS, STARTS - timedelta(1), ENDS, ENDS + timedelta(1), TODAY]
    days += [TODAY + timedelta(1), HELD - timedelta(1), HELD + timedelta(1)]
    days += [date(1, 1, 1), date(9999, 12, 31), date(1954, 10, 10), date(2118, 12, 26)]
    values: list = []
    for index, day in enumerate(days):
        spellings = _spellings(day)
        values += [day, spellings[1 + (index + seed) % (len(spellings) - 1)]]
    values += ["0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "下周二", "=TODAY()"]
    values += [0, 1, -1, 19_999, 80_000, 45_000.5, True, "45000", "２０２６－１１－２５"]
    randomly = random.Random(seed)
    for _ in range(12):
        day = around + timedelta(days=randomly.randint(-400, 400))
        values.append(randomly.choice(_spellings(day)))
    return values


ACTIVITY_DATES = _odd_dates(HELD, seed=2026)
RECEIVED_DATES = [None, *_odd_dates(HELD, seed=1120)]


def _rows(occurred_on, received_on) -> dict:
    return {
        "enterprises": [],
        "activities": [["A1", "内部座谈会", occurred_on, "内部座谈", None, None, 12]],
        "feedback": [["A1", None, "收费", "建议", "收费标准请公示。", None, received_on]],
    }


@pytest.fixture
def campaign(db):
    return CampaignFactory(code="odd-dates", starts_on=STARTS, ends_on=ENDS)


def _category():
    return FeedbackCategory.objects.get(name="收费")


def _services_accept(actor, branch, campaign, occurred_on: date, received_on: date | None):
    """Whether the services the confirmation calls accept these dates (nothing is kept)."""
    try:
        with transaction.atomic():
            activity = outreach_services.activity_create(
                actor=actor,
                branch=branch,
                campaign=campaign,
                kind=Activity.Kind.INTERNAL_FORUM,
                occurred_on=occurred_on,
                attendee_count=12,
            )
            outreach_services.feedback_create(
                actor=actor,
                activity=activity,
                category=_category(),
                content="收费标准请公示。",
                kind=FeedbackItem.Kind.SUGGESTION,
                received_on=received_on,
            )
            transaction.set_rollback(True)
    except ValidationError:
        return False
    return True


def _check(actor, branch, campaign, occurred_on, received_on, column: tuple[str, str]):
    content = xlsx(_rows(occurred_on, received_on))
    preview = preview_of(content, actor=actor, branch=branch, campaign=campaign)
    if preview.is_valid:
        batch = services.batch_create(
            actor=actor, branch=branch, campaign=campaign, upload=upload(content), preview=preview
        )
        services.batch_import(actor=actor, batch=batch)  # raises ImportFailed if it diverged
        assert FeedbackItem.objects.count() == 1
        return
    # Refused at that cell (an opinion defaulting to a refused activity date is refused too).
    cells = {(problem.sheet, problem.column) for problem in preview.problems}
    assert column in cells
    assert cells <= {("活动", "日期*"), ("意见建议", "收集日期")}
    try:
        occurred, received = cell_date(occurred_on), cell_date(received_on)
    except CellError:
        return  # the cell is no date: nothing a service could be given
    if occurred is None:
        return  # an empty required cell
    assert not _services_accept(actor, branch, campaign, occurred, received or occurred)


@pytest.mark.parametrize("occurred_on", ACTIVITY_DATES, ids=repr)
def test_activity_dates(occurred_on, staff_a, branch_a, campaign):
    _check(staff_a, branch_a, campaign, occurred_on, None, ("活动", "日期*"))


@pytest.mark.parametrize("received_on", RECEIVED_DATES, ids=repr)
def test_received_dates(received_on, staff_a, branch_a, campaign):
    _check(staff_a, branch_a, campaign, HELD, received_on, ("意见建议", "收集日期"))
