"""Open issues suggested beside an intake form, and what the user did with them.

While staff record an opinion (the activity's opinion entry, the opinions under a new
activity) or open an issue from opinions (the dispose page), the page asks
``issues:issue_suggestions`` for open issues of the same branch and campaign that look like
the same problem, to attach the opinion to instead. It is a suggestion only: nothing waits
for it, and saving goes on as usual when none is chosen.

Finding them (``similar_open_issues``): the database narrows the branch's open issues of the
campaign to those of the same category or gathering an opinion of the same enterprise, the
newest ``CANDIDATES`` (the enterprise's first), on the index ``issue_open_by_category``; then
``similarity.text.rank`` scores their title and description against what is typed, and the
few at ``SUGGEST_AT`` or more are shown, the same enterprise's first.

Measuring them: the list shown travels with the form as a signed token (``shown_token``);
when the form is saved, each issue in it becomes an ``IssueSuggestion`` row, attached or
not chosen (``suggestion_choices_record``). ``manage.py suggestion_precision`` counts them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Left
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from outreach.models import FeedbackItem
from similarity.text import CLOSE_AT, SUGGEST_AT, rank

from . import services
from .models import Issue, IssueSuggestion

#: At most this many issues are suggested at once.
MAX_SHOWN = 3
#: Open issues scored per request, at most (the newest; the enterprise's first).
CANDIDATES = 200
#: Of which the enterprise's own, at most.
ENTERPRISE_CANDIDATES = 50
#: The part of an issue's description compared (its start says what the problem is).
DESCRIPTION_CHARS = 200
#: Fewer meaningful characters typed than this, and nothing is suggested yet.
MIN_TEXT = 4
#: What is compared of the typed text, at most.
TEXT_CHARS = 2000
#: How long a shown list may be answered by saving its form (a form left open overnight
#: is still recorded the next morning).
SHOWN_FOR = 36 * 3600
_SALT = "issues.suggestions.shown"

Intake = IssueSuggestion.Intake
Outcome = IssueSuggestion.Outcome


@dataclass(frozen=True)
class Suggestion:
    """An open issue like the text typed: its score (0 to 1) and why it was a candidate."""

    issue: Issue
    score: float
    same_enterprise: bool
    same_category: bool

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def is_close(self) -> bool:
        """Very alike (``similarity.text.CLOSE_AT``), rather than somewhat."""
        return self.score >= CLOSE_AT


@dataclass(frozen=True)
class Shown:
    """One issue of a list a user was shown, read back from the form's token."""

    issue_id: int
    rank: int
    score: float
    same_enterprise: bool
    same_category: bool
    shown_at: datetime


def similar_open_issues(
    *,
    user,
    branch_id: int,
    campaign_id: int,
    text: str,
    category_id: int | None = None,
    enterprise_ids: frozenset[int] = frozenset(),
) -> list[Suggestion]:
    """The open issues of the branch's campaign most like ``text``, in the user's scope:
    a query or two, then a score for each of at most ``CANDIDATES``."""
    text = (text or "")[:TEXT_CHARS]
    if sum(character.isalnum() for character in text) < MIN_TEXT:
        return []
    issues = (
        Issue.objects.visible_to(user)
        .open()
        .filter(branch_id=branch_id, campaign_id=campaign_id)
        .only("id", "title", "state", "category_id", "created_at")
        .annotate(summary=Left("description", DESCRIPTION_CHARS))
        .order_by("-created_at", "-id")
    )
    # The enterprise's own open issues (those gathering one of its opinions), then the
    # category's newest: two index scans, each with its limit (one query with an OR would
    # probe every open issue of the campaign for the enterprise).
    theirs = []
    if enterprise_ids:
        of_enterprise = FeedbackItem.objects.filter(
            enterprise_id__in=enterprise_ids, branch_id=branch_id, issue__isnull=False
        ).values("issue")
        theirs = list(issues.filter(pk__in=of_enterprise)[:ENTERPRISE_CANDIDATES])
    others = []
    if category_id or not enterprise_ids:
        rest = issues.exclude(pk__in=[issue.pk for issue in theirs])
        if category_id:
            rest = rest.filter(category_id=category_id)
        others = list(rest[: CANDIDATES - len(theirs)])
    for issue in theirs:
        issue.same_enterprise = True
    for issue in others:
        issue.same_enterprise = False
    candidates = theirs + others
    by_pk = {issue.pk: issue for issue in candidates}
    scored = rank(
        text,
        [(issue.pk, f"{issue.title}\n{issue.summary}") for issue in candidates],
        threshold=SUGGEST_AT,
    )
    suggestions = [
        Suggestion(
            issue=by_pk[pk],
            score=round(score, 4),
            same_enterprise=by_pk[pk].same_enterprise,
            same_category=by_pk[pk].category_id == category_id,
        )
        for pk, score in scored
    ]
    # The same enterprise's issues first, then the most alike (a stable sort keeps the
    # score's order within each).
    suggestions.sort(key=lambda suggestion: not suggestion.same_enterprise)
    return suggestions[:MAX_SHOWN]


# --- the list shown, carried by the form ------------------------------------------------


def shown_token(user, intake: str, suggestions: list[Suggestion]) -> str:
    """The list as shown to ``user``, signed, for the form to send back when saved ("" when
    nothing was shown)."""
    if not suggestions:
        return ""
    payload = {
        "u": user.pk,
        "k": intake,
        "t": int(time.time()),
        "s": [
            [s.issue.pk, s.score, int(s.same_enterprise), int(s.same_category)] for s in suggestions
        ],
    }
    return signing.dumps(payload, salt=_SALT, compress=True)


