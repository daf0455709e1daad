"""Reads and counts of outreach records: the lists and pages read here, the views render.

Every function starts from ``visible_to(user)``, except those given a row already read
through it (the sections of one activity's page).
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import UNDISPOSED, UNREPLIED, Activity, Campaign, Enterprise, FeedbackItem


def current_campaign(user) -> Campaign | None:
    """The newest campaign the user can see (campaigns are province-wide)."""
    return Campaign.objects.visible_to(user).first()


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
    """Activities not withdrawn, per branch id."""
    rows = Activity.objects.visible_to(user).active().values("branch").annotate(n=Count("id"))
    return {row["branch"]: row["n"] for row in rows.order_by()}


# --- enterprises --------------------------------------------------------------------------


def enterprise_list(user) -> QuerySet[Enterprise]:
    """Enterprises in the user's scope, not withdrawn, by name."""
    return (
        Enterprise.objects.visible_to(user)
        .active()
        .select_related("branch", "county")
        .order_by("name", "id")
    )


def enterprises_matching(user, query: str, *, limit: int = 20) -> QuerySet:
    """Enterprises in scope whose name or USCC contains ``query`` (all when it is empty),
    as ``pk``, ``name`` and ``uscc`` values, for the searchable pickers."""
    enterprises = Enterprise.objects.visible_to(user).active()
    if query:
        enterprises = enterprises.filter(
            Q(name__icontains=query) | Q(uscc__icontains=query.upper())
        )
    return enterprises.order_by("name").values("pk", "name", "uscc")[:limit]


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
