"""Reads and counts of outreach records. Every function starts from ``visible_to(user)``."""

from django.db.models import Count, Q

from .models import UNDISPOSED, UNREPLIED, Activity, Campaign, FeedbackItem


def current_campaign(user) -> Campaign | None:
    """The newest campaign the user can see (campaigns are province-wide)."""
    return Campaign.objects.visible_to(user).first()


def recent_activities(user, *, limit: int = 5):
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
    rows = _active_feedback(user).values("branch").annotate(**FEEDBACK_COUNTS)
    return {row.pop("branch"): row for row in rows.order_by()}


def activity_counts_by_branch(user) -> dict[int, int]:
    rows = Activity.objects.visible_to(user).active().values("branch").annotate(n=Count("id"))
    return {row["branch"]: row["n"] for row in rows.order_by()}
