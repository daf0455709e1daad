"""The issue ledger (问题台账): one spreadsheet row per issue, as the campaign report has it.

``ledger_rows(queryset)`` turns the issue list's rows (already scoped and filtered, in list
order) into spreadsheet rows. It reads the issues ``CHUNK_SIZE`` at a time with
``iterator()``; every count is an annotation of the main query and the enterprises and
provincial decisions come from two prefetch queries per chunk, so a ledger of any length
costs the same few queries per chunk and the memory of one chunk.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.templatetags.people import person_name
from outreach.models import FeedbackItem
from reports import definitions

from .models import Escalation, Issue, Reply

#: Issues read (and prefetched for) at a time.
CHUNK_SIZE = 1000

#: Joins names and counts in one cell, as Chinese lists are written.
SEPARATOR = "、"

#: Column widths in characters, in column order.
WIDTHS = (6, 8, 50, 30, 12, 12, 40, 10, 12, 12, 10, 10, 40, 14, 24)


def ledger_headers() -> list[str]:
    return [
        pgettext("issue ledger", "No."),
        _("Branch"),
        _("Issue description"),
        _("Source enterprises"),
        _("Raised on"),
        _("Issue category"),
        _("Rectification measures"),
        _("Responsible person"),
        _("Deadline"),
        _("Rectification state"),
        _("Fixed on the spot?"),
        _("Reported to the province?"),
        _("Provincial decision"),
        _("Replies"),
        _("Satisfaction"),
    ]


# --- the query ---------------------------------------------------------------------------


def _active_items():
    return FeedbackItem.objects.active().filter(issue=OuterRef("pk"))


def _count(items) -> Coalesce:
    counted = items.order_by().values("issue").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), 0)


def _satisfaction_key(value: str) -> str:
    return f"ledger_{value}_count"


def ledger_queryset(issues):
    """The issue list's rows (``issue_rows``) with what the ledger adds to each row.

    ``issues`` must carry ``opinion_count`` and ``unreplied_count`` (the list's own
    annotations), so the ledger's reply figures are the list's.
    """
    return issues.annotate(
        ledger_first_received_on=Subquery(
            _active_items().order_by("received_on").values("received_on")[:1]
        ),
        ledger_escalated=definitions.escalated(),
        **{
            _satisfaction_key(value): _count(_active_items().filter(satisfaction=value))
            for value in Reply.RECORDED_SATISFACTION
        },
    ).prefetch_related(
        Prefetch(
            "feedback_items",
            queryset=FeedbackItem.objects.active()
            .select_related("enterprise")
            .only("issue", "enterprise__name")
            .order_by("received_on", "id"),
            to_attr="ledger_items",
        ),
        Prefetch(
            "escalations",
            queryset=Escalation.objects.filter(decision__isnull=False)
            .select_related("decision__meeting")
            .order_by("decision__meeting__held_on", "decision__id"),
            to_attr="ledger_decided",
        ),
    )


def ledger_rows(queryset) -> Iterator[list[object]]:
    """One row per issue of ``queryset`` (a ``ledger_queryset``), in its order."""
    issues = queryset.iterator(chunk_size=CHUNK_SIZE)
    for number, issue in enumerate(issues, start=1):
        yield ledger_row(number, issue)


# --- one row -----------------------------------------------------------------------------


def ledger_row(number: int, issue: Issue) -> list[object]:
    return [
        number,
        issue.branch.short_name,
        _description(issue),
        _enterprises(issue),
        issue.ledger_first_received_on or timezone.localdate(issue.created_at),
        str(issue.category),
        issue.measures,
        person_name(issue.responsible),
        issue.deadline,
        issue.get_state_display(),
        _yes_no(issue.immediate_fix),
        _yes_no(issue.ledger_escalated),
        _decisions(issue),
        _replies(issue),
        _satisfaction(issue),
    ]


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _description(issue: Issue) -> str:
    description = issue.description.strip()
    return f"{issue.title}\n{description}" if description else issue.title


def _enterprises(issue: Issue) -> str:
    """Who raised it: each enterprise once, in the order they spoke; 匿名 for back-to-back."""
    names = {
        item.enterprise.name if item.enterprise_id else _("Anonymous"): None
        for item in issue.ledger_items
    }
    return SEPARATOR.join(names)


def _decisions(issue: Issue) -> str:
    return "\n".join(
        _("%(date)s: %(decision)s")
        % {
            "date": escalation.decision.meeting.held_on.isoformat(),
            "decision": escalation.decision.decision.strip(),
        }
        for escalation in issue.ledger_decided
    )


def _replies(issue: Issue) -> str:
    total = issue.opinion_count
    return _("Replied %(replied)s/%(total)s") % {
        "replied": total - issue.unreplied_count,
        "total": total,
    }


def _satisfaction(issue: Issue) -> str:
    counts = []
    for value in Reply.RECORDED_SATISFACTION:
        count = getattr(issue, _satisfaction_key(value))
        if count:
            label = Reply.Satisfaction(value).label
            counts.append(_("%(satisfaction)s %(count)s") % {"satisfaction": label, "count": count})
    return SEPARATOR.join(counts)
