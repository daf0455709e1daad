"""Durations in templates: ``{{ delta|in_minutes }}`` for a sentence that counts minutes."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def in_minutes(delta) -> int:
    """Whole minutes in a ``timedelta`` (rounded up: "try again in 15 minutes" is never early)."""
    if not isinstance(delta, timedelta):
        return 0
    return -(-int(delta.total_seconds()) // 60)
