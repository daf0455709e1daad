"""The issue ledger (问题台账): one spreadsheet row per issue, as the campaign report has it.

``ledger_rows(issues)`` turns the issue list's issues (already scoped and filtered, in list
order) into spreadsheet rows. It reads the issues as plain tuples through ``iterator()``
and, for each ``CHUNK_SIZE`` of them, their opinions and escalations in one query each:
a ledger of any length costs the same few queries per chunk and the memory of one chunk,
and no model instance is built per row (250,000 rows are an export, not a page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Lookup,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.languages import english_active
from core.templatetags.people import name_from_parts
from outreach import voice
from outreach.models import REPLIED, FeedbackItem
from workdays.calendar import WorkingCalendar

from .models import DeadlineExtension, Escalation, Issue, Reply, SupervisionNotice, overdue_cutoff

#: Issues read (and their opinions and escalations fetched for) at a time.
CHUNK_SIZE = 2000

#: Joins names and counts in one cell, as Chinese lists are written.
SEPARATOR = "、"

#: Column widths in characters, in column order.
WIDTHS = (6, 8, 50, 30, 12, 12, 40, 10, 12, 12, 10, 10, 40, 14, 24, 12, 17, 10, 8, 8, 12, 30)


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
        # The clock (docs/metrics.md): "Deadline" above is the one in force, after any
        # approved extension.
        _("Sign for by"),
        _("Signed for at"),
        _("Working days overdue"),
        _("Extensions approved"),
        _("Supervision notices"),
        _("Reply deadline"),
        # The enterprise's own word (docs/metrics.md): its latest rating of each opinion.
        _("Enterprise's latest ratings"),
    ]


# --- reading ----------------------------------------------------------------------------

ISSUE_COLUMNS = (
    "id",
    "created_at",
    "title",
    "description",
    "branch__short_name",
    "branch__short_name_en",
    "category__name",
    "category__name_en",
    "measures",
    "responsible__first_name",
    "responsible__last_name",
    "responsible__username",
    "deadline",
    "state",
    "immediate_fix",
    "sign_deadline",
    "signed_at",
    "reply_deadline",
    "approved_extension_count",
    "supervision_notice_count",
)


def _count_of(model, **conditions):
    """How many ``model`` rows the issue has: a subquery on the issue's row."""
    rows = (
        model.objects.filter(issue=OuterRef("pk"), **conditions)
        .order_by()
        .values("issue")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def ledger_rows(issues) -> Iterator[list[object]]:
    """One row per issue of ``issues`` (a queryset of issues), in its order."""
    tuples = (
        issues.annotate(
            approved_extension_count=_count_of(
                DeadlineExtension, status=DeadlineExtension.Status.APPROVED
            ),
            supervision_notice_count=_count_of(SupervisionNotice),
        )
        .values_list(*ISSUE_COLUMNS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    context = _RowContext()
    number = 0
    while chunk := list(islice(tuples, CHUNK_SIZE)):
        ids = [row[0] for row in chunk]
        opinions = _opinions_of(ids)
        escalations = _escalations_of(ids)
        for row in chunk:
            number += 1
            yield context.row(number, row, opinions[row[0]], escalations[row[0]])


class _AnyOf(Lookup):
    """``column = ANY(%s)`` with a list: one array parameter. ``__in`` prepares and sends
    one parameter per id (2,000 ids: ~15 ms of Python a query); PostgreSQL plans both
    the same (it turns ``IN (…)`` into ``= ANY('{…}')`` itself)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        return f"{column} = ANY(%s)", (*params, list(self.rhs))


def _of_issues(ids: list[int]):
    """The rows of the chunk's issues (``issue_id`` among ``ids``)."""
    if connection.vendor == "postgresql":
        return _AnyOf(F("issue_id"), ids)
    return Q(issue_id__in=ids)


def _opinions_of(ids: list[int]) -> dict[int, list[tuple]]:
    """Per issue: its opinions (not withdrawn) in the order they were heard."""
    by_issue = defaultdict(list)
    rows = (
        voice.with_latest_rating(FeedbackItem.objects.active())
        .filter(_of_issues(ids))
        .order_by("received_on", "id")
        .annotate(answered=ExpressionWrapper(REPLIED, output_field=BooleanField()))
        .values_list(
            "issue_id",
            "received_on",
            "answered",
            "satisfaction",
            voice.LEVEL,
            voice.NOT_SOLVED,
            "enterprise__name",
        )
    )
    for issue_id, *opinion in rows:
        by_issue[issue_id].append(opinion)
    return by_issue


def _escalations_of(ids: list[int]) -> dict[int, list[tuple]]:
    """Per issue: each escalation with its decision and meeting date (None until decided)."""
    by_issue = defaultdict(list)
    rows = (
        Escalation.objects.filter(_of_issues(ids))
        .order_by("decision__meeting__held_on", "requested_at", "id")
        .values_list("issue_id", "decision__decision", "decision__meeting__held_on")
    )
    for issue_id, *escalation in rows:
        by_issue[issue_id].append(escalation)
    return by_issue


# --- one row -----------------------------------------------------------------------------


class _RowContext:
    """What every row needs, worked out once per export (labels in the user's language)."""

    def __init__(self):
        self.english = english_active()
        self.yes, self.no = _("Yes"), _("No")
        self.anonymous = _("Anonymous")
        # Labels as text once (lazy labels would be translated again for every row).
        self.states = {value: str(label) for value, label in Issue.State.choices}
        self.satisfaction_labels = {
            value: str(Reply.Satisfaction(value).label) for value in Reply.RECORDED_SATISFACTION
        }
        # Translated once, not once a row (250,000 rows are 750,000 lookups).
        self.decision_format = _("%(date)s: %(decision)s")
        self.replies_format = _("Replied %(replied)s/%(total)s")
        self.satisfaction_format = _("%(satisfaction)s %(count)s")
        self.rating_labels = voice.rating_labels()
        self.rating_levels = sorted(self.rating_labels, reverse=True)  # best first
        self.not_solved_format = _("not solved %(count)s")
        # Working days overdue, as the issue list's "overdue" counts them.
        self.calendar = WorkingCalendar.load()
        self.today = timezone.localdate()
        self.overdue_cutoff = overdue_cutoff(self.today, 1, self.calendar)
        # Working days after a day up to today, counted back from today as far as the
        # oldest deadline asked for: each day is looked at once for the whole export.
        self.days_to_today = {self.today: 0}
        self.counted_back_to = self.today
        self.timezone = timezone.get_current_timezone()
        self.people: dict[tuple, str] = {}

    def row(self, number: int, issue: tuple, opinions: list, escalations: list) -> list:
        (
            _id,
            created_at,
            title,
            description,
            branch,
            branch_en,
            category,
            category_en,
            measures,
            first,
            last,
            username,
            deadline,
            state,
            immediate_fix,
            sign_deadline,
            signed_at,
            reply_deadline,
            extensions,
            notices,
        ) = issue
        description = description.strip()
        enterprises, replies, satisfaction, ratings = self._opinion_cells(opinions)
        return [
            number,
            (branch_en if self.english and branch_en else branch),
            f"{title}\n{description}" if description else title,
            enterprises,
            opinions[0][0] if opinions else timezone.localdate(created_at),
            (category_en if self.english and category_en else category),
            measures,
            self._person(first, last, username) if username else "",
            deadline,
            self.states.get(state, state),
            self.yes if immediate_fix else self.no,
            self.yes if escalations else self.no,
            self._decisions(escalations),
            replies,
            satisfaction,
            sign_deadline,
            signed_at.astimezone(self.timezone) if signed_at else None,  # local time
            self._working_days_overdue(deadline, state),
            extensions,
            notices,
            reply_deadline,
            ratings,
        ]

    def _working_days_overdue(self, deadline, state) -> int | None:
        """Working days past the deadline of an issue not yet rectified; blank otherwise."""
        if deadline is None or state not in Issue.UNRECTIFIED_STATES:
            return None
        if deadline >= self.overdue_cutoff:
            return None
        return self._working_days_to_today(deadline)

    def _working_days_to_today(self, day: date) -> int:
        """``calendar.working_days_between(day, today)`` for a day before today."""
        counts = self.days_to_today
        if day not in counts:
            earlier, count = self.counted_back_to, counts[self.counted_back_to]
            while earlier > day:
                count += self.calendar.is_working_day(earlier)
                earlier -= timedelta(days=1)
                counts[earlier] = count
            self.counted_back_to = earlier
        return counts[day]

    def _person(self, first, last, username) -> str:
        """The responsible person's name, worked out once per person."""
        key = (first, last, username)
        name = self.people.get(key)
        if name is None:
            name = self.people[key] = name_from_parts(first, last, username)
        return name

    def _decisions(self, escalations) -> str:
        if not escalations:
            return ""
        return "\n".join(
            self.decision_format % {"date": held_on.isoformat(), "decision": decision.strip()}
            for decision, held_on in escalations
            if decision is not None
        )

    def _opinion_cells(self, opinions) -> tuple[str, str, str, str]:
        """Source enterprises, replies, satisfaction and the enterprise's latest ratings, in
        one pass over the issue's opinions."""
        names = {}  # each enterprise once, in the order they spoke; 匿名 for back-to-back
        replied = not_solved = 0
        said = dict.fromkeys(self.satisfaction_labels, 0)
        rated = dict.fromkeys(self.rating_levels, 0)  # best first
        for _received_on, answered, satisfaction, level, said_not_solved, name in opinions:
            names[name or self.anonymous] = None
            if answered:
                replied += 1
            if satisfaction in said:
                said[satisfaction] += 1
            if level in rated:
                rated[level] += 1
            if said_not_solved:
                not_solved += 1
        return (
            SEPARATOR.join(names),
            self.replies_format % {"replied": replied, "total": len(opinions)},
            self._counted(said, self.satisfaction_labels),
            self._ratings(rated, not_solved),
        )

    def _counted(self, counts: dict, labels: dict) -> str:
        return SEPARATOR.join(
            self.satisfaction_format % {"satisfaction": labels[value], "count": count}
            for value, count in counts.items()
            if count
        )

    def _ratings(self, counts: dict, not_solved: int) -> str:
        """The latest ratings counted by level (best first), then how many the enterprise
        says are not solved."""
        text = self._counted(counts, self.rating_labels)
        if not not_solved:
            return text
        not_solved = self.not_solved_format % {"count": not_solved}
        return f"{text}{SEPARATOR}{not_solved}" if text else not_solved
