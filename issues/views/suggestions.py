"""Open issues like the text being typed, fetched by an intake form as the user types
(static/js/suggestions.js): a small partial beside the form, never a step of it.

Where to look is named by the page: ``activity`` (the activity's opinion entry), ``items``
(the opinions being turned into an issue) or ``campaign`` (the opinions under a new
activity, of the user's own branch). Each is read through the user's scope (an id outside
it is a 404) and must be of a branch the user works in (otherwise a 403); the issues
suggested are that branch's only. What is typed comes as ``text``, with the row's
``category`` and ``enterprise`` when chosen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from branches import rules as branch_rules
from branches.scoping import membership_of
from core.ids import parse_id, parse_ids
from outreach.models import Activity, Campaign, FeedbackItem

from .. import suggestions
from ..models import IssueSuggestion

#: Opinions an issue is opened from, at most, in one request.
MAX_ITEMS = 100


@login_required
@require_safe
def issue_suggestions(request):
    user = request.user
    if not branch_rules.can_dispose_feedback(user):
        raise PermissionDenied
    query = request.GET
    intake = query.get("intake", IssueSuggestion.Intake.OPINION)
    if intake not in IssueSuggestion.Intake.values:
        raise Http404
    place = _place(request)
    found = []
    if place is not None:
        enterprises = {parse_id(value) for value in query.getlist("enterprise")[:5]} - {None}
        found = suggestions.similar_open_issues(
            user=user,
            branch_id=place.branch_id,
            campaign_id=place.campaign_id,
            text="\n".join([*place.said, query.get("text", "")]),
            category_id=parse_id(query.get("category")) or place.category_id,
            enterprise_ids=frozenset(place.enterprise_ids | enterprises),
        )
    response = render(
        request,
        "issues/partials/issue_suggestions.html",
        {
            "suggestions": found,
            "token": suggestions.shown_token(user, intake, found),
            "intake": intake,
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class Place:
    """Where to look (a branch's campaign), and what the page already knows: the chosen
    opinions' enterprises, category and words."""

    branch_id: int
    campaign_id: int
    enterprise_ids: frozenset[int] = frozenset()
    category_id: int | None = None
    said: tuple[str, ...] = ()


def _place(request) -> Place | None:
    """The place the page names, or None when it names none."""
    query, user = request.GET, request.user
    if "items" in query:
        place = _place_of_items(user, query.getlist("items"))
    elif "activity" in query:
        pk = parse_id(query["activity"])
        found = (
            Activity.objects.visible_to(user).filter(pk=pk).values_list("branch_id", "campaign_id")
            if pk
            else []
        )
        if not found:
            raise Http404
        place = Place(*found[0])
    elif query.get("campaign"):
        pk = parse_id(query["campaign"])
        if not pk or not Campaign.objects.visible_to(user).filter(pk=pk).exists():
            raise Http404
        place = Place(membership_of(user).branch_id, pk)
    else:
        return None
    if not branch_rules.works_in_branch(user, place.branch_id):
        raise PermissionDenied
    return place


def _place_of_items(user, values: list[str]) -> Place:
    """The chosen opinions' branch and campaign (the first's: an issue gathers one
    campaign's), enterprises, most common category and words."""
    ids = parse_ids(values[: MAX_ITEMS + 1])
    if not ids or len(ids) > MAX_ITEMS:
        raise Http404
    items = list(
        FeedbackItem.objects.visible_to(user)
        .filter(pk__in=ids)
        .values_list(
            "branch_id", "activity__campaign_id", "enterprise_id", "category_id", "content"
        )
        .order_by("pk")
    )
    if len(items) != len(ids) or len({row[0] for row in items}) > 1:
        raise Http404
    categories = Counter(row[3] for row in items)
    return Place(
        branch_id=items[0][0],
        campaign_id=items[0][1],
        enterprise_ids=frozenset(row[2] for row in items if row[2]),
        category_id=categories.most_common(1)[0][0],
        said=tuple(row[4] for row in items),
    )
