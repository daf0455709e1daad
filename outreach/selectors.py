"""Reads and counts of outreach records: the lists and pages read here, the views render.

Every function starts from ``visible_to(user)``, except those given a row already read
through it (the sections of one activity's page).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Q, QuerySet, When
from django.utils.text import capfirst

from branches.scoping import scope_of
from core import history
from core.history import FieldChange, HistoryEntry, Trail
from core.templatetags.people import person_name

from .models import (
    ONLINE_BOX,
    UNDISPOSED,
    UNREPLIED,
    Activity,
    Campaign,
    Enterprise,
    FeedbackItem,
)
from .search import containing


def current_campaign(user) -> Campaign | None:
    """The newest campaign the user can see (campaigns are province-wide)."""
    return Campaign.objects.visible_to(user).first()


def opinion_defaults(user) -> dict:
    """The category and kind of the user's last opinion, still in use: new rows start with
    them (a visit's opinions are often of one kind)."""
    last = (
        FeedbackItem.objects.filter(created_by=user, category__is_active=True)
        .order_by("-id")
        .values("category_id", "kind")
        .first()
    )
    return {"category": last["category_id"], "kind": last["kind"]} if last else {}


def recent_activities(user, *, limit: int = 5) -> QuerySet[Activity]:
    """The latest activities in scope, each with its opinions not withdrawn counted."""
    return (
        Activity.objects.visible_to(user)
        .active()
        .select_related("branch", "campaign")
        .annotate(
            feedback_count=Count("feedback_items", filter=Q(feedback_items__withdrawn_at=None))
        )
        .order_by("-occurred_on", "-id")[:limit]
    )


def _active_feedback(user):
    return FeedbackItem.objects.visible_to(user).active()


FEEDBACK_COUNTS = {
    "feedback": Count("id"),
    "undisposed": Count("id", filter=UNDISPOSED),
    "unreplied": Count("id", filter=UNREPLIED),
}


def feedback_promise_counts(user) -> dict[str, int]:
    """Feedback heard, and how many still lack a disposition or a reply (the promise)."""
    return _active_feedback(user).aggregate(**FEEDBACK_COUNTS)


def feedback_promise_counts_by_branch(user) -> dict[int, dict[str, int]]:
    """``feedback_promise_counts`` per branch id."""
    rows = _active_feedback(user).values("branch").annotate(**FEEDBACK_COUNTS)
    return {row.pop("branch"): row for row in rows.order_by()}


def activity_counts_by_branch(user) -> dict[int, int]:
    """Activities held (not withdrawn; the online box's days are not held), per branch id."""
    rows = (
        Activity.objects.visible_to(user)
        .active()
        .exclude(ONLINE_BOX)
        .values("branch")
        .annotate(n=Count("id"))
    )
    return {row["branch"]: row["n"] for row in rows.order_by()}


# --- enterprises --------------------------------------------------------------------------


def enterprise_list(user) -> QuerySet[Enterprise]:
    """The province's registry (any member sees every enterprise), not withdrawn, by name."""
    return (
        Enterprise.objects.visible_to(user)
        .active()
        .select_related("branch", "county")
        .order_by("name", "id")
    )


#: What the searchable pickers show of an enterprise (outreach.views.enterprises).
PICKER_VALUES = ("pk", "name", "uscc", "county__name", "county__name_en")


def enterprises_matching(user, query: str, *, limit: int = 20) -> QuerySet:
    """Enterprises of the registry whose name or USCC contains ``query`` (all when it is
    empty), the user's own branch's first, as ``pk``, ``name``, ``uscc``,
    ``county__name`` and ``county__name_en`` values, for the searchable pickers."""
    enterprises = Enterprise.objects.visible_to(user).active()
    if query:
        enterprises = enterprises.filter(containing(enterprises, name=query, uscc=query.upper()))
    own_first = Case(When(branch=scope_of(user).branch_id, then=0), default=1)
    return enterprises.order_by(own_first, "name", "id").values(*PICKER_VALUES)[:limit]


def enterprise_choice(user, pk: int) -> list[dict]:
    """The enterprise ``pk`` in use, as the pickers' values (empty when not visible)."""
    return list(Enterprise.objects.visible_to(user).active().filter(pk=pk).values(*PICKER_VALUES))


def enterprise_lookalikes(enterprise: Enterprise, *, limit: int = 10) -> list[Enterprise]:
    """Other records in use that may be the same company: the same normalised name in
    any county, or the same credit code (the merge page offers them)."""
    condition = Q(name_key=enterprise.name_key)
    if enterprise.uscc:
        condition |= Q(uscc=enterprise.uscc)
    return list(
        Enterprise.objects.active()
        .filter(condition)
        .exclude(pk=enterprise.pk)
        .select_related("branch", "county")
        .order_by("name", "id")[:limit]
    )


def enterprise_link_counts(enterprise: Enterprise) -> dict[str, int]:
    """How many activities met ``enterprise`` and how many opinions it gave, withdrawn
    ones included (a merge moves them all), in the whole province."""
    return {
        "activities": Activity.objects.filter(enterprises=enterprise).count(),
        "opinions": FeedbackItem.objects.filter(enterprise=enterprise).count(),
    }


def enterprise_activities(user, enterprise: Enterprise) -> QuerySet[Activity]:
    """The activities that met ``enterprise``, newest first, each with how many opinions
    the enterprise gave there (``opinions``)."""
    return (
        Activity.objects.visible_to(user)
        .active()
        .filter(enterprises=enterprise)
        .annotate(
            opinions=Count(
                "feedback_items",
                filter=Q(
                    feedback_items__enterprise=enterprise,
                    feedback_items__withdrawn_at=None,
                ),
            )
        )
        .order_by("-occurred_on", "-id")
    )


def enterprise_opinions(user, enterprise: Enterprise) -> QuerySet[FeedbackItem]:
    """The opinions ``enterprise`` gave, newest first, each with its replies (newest first)."""
    return (
        FeedbackItem.objects.visible_to(user)
        .active()
        .filter(enterprise=enterprise)
        .select_related("category", "activity", "issue")
        # Replies come newest first by their model's own ordering; naming the relation,
        # not the model, keeps outreach from importing the issues app above it.
        .prefetch_related("replies__replied_by")
        .order_by("-received_on", "-id")
    )


# --- activities ---------------------------------------------------------------------------


def activity_list(user) -> QuerySet[Activity]:
    """Activities in scope, not withdrawn, newest first, each with its number of
    enterprises (``enterprise_count``) and of opinions (``feedback_count``)."""
    return (
        Activity.objects.visible_to(user)
        .active()
        .select_related("branch", "campaign")
        .annotate(
            enterprise_count=Count("enterprises", distinct=True),
            feedback_count=Count(
                "feedback_items", filter=Q(feedback_items__withdrawn_at=None), distinct=True
            ),
        )
        .order_by("-occurred_on", "-id")
    )


def activity_page_rows(activity: Activity) -> dict[str, list]:
    """The sections of the page of ``activity`` (already read through ``visible_to``):
    enterprises met, staff present, attachments and opinions not withdrawn."""
    return {
        "enterprises": list(activity.enterprises.select_related("county").order_by("name")),
        "staff": list(activity.staff.order_by("last_name", "first_name")),
        "attachments": list(activity.attachments.select_related("uploaded_by")),
        "feedback_items": list(
            FeedbackItem.objects.filter(activity=activity)
            .active()
            .select_related("enterprise", "category", "issue")
            .order_by("id")
        ),
    }


# --- feedback -----------------------------------------------------------------------------


def feedback_list(user) -> QuerySet[FeedbackItem]:
    """The opinions a user may list: in scope, not withdrawn, with what a row shows."""
    return (
        FeedbackItem.objects.visible_to(user)
        .active()
        .select_related("enterprise", "category", "activity", "issue", "branch")
        .order_by("-received_on", "-id")
    )


# --- history ------------------------------------------------------------------------------

#: What an opinion's history shows of each change.
FEEDBACK_HISTORY_FIELDS = ("enterprise", "category", "kind", "content", "contact", "received_on")
#: What an activity's history shows of each change, besides the enterprises and staff.
ACTIVITY_HISTORY_FIELDS = (
    "title",
    "occurred_on",
    "campaign",
    "place",
    "attendee_count",
    "forms_sent",
    "forms_returned",
    "minutes",
)


def feedback_history(item: FeedbackItem) -> tuple[list[HistoryEntry], Trail]:
    """The history of an opinion (read through ``visible_to``), newest first, and who
    entered and last changed it: one query, and one per kind of record a change names."""
    rows = list(item.history.select_related("history_user"))
    entries = history.entries(
        FeedbackItem, rows, FEEDBACK_HISTORY_FIELDS, entered_by=item.created_by
    )
    return entries, history.trail(item, latest=history.newest_change(rows))


def activity_history(activity: Activity) -> tuple[list[HistoryEntry], Trail]:
    """The history of an activity (read through ``visible_to``), newest first, with the
    enterprises met and staff present each edit added or removed, and its trail."""
    rows = list(activity.history.select_related("history_user"))
    links = [row.links_changed for row in rows if row.links_changed]
    ids = {
        name: {pk for change in links for side in change.get(name, {}).values() for pk in side}
        for name in ("enterprises", "staff")
    }
    enterprises = Enterprise._base_manager.in_bulk(ids["enterprises"]) if ids["enterprises"] else {}
    people = get_user_model()._base_manager.in_bulk(ids["staff"]) if ids["staff"] else {}
    named = {
        "enterprises": lambda pk: enterprises[pk].name if pk in enterprises else f"#{pk}",
        "staff": lambda pk: person_name(people[pk]) if pk in people else f"#{pk}",
    }
    labels = {
        "enterprises": capfirst(Activity._meta.get_field("enterprises").verbose_name),
        "staff": capfirst(Activity._meta.get_field("staff").verbose_name),
    }

    def link_changes(row, previous) -> list[FieldChange]:
        changes = []
        for name, change in (row.links_changed or {}).items():
            removed, added = (
                "、".join(named[name](pk) for pk in change.get(side, [])) or "—"
                for side in ("removed", "added")
            )
            changes.append(FieldChange(name, labels[name], removed, added, links=True))
        return changes

    entries = history.entries(
        Activity, rows, ACTIVITY_HISTORY_FIELDS, extra=link_changes, entered_by=activity.created_by
    )
    return entries, history.trail(activity, latest=history.newest_change(rows))
