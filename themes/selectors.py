"""What the themes' pages read: the themes with their counts, a theme's evidence."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from branches import rules
from core.months import add_months, month_start
from outreach.models import FeedbackItem

from .models import Theme, ThemeIssue, ThemeSearch

State = Theme.State
#: Counted as the search reads them: neither withdrawn nor merged into another issue.
_ACTIVE_ISSUE = Q(
    members__issue__withdrawn_at__isnull=True, members__issue__merged_into__isnull=True
)
_ACTIVE_OPINION = _ACTIVE_ISSUE & Q(members__issue__feedback_items__withdrawn_at__isnull=True)


def themes_for(user) -> QuerySet[Theme]:
    """The themes the user reads (every one for those who see every branch, none else),
    each with its counts of issues, branches, linked issues, opinions and enterprises."""
    if not rules.can_read_themes(user):
        return Theme.objects.none()
    return Theme.objects.select_related("category", "owner").annotate(
        issue_count=Count("members", filter=_ACTIVE_ISSUE, distinct=True),
        branch_count=Count("members__issue__branch", filter=_ACTIVE_ISSUE, distinct=True),
        linked_count=Count(
            "members", filter=_ACTIVE_ISSUE & Q(members__linked=True), distinct=True
        ),
        opinion_count=Count(
            "members__issue__feedback_items", filter=_ACTIVE_OPINION, distinct=True
        ),
        enterprise_count=Count(
            "members__issue__feedback_items__enterprise", filter=_ACTIVE_OPINION, distinct=True
        ),
    )


def state_counts() -> dict[str, int]:
    """How many themes are in each state (read by those who read them all)."""
    rows = Theme.objects.order_by().values("state").annotate(n=Count("pk"))
    return {row["state"]: row["n"] for row in rows}


def last_search() -> ThemeSearch | None:
    return ThemeSearch.objects.select_related("ran_by").order_by("-ran_at").first()


@dataclass(frozen=True)
class Evidence:
    members: list[ThemeIssue]
    #: (branch, issues) with most issues first
    branches: list[tuple[object, int]]
    #: (month's first day, issues opened in it), the last ``MONTHS`` months
    months: list[tuple[date, int]]
    enterprises: list[object]
    opinion_count: int


MONTHS = 6


def evidence(theme: Theme, *, today: date | None = None) -> Evidence:
    """The theme's issues (each with its opinions and their enterprises), its branches,
    its issues month by month."""
    opinions = FeedbackItem.objects.active().select_related("enterprise").order_by("pk")
    members = list(
        ThemeIssue.objects.filter(
            theme=theme, issue__withdrawn_at__isnull=True, issue__merged_into__isnull=True
        )
        .select_related("issue__branch", "issue__category")
        .prefetch_related(Prefetch("issue__feedback_items", queryset=opinions))
    )
    branches = Counter(member.issue.branch for member in members)
    local = timezone.get_current_timezone()
    opened = Counter(
        month_start(timezone.localtime(m.issue.created_at, local).date()) for m in members
    )
    last = month_start(today or timezone.localdate())
    months = [
        (add_months(last, -n), opened[add_months(last, -n)]) for n in range(MONTHS - 1, -1, -1)
    ]
    enterprises = {}
    opinion_count = 0
    for member in members:
        for item in member.issue.feedback_items.all():
            opinion_count += 1
            if item.enterprise_id:
                enterprises.setdefault(item.enterprise_id, item.enterprise)
    return Evidence(
        members=members,
        branches=sorted(
            branches.items(), key=lambda pair: (-pair[1], pair[0].sort_order, pair[0].pk)
        ),
        months=months,
        enterprises=sorted(enterprises.values(), key=lambda e: e.name),
        opinion_count=opinion_count,
    )


def merge_targets(theme: Theme) -> QuerySet[Theme]:
    """The themes this one may be merged into."""
    return (
        Theme.objects.filter(state__in=[State.PROPOSED, State.ADOPTED])
        .exclude(pk=theme.pk)
        .select_related("category")
        .order_by("state", "title", "pk")
    )


@dataclass(frozen=True)
class ThemeOfPeriod:
    """A recurring problem as a bulletin names it."""

    theme: Theme
    branches: list  # Branch, most issues first
    issue_count: int
    #: adopted in the period (else: found in it)
    adopted_then: bool


def themes_of_period(first: date, last: date) -> list[ThemeOfPeriod]:
    """The recurring problems of the days ``first`` to ``last``: those adopted then, and
    those found then (proposed in its months and not dismissed or merged since); adopted
    first, most branches first."""
    adopted = Q(state=State.ADOPTED, decided_at__date__gte=first, decided_at__date__lte=last)
    found = Q(
        proposed_in__gte=month_start(first),
        proposed_in__lte=last,
        state__in=[State.PROPOSED, State.ADOPTED],
    )
    themes = list(
        Theme.objects.filter(adopted | found).select_related("owner", "category").order_by("pk")
    )
    members = (
        ThemeIssue.objects.filter(
            theme__in=themes, issue__withdrawn_at__isnull=True, issue__merged_into__isnull=True
        )
        .select_related("issue__branch")
        .order_by("pk")
    )
    branches: dict[int, Counter] = {theme.pk: Counter() for theme in themes}
    for member in members:
        branches[member.theme_id][member.issue.branch] += 1
    rows = [
        ThemeOfPeriod(
            theme,
            [
                branch
                for branch, _n in sorted(
                    branches[theme.pk].items(), key=lambda pair: (-pair[1], pair[0].sort_order)
                )
            ],
            sum(branches[theme.pk].values()),
            adopted_then=theme.state == State.ADOPTED
            and first <= timezone.localtime(theme.decided_at).date() <= last,
        )
        for theme in themes
    ]
    rows.sort(key=lambda row: (not row.adopted_then, -len(row.branches), row.theme.pk))
    return rows


def issue_theme_flags() -> dict:
    """``issues.extensions.ISSUE_FLAGS``: the provincial problem an issue is linked to (an
    adopted theme), its name and deadline, read in the issue's own query."""
    linked = ThemeIssue.objects.filter(
        issue=OuterRef("pk"), linked=True, theme__state=State.ADOPTED
    )
    return {
        "provincial_problem_id": Subquery(linked.values("theme_id")[:1]),
        "provincial_problem_title": Subquery(linked.values("theme__title")[:1]),
        "provincial_problem_deadline": Subquery(linked.values("theme__deadline")[:1]),
    }
