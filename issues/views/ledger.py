"""The issue ledger (问题台账) as an Excel workbook: exactly the issue list, every page.

The same scope (counted issues the user sees), the same
``IssueFilter`` and the same order as the list; a filter only narrows, so no query
string can widen what a user exports.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.excel import xlsx_response

from .. import selectors
from ..filters import IssueFilter
from ..ledger import WIDTHS, ledger_headers, ledger_rows


@login_required
@require_GET
def issue_ledger(request):
    user = request.user
    filterset = IssueFilter(
        request.GET or None,
        queryset=selectors.issues_in_list_order(user),
        user=user,
        request=request,
    )
    # An invalid filter exports nothing, as the list then shows nothing.
    valid = filterset.is_valid() or not filterset.is_bound
    title = _("Issue ledger")
    return xlsx_response(
        filename=f"{title}-{timezone.localdate().isoformat()}.xlsx",
        sheet_title=title,
        headers=ledger_headers(),
        rows=ledger_rows(filterset.qs) if valid else (),
        widths=WIDTHS,
    )
