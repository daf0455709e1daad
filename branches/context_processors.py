"""Puts the user's membership and role flags in every template, for the navigation."""

from . import rules
from .scoping import membership_of, scope_of


def membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "membership": membership_of(user),
        "scope": scope_of(user),
        "can_manage_users": rules.can_manage_users(user),
        "can_log_outreach": rules.can_log_outreach(user),
    }