def read_token(user, token: str, intake: str) -> list[Shown]:
    """The list a form's token says ``user`` was shown while ``intake``; nothing for a
    token that is not one (altered, another user's, another form's, too old)."""
    if not token or len(token) > 2000:
        return []
    try:
        payload = signing.loads(token, salt=_SALT, max_age=SHOWN_FOR)
        if payload["u"] != user.pk or payload["k"] != intake:
            return []
        shown_at = datetime.fromtimestamp(payload["t"], tz=UTC)
        shown = [
            Shown(int(pk), position, min(max(float(score), 0.0), 1.0), bool(e), bool(c), shown_at)
            for position, (pk, score, e, c) in enumerate(payload["s"][:MAX_SHOWN], start=1)
        ]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return []
    return shown


def suggestion_choices_record(
    *, actor, shown: list[Shown], intake: str, feedback_item: FeedbackItem, attached_to: int | None
) -> int:
    """Write what became of each issue shown for ``feedback_item``: attached when it is
    the one the opinion went to, not chosen otherwise. Returns the rows written."""
    rows = [
        IssueSuggestion(
            issue_id=item.issue_id,
            feedback_item=feedback_item,
            shown_to=actor,
            intake=intake,
            rank=item.rank,
            score=item.score,
            same_enterprise=item.same_enterprise,
            same_category=item.same_category,
            outcome=Outcome.ATTACHED if item.issue_id == attached_to else Outcome.IGNORED,
            shown_at=item.shown_at,
        )
        for item in shown
    ]
    # Only issues that still exist in the actor's scope (a token outlives nothing else).
    visible = set(
        Issue.objects.visible_to(actor)
        .filter(pk__in=[row.issue_id for row in rows])
        .values_list("pk", flat=True)
    )
    rows = [row for row in rows if row.issue_id in visible]
    IssueSuggestion.objects.bulk_create(rows)
    return len(rows)


# --- opinions recorded with a suggestion chosen -----------------------------------------


def on_opinions_recorded(sender, *, actor, opinions, **kwargs) -> list[str]:
    """``outreach.signals.opinions_recorded``: attach each opinion whose row chose one of
    the issues it was shown, and record what became of every issue shown.

    Runs inside the entry's transaction. An attachment refused (the issue answered or
    merged meanwhile) leaves the opinion recorded and undisposed, and says so: the
    suggestion never stands in the way of saving.
    """
    attached, refused = [], []
    for item, fields in opinions:
        shown = read_token(actor, fields.get("suggested") or "", Intake.OPINION)
        if not shown:
            continue
        chosen = fields.get("attach_to")
        if chosen not in {entry.issue_id for entry in shown}:
            chosen = None
        if chosen is not None:
            try:
                issue = Issue.objects.visible_to(actor).get(pk=chosen)
                services.feedback_link(actor=actor, issue=issue, feedback_items=[item])
            except (ObjectDoesNotExist, PermissionDenied, ValidationError):
                refused.append(chosen)
            else:
                attached.append(chosen)
        suggestion_choices_record(
            actor=actor,
            shown=shown,
            intake=Intake.OPINION,
            feedback_item=item,
            attached_to=chosen,
        )
    notes = []
    if attached:
        notes.append(
            ngettext(
                "%(count)d opinion attached to an open issue: %(issues)s.",
                "%(count)d opinions attached to open issues: %(issues)s.",
                len(attached),
            )
            % {"count": len(attached), "issues": "、".join(f"#{pk}" for pk in attached)}
        )
    if refused:
        notes.append(
            _(
                "Not attached, the issue is no longer open: {issues}. The opinion is "
                "recorded and waits to be disposed of."
            ).format(issues="、".join(f"#{pk}" for pk in refused))
        )
    return notes


# --- what the records say -----------------------------------------------------------------


@dataclass(frozen=True)
class Precision:
    """Suggestions shown and attached to: the share attached is their precision."""

    shown: int
    attached: int

    @property
    def precision(self) -> float | None:
        return self.attached / self.shown if self.shown else None


def measured_precision(since: datetime | None = None) -> dict:
    """The suggestions' precision from what users chose: overall, at each place in the
    list, and per intake form; and the lists (one per opinion and form) with one chosen."""
    records = IssueSuggestion.objects.all()
    if since is not None:
        records = records.filter(decided_at__gte=since)
    attached = Count("pk", filter=Q(outcome=Outcome.ATTACHED))

    def rows(by: str) -> dict:
        counted = records.values(by).annotate(shown=Count("pk"), attached=attached).order_by(by)
        return {row[by]: Precision(row["shown"], row["attached"]) for row in counted}

    overall = records.aggregate(shown=Count("pk"), attached=attached)
    lists = records.values("feedback_item", "intake").annotate(attached=attached)
    first_last = records.aggregate(first=Min("decided_at"), last=Max("decided_at"))
    return {
        "overall": Precision(overall["shown"], overall["attached"]),
        "by_rank": rows("rank"),
        "by_intake": rows("intake"),
        "lists": Precision(lists.count(), lists.filter(attached__gt=0).count()),
        "first": first_last["first"],
        "last": first_last["last"],
    }
