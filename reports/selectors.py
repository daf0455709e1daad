"""The dashboard's short lists of what needs attention, each one query."""

from __future__ import annotations

from . import definitions as d
from .metrics import selected_feedback, selected_issues
from .selection import Selection

#: Short lists on the dashboard show this many rows and link to the whole list.
LIST_LIMIT = 8


def overdue_issues(user, selection: Selection, *, limit: int = LIST_LIMIT):
    return (
        selected_issues(user, selection)
        .filter(d.overdue())
        .select_related("branch", "responsible")
        .order_by("deadline", "id")[:limit]
    )


def unsatisfied_feedback(user, selection: Selection, *, limit: int = LIST_LIMIT):
    """Opinions whose latest recorded satisfaction is "unsatisfied", latest reply first."""
    return (
        selected_feedback(user, selection)
        .filter(satisfaction="unsatisfied")
        .select_related("enterprise", "branch", "issue")
        # An unsatisfied opinion has a reply: its date is never empty.
        .order_by("-last_replied_on", "-id")[:limit]
    )
