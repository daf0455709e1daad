"""The enterprise's latest rating of an opinion (docs/metrics.md, "The enterprise's own
word"), for the exports that list opinions (the opinion export here, the issue ledger).

The ratings are ``receipts``' (a later app, which outreach and issues may not import). They
are reached through the opinions' reverse relation ``enterprise_ratings``, by name: no
import. Only the opinion's latest rating (``is_latest``, at most one) is its word, so the
join adds no row. The five levels' labels are read from that relation's own field.
"""

from __future__ import annotations

from django.db.models import FilteredRelation, Q

from .models import FeedbackItem

#: The annotation's name, and the values it gives.
LATEST_RATING = "latest_rating"
LEVEL = f"{LATEST_RATING}__level"
NOT_SOLVED = f"{LATEST_RATING}__not_solved"


def with_latest_rating(queryset):
    """``queryset`` of opinions, joined to each one's latest enterprise rating (or none)."""
    return queryset.annotate(
        **{
            LATEST_RATING: FilteredRelation(
                "enterprise_ratings", condition=Q(enterprise_ratings__is_latest=True)
            )
        }
    )


def rating_labels() -> dict[int, str]:
    """The five 好差评 levels' labels in the active language, by level."""
    model = FeedbackItem._meta.get_field("enterprise_ratings").related_model
    return {value: str(label) for value, label in model._meta.get_field("level").choices}
