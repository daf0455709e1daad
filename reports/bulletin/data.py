"""What a bulletin says, read once: the period's assessment (for the whole province), the
overdue and supervised cases of the period, the institute's name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from branches.models import Branch
from branches.scoping import province_reader
from issues.models import Issue, SupervisionNotice
from themes.selectors import ThemeOfPeriod, themes_of_period
from workdays.calendar import WorkingCalendar

from .. import definitions as d
from ..assessment.periods import Period
from ..assessment.selectors import Assessment, assess
from ..metrics import selected_issues

#: At most this many cases of each kind are named; the rest are counted.
NAMED_CASES = 20


@dataclass(frozen=True)
class OverdueCase:
    issue: Issue
    #: working days past the deadline, up to today (as the issue ledger counts them)
    working_days: int


@dataclass(frozen=True)
class BulletinData:
    assessment: Assessment
    #: the institute (the province's branch): its name heads the document
    institute: Branch | None
    #: the period's issues overdue today, longest overdue first (at most ``NAMED_CASES``)
    overdue: list[OverdueCase]
    #: the period's supervision notices, oldest first (at most ``NAMED_CASES``)
    supervised: list[SupervisionNotice]
    #: the recurring problems adopted in the period, and those proposed and not decided
    recurring: list[ThemeOfPeriod]
    today: date


def load_bulletin_data(user, period: Period, *, today: date | None = None) -> BulletinData:
    """The bulletin of ``period``: its figures and ranking for every branch, and its cases.
    ``user`` sees every branch (the page and the job check it first)."""
    today = today or timezone.localdate()
    result = assess(user, period)
    reader = province_reader()
    selection = period.selection()
    calendar = WorkingCalendar.load()
    issues = selected_issues(reader, selection)
    overdue = list(
        issues.filter(d.overdue(today, 1, calendar))
        .select_related("branch")
        .order_by("deadline", "branch__sort_order", "id")[:NAMED_CASES]
    )
    supervised = list(
        SupervisionNotice.objects.visible_to(reader)
        .filter(issue__in=issues)
        .select_related("issue__branch")
        .order_by("issued_at", "id")[:NAMED_CASES]
    )
    return BulletinData(
        assessment=result,
        institute=Branch.objects.filter(kind=Branch.Kind.PROVINCE).order_by("pk").first(),
        overdue=[
            OverdueCase(issue, calendar.working_days_between(issue.deadline, today))
            for issue in overdue
        ],
        supervised=supervised,
        recurring=themes_of_period(period.start, period.end),
        today=today,
    )
