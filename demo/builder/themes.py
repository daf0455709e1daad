"""The recurring problems of the demo: found by the app's own search, as the nightly
search would have found them at the end of each month of the campaign (and on the demo's
day), never written as themes here. The office then adopts the most widespread one."""

from __future__ import annotations

from datetime import date, timedelta

from core.months import add_months
from demo.data import content as C
from themes import finding, services
from themes.models import Theme
from themes.selectors import themes_for

from .story import CUTOFF, FIRST_DAY, at


def find_recurring_problems(office) -> Theme | None:
    """Search month by month; adopt the theme of the most branches (None: none found)."""
    month = FIRST_DAY.replace(day=1)
    while month <= CUTOFF.date():
        month_end = at(add_months(month, 1) - timedelta(days=1), 23, 30)
        finding.search(month, at=min(month_end, CUTOFF))
        month = add_months(month, 1)
    widest = (
        themes_for(office)
        .filter(state=Theme.State.PROPOSED)
        .order_by("-branch_count", "-issue_count", "pk")
        .first()
    )
    if widest is None:
        return None
    return services.adopt(
        office,
        widest.pk,
        title=widest.title,
        owner=office,
        deadline=date(*C.THEME_DEADLINE),
        decision=C.THEME_DECISION,
        issue_ids=widest.members.values_list("issue_id", flat=True),
        at=CUTOFF - timedelta(hours=2),
    )
