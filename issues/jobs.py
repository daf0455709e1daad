"""The issue ledger (问题台账) as a job: a whole province's ledger takes longer than a web
request may, so a worker writes it and the user downloads it when it is done."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.excel import XLSX_CONTENT_TYPE, write_xlsx
from jobs.registry import JobKind, Output, register
from jobs.services import query_of

from . import selectors
from .filters import IssueFilter
from .ledger import WIDTHS, ledger_headers, ledger_rows


def issues_to_export(user, query):
    """Exactly the issue list with the user's filters: same scope, same order; a filter
    only narrows, so no parameter widens what a user exports."""
    filterset = IssueFilter(
        query or None, queryset=selectors.issues_in_list_order(user), user=user, request=None
    )
    # An invalid filter exports nothing, as the list then shows nothing.
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return filterset.qs


def write_ledger(job, progress, output) -> Output:
    issues = issues_to_export(job.user, query_of(job))
    title = _("Issue ledger")
    write_xlsx(
        output,
        sheet_title=title,
        headers=ledger_headers(),
        rows=progress.over(ledger_rows(issues), total=issues.count()),
        widths=WIDTHS,
    )
    return Output(f"{title}-{timezone.localdate().isoformat()}.xlsx", XLSX_CONTENT_TYPE)


ISSUE_LEDGER = register(
    JobKind(
        name="issue_ledger",
        title=gettext_lazy("Issue ledger"),
        may_start=lambda user: user.is_authenticated and user.is_active,
        run=write_ledger,
        back_url_name="issues:issue_list",
    )
)
