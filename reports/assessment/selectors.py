"""A period's assessment, counted for the whole province whoever asks.

The rank of a branch is its place among all the branches, so the figures are always
counted for every branch (as ``branches.scoping.province_reader``); what a user is shown
of them is decided by the page: the province sees every row, a branch its own row and its
rank, nothing of another branch.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Value

from branches.scoping import province_reader, scope_of
from branches.selectors import table_branches, visible_city_branches

from ..metrics import Report, campaign_report
from ..models import AssessmentScheme
from .periods import Period
from .scoring import Row, assess_branches


@dataclass
class Assessment:
    period: Period
    #: the scheme in force in the period's last month; None when none was set yet
    scheme: AssessmentScheme | None
    #: every branch: the ranked ones by rank, then the others (empty without a scheme)
    rows: list[Row]
    #: the period's figures for the whole province (the bulletin's, the dashboard's)
    report: Report
    previous_period: Period
    previous_scheme: AssessmentScheme | None

    @property
    def ranked(self) -> list[Row]:
        return [row for row in self.rows if row.ranked]

    @property
    def unranked(self) -> list[Row]:
        return [row for row in self.rows if not row.ranked]

    def row_of(self, branch_id: int) -> Row | None:
        return next((row for row in self.rows if row.branch.pk == branch_id), None)


def schemes_until(month) -> list[AssessmentScheme]:
    """The schemes starting in ``month`` or before, newest first (one query: they are few,
    one a month at most)."""
    return list(AssessmentScheme.objects.filter(starts_on__lte=month).order_by("-starts_on"))


def in_force(schemes: list[AssessmentScheme], period: Period) -> AssessmentScheme | None:
    """Of ``schemes`` (newest first), the one in force in ``period``'s last month."""
    return next((s for s in schemes if s.starts_on <= period.last_month), None)


def assessment_branches(user) -> list:
    """Every city branch, each marked ``is_liaison`` for ``user``: the province's table
    of branches, whoever asks (a branch's own users are shown their row only)."""
    if scope_of(user).all_branches:
        return table_branches(user)
    return list(
        visible_city_branches(province_reader()).annotate(
            is_liaison=Value(False, output_field=BooleanField())
        )
    )


def assess(user, period: Period) -> Assessment:
    """``period``'s assessment with its own scheme, and each branch's row of the previous
    period with that period's scheme: a fixed number of queries (the schemes, the
    branches, two reports)."""
    reader = province_reader()
    schemes = schemes_until(period.last_month)
    scheme = in_force(schemes, period)
    previous = period.previous()
    previous_scheme = in_force(schemes, previous)
    branches = assessment_branches(user)
    report = campaign_report(reader, period.selection(), branches)
    if scheme is None:
        return Assessment(period, None, [], report, previous, previous_scheme)
    rows = assess_branches(report, scheme)
    if previous_scheme is not None:
        before = assess_branches(
            campaign_report(reader, previous.selection(), branches), previous_scheme
        )
        by_branch = {row.branch.pk: row for row in before}
        for row in rows:
            row.previous = by_branch.get(row.branch.pk)
    return Assessment(period, scheme, rows, report, previous, previous_scheme)
