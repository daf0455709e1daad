"""The bell's unread count in every template, counted only if a template shows it."""

from functools import cache

from .models import Notification


def unread_count(request):
    """``notifications_unread``: one query, the first time a page renders it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    # A callable: the template engine calls it where it is used (the navbar's bell), so
    # responses that render no navbar (htmx fragments, files) make no query.
    @cache
    def notifications_unread() -> int:
        return Notification.objects.for_user(user).unread().count()

    return {"notifications_unread": notifications_unread}
