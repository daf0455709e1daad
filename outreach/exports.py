"""The opinion list as an Excel workbook, written by a worker (``outreach.jobs``): exactly
the list with the user's filters, row by row, whatever its size."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.excel import write_xlsx

from . import selectors, voice
from .filters import FeedbackItemFilter
from .models import FeedbackItem, Satisfaction

WIDTHS = (8, 12, 10, 30, 14, 26, 12, 8, 60, 20, 14, 30, 30, 10, 14, 18)


def opinions_to_export(user, query):
    """The list's opinions with the user's filters (same scope; a filter only narrows; an
    invalid filter exports nothing, as the list then shows nothing), each with the
    enterprise's latest rating (``outreach.voice``)."""
    filterset = FeedbackItemFilter(
        query or None, queryset=selectors.feedback_list(user), user=user, request=None
    )
    if filterset.is_bound and not filterset.is_valid():
        return filterset.queryset.none()
    return voice.with_latest_rating(filterset.qs).annotate(
        rating_level=F(voice.LEVEL), rating_not_solved=F(voice.NOT_SOLVED)
    )


def write_opinions(output, opinions, *, progress) -> str:
    """Write ``opinions`` into ``output``; returns the file's name."""
    labels = voice.rating_labels()
    rows = (
        export_row(item, labels)
        for item in progress.over(opinions.iterator(chunk_size=2000), total=opinions.count())
    )
    write_xlsx(
        output, sheet_title=_("Opinions"), headers=export_headers(), rows=rows, widths=WIDTHS
    )
    return f"feedback-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


def export_headers() -> list[str]:
    return [
        _("No."),
        _("Received on"),
        _("Branch"),
        _("Activity"),
        _("Activity kind"),
        _("Enterprise"),
        _("Category"),
        _("Opinion kind"),
        _("Content"),
        _("Contact"),
        _("Disposition"),
        _("Issue"),
        _("Reason for closing"),
        _("Reply"),
        _("Satisfaction recorded by staff"),
        _("Enterprise's latest rating"),
    ]


def _rating(item: FeedbackItem, labels: dict[int, str]) -> str:
    """The enterprise's latest rating, and "not solved" when it said so; blank if none."""
    if item.rating_level is None:
        return ""
    label = labels.get(item.rating_level, str(item.rating_level))
    if item.rating_not_solved:
        return _("%(rating)s (not solved)") % {"rating": label}
    return label


def export_row(item: FeedbackItem, labels: dict[int, str]) -> list[object]:
    return [
        item.pk,
        item.received_on,
        item.branch.display_short_name,
        item.activity.title,
        item.activity.get_kind_display(),
        item.enterprise.name if item.enterprise_id else _("Anonymous"),
        str(item.category),
        item.get_kind_display(),
        item.content,
        item.contact,
        FeedbackItem.Disposition(item.disposition).label,
        item.issue.title if item.issue_id else "",
        item.closed_reason,
        _("Replied") if item.is_answered else _("Not replied"),
        Satisfaction(item.satisfaction).label if item.satisfaction else "",
        _rating(item, labels),
    ]
