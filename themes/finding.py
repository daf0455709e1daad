"""The search for recurring problems: the province's issues grouped by problem, and the
groups that recur proposed to the office as themes.

A month's search reads the issues opened in the ``WINDOW_MONTHS`` months up to its end (not
withdrawn, not merged into another issue) and those already in a theme, whatever their age,
groups them by category and text
(``similarity.grouping``), and for each group of two issues or more:

- when some of its issues are already in a theme, the others join that theme (the one
  holding most of them; a merged theme's target): a theme keeps collecting its problem,
  whatever the office decided;
- otherwise, when it recurs (issues of ``MIN_BRANCHES`` branches or more) or grows (at
  least ``GROWING_FROM`` issues opened in the month, more than the month before), it is
  proposed as a new theme, titled by its most typical issue.

A search can run again at any time (the schedule runs it every night, the office from the
page): it adds what is new and changes nothing else, one search at a time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.months import add_months, month_start
from issues.models import Issue
from similarity.grouping import Text, group_texts
from similarity.text import cosine, reference

from .models import Theme, ThemeIssue, ThemeSearch

#: The months of issues a search reads, the month searched included.
WINDOW_MONTHS = 6
#: A problem recurs when issues of this many branches are about it.
MIN_BRANCHES = 3
#: A problem grows when at least this many of its issues were opened in the month, and
#: more than in the month before.
GROWING_FROM = 3
#: One search at a time on PostgreSQL (an advisory lock's key).
LOCK_KEY = 0x5448454D  # "THEM"


@dataclass(frozen=True)
class Found:
    """An issue as the search reads it."""

    pk: int
    branch_id: int
    category_id: int
    title: str
    text: str
    month: date


def issue_text(title: str, description: str) -> str:
    return f"{title}。{description}" if description else title


def _read(month: date) -> list[Found]:
    """The issues opened in the window, and every issue already in a theme whatever its
    age (so a problem dismissed or adopted long ago keeps collecting its new issues)."""
    first = add_months(month, 1 - WINDOW_MONTHS)
    end = add_months(month, 1)
    tz = timezone.get_current_timezone()
    rows = (
        Issue.objects.counted()
        .filter(
            Q(created_at__date__gte=first, created_at__date__lt=end)
            | Q(theme_member__isnull=False, created_at__date__lt=end)
        )
        .order_by("created_at", "pk")
        .values_list("pk", "branch_id", "category_id", "title", "description", "created_at")
    )
    return [
        Found(
            pk,
            branch,
            category,
            title,
            issue_text(title, description),
            month_start(timezone.localtime(created, tz).date()),
        )
        for pk, branch, category, title, description, created in rows
    ]


def recurs(issues: list[Found], month: date) -> bool:
    """Issues of ``MIN_BRANCHES`` branches, or growing in ``month`` (the search's rule)."""
    if len({issue.branch_id for issue in issues}) >= MIN_BRANCHES:
        return True
    opened = Counter(issue.month for issue in issues)
    return opened[month] >= GROWING_FROM and opened[month] > opened[add_months(month, -1)]


def most_typical(issues: list[Found]) -> Found:
    """The issue most alike to the others (the first such, on a tie)."""
    corpus = reference()
    vectors = [corpus.vector(issue.text) for issue in issues]
    totals = [sum(cosine(v, w) for w in vectors) for v in vectors]
    return issues[totals.index(max(totals))]


def serialised() -> None:
    """One writer of themes' members at a time: a search, or a merge (``services``)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        else:
            # Take SQLite's write lock before reading: nothing else writes until the end.
            cursor.execute("DELETE FROM themes_themesearch WHERE 0")


def search(month: date, *, user=None, progress=None, at: datetime | None = None) -> ThemeSearch:
    """Search the issues up to ``month``'s end; returns the search's record (dated ``at``,
    now unless given).

    The issues are read and grouped first, outside any transaction (minutes at a
    province's size); then, under the lock, what is in a theme is read again and the new
    themes and members written, in a short transaction."""
    month = month_start(month)
    found = _read(month)
    if progress:
        progress.advance()
    by_pk = {issue.pk: issue for issue in found}
    groups = [
        [by_pk[pk] for pk in keys]
        for keys in group_texts([Text(issue.pk, issue.text, issue.category_id) for issue in found])
        if len(keys) > 1
    ]
    if progress:
        progress.advance()
    with transaction.atomic():
        serialised()
        now = at or timezone.now()
        theme_of = dict(
            ThemeIssue.objects.filter(issue_id__in=by_pk).values_list("issue_id", "theme_id")
        )
        targets = dict(
            Theme.objects.filter(state=Theme.State.MERGED).values_list("pk", "merged_into_id")
        )
        proposed = added = 0
        members = []
        for issues in groups:
            held = Counter(
                _followed(theme_of[issue.pk], targets) for issue in issues if issue.pk in theme_of
            )
            new = [issue for issue in issues if issue.pk not in theme_of]
            if not new:
                continue
            if held:
                theme_id = min(held, key=lambda pk: (-held[pk], pk))
            elif recurs(issues, month):
                theme_id = Theme.objects.create(
                    title=most_typical(issues).title,
                    category_id=issues[0].category_id,
                    proposed_in=month,
                    proposed_at=now,
                    found_at=now,
                ).pk
                proposed += 1
            else:
                continue
            members += [ThemeIssue(theme_id=theme_id, issue_id=i.pk, found_at=now) for i in new]
            added += len(new)
            Theme.objects.filter(pk=theme_id).update(found_at=now)
        ThemeIssue.objects.bulk_create(members)
        return ThemeSearch.objects.create(
            month=month,
            ran_at=now,
            ran_by=user if user is not None and user.pk else None,
            issues_read=len(found),
            groups_found=len(groups),
            themes_proposed=proposed,
            issues_added=added,
        )


def _followed(theme_id: int, targets: dict[int, int]) -> int:
    """The theme that holds a merged theme's issues now."""
    seen = set()
    while theme_id in targets and theme_id not in seen:
        seen.add(theme_id)
        theme_id = targets[theme_id]
    return theme_id
